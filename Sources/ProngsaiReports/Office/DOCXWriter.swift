import Foundation
import ProngsaiCore
import ZIPFoundation

/// A small WordprocessingML (DOCX) writer: sections of paragraphs, tables and page breaks in
/// TH Sarabun New, zipped with ZIPFoundation. The same blocks render the HTML print view
/// (`printHTML()`), so the Word file and the printed page say the same thing.
public struct DOCXDocument: Sendable {
    /// The font of Thai government documents; "Sarabun" (Google Fonts) is its free twin.
    public static let fontName = "TH Sarabun New"

    public enum Alignment: String, Sendable, Hashable {
        case left, center, right
        case justify = "both"
        /// Justified by spreading Thai characters, as Word's "Thai Distributed".
        case thaiDistribute
    }

    public enum Underline: String, Sendable, Hashable {
        case single, dotted
    }

    public struct Run: Sendable, Hashable {
        /// "\n" becomes a line break and "\t" a tab.
        public var text: String
        public var bold: Bool
        public var italic: Bool
        public var underline: Underline?
        /// In half-points (32 = 16 pt); nil takes the table's or the document's size.
        public var size: Int?

        public init(_ text: String, bold: Bool = false, italic: Bool = false, underline: Underline? = nil, size: Int? = nil) {
            self.text = text
            self.bold = bold
            self.italic = italic
            self.underline = underline
            self.size = size
        }
    }

