import Foundation
import ProngsaiCore

/// Files under Tests/Fixtures and the package root, found from this source file's location.
public enum Fixtures {
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name).path
    }

    public static func framework(_ id: String = "ita-2566") throws -> Framework {
        try BuiltinFrameworks.load(id: id)
    }

    public static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
    }

    /// The reference case of CONTRACT.md: published IIT/EIT parts, OIT with only O13 failed.
    public static func referenceInputs(_ framework: Framework) -> ScoreInputs {
        let items = framework.checklistTools[0].checklist.items.map(\.id)
        return ScoreInputs(
            parts: ["iit": .score(decimal("97.82")), "eit1": .score(decimal("94.96")), "eit2": .score(decimal("81.73"))],
            checklists: ["oit": .items(Dictionary(uniqueKeysWithValues: items.map { ($0, $0 != "O13") }))])
    }
}

/// A temporary folder removed when the test ends.
public func withTemporaryDirectory<R>(_ body: (URL) async throws -> R) async rethrows -> R {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("prongsai-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}
