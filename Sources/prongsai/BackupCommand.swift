import ArgumentParser
import Foundation
import ProngsaiStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Make a consistent copy of the database and its evidence files while the app runs.",
        discussion: "SQLite: one ZIP holding the database (VACUUM INTO) and the evidence files. PostgreSQL: pg_dump's custom format. Restore with `prongsai restore`.")

    @OptionGroup var options: DatabaseOptions
    @Option(help: "The backup file to write.") var to: String
    @Option(help: "The evidence files folder (default: prongsai-files beside an SQLite database).") var files: String?

    func run() async throws {
        let location = try options.location()
        let database = try openDatabase(location)
        do {
            let summary = try await Backup.make(database, filesFolder: files ?? defaultFilesFolder(location), to: to) { line in
                FileHandle.standardError.write(Data("backup: \(line)\n".utf8))
            }
            try await database.shutdown()
            var out = Output()
            out.line("Backed up \(location) to \(to) (\(summary.engine), \(summary.files) evidence files, \(summary.bytes) bytes).")
            out.flush()
        } catch {
            try? await database.shutdown()
            throw InputError(message: "\(location): backup failed: \(error)")
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup back into a database; refuses one that holds data unless --force.",
        discussion: "Stop the app first when replacing an SQLite database.")

    @OptionGroup var options: DatabaseOptions
    @Option(help: "The backup file made by `prongsai backup`.") var from: String
    @Option(help: "The evidence files folder (default: prongsai-files beside an SQLite database).") var files: String?
    @Flag(help: "Replace a database that holds agencies or users.") var force = false

    func run() async throws {
        let location = try options.location()
        do {
            let summary = try await Backup.restore(from: from, into: location, filesFolder: files ?? defaultFilesFolder(location), force: force, logger: makeLogger()) { line in
                FileHandle.standardError.write(Data("restore: \(line)\n".utf8))
            }
            var out = Output()
            out.line("Restored \(from) into \(location) (\(summary.engine), \(summary.files) evidence files). Run `prongsai migrate` if the backup is from an older release.")
            out.flush()
        } catch let failure as Backup.Failure {
            throw InputError(message: failure.description)
        } catch {
            throw InputError(message: "\(location): restore failed: \(error)")
        }
    }
}

/// Evidence files sit beside an SQLite database (as `serve` keeps them); PostgreSQL keeps them inside.
func defaultFilesFolder(_ location: DatabaseLocation) -> String? {
    guard case .sqlite(let path) = location else { return nil }
    return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("prongsai-files").path
}