    public struct TabStop: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case left, center, right }
        /// In twips from the left margin.
        public var position: Int
        public var kind: Kind

        public init(_ position: Int, _ kind: Kind = .left) {
            self.position = position
            self.kind = kind
        }
    }

    /// A picture set inline at the start of a paragraph: PNG bytes for Word, SVG for the print view.
    public struct Image: Sendable, Hashable {
        /// The file name inside the package (word/media/NAME).
        public var name: String
        public var png: [UInt8]
        public var svg: String
        /// Size in twips.
        public var width: Int
        public var height: Int
        /// Said by screen readers and Word's alt text.
        public var description: String

        public init(name: String, png: [UInt8], svg: String, width: Int, height: Int, description: String) {
            self.name = name
            self.png = png
            self.svg = svg
            self.width = width
            self.height = height
            self.description = description
        }
    }

    /// A paragraph. Lengths are in twips (1/1440 inch; 567 ≈ 1 cm).
    public struct Paragraph: Sendable, Hashable {
        public var runs: [Run]
        public var alignment: Alignment
        /// "Title", "Heading1", "Heading2" or "Heading3" (outline levels in Word); nil is Normal.
        public var style: String?
        public var firstLineIndent: Int
        public var leftIndent: Int
        public var spaceBefore: Int
        public var spaceAfter: Int
        public var tabStops: [TabStop]
        public var keepWithNext: Bool
        /// Keeps the paragraph's lines together on one page.
        public var keepLines: Bool = false
        /// A picture before the runs (the memo's Garuda).
        public var image: Image?

        public init(runs: [Run], alignment: Alignment = .left, style: String? = nil, firstLineIndent: Int = 0, leftIndent: Int = 0,
                    spaceBefore: Int = 0, spaceAfter: Int = 0, tabStops: [TabStop] = [], keepWithNext: Bool = false) {
            self.runs = runs
            self.alignment = alignment
            self.style = style
            self.firstLineIndent = firstLineIndent
            self.leftIndent = leftIndent
            self.spaceBefore = spaceBefore
            self.spaceAfter = spaceAfter
            self.tabStops = tabStops
            self.keepWithNext = keepWithNext
        }

        public init(_ text: String, bold: Bool = false, size: Int? = nil, alignment: Alignment = .left, style: String? = nil,
                    firstLineIndent: Int = 0, leftIndent: Int = 0, spaceBefore: Int = 0, spaceAfter: Int = 0, keepWithNext: Bool = false) {
            self.init(runs: [Run(text, bold: bold, size: size)], alignment: alignment, style: style, firstLineIndent: firstLineIndent,
                      leftIndent: leftIndent, spaceBefore: spaceBefore, spaceAfter: spaceAfter, keepWithNext: keepWithNext)
        }

        /// An empty line.
        public static let blank = Paragraph(runs: [])
    }

    public struct Cell: Sendable, Hashable {
        public var paragraphs: [Paragraph]
        /// Fill colour as hex ("D9D9D9"); nil takes the table's header shading in header rows.
        public var shading: String?

        public init(_ paragraphs: [Paragraph], shading: String? = nil) {
            self.paragraphs = paragraphs
            self.shading = shading
        }

        public init(_ text: String, bold: Bool = false, alignment: Alignment = .left) {
            self.init([Paragraph(text, bold: bold, alignment: alignment)])
        }
    }

    public struct Table: Sendable, Hashable {
        /// Column widths in twips.
        public var widths: [Int]
        /// Rows repeated at the top of each page.
        public var header: [[Cell]]
        public var rows: [[Cell]]
        /// Single lines around every cell; false for a layout table (the memo's score lines).
        public var borders: Bool
        public var headerShading: String?
        /// Default run size in half-points for the cells.
        public var size: Int?
        /// Keeps each row on one page.
        public var cantSplit: Bool

        public init(widths: [Int], header: [[Cell]] = [], rows: [[Cell]], borders: Bool = true, headerShading: String? = "D9D9D9",
                    size: Int? = nil, cantSplit: Bool = false) {
            self.widths = widths
            self.header = header
            self.rows = rows
            self.borders = borders
            self.headerShading = headerShading
            self.size = size
            self.cantSplit = cantSplit
        }
    }

    public enum Block: Sendable, Hashable {
        case paragraph(Paragraph)
        case table(Table)
        case pageBreak
    }

    /// Page size and margins in twips.
    public struct Page: Sendable, Hashable {
        public var width: Int
        public var height: Int
        public var top: Int
        public var right: Int
        public var bottom: Int
        public var left: Int

        public init(width: Int, height: Int, top: Int = 1440, right: Int = 1440, bottom: Int = 1440, left: Int = 1440) {
            self.width = width
            self.height = height
            self.top = top
            self.right = right
            self.bottom = bottom
            self.left = left
        }

        /// A4 (210 × 297 mm) with 1-inch margins.
        public static let a4Portrait = Page(width: 11906, height: 16838)
        public static let a4Landscape = Page(width: 16838, height: 11906)

        public var landscape: Bool { width > height }
        /// The width between the margins.
        public var textWidth: Int { width - left - right }
    }

    public struct Section: Sendable, Hashable {
        public var page: Page
        public var blocks: [Block]

        public init(page: Page = .a4Portrait, blocks: [Block]) {
            self.page = page
            self.blocks = blocks
        }
    }

    public var title: String
    public var creator: String
    public var created: CivilDate?
    public var sections: [Section]
    /// Text in the footer before the page number.
    public var footer: String?
    public var pageNumbers: Bool
    /// Default run size in half-points: 16 pt, as Thai government documents use.
    public var size: Int

    public init(title: String, creator: String = "Prongsai", created: CivilDate? = nil, sections: [Section], footer: String? = nil,
                pageNumbers: Bool = true, size: Int = 32) {
        self.title = title
        self.creator = creator
        self.created = created
        self.sections = sections
        self.footer = footer
        self.pageNumbers = pageNumbers
        self.size = size
    }

    var hasFooter: Bool { pageNumbers || !(footer ?? "").isEmpty }

    // MARK: - Package

    public func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let date = modificationDate
        func add(_ path: String, _ text: String) throws {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add("[Content_Types].xml", contentTypes)
        try add("_rels/.rels", Self.packageRels)
        try add("word/document.xml", documentXML())
        try add("word/styles.xml", stylesXML)
        try add("word/fontTable.xml", Self.fontTable)
        try add("word/settings.xml", Self.settings)
        try add("word/_rels/document.xml.rels", documentRels)
        if hasFooter { try add("word/footer1.xml", footerXML) }
        for image in images {
            let bytes = Data(image.png)
            try archive.addEntry(with: "word/media/\(image.name)", type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add("docProps/core.xml", coreXML)
        try add("docProps/app.xml", Self.appXML)
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// Pictures in the order they appear, each once by name.
    var images: [Image] {
        var seen = Set<String>()
        var out: [Image] = []
        func visit(_ paragraph: Paragraph) {
            if let image = paragraph.image, seen.insert(image.name).inserted { out.append(image) }
        }
        for section in sections {
            for block in section.blocks {
                switch block {
                case .paragraph(let p): visit(p)
                case .table(let t): for row in t.header + t.rows { for cell in row { cell.paragraphs.forEach(visit) } }
                case .pageBreak: break
                }
            }
        }
        return out
    }

    /// The relationship id of a picture.
    func imageRelationship(_ image: Image) -> String {
        "rIdImage\((images.firstIndex { $0.name == image.name } ?? 0) + 1)"
    }

    /// The creation day, so the same input gives the same bytes.
    var modificationDate: Date {
        guard let created else { return Date() }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar.date(from: DateComponents(year: created.year, month: created.month, day: created.day)) ?? Date()
    }

    static let xmlHeader = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let wNS = #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#
    static let rNS = #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
    static let mainType = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    static let drawingNS = #"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#

    var contentTypes: String {
        let parts = [("/word/document.xml", "\(Self.mainType).document.main+xml"), ("/word/styles.xml", "\(Self.mainType).styles+xml"),
                     ("/word/settings.xml", "\(Self.mainType).settings+xml"), ("/word/fontTable.xml", "\(Self.mainType).fontTable+xml"),
                     ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                     ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml")]
            + (hasFooter ? [("/word/footer1.xml", "\(Self.mainType).footer+xml")] : [])
        let overrides = parts.map { #"<Override PartName="\#($0.0)" ContentType="\#($0.1)"/>"# }.joined()
        let png = images.isEmpty ? "" : #"<Default Extension="png" ContentType="image/png"/>"#
        return Self.xmlHeader + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#
            + png + overrides + "</Types>"
    }

    static let packageRels = xmlHeader + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#

    var documentRels: String {
        let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        var rels = [("rId1", "styles", "styles.xml"), ("rId2", "settings", "settings.xml"), ("rId3", "fontTable", "fontTable.xml")]
        if hasFooter { rels.append(("rId4", "footer", "footer1.xml")) }
        for image in images { rels.append((imageRelationship(image), "image", "media/\(image.name)")) }
        return Self.xmlHeader + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + rels.map { #"<Relationship Id="\#($0.0)" Type="\#(base)\#($0.1)" Target="\#($0.2)"/>"# }.joined() + "</Relationships>"
    }

    var coreXML: String {
        let stamp = created.map { "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\($0.iso)T00:00:00Z</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">\($0.iso)T00:00:00Z</dcterms:modified>" } ?? ""
        return Self.xmlHeader + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:title>\(Markup.escape(title))</dc:title><dc:creator>\(Markup.escape(creator))</dc:creator>"
            + "<cp:lastModifiedBy>\(Markup.escape(creator))</cp:lastModifiedBy><dc:language>th-TH</dc:language>\(stamp)</cp:coreProperties>"
    }

    static let appXML = xmlHeader + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Prongsai</Application></Properties>"#

    /// Thai charset (0xDE) and a swiss family let Word pick a Thai sans-serif when TH Sarabun New is missing.
    static let fontTable = xmlHeader + "<w:fonts \(wNS)>"
        + #"<w:font w:name="\#(fontName)"><w:altName w:val="Sarabun"/><w:charset w:val="DE"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>"#
        + #"<w:font w:name="Sarabun"><w:charset w:val="DE"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>"#

    static let settings = xmlHeader + "<w:settings \(wNS)>"
        + #"<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:bidi="th-TH"/></w:settings>"#

    static let fonts = #"<w:rFonts w:ascii="\#(fontName)" w:hAnsi="\#(fontName)" w:eastAsia="\#(fontName)" w:cs="\#(fontName)"/>"#
    /// Latin text proofed as English, complex-script (Thai) text as Thai.
    static let language = #"<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="th-TH"/>"#

    var stylesXML: String {
        func heading(_ id: String, _ name: String, level: Int, size: Int, extra: String = "") -> String {
            #"<w:style w:type="paragraph" w:styleId="\#(id)"><w:name w:val="\#(name)"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/>\#(extra)<w:outlineLvl w:val="\#(level)"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="\#(size)"/><w:szCs w:val="\#(size)"/></w:rPr></w:style>"#
        }
        return Self.xmlHeader + "<w:styles \(Self.wNS)><w:docDefaults><w:rPrDefault><w:rPr>\(Self.fonts)"
            + #"<w:sz w:val="\#(size)"/><w:szCs w:val="\#(size)"/>\#(Self.language)</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#
            + #"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#
            + #"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#
            + #"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#
            + heading("Title", "Title", level: 0, size: 36, extra: #"<w:jc w:val="center"/>"#)
            + heading("Heading1", "heading 1", level: 0, size: 34)
            + heading("Heading2", "heading 2", level: 1, size: 32)
            + heading("Heading3", "heading 3", level: 2, size: 32)
            + #"<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/></w:style>"#
            + "</w:styles>"
    }

    var footerXML: String {
        let small = 24
        var runs = ""
        if let footer, !footer.isEmpty { runs += runXML(Run(footer + (pageNumbers ? "    " : ""), size: small), size: small) }
        if pageNumbers {
            let props = runProperties(Run("", size: small), size: small)
            runs += runXML(Run("หน้า ", size: small), size: small)
            runs += "<w:r>\(props)<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>\(props)<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
            runs += "<w:r>\(props)<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r>\(props)<w:t>1</w:t></w:r><w:r>\(props)<w:fldChar w:fldCharType=\"end\"/></w:r>"
        }
        return Self.xmlHeader + "<w:ftr \(Self.wNS) \(Self.rNS)><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"right\"/></w:pPr>\(runs)</w:p></w:ftr>"
    }

    // MARK: - Body

    func documentXML() -> String {
        var body = ""
        for (index, section) in sections.enumerated() {
            body += section.blocks.map(blockXML).joined()
            if index < sections.count - 1 {
                body += "<w:p><w:pPr>\(sectionProperties(section.page))</w:pPr></w:p>"
            } else {
                // Word wants the body to end with a paragraph, not a table.
                if case .table = section.blocks.last { body += "<w:p/>" }
                body += sectionProperties(section.page)
            }
        }
        if sections.isEmpty { body = "<w:p/>" + sectionProperties(.a4Portrait) }
        return Self.xmlHeader + "<w:document \(Self.wNS) \(Self.rNS) \(Self.drawingNS)><w:body>\(body)</w:body></w:document>"
    }

    func sectionProperties(_ page: Page) -> String {
        let footerRef = hasFooter ? #"<w:footerReference w:type="default" r:id="rId4"/>"# : ""
        let orient = page.landscape ? #" w:orient="landscape""# : ""
        return "<w:sectPr>\(footerRef)<w:pgSz w:w=\"\(page.width)\" w:h=\"\(page.height)\"\(orient)/>"
            + "<w:pgMar w:top=\"\(page.top)\" w:right=\"\(page.right)\" w:bottom=\"\(page.bottom)\" w:left=\"\(page.left)\" w:header=\"708\" w:footer=\"567\" w:gutter=\"0\"/>"
            + #"<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>"#
    }

    func blockXML(_ block: Block) -> String {
        switch block {
        case .paragraph(let paragraph): paragraphXML(paragraph, size: nil)
        case .table(let table): tableXML(table)
        case .pageBreak: #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#
        }
    }

    func paragraphXML(_ paragraph: Paragraph, size: Int?) -> String {
        // Child order follows CT_PPr: pStyle, keepNext, tabs, spacing, ind, jc.
        var props = ""
        if let style = paragraph.style { props += "<w:pStyle w:val=\"\(Markup.escape(style))\"/>" }
        if paragraph.keepWithNext { props += "<w:keepNext/>" }
        if paragraph.keepLines { props += "<w:keepLines/>" }
        if !paragraph.tabStops.isEmpty {
            props += "<w:tabs>" + paragraph.tabStops.map { "<w:tab w:val=\"\($0.kind.rawValue)\" w:pos=\"\($0.position)\"/>" }.joined() + "</w:tabs>"
        }
        if paragraph.spaceBefore != 0 || paragraph.spaceAfter != 0 {
            props += "<w:spacing w:before=\"\(paragraph.spaceBefore)\" w:after=\"\(paragraph.spaceAfter)\"/>"
        }
        if paragraph.leftIndent != 0 || paragraph.firstLineIndent != 0 {
            props += "<w:ind w:left=\"\(paragraph.leftIndent)\" w:firstLine=\"\(paragraph.firstLineIndent)\"/>"
        }
        if paragraph.alignment != .left { props += "<w:jc w:val=\"\(paragraph.alignment.rawValue)\"/>" }
        let runs = (paragraph.image.map(imageXML) ?? "") + paragraph.runs.map { runXML($0, size: size) }.joined()
        return "<w:p>" + (props.isEmpty ? "" : "<w:pPr>\(props)</w:pPr>") + runs + "</w:p>"
    }

    /// An inline DrawingML picture (EMU: 635 per twip).
    func imageXML(_ image: Image) -> String {
        let cx = image.width * 635, cy = image.height * 635
        let id = (images.firstIndex { $0.name == image.name } ?? 0) + 1
        let alt = Markup.escape(image.description)
        return "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/>"
            + "<wp:docPr id=\"\(id)\" name=\"\(Markup.escape(image.name))\" descr=\"\(alt)\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
            + "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
            + "<pic:nvPicPr><pic:cNvPr id=\"\(id)\" name=\"\(Markup.escape(image.name))\" descr=\"\(alt)\"/><pic:cNvPicPr/></pic:nvPicPr>"
            + "<pic:blipFill><a:blip r:embed=\"\(imageRelationship(image))\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            + "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
            + "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    }

    func runProperties(_ run: Run, size: Int?) -> String {
        // Child order follows CT_RPr: rFonts, b, bCs, i, iCs, sz, szCs, u, lang.
        let points = run.size ?? size ?? self.size
        var props = Self.fonts
        if run.bold { props += "<w:b/><w:bCs/>" }
        if run.italic { props += "<w:i/><w:iCs/>" }
        props += "<w:sz w:val=\"\(points)\"/><w:szCs w:val=\"\(points)\"/>"
        if let underline = run.underline { props += "<w:u w:val=\"\(underline.rawValue)\"/>" }
        return "<w:rPr>\(props)\(Self.language)</w:rPr>"
    }

    func runXML(_ run: Run, size: Int?) -> String {
        var content = ""
        var text = ""
        func flush() {
            if !text.isEmpty { content += "<w:t xml:space=\"preserve\">\(Markup.escape(text))</w:t>" }
            text = ""
        }
        for scalar in run.text.unicodeScalars {
            switch scalar {
            case "\n": flush(); content += "<w:br/>"
            case "\t": flush(); content += "<w:tab/>"
            case "\r": continue
            default: text.unicodeScalars.append(scalar)
            }
        }
        flush()
        return "<w:r>\(runProperties(run, size: size))\(content)</w:r>"
    }

    func tableXML(_ table: Table) -> String {
        let total = table.widths.reduce(0, +)
        let line = #"w:val="single" w:sz="4" w:space="0" w:color="000000""#
        let borders = table.borders
            ? "<w:tblBorders>" + ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) \(line)/>" }.joined() + "</w:tblBorders>"
            : "<w:tblBorders>" + ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) w:val=\"nil\"/>" }.joined() + "</w:tblBorders>"
        var xml = "<w:tbl><w:tblPr><w:tblW w:w=\"\(total)\" w:type=\"dxa\"/>\(borders)<w:tblLayout w:type=\"fixed\"/>"
        xml += #"<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>"#
        xml += "<w:tblGrid>" + table.widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for row in table.header { xml += rowXML(row, table: table, header: true) }
        for row in table.rows { xml += rowXML(row, table: table, header: false) }
        return xml + "</w:tbl>"
    }

    func rowXML(_ row: [Cell], table: Table, header: Bool) -> String {
        var props = ""
        if header || table.cantSplit { props += "<w:cantSplit/>" }
        if header { props += "<w:tblHeader/>" }
        var xml = "<w:tr>" + (props.isEmpty ? "" : "<w:trPr>\(props)</w:trPr>")
        for (column, width) in table.widths.enumerated() {
            let cell = column < row.count ? row[column] : Cell([])
            let fill = cell.shading ?? (header ? table.headerShading : nil)
            let shading = fill.map { "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"\(Markup.escape($0))\"/>" } ?? ""
            let paragraphs = cell.paragraphs.isEmpty ? "<w:p/>" : cell.paragraphs.map { paragraphXML($0, size: table.size) }.joined()
            xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>\(shading)</w:tcPr>\(paragraphs)</w:tc>"
        }
        return xml + "</w:tr>"
    }
}

// MARK: - Print view

extension DOCXDocument {
    /// A standalone HTML5 page of the same blocks, for the browser's print dialog: A4, no scripts,
    /// no external resources, every text escaped.
    public func printHTML() -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(Markup.escape(title))</title>\n<style>\n\(Self.printCSS(size: size))</style>\n</head>\n<body>\n"
        for section in sections {
            html += "<section class=\"\(section.page.landscape ? "landscape" : "portrait")\">\n"
            html += section.blocks.map(blockHTML).joined()
            html += "</section>\n"
        }
        if let footer, !footer.isEmpty { html += "<footer>\(Markup.escape(footer))</footer>\n" }
        return html + "</body>\n</html>\n"
    }

    static func printCSS(size: Int) -> String {
        """
        @page { size: A4; margin: 2cm }
        @page wide { size: A4 landscape; margin: 1.5cm }
        body { font-family: "TH Sarabun New", "Sarabun", "Laksaman", "Loma", sans-serif; font-size: \(halfPoints(size)); line-height: 1.3; color: #000; max-width: 60em; margin: 1em auto; padding: 0 1em }
        p { margin: 0 }
        h1, h2, h3 { margin: 0.6em 0 0.3em; line-height: 1.2 }
        h1 { text-align: center }
        table { border-collapse: collapse; table-layout: fixed; width: 100%; margin: 0.4em 0 }
        table.grid th, table.grid td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; text-align: left }
        table.grid th { background: #d9d9d9; text-align: center }
        table.plain td { border: none; padding: 0 4pt 0 0; vertical-align: top }
        thead { display: table-header-group }
        tr { break-inside: avoid }
        .tab { display: inline-block; width: 3em }
        .picture { float: left; margin-right: 1em }
        .page-break { break-after: page }
        section.landscape { page: wide }
        footer { margin-top: 2em; font-size: 12pt; color: #555 }
        @media print {
          body { max-width: none; margin: 0; padding: 0 }
          section + section { break-before: page }
          footer { display: none }
        }

        """
    }

    func blockHTML(_ block: Block) -> String {
        switch block {
        case .paragraph(let paragraph): paragraphHTML(paragraph) + "\n"
        case .table(let table): tableHTML(table)
        case .pageBreak: "<div class=\"page-break\"></div>\n"
        }
    }

    func paragraphHTML(_ paragraph: Paragraph) -> String {
        let tag = switch paragraph.style {
        case "Title": "h1"
        case "Heading1": "h2"
        case "Heading2": "h3"
        case "Heading3": "h4"
        default: "p"
        }
        var styles: [String] = []
        switch paragraph.alignment {
        case .left: break
        case .center: styles.append("text-align: center")
        case .right: styles.append("text-align: right")
        case .justify, .thaiDistribute: styles.append("text-align: justify")
        }
        if paragraph.firstLineIndent != 0 { styles.append("text-indent: \(Self.points(paragraph.firstLineIndent))") }
        if paragraph.leftIndent != 0 { styles.append("margin-left: \(Self.points(paragraph.leftIndent))") }
        if paragraph.spaceBefore != 0 { styles.append("margin-top: \(Self.points(paragraph.spaceBefore))") }
        if paragraph.spaceAfter != 0 { styles.append("margin-bottom: \(Self.points(paragraph.spaceAfter))") }
        let style = styles.isEmpty ? "" : " style=\"\(styles.joined(separator: "; "))\""
        // The picture as inline SVG (the print view loads nothing from outside), floated left like Word's inline start.
        let picture = paragraph.image.map { "<span class=\"picture\">\($0.svg)</span>" } ?? ""
        let runs = picture + paragraph.runs.map(runHTML).joined()
        return "<\(tag)\(style)>\(runs.isEmpty ? "<br>" : runs)</\(tag)>"
    }

    /// Half-points as CSS points: 29 → "14.5pt".
    static func halfPoints(_ size: Int) -> String { size % 2 == 0 ? "\(size / 2)pt" : "\(size / 2).5pt" }

    /// Twips as CSS points.
    static func points(_ twips: Int) -> String {
        twips % 20 == 0 ? "\(twips / 20)pt" : NumberText.oneDecimal(Double(twips) / 20) + "pt"
    }

    func runHTML(_ run: Run) -> String {
        var text = ""
        var plain = ""
        func flush() {
            text += Markup.escape(plain)
            plain = ""
        }
        for scalar in run.text.unicodeScalars {
            switch scalar {
            case "\n": flush(); text += "<br>"
            case "\t": flush(); text += "<span class=\"tab\"></span>"
            case "\r": continue
            default: plain.unicodeScalars.append(scalar)
            }
        }
        flush()
        var styles: [String] = []
        if let size = run.size, size != self.size { styles.append("font-size: \(Self.halfPoints(size))") }
        if let underline = run.underline { styles.append(underline == .dotted ? "text-decoration: underline dotted" : "text-decoration: underline") }
        if !styles.isEmpty { text = "<span style=\"\(styles.joined(separator: "; "))\">\(text)</span>" }
        if run.italic { text = "<i>\(text)</i>" }
        if run.bold { text = "<b>\(text)</b>" }
        return text
    }

    func tableHTML(_ table: Table) -> String {
        let total = max(table.widths.reduce(0, +), 1)
        var html = "<table class=\"\(table.borders ? "grid" : "plain")\">\n<colgroup>"
        html += table.widths.map { "<col style=\"width: \(NumberText.oneDecimal(Double($0) * 100 / Double(total)))%\">" }.joined() + "</colgroup>\n"
        let size = table.size.map { " style=\"font-size: \(Self.halfPoints($0))\"" } ?? ""
        if !table.header.isEmpty {
            html += "<thead\(size)>\n" + table.header.map { rowHTML($0, columns: table.widths.count, tag: "th") }.joined() + "</thead>\n"
        }
        html += "<tbody\(size)>\n" + table.rows.map { rowHTML($0, columns: table.widths.count, tag: "td") }.joined() + "</tbody>\n</table>\n"
        return html
    }

    func rowHTML(_ row: [Cell], columns: Int, tag: String) -> String {
        let cells = (0..<columns).map { column -> String in
            let cell = column < row.count ? row[column] : Cell([])
            let shading = cell.shading.map { " style=\"background: #\(Markup.escape($0))\"" } ?? ""
            return "<\(tag)\(shading)>" + cell.paragraphs.map(paragraphHTML).joined() + "</\(tag)>"
        }
        return "<tr>" + cells.joined() + "</tr>\n"
    }
}
