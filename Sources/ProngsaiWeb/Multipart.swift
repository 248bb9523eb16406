import Foundation
import ProngsaiCore
import Hummingbird

/// A `multipart/form-data` body: file uploads with their form fields.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var data: [UInt8]

        var text: String { String(decoding: data, as: UTF8.self) }
    }

    var parts: [Part]
    /// The body's size in bytes.
    var size = 0

    subscript(name: String) -> Part? { parts.first { $0.name == name } }

    /// Reads the request body; the size limit is the context's.
    static func read(_ request: inout Request, context: AppRequestContext, limit: Int? = nil) async throws -> MultipartForm {
        // Parsed once: the CSRF check already read this body and kept the form in the context.
        if let parsed = context.multipart {
            // Each route keeps its own size limit (a CSV import is smaller than an evidence upload).
            guard parsed.size <= limit ?? context.maxUploadSize else {
                throw AppError(.contentTooLarge, th: "ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด", en: "The request is too large")
            }
            return parsed
        }
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundaryRange = contentType.range(of: "boundary=")
        else {
            throw AppError(.unsupportedMediaType, th: "รูปแบบข้อมูลที่ส่งไม่ถูกต้อง", en: "Expected multipart/form-data")
        }
        var boundary = String(contentType[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        // Read as it arrives into one buffer, refusing as soon as the limit is passed (a chunked body has no
        // length to check beforehand).
        let limit = limit ?? context.maxUploadSize
        var bytes: [UInt8] = []
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length <= limit { bytes.reserveCapacity(length) }
        for try await chunk in request.body {
            guard bytes.count + chunk.readableBytes <= limit else {
                throw AppError(.contentTooLarge, th: "ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด", en: "The request is too large")
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        guard var form = parse(bytes, boundary: boundary) else {
            throw AppError.badInput(th: "ข้อมูลที่อัปโหลดไม่สมบูรณ์", en: "The upload is malformed")
        }
        form.size = bytes.count
        return form
    }

    /// Every place `pattern` starts in `body`, without overlaps, in one pass (Knuth–Morris–Pratt), so a body
    /// made to look almost like the boundary everywhere costs no more than any other.
    static func occurrences(of pattern: [UInt8], in body: [UInt8]) -> [Int] {
        guard !pattern.isEmpty, body.count >= pattern.count else { return [] }
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for i in 1..<max(1, pattern.count) where pattern.count > 1 {
            while k > 0 && pattern[i] != pattern[k] { k = failure[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            failure[i] = k
        }
        var found: [Int] = []
        k = 0
        for (i, byte) in body.enumerated() {
            while k > 0 && byte != pattern[k] { k = failure[k - 1] }
            if byte == pattern[k] { k += 1 }
            if k == pattern.count {
                found.append(i - k + 1)
                k = 0
            }
        }
        return found
    }

    static func parse(_ body: [UInt8], boundary: String) -> MultipartForm? {
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        let positions = occurrences(of: delimiter, in: body)
        guard positions.count >= 2 else { return nil }
        var parts: [Part] = []
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            // Skip the CRLF after the delimiter.
            if partStart + 1 < body.count, body[partStart] == 13, body[partStart + 1] == 10 { partStart += 2 }
            var partEnd = end
            if partEnd - 2 >= partStart, body[partEnd - 2] == 13, body[partEnd - 1] == 10 { partEnd -= 2 }
            let chunk = Array(body[partStart..<partEnd])
            guard let split = findHeaderEnd(chunk) else { return nil }
            let headerText = String(decoding: chunk[..<split], as: UTF8.self)
            let data = Array(chunk[(split + 4)...])
            var name: String?
            var filename: String?
            var type: String?
            for line in headerText.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = attribute("name", in: line)
                    filename = attribute("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    type = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name else { return nil }
            parts.append(Part(name: name, filename: filename, contentType: type, data: data))
        }
        return MultipartForm(parts: parts)
    }

    static func findHeaderEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// `name="x"` in a Content-Disposition line; `filename=` is not mistaken for `name=`.
    static func attribute(_ key: String, in line: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: "(?:^|[;\\s])\(key)=(?:\"([^\"]*)\"|([^;\\s]*))") ,
            let match = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line))
        else { return nil }
        for group in 1...2 {
            if let range = Range(match.range(at: group), in: line) { return String(line[range]) }
        }
        return nil
    }
}

extension MultipartForm {
    /// The uploaded `file` parts that are evidence: not empty, within the size limit, and by their
    /// content a PDF, DOCX, XLSX or image. Each refused file gets its own message.
    func evidenceFiles(maxBytes: Int, language: Language) -> (files: [(name: String, kind: FileKind, bytes: [UInt8])], errors: [String]) {
        let th = language == .th
        var files: [(name: String, kind: FileKind, bytes: [UInt8])] = []
        var errors: [String] = []
        for part in parts where part.name == "file" {
            guard let filename = part.filename, !filename.isEmpty else { continue }
            let name = FileKind.safeName(filename)
            if part.data.isEmpty {
                errors.append(th ? "ไฟล์ \(name) ว่างเปล่า" : "The file \(name) is empty")
            } else if part.data.count > maxBytes {
                errors.append(th ? "ไฟล์ \(name) ใหญ่เกิน \(maxBytes / 1_048_576) MB" : "The file \(name) is larger than \(maxBytes / 1_048_576) MB")
            } else if let kind = FileKind.sniff(part.data) {
                files.append((name, kind, part.data))
            } else {
                errors.append(th ? "ไฟล์ \(name) ไม่ใช่ PDF, DOCX, XLSX หรือรูปภาพ (ตรวจจากเนื้อไฟล์ ไม่ใช่จากชื่อ)" : "The file \(name) is not a PDF, DOCX, XLSX or image (judged by its content, not its name)")
            }
        }
        return (files, errors)
    }
}
