import Foundation
import Logging
import ProngsaiStore
import SQLKit

/// The databases every repository test runs against. PostgreSQL comes from PRONGSAI_TEST_POSTGRES_URL,
/// which `scripts/test.sh` sets after starting a throwaway server.
public enum TestEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PRONGSAI_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// SQLite always; PostgreSQL when a server is configured (the test script always configures one).
    public static var available: [TestEngine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }
}

public let testLogger: Logger = {
    var logger = Logger(label: "prongsai-test")
    logger.logLevel = ProcessInfo.processInfo.environment["PRONGSAI_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return logger
}()

/// Opens a fresh, migrated database (a new SQLite file, or a new PostgreSQL schema), runs `body`, and removes it.
public func withTestDatabase<R: Sendable>(_ engine: TestEngine, migrate: Bool = true, _ body: (Database) async throws -> R) async throws -> R {
    switch engine {
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prongsai-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database.open(.sqlite(path: directory.appendingPathComponent("test.sqlite").path), logger: testLogger)
        return try await run(database, migrate: migrate, body)
    case .postgres:
        guard let url = TestEngine.postgresURL else { throw DatabaseConfigurationError(message: "PRONGSAI_TEST_POSTGRES_URL is not set") }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try Database.open(.postgres(url: url), logger: testLogger)
        try await admin.sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
        let database = try Database.open(.postgres(url: url, searchPath: schema), logger: testLogger)
        do {
            let result = try await run(database, migrate: migrate, body)
            try await admin.sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
            try await admin.shutdown()
            return result
        } catch {
            try? await admin.sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
            try? await admin.shutdown()
            throw error
        }
    }
}

private func run<R: Sendable>(_ database: Database, migrate: Bool, _ body: (Database) async throws -> R) async throws -> R {
    do {
        try await database.prepareEngine()
        if migrate { try await Migrator(database: database).migrate(logger: testLogger) }
        let result = try await body(database)
        try await database.shutdown()
        return result
    } catch {
        try? await database.shutdown()
        throw error
    }
}
