import Foundation
import ProngsaiCore

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
