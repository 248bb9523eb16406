import Foundation

/// A link people can follow to evidence: http or https with a host.
public enum WebLink {
    /// The URL when `text` is such a link, else nil.
    public static func url(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        return url
    }

    /// The request target (path and query) of a link exactly as typed: existing percent-escapes are kept
    /// ("%2F" stays "%2F") and only characters that may not appear in a request line (Thai, spaces …)
    /// are percent-encoded as UTF-8. The fragment is never sent.
    public static func requestTarget(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return "/" }
        let rest = text[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        var target = String(rest[slash...].prefix { $0 != "#" })
        if target.hasPrefix("?") { target = "/" + target }
        var out = ""
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?%".unicodeScalars)
        for scalar in target.unicodeScalars {
            if allowed.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { out += "%" + String(format: "%02X", byte) }
            }
        }
        return out
    }

    /// A link as people type it: "banpong.go.th/ita" becomes "https://banpong.go.th/ita"; a link with
    /// http:// or https:// stays; anything else (spaces, another scheme, no dot in the host) is nil.
    public static func normalized(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if url(trimmed) != nil { return trimmed }
        guard !trimmed.contains("://"), !trimmed.contains(" "), !trimmed.hasPrefix("/"),
            let host = trimmed.split(separator: "/").first, host.contains("."), !host.hasPrefix("."), !host.hasSuffix(".")
        else { return nil }
        let candidate = "https://" + trimmed
        return url(candidate) != nil ? candidate : nil
    }
}

/// Who looks after an OIT item of an assessment, and by when.
public struct ItemAssignment: Sendable, Hashable {
    public var itemID: String
    public var divisionID: String?
    public var assigneeID: String?
    public var dueOn: CivilDate?

    public init(itemID: String, divisionID: String?, assigneeID: String?, dueOn: CivilDate?) {
        self.itemID = itemID
        self.divisionID = divisionID
        self.assigneeID = assigneeID
        self.dueOn = dueOn
    }
}

/// A file kept as evidence: its content is stored once, by SHA-256.
public struct EvidenceFile: Sendable, Hashable {
    public var sha256: String
    /// The uploaded name, made safe (no folders, no control characters).
    public var name: String
    public var contentType: String
    public var size: Int

    public init(sha256: String, name: String, contentType: String, size: Int) {
        self.sha256 = sha256
        self.name = name
        self.contentType = contentType
        self.size = size
    }
}

/// One version of an item's evidence. Every change is a new revision; none is ever deleted.
public struct EvidenceRevision: Sendable, Hashable {
    public var itemID: String
    public var revision: Int
    /// ISO-8601 UTC.
    public var createdAt: String
    public var createdBy: String
    public var explanation: String
    /// Indexes of the framework's required components the agency ticked as present.
    public var components: [Int]
    public var links: [String]
    public var files: [EvidenceFile]

    public init(itemID: String, revision: Int, createdAt: String, createdBy: String, explanation: String, components: [Int], links: [String], files: [EvidenceFile]) {
        self.itemID = itemID
        self.revision = revision
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.explanation = explanation
        self.components = components
        self.links = links
        self.files = files
    }
}

extension EvidenceRevision {
    /// The newest revision of each item.
    public static func latestByItem(_ revisions: [EvidenceRevision]) -> [String: EvidenceRevision] {
        Dictionary(revisions.map { ($0.itemID, $0) }, uniquingKeysWith: { a, b in a.revision > b.revision ? a : b })
    }
}

/// What an uploaded file really is, judged from its first bytes, never from its name.
public enum FileKind: String, Sendable, CaseIterable {
    case pdf, docx, xlsx, png, jpeg, gif, webp

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        }
    }

    /// nil when the content is none of the accepted kinds.
    public static func sniff(_ bytes: [UInt8]) -> FileKind? {
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && bytes.count >= 12 && Array(bytes[8..<12]) == Array("WEBP".utf8) { return .webp }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // Office Open XML is a ZIP whose part names say which application it belongs to.
            let head = String(decoding: bytes.prefix(min(bytes.count, 65_536)), as: UTF8.self)
            guard head.contains("[Content_Types].xml") else { return nil }
            if head.contains("word/") { return .docx }
            if head.contains("xl/") { return .xlsx }
        }
        return nil
    }

    /// A file name safe to show and to offer for download: the last path part, printable characters only.
    public static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\u{7F}" && $0 != "\"" }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        let trimmed = cleaned.drop { $0 == "." }
        return trimmed.isEmpty ? "file" : String(trimmed.prefix(120))
    }
}

