import Foundation
import Logging
import ProngsaiCore
import SQLKit
import ZIPFoundation

/// Consistent copies of a running install, and putting one back.
///
/// - SQLite: `VACUUM INTO` makes a transactionally consistent copy while the app keeps writing; the
///   evidence files on disk are copied after it (files are written before the rows that name them, and
///   never changed, so every file the copy names is there). Both go into one ZIP with a manifest.
/// - PostgreSQL: `pg_dump` in its custom format (evidence files live in the database).
public enum Backup {
    public struct Summary: Sendable {
        public var engine: String
        public var files: Int
        public var bytes: Int
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    static let databaseEntry = "prongsai.sqlite"
    static let manifestEntry = "manifest.json"
    static let filesPrefix = "files/"

    /// Writes a backup of the open database (and, on SQLite, of `filesFolder`) to `path`.
    public static func make(_ database: Database, filesFolder: String?, to path: String, progress: (String) -> Void = { _ in }) async throws -> Summary {
        let target = URL(fileURLWithPath: path)
        let partial = target.deletingLastPathComponent().appendingPathComponent("." + target.lastPathComponent + ".partial-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: partial) }
        switch database.location {
        case .sqlite:
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("prongsai-backup-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let copy = work.appendingPathComponent(databaseEntry)
            progress("copying the database (VACUUM INTO)")
            try await database.sql.raw("VACUUM INTO \(bind: copy.path)").run()
            let archive = try Archive(url: partial, accessMode: .create)
            try archive.addEntry(with: databaseEntry, fileURL: copy, compressionMethod: .deflate)
            var files = 0
            if let filesFolder, FileManager.default.fileExists(atPath: filesFolder) {
                let root = URL(fileURLWithPath: filesFolder)
                let names = (FileManager.default.enumerator(atPath: filesFolder)?.compactMap { $0 as? String } ?? [])
                    .filter { !$0.contains(".tmp-") && $0.split(separator: "/").count == 2 }.sorted()
                for (index, name) in names.enumerated() {
                    var isDirectory: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                    try archive.addEntry(with: filesPrefix + name, fileURL: root.appendingPathComponent(name), compressionMethod: .none)
                    files += 1
                    if index % 100 == 99 { progress("evidence files: \(index + 1) of \(names.count)") }
                }
            }
            let manifest = JSONValue.object(JSONObject([
                ("format", "prongsai-backup-1"), ("engine", "sqlite"), ("createdAt", .string(StoredTime.now())), ("files", .number(Decimal(files))),
            ])).serialized() + "\n"
            let manifestData = Data(manifest.utf8)
            try archive.addEntry(with: manifestEntry, type: .file, uncompressedSize: Int64(manifestData.count), provider: { position, size in
                manifestData.subdata(in: Int(position)..<Int(position) + size)
            })
            try finish(partial, target)
            progress("done: \(files) evidence files")
            return Summary(engine: "sqlite", files: files, bytes: (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        case .postgres(let url, let schema):
            var arguments = ["--format=custom", "--no-owner", "--file=\(partial.path)"]
            if let schema { arguments.append("--schema=\(schema)") }
            progress("pg_dump")
            try run(tool: "pg_dump", arguments + ["--dbname=\(url)"])
            try finish(partial, target)
            return Summary(engine: "postgres", files: 0, bytes: (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }

    static func finish(_ partial: URL, _ target: URL) throws {
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: partial, to: target)
    }

    /// Puts a backup back into `location`. Refuses a target that holds data unless `force`; on SQLite the
    /// app must not be running against the target while it is replaced.
    public static func restore(from path: String, into location: DatabaseLocation, filesFolder: String?, force: Bool, logger: Logger,
                               progress: (String) -> Void = { _ in }) async throws -> Summary {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure("\(path): cannot read the backup") }
        let head = handle.readData(ofLength: 5)
        try? handle.close()
        let isZIP = head.starts(with: [0x50, 0x4B, 0x03, 0x04])
        let isDump = head.starts(with: Array("PGDMP".utf8))
        guard isZIP || isDump else { throw Failure("\(path): not a Prongsai backup (neither an SQLite bundle nor a pg_dump file)") }
        try await refuseIfHoldsData(location, force: force, logger: logger)
        switch location {
        case .sqlite(let target):
            guard isZIP else { throw Failure("\(path) is a PostgreSQL dump; restore it into a postgres:// database") }
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
            guard let entry = archive[databaseEntry] else { throw Failure("\(path): the bundle holds no database") }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
            let directory = URL(fileURLWithPath: target).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            progress("restoring the database")
            _ = try archive.extract(entry, to: URL(fileURLWithPath: target), skipCRC32: false)
            var files = 0
            if let filesFolder {
                for entry in archive where entry.path.hasPrefix(filesPrefix) {
                    let name = String(entry.path.dropFirst(filesPrefix.count))
                    guard name.split(separator: "/").count == 2, !name.contains("..") else { continue }
                    let destination = URL(fileURLWithPath: filesFolder).appendingPathComponent(name)
                    try? FileManager.default.removeItem(at: destination)
                    try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                    _ = try archive.extract(entry, to: destination, skipCRC32: false)
                    files += 1
                }
            }
            progress("done: \(files) evidence files")
            return Summary(engine: "sqlite", files: files, bytes: 0)
        case .postgres(let url, _):
            guard isDump else { throw Failure("\(path) is an SQLite bundle; restore it into a sqlite: database") }
            progress("pg_restore")
            try run(tool: "pg_restore", ["--no-owner", "--clean", "--if-exists", "--exit-on-error", "--dbname=\(url)", path])
            return Summary(engine: "postgres", files: 0, bytes: 0)
        }
    }

    /// A target with agencies or users is refused unless forced.
    static func refuseIfHoldsData(_ location: DatabaseLocation, force: Bool, logger: Logger) async throws {
        if force { return }
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { return }
        let database = try Database.open(location, logger: logger)
        let holds: Bool
        do {
            holds = try await hasTable("agencies", database) ? try await SettingsRepository(database: database).holdsData() : false
        } catch {
            try? await database.shutdown()
            throw error
        }
        try await database.shutdown()
        if holds { throw Failure("\(location) holds agencies or users; restore into an empty database, or add --force to replace it") }
    }

    static func hasTable(_ name: String, _ database: Database) async throws -> Bool {
        switch database.engine {
        case .sqlite:
            return try await database.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)").first() != nil
        case .postgres:
            return try await database.sql.raw("SELECT to_regclass(\(bind: name)) IS NOT NULL AS present").first()?.decode(column: "present", as: Bool.self) ?? false
        }
    }

    /// `pg_dump` / `pg_restore` from PATH, else from the newest PostgreSQL install under /usr/lib/postgresql.
    static func run(tool: String, _ arguments: [String]) throws {
        var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/\(tool)" }
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            candidates = versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin/\(tool)" } + candidates
        }
        guard let executable = candidates.first(where: FileManager.default.isExecutableFile) else {
            throw Failure("\(tool) is not installed (apt install postgresql-client)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            // Never echo the URL (it may hold a password): only the tool's own message.
            throw Failure("\(tool) failed: " + String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
