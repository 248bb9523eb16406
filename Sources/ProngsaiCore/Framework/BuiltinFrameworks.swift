import Foundation

/// The framework files shipped with Prongsai (`Frameworks/*.json`), one per fiscal year.
public enum BuiltinFrameworks {
    /// Ids of the shipped frameworks, newest fiscal year first.
    public static func all() throws(FrameworkError) -> [Framework] {
        var frameworks: [Framework] = []
        for url in files() {
            frameworks.append(try FrameworkLoader.load(path: url.path))
        }
        return frameworks.sorted { ($0.fiscalYear, $0.id) > ($1.fiscalYear, $1.id) }
    }

    /// The shipped framework with this id.
    public static func load(id: String) throws(FrameworkError) -> Framework {
        guard let url = files().first(where: { $0.deletingPathExtension().lastPathComponent == id }) else {
            let known = files().map { $0.deletingPathExtension().lastPathComponent }.sorted().joined(separator: ", ")
            throw FrameworkError(source: id, problems: [FrameworkProblem(path: "$", message: "no built-in framework with id \"\(id)\" (built-in: \(known))")])
        }
        return try FrameworkLoader.load(path: url.path)
    }

    static func files() -> [URL] {
        guard let folder = Bundle.module.url(forResource: "Frameworks", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
    }
}
