import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import ProngsaiCore
import SQLKit
import SQLiteKit

/// Where the data lives: an embedded SQLite file, or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String, searchPath: String? = nil)

    /// Reads `sqlite:PATH`, `postgres://…` / `postgresql://…`, or a bare path (SQLite).
    public init(parsing text: String) throws(DatabaseConfigurationError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw DatabaseConfigurationError(message: "sqlite: needs a file path, e.g. sqlite:./prongsai.sqlite") }
            self = .sqlite(path: path)
        } else if text.contains("://") {
            throw DatabaseConfigurationError(message: "unsupported database URL \"\(text)\"; use sqlite:PATH or postgres://user@host/db")
        } else {
            self = .sqlite(path: text)
        }
    }

    public var isSQLite: Bool { if case .sqlite = self { true } else { false } }

    /// Without the password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url, _):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}

public struct DatabaseConfigurationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// An open database: the SQLKit handle every repository uses, whichever engine is behind it.
public final class Database: Sendable {
    public enum Engine: Sendable { case sqlite, postgres }

    public let sql: any SQLDatabase
    public let engine: Engine
    public let location: DatabaseLocation
    private let shutdownPool: @Sendable () async throws -> Void
    /// SQLite: a second connection that only checkpoints the write-ahead log, so copying the log back into
    /// the database file never holds the one connection every request waits for.
    private let maintenance: SQLiteMaintenance?

    private init(sql: any SQLDatabase, engine: Engine, location: DatabaseLocation, maintenance: SQLiteMaintenance? = nil,
                 shutdown: @escaping @Sendable () async throws -> Void) {
        self.sql = sql
        self.engine = engine
        self.location = location
        self.maintenance = maintenance
        self.shutdownPool = shutdown
    }

    /// - Parameter durable: SQLite only: `synchronous = FULL`, so a power cut loses no committed write (each
    ///   commit waits for the disk); the default NORMAL can lose the last commits to a power cut, never to a
    ///   crash of the app.
    public static func open(_ location: DatabaseLocation, logger: Logger, durable: Bool = false,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws -> Database {
        // SQL statements and their bound values are never logged, at any log level: a survey answer or a
        // one-time code bound into a query must not end up in a log file (docs/anonymity.md).
        var logger = logger
        if logger.logLevel < .info { logger.logLevel = .info }
        switch location {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let source = TunedSQLiteSource(base: SQLiteConnectionSource(configuration: .init(storage: .file(path: path), enableForeignKeys: true)), durable: durable)
            // One connection on one event loop: SQLite has a single writer anyway, and one connection
            // never waits on another's lock (a second writer would sleep in the busy handler).
            let eventLoop = eventLoopGroup.next()
            let pools = PoolBox(EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: 1, on: eventLoop))
            let sql = PooledSQLiteDatabase(pools: pools, logger: logger).sql()
            let maintenance = SQLiteMaintenance(source: source, path: path, eventLoop: eventLoop, logger: logger)
            return Database(sql: sql, engine: .sqlite, location: location, maintenance: maintenance) {
                await maintenance.close()
                try await pools.pool.shutdownAsync()
            }
        case .postgres(let url, let searchPath):
            var configuration: SQLPostgresConfiguration
            do { configuration = try SQLPostgresConfiguration(url: url) } catch {
                throw DatabaseConfigurationError(message: "invalid PostgreSQL URL \(location): \(error)")
            }
            if let searchPath { configuration.searchPath = [searchPath] }
            let source = PostgresConnectionSource(sqlConfiguration: configuration)
            let pools = PoolBox(EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: 8, on: eventLoopGroup))
            let sql = pools.pool.database(logger: logger).sql()
            return Database(sql: sql, engine: .postgres, location: location) { try await pools.pool.shutdownAsync() }
        }
    }

    public func shutdown() async throws { try await shutdownPool() }

    /// SQLite: copies the write-ahead log back into the database file on the maintenance connection.
    /// `thorough` also empties the log (it waits for writers, so only when answers are not coming in); a log
    /// grown past 64 MB is emptied anyway. Nothing to do on PostgreSQL.
    public func checkpoint(thorough: Bool) async throws {
        guard let maintenance else { return }
        try await maintenance.checkpoint(thorough: thorough)
    }

    /// Engine settings made once per open: SQLite keeps a write-ahead log (a crash of the app loses
    /// no committed write, and readers never block the writer).
    public func prepareEngine() async throws {
        if engine == .sqlite { try await sql.raw("PRAGMA journal_mode = WAL").run() }
    }

    /// Runs `body` in one transaction on one connection; rolls back when it throws.
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let begin = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await sql.withSession { session in
            try await session.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

/// The connection pool is thread-safe (it hands each event loop its own pool) but not marked Sendable.
private final class PoolBox<Source: ConnectionPoolSource>: @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    init(_ pool: EventLoopGroupConnectionPool<Source>) { self.pool = pool }
}

