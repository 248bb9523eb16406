import Foundation

/// RFC 4180 CSV, as Excel and LibreOffice write and read it (UTF-8, optional byte order mark).
public enum CSV {
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "CSV line \(line): \(reason)" }
    }

    /// Rows of fields. Quoted fields may hold commas, quotes ("") and line breaks. Blank lines are dropped.
    public static func parse(_ text: String) throws(SyntaxError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var afterQuote = false
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        func endRow() {
            row.append(field)
            field = ""
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; afterQuote = true; pending = n }
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                row.append(field)
                field = ""
                afterQuote = false
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                endRow()
                line += 1
                afterQuote = false
            case "\n":
                endRow()
                line += 1
                afterQuote = false
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            default:
                if afterQuote { throw SyntaxError(line: line, reason: "text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw SyntaxError(line: line, reason: "a quoted field is not closed") }
        if !field.isEmpty || !row.isEmpty { endRow() }
        return rows
    }

    /// CSV text with CRLF line ends and a byte order mark, so Excel shows Thai correctly.
    public static func write(_ rows: [[String]], byteOrderMark: Bool = true) -> String {
        var out = byteOrderMark ? "\u{FEFF}" : ""
        for row in rows {
            out += row.map(quote).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func quote(_ field: String) -> String {
        // A leading = + - @ would make a spreadsheet run the cell as a formula.
        var value = field
        if let first = value.first, "=+-@".contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
