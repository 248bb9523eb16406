import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// One numbered schema change. Each lives in its own file; `prongsai migrate` applies the missing ones in order.
public protocol Migration: Sendable {
    var version: Int { get }
    var name: String { get }
    func prepare(on db: any SQLDatabase) async throws
}

public enum Migrations {
    /// Every migration, in order. Append; never edit one that has shipped.
    public static let all: [any Migration] = [
        M0001InitialSchema(),
        M0002Surveys(),
        M0003Evidence(),
        M0004Reviews(),
        M0005Snapshots(),
        M0006Improvement(),
        M0007PendingResponses(),
        M0008PublishedItemResults(),
        M0009Adoption(),
        M0010SignInThrottle(),
        M0011PublishedEvidence(),
        M0012SurveyBursts(),
        M0013TwoFactor(),
        M0014AnswerEchoes(),
        M0015JobClaims(),
        M0016LinkClaims(),
        M0017SurveyTallies(),
        M0018AuditByEntity(),
        M0019IntegrityChannels(),
        M0020Rounds(),
        M0021RoundScores(),
        M0022ApiTokens(),
    ]
}

public struct MigrationReport: Sendable {
    public var applied: [String]
    public var current: Int
}

public struct Migrator: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// Applies every migration not yet applied, each in its own transaction.
    @discardableResult
    public func migrate(logger: Logger) async throws -> MigrationReport {
        try await database.sql.create(table: "schema_migrations").ifNotExists()
            .column("version", type: .bigint, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("applied_at", type: .text, .notNull)
            .run()
        var applied: [String] = []
        for migration in Migrations.all {
            let done = try await database.transaction { db in
                let existing = try await db.select().column("version").from("schema_migrations")
                    .where("version", .equal, migration.version).first()
                if existing != nil { return false }
                try await migration.prepare(on: db)
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(StoredTime.now()))
                    .run()
                return true
            }
            if done {
                logger.info("applied migration \(migration.version) \(migration.name)")
                applied.append("\(NumberText.padded(migration.version, width: 4)) \(migration.name)")
            }
        }
        return MigrationReport(applied: applied, current: Migrations.all.last?.version ?? 0)
    }

    /// Versions applied so far.
    public func appliedVersions() async throws -> [Int] {
        try await database.sql.select().column("version").from("schema_migrations").orderBy("version")
            .all().map { try $0.decode(column: "version", as: Int.self) }
    }
}
