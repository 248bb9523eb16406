import Foundation
import ProngsaiCore
import ZIPFoundation

/// The DOCX package: the zip with its content types, relationships, styles, settings, footer and images.
extension DOCXDocument {
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
}
