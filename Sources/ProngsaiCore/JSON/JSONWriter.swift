import Foundation

extension JSONValue {
    /// Serialises the value. Non-ASCII text is written as is (Thai stays readable); numbers are
    /// written as their exact decimal value.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(to out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.jsonLiteral
        case .string(let s): out += s.jsonQuoted
        case .array(let elements):
            if elements.isEmpty {
                out += "[]"
                return
            }
            // Short arrays of scalars stay on one line, as people write scale points.
            let scalars = elements.allSatisfy { if case .array = $0 { false } else if case .object = $0 { false } else { true } }
            if let indent, !(scalars && elements.count <= 8) {
                out += "[\n"
                for (i, element) in elements.enumerated() {
                    out += String(repeating: "  ", count: indent + 1)
                    element.write(to: &out, indent: indent + 1)
                    out += i < elements.count - 1 ? ",\n" : "\n"
                }
                out += String(repeating: "  ", count: indent) + "]"
            } else {
                out += "["
                for (i, element) in elements.enumerated() {
                    element.write(to: &out, indent: indent)
                    if i < elements.count - 1 { out += indent == nil ? "," : ", " }
                }
                out += "]"
            }
        case .object(let object):
            if object.members.isEmpty {
                out += "{}"
                return
            }
            if let indent {
                out += "{\n"
                for (i, member) in object.members.enumerated() {
                    out += String(repeating: "  ", count: indent + 1) + member.key.jsonQuoted + ": "
                    member.value.write(to: &out, indent: indent + 1)
                    out += i < object.members.count - 1 ? ",\n" : "\n"
                }
                out += String(repeating: "  ", count: indent) + "}"
            } else {
                out += "{"
                for (i, member) in object.members.enumerated() {
                    out += member.key.jsonQuoted + ":"
                    member.value.write(to: &out, indent: nil)
                    if i < object.members.count - 1 { out += "," }
                }
                out += "}"
            }
        }
    }
}

extension Decimal {
    /// The plain decimal notation of the value ("33.33", "100", "-0.5"), valid as a JSON number.
    public var jsonLiteral: String {
        var text = self.description
        if text.contains("e") || text.contains("E") {
            // Foundation does not print exponents for Decimal today; keep a safe fallback.
            text = String(format: "%f", NSDecimalNumber(decimal: self).doubleValue)
        }
        return text
    }
}

extension String {
    var jsonQuoted: String {
        var out = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20:
                out += "\\u00" + NumberText.hex([UInt8(s.value)])
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