/// SQLite connections in write-ahead-log mode with `synchronous = NORMAL` and `secure_delete`: a commit survives the app
/// being killed at any moment (only a power cut could lose the last commits), and readers never block
/// the writer. The busy timeout makes a second writer wait instead of failing.
struct TunedSQLiteSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource
    /// `synchronous = FULL` instead of NORMAL (`--durable`).
    var durable = false

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            connection.query("PRAGMA journal_mode = WAL").flatMap { _ in
                connection.query(durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            }.flatMap { _ in
                // Deleted rows (released pending answers) are overwritten with zeros, not left in free pages.
                connection.query("PRAGMA secure_delete = ON")
            }.flatMap { _ in
                connection.query("PRAGMA busy_timeout = 10000")
            }.flatMap { _ in
                // The log is checkpointed by `Database.checkpoint` on its own connection, not by whichever
                // commit happens to cross 1,000 pages (which held every request waiting behind it).
                connection.query("PRAGMA wal_autocheckpoint = 0")
            }.map { _ in connection }
        }
    }
}

/// The connection that checkpoints SQLite's log, opened on first use.
actor SQLiteMaintenance {
    let source: TunedSQLiteSource
    let path: String
    let eventLoop: any EventLoop
    let logger: Logger
    private var connection: SQLiteConnection?

    init(source: TunedSQLiteSource, path: String, eventLoop: any EventLoop, logger: Logger) {
        self.source = source
        self.path = path
        self.eventLoop = eventLoop
        self.logger = logger
    }

    static let largeLog = 64 * 1_048_576

    func checkpoint(thorough: Bool) async throws {
        if connection == nil { connection = try await source.makeConnection(logger: logger, on: eventLoop).get() }
        let logSize = ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
        let mode = thorough ? "TRUNCATE" : logSize > Self.largeLog ? "RESTART" : "PASSIVE"
        _ = try await connection!.query("PRAGMA wal_checkpoint(\(mode))").get()
    }

    func close() async {
        try? await connection?.close().get()
        connection = nil
    }
}

/// sqlite-kit has no pooled database object of its own; this one hands each query a pooled connection,
/// and `withConnection` keeps one connection for a whole transaction.
private struct PooledSQLiteDatabase: SQLiteDatabase {
    let pools: PoolBox<TunedSQLiteSource>
    let logger: Logger

    var eventLoop: any EventLoop { pools.pool.eventLoopGroup.any() }

    func query(_ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void) -> EventLoopFuture<Void> {
        withConnection { $0.query(query, binds, logger: logger, onRow) }
    }

    func query(_ query: String, _ binds: [SQLiteData], _ onRow: @escaping @Sendable (SQLiteRow) -> Void) async throws {
        try await withConnection { connection in try await connection.query(query, binds, onRow) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        pools.pool.withConnection(logger: logger, closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        nonisolated(unsafe) var result: T?
        try await pools.pool.withConnection(logger: logger) { connection in
            connection.eventLoop.makeFutureWithTask { result = try await closure(connection) }
        }.get()
        return result!
    }
}

/// Timestamps are stored as ISO-8601 UTC text, dates as yyyy-MM-dd text, scores as exact decimal text:
/// the same columns and the same code on SQLite and PostgreSQL.
public enum StoredTime {
    /// "2026-12-03T13:09:22.016Z": UTC to the millisecond (written by arithmetic: a date formatter is slow to make).
    public static func now(_ date: Date = Date()) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, rest) = millis.quotientAndRemainder(dividingBy: 86_400_000)
        let (dayNumber, ms) = rest < 0 ? (days - 1, rest + 86_400_000) : (days, rest)
        let day = CivilDate(daysSince1970: Int(dayNumber))
        let seconds = Int(ms / 1000)
        return day.iso + "T" + NumberText.padded(seconds / 3600, width: 2) + ":" + NumberText.padded(seconds / 60 % 60, width: 2) + ":"
            + NumberText.padded(seconds % 60, width: 2) + "." + NumberText.padded(Int(ms % 1000), width: 3) + "Z"
    }

    /// Reads what `now` writes, with or without fractions of a second ("…T13:09:22Z"); other forms through
    /// Foundation's ISO 8601 reader.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard b[index] >= 0x30 && b[index] <= 0x39 else { return nil }
                value = value * 10 + Int(b[index] - 0x30)
            }
            return value
        }
        if b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[b.count - 1] == 0x5A {
            // Our own shape: read it here, and a date that does not exist (30 February) is no date.
            guard let year = digits(0..<4), let month = digits(5..<7), let dayOfMonth = digits(8..<10),
                  let hour = digits(11..<13), let minute = digits(14..<16), let second = digits(17..<19),
                  hour < 24, minute < 60, second < 60, let day = CivilDate(year: year, month: month, day: dayOfMonth)
            else { return nil }
            var fraction = 0.0
            if b.count > 20 {
                guard b[19] == 0x2E, b.count > 21, b.count <= 30, let value = digits(20..<(b.count - 1)) else { return nil }
                fraction = Double(value) / pow(10, Double(b.count - 21))
            } else if b[19] != 0x5A {
                return nil
            }
            return Date(timeIntervalSince1970: Double(day.daysSince1970 * 86_400 + hour * 3600 + minute * 60 + second) + fraction)
        }
        return fallback(text)
    }

    private static func fallback(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
