import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the first worksheet of an XLSX file into rows of text: shared and inline strings, numbers as
/// written. Enough for the sheets officers fill in (OIT lists, agency lists); formulas give their cached
/// value.
public enum XLSXReader {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func rows(_ data: Data) throws -> [[String]] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw Failure(description: "not an XLSX file (not a ZIP archive)") }
        func entry(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var out = Data()
            _ = try archive.extract(entry, skipCRC32: false) { out.append($0) }
            return out
        }
        var shared: [String] = []
        if let strings = try entry("xl/sharedStrings.xml") { shared = SharedStrings.parse(strings) }
        let sheetPath = try firstSheetPath(entry)
        guard let sheet = try entry(sheetPath) else { throw Failure(description: "the workbook has no worksheet") }
        return SheetRows.parse(sheet, shared: shared)
    }

    /// The first sheet in workbook order, through the workbook's relationships; sheet1.xml otherwise.
    static func firstSheetPath(_ entry: (String) throws -> Data?) throws -> String {
        guard let workbook = try entry("xl/workbook.xml"), let rels = try entry("xl/_rels/workbook.xml.rels") else { return "xl/worksheets/sheet1.xml" }
        let text = String(decoding: workbook, as: UTF8.self)
        guard let sheet = text.range(of: #"<sheet [^>]*r:id="([^"]+)""#, options: .regularExpression) else { return "xl/worksheets/sheet1.xml" }
        let tag = String(text[sheet])
        guard let idRange = tag.range(of: #"r:id="[^"]+""#, options: .regularExpression) else { return "xl/worksheets/sheet1.xml" }
        let id = String(tag[idRange].dropFirst(6).dropLast())
        let relText = String(decoding: rels, as: UTF8.self)
        for match in relText.components(separatedBy: "<Relationship ").dropFirst() where match.contains("Id=\"\(id)\"") {
            if let target = match.range(of: #"Target="[^"]+""#, options: .regularExpression) {
                var path = String(match[target].dropFirst(8).dropLast())
                if path.hasPrefix("/") { path.removeFirst() } else { path = "xl/" + path }
                return path
            }
        }
        return "xl/worksheets/sheet1.xml"
    }

    final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current = ""
        var inText = false
        var inItem = false
        var inPhonetic = false

        static func parse(_ data: Data) -> [String] {
            let delegate = SharedStrings()
            let parser = XMLParser(data: data)
            parser.delegate = delegate
            _ = parser.parse()
            return delegate.strings
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch local(name) {
            case "si": inItem = true; current = ""
            case "rPh": inPhonetic = true
            case "t": inText = inItem && !inPhonetic
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(name) {
            case "si": strings.append(current); inItem = false
            case "rPh": inPhonetic = false
            case "t": inText = false
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
    }

    final class SheetRows: NSObject, XMLParserDelegate {
        let shared: [String]
        var rows: [Int: [Int: String]] = [:]
        var row = 0
        var column = 0
        var type = ""
        var value = ""
        var capture = false
        var nextColumn = 0

        init(shared: [String]) { self.shared = shared }

        static func parse(_ data: Data, shared: [String]) -> [[String]] {
            let delegate = SheetRows(shared: shared)
            let parser = XMLParser(data: data)
            parser.delegate = delegate
            _ = parser.parse()
            guard let last = delegate.rows.keys.max() else { return [] }
            return (1...last).map { r in
                let cells = delegate.rows[r] ?? [:]
                guard let width = cells.keys.max() else { return [] }
                return (0...width).map { cells[$0] ?? "" }
            }
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch local(name) {
            case "row":
                row = attributes["r"].flatMap(Int.init) ?? row + 1
                nextColumn = 0
            case "c":
                column = attributes["r"].map(Self.column) ?? nextColumn
                nextColumn = column + 1
                type = attributes["t"] ?? ""
                value = ""
            case "v", "t": capture = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(name) {
            case "v", "t": capture = false
            case "c":
                var text = value
                if type == "s", let i = Int(value), shared.indices.contains(i) { text = shared[i] }
                if type == "b" { text = value == "1" ? "TRUE" : "FALSE" }
                if !text.isEmpty { rows[row, default: [:]][column] = text }
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if capture { value += string } }

        /// "AB12" → 27 (0-based column).
        static func column(_ reference: String) -> Int {
            var n = 0
            for scalar in reference.unicodeScalars {
                guard (65...90).contains(scalar.value) else { break }
                n = n * 26 + Int(scalar.value) - 64
            }
            return max(0, n - 1)
        }
    }
}

private func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }
