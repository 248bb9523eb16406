import ArgumentParser
import Foundation
import Logging
import ProngsaiStore

/// `--database`, then PRONGSAI_DATABASE_URL, then ./prongsai.sqlite.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "sqlite:PATH or postgres://user:pass@host:port/db (default: $PRONGSAI_DATABASE_URL, else sqlite:./prongsai.sqlite).")
    var database: String?

    func location(default fallback: String = "sqlite:./prongsai.sqlite") throws -> DatabaseLocation {
        let text = database ?? ProcessInfo.processInfo.environment["PRONGSAI_DATABASE_URL"] ?? fallback
        do { return try DatabaseLocation(parsing: text) } catch { throw ValidationError(error.message) }
    }
}

/// Opens the database, or fails as invalid input naming it (never its password).
func openDatabase(_ location: DatabaseLocation) throws -> Database {
    do { return try Database.open(location, logger: makeLogger()) } catch { throw InputError(message: "\(location): \(error)") }
}

func makeLogger(_ label: String = "prongsai") -> Logger {
    var logger = Logger(label: label)
    let level = ProcessInfo.processInfo.environment["PRONGSAI_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    logger.logLevel = level
    return logger
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply the numbered database migrations that are not yet applied.")
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let location = try options.location()
        let logger = makeLogger()
        let database = try openDatabase(location)
        do {
            try await database.prepareEngine()
            let report = try await Migrator(database: database).migrate(logger: logger)
            try await database.shutdown()
            var out = Output()
            if report.applied.isEmpty {
                out.line("\(location): up to date (schema version \(report.current))")
            } else {
                for line in report.applied { out.line("applied \(line)") }
                out.line("\(location): schema version \(report.current)")
            }
            out.flush()
        } catch {
            try? await database.shutdown()
            throw InputError(message: "\(location): migration failed: \(String(describing: error))")
        }
    }
}
