import Foundation

/// Where a published result was read: the assessing body's announcement, or the file it came in.
public enum PublishedSource: Sendable, Hashable {
    case url(String)
    case file(name: String, sha256: String)

    /// In words, for pages, documents and the audit log.
    public func text(_ language: Language) -> String {
        switch self {
        case .url(let url): url
        case .file(let name, let sha256): language == .th ? "ไฟล์ \(name) (SHA-256 \(sha256.prefix(12))…)" : "file \(name) (SHA-256 \(sha256.prefix(12))…)"
        }
    }
}

/// An OIT item's result as the assessing body published it, recorded by the agency with its source.
///
/// An item's result is one of two kinds: the assessor's judgement, made only through `ItemWorkflow`, or
/// this. A published result outranks a judgement when the item is scored.
public struct PublishedItemResult: Sendable, Hashable {
    public var itemID: String
    public var passed: Bool
    public var reason: String
    public var source: PublishedSource

    public init(itemID: String, passed: Bool, reason: String = "", source: PublishedSource) {
        self.itemID = itemID
        self.passed = passed
        self.reason = reason
        self.source = source
    }

    /// Why a result cannot be recorded as published, or nil when it can: it needs a source, an
    /// http(s) address or a file with its SHA-256.
    public static func problem(source: PublishedSource?) -> LocalizedText? {
        switch source {
        case nil:
            return .init(th: "กรุณาระบุที่มาของผลที่ประกาศ (ลิงก์ประกาศ หรือไฟล์)", en: "Give the published result's source (the announcement's link or the file)")
        case .url(let text)?:
            return WebLink.url(text) == nil
                ? .init(th: "ลิงก์ที่มาต้องขึ้นต้นด้วย http:// หรือ https://", en: "The source link must start with http:// or https://") : nil
        case .file(let name, let sha256)?:
            let hex = sha256.range(of: "^[0-9a-f]{64}$", options: .regularExpression) != nil
            return name.isEmpty || !hex ? .init(th: "ไฟล์ที่มาต้องมีชื่อและ SHA-256", en: "A source file needs its name and SHA-256") : nil
        }
    }
}

/// What an OIT item scores as: the published result where there is one, else the assessor's judgement.
public enum ItemResults {
    public static func effective(judged: [OITItemResult], published: [PublishedItemResult]) -> [OITItemResult] {
        let byItem = Dictionary(published.map { ($0.itemID, $0) }, uniquingKeysWith: { a, _ in a })
        var out = judged.map { item -> OITItemResult in
            var item = item
            if let result = byItem[item.itemID] { item.passed = result.passed }
            return item
        }
        let known = Set(judged.map(\.itemID))
        for result in published where !known.contains(result.itemID) {
            out.append(OITItemResult(itemID: result.itemID, passed: result.passed))
        }
        return out
    }
}