/// A copy of what an evidence link returned at one moment.
public struct EvidenceSnapshot: Sendable, Hashable {
    public var itemID: String
    public var url: String
    /// ISO-8601 UTC.
    public var fetchedAt: String
    public var status: Int?
    public var contentType: String
    public var sha256: String?
    public var size: Int
    public var error: String?
    /// The content differs from the fetch before.
    public var changed: Bool

    public init(itemID: String, url: String, fetchedAt: String, status: Int?, contentType: String, sha256: String?, size: Int, error: String?, changed: Bool) {
        self.itemID = itemID
        self.url = url
        self.fetchedAt = fetchedAt
        self.status = status
        self.contentType = contentType
        self.sha256 = sha256
        self.size = size
        self.error = error
        self.changed = changed
    }

    /// The link did not answer with a page.
    public var dead: Bool { status.map { $0 >= 400 } ?? true }
}

/// How far an item's latest evidence covers it: evidence is a link or a file, and each component counts
/// once its box is ticked on a revision with evidence. Readiness, the workflow's confirmations and the
/// pages all read this.
public struct EvidenceCoverage: Sendable, Hashable {
    public var hasEvidence: Bool
    /// Indices of the item's components not covered, in order.
    public var missingComponents: [Int]

    public var complete: Bool { hasEvidence && missingComponents.isEmpty }

    public static func of(_ item: OITItem, latest revision: EvidenceRevision?) -> EvidenceCoverage {
        let hasEvidence = revision.map { !$0.links.isEmpty || !$0.files.isEmpty } ?? false
        let ticked = hasEvidence ? Set(revision?.components ?? []) : []
        return EvidenceCoverage(hasEvidence: hasEvidence, missingComponents: item.components.indices.filter { !ticked.contains($0) })
    }
}

/// How stored bytes are served: the type is sniffed from the content (never the type first stored for the
/// hash, which a fetched web page could have set), and only PDFs and images open in the browser; anything
/// else, and every snapshot of a web page, downloads as an attachment.
public struct ServedFile: Sendable, Hashable {
    public var contentType: String
    public var inline: Bool

    public init(contentType: String, inline: Bool) {
        self.contentType = contentType
        self.inline = inline
    }

    public static func of(_ bytes: [UInt8], snapshot: Bool = false) -> ServedFile {
        guard let kind = FileKind.sniff(bytes) else { return ServedFile(contentType: "application/octet-stream", inline: false) }
        let opens: Set<FileKind> = [.pdf, .png, .jpeg, .gif, .webp]
        return ServedFile(contentType: kind.contentType, inline: !snapshot && opens.contains(kind))
    }

    /// The Content-Disposition header for a file named `name`.
    public func disposition(name: String) -> String {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return (inline ? "inline" : "attachment") + "; filename*=UTF-8''" + encoded
    }
}

/// What the public transparency page shows of an item: the revision the ITA officer approved last (not
/// whatever a division saved since), without the files an officer withdrew.
public enum PublicEvidence {
    public struct Withdrawn: Sendable, Hashable {
        public var itemID: String
        public var sha256: String
        public init(itemID: String, sha256: String) {
            self.itemID = itemID
            self.sha256 = sha256
        }
    }

    /// - Parameters:
    ///   - published: per item, the revision number approved last.
    public static func select(revisions: [EvidenceRevision], published: [String: Int], withdrawn: Set<Withdrawn>) -> [String: EvidenceRevision] {
        var out: [String: EvidenceRevision] = [:]
        for revision in revisions where published[revision.itemID] == revision.revision {
            var shown = revision
            shown.files = revision.files.filter { !withdrawn.contains(Withdrawn(itemID: revision.itemID, sha256: $0.sha256)) }
            out[revision.itemID] = shown
        }
        return out
    }
}
