import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body: names may repeat (checkbox groups).
struct FormData: Sendable {
    var pairs: [(name: String, value: String)] = []

    init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    init(encoded text: String) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(String(pieces[0]))
            let value = pieces.count > 1 ? Self.decode(String(pieces[1])) : ""
            pairs.append((name: name, value: value))
        }
    }

    /// "+" is a space and "%XX" a byte; the bytes must be UTF-8. A malformed escape or invalid UTF-8 leaves
    /// the text as it came. Works on the bytes (Foundation's percent decoding dominated the survey path).
    static func decode(_ s: String) -> String {
        let bytes = Array(s.utf8)
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return s }
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else { return s }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(validating: out, as: UTF8.self) ?? s
    }

    subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// Reads the request's form body (already size-limited by the context).
    static func read(_ request: inout Request, context: AppRequestContext, limit: Int? = nil) async throws -> FormData {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw AppError(.unsupportedMediaType, th: "รูปแบบข้อมูลที่ส่งไม่ถูกต้อง", en: "Expected a form (application/x-www-form-urlencoded)")
        }
        let buffer = try await request.collectBody(upTo: limit ?? context.maxUploadSize)
        guard let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw AppError.badInput(th: "ข้อมูลที่ส่งไม่ถูกต้อง", en: "The form is not valid UTF-8")
        }
        return FormData(encoded: text)
    }
}
