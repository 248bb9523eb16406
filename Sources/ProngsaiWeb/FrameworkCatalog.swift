import Foundation
import Logging
import ProngsaiCore
import ProngsaiStore
import Synchronization

/// The frameworks the app knows: the built-in ones, and those an administrator imported into the
/// database. A stored framework never changes (a new version has a new id), so once loaded it is cached
/// for good, and every app node sees an import the first time it needs it.
public final class FrameworkCatalog: Sendable {
    let builtins: [String: Framework]
    let store: FrameworkRepository?
    let cache = Mutex<[String: Framework]>([:])
    /// Figures computed under these frameworks (an id names one framework for the catalog's life).
    let figures = FiguresCache()

    /// `store`: the database's imported frameworks; nil knows only `frameworks`.
    public init(_ frameworks: [Framework], store: FrameworkRepository? = nil) {
        builtins = Dictionary(frameworks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.store = store
    }

    public static func builtin(store: FrameworkRepository? = nil) throws -> FrameworkCatalog {
        FrameworkCatalog(try BuiltinFrameworks.all(), store: store)
    }

    /// The framework with this id, built in or imported; nil when there is none.
    public func find(_ id: String) async throws -> Framework? {
        if let framework = builtins[id] ?? cache.withLock({ $0[id] }) { return framework }
        guard let store, let stored = try await store.find(id: id, logger: Logger(label: "prongsai.frameworks")) else { return nil }
        let framework = try FrameworkLoader.load(data: Data(stored.document.utf8), source: "framework \(id)")
        cache.withLock { $0[id] = framework }
        return framework
    }

    func framework(_ id: String) async throws -> Framework {
        guard let framework = try await find(id) else {
            throw AppError(.internalServerError, th: "ไม่พบกรอบการประเมิน \(id)", en: "Framework \(id) is not installed")
        }
        return framework
    }

    /// One framework an agency can choose, for lists.
    public struct Entry: Sendable {
        public var id: String
        public var fiscalYear: Int
        public var title: LocalizedText
        public var builtIn: Bool
        public var importedAt: Date?
    }

    /// Every framework, built in and imported, by fiscal year (newest first).
    public func entries(logger: Logger) async throws -> [Entry] {
        var out = builtins.values.map { Entry(id: $0.id, fiscalYear: $0.fiscalYear, title: $0.title, builtIn: true, importedAt: nil) }
        for stored in try await store?.all(logger: logger) ?? [] where builtins[stored.id] == nil {
            let title = try await find(stored.id)?.title ?? LocalizedText(th: stored.title, en: stored.title)
            out.append(Entry(id: stored.id, fiscalYear: stored.fiscalYear, title: title, builtIn: false, importedAt: stored.importedAt))
        }
        return out.sorted { ($0.fiscalYear, $0.id) > ($1.fiscalYear, $1.id) }
    }

    /// Whether an id is taken, built in or imported.
    public func contains(_ id: String) async throws -> Bool { try await find(id) != nil }
}
