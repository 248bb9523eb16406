import Foundation
import ProngsaiCore

/// The document body: sections, paragraphs, runs, images and tables as WordprocessingML.
extension DOCXDocument {
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
