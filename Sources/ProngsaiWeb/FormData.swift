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

    static func decode(_ s: String) -> String {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? s
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
