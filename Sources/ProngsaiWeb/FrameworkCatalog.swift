import ProngsaiCore

/// The frameworks the app knows, loaded once at start-up.
public struct FrameworkCatalog: Sendable {
    public let frameworks: [String: Framework]

    public init(_ frameworks: [Framework]) {
        self.frameworks = Dictionary(frameworks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public static func builtin() throws -> FrameworkCatalog { FrameworkCatalog(try BuiltinFrameworks.all()) }

    func framework(_ id: String) throws -> Framework {
        guard let framework = frameworks[id] else {
            throw AppError(.internalServerError, th: "ไม่พบกรอบการประเมิน \(id)", en: "Framework \(id) is not installed")
        }
        return framework
    }
}
