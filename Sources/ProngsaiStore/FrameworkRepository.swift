import Crypto
import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// A framework file an administrator imported, as stored.
public struct StoredFramework: Sendable, Hashable {
    public var id: String
    public var fiscalYear: Int
    public var title: String
    public var document: String
    public var sha256: String
    public var importedAt: Date
    public var importedBy: String
}

/// Frameworks kept as data. A stored framework is never changed: a new version is a new id.
public struct FrameworkRepository: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A framework with this id is already installed (built in or imported).
    public struct Exists: Error, Sendable {
        public var id: String
    }

    /// Stores a framework that has been validated; refuses an id already stored.
    public func store(_ framework: Framework, document: String, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            if try await db.select().column("id").from("frameworks").where("id", .equal, framework.id).first() != nil {
                throw Exists(id: framework.id)
            }
            try await db.insert(into: "frameworks")
                .columns("id", "fiscal_year", "title", "document", "sha256", "imported_at", "imported_by")
                .values(SQLBind(framework.id), SQLBind(framework.fiscalYear), SQLBind(framework.title.th), SQLBind(document),
                        SQLBind(NumberText.hex(SHA256.hash(data: Data(document.utf8)))), SQLBind(StoredTime.now()), SQLBind(actor.name))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "import", entity: "framework", entityID: framework.id,
                                  detail: ["fiscalYear": .number(Decimal(framework.fiscalYear))])
        }
    }

    public func all(logger: Logger) async throws -> [StoredFramework] {
        try await database.sql.select().column("*").from("frameworks").orderBy("fiscal_year").orderBy("id").all().map(Self.stored)
    }

    public func find(id: String, logger: Logger) async throws -> StoredFramework? {
        try await database.sql.select().column("*").from("frameworks").where("id", .equal, id).first().map(Self.stored)
    }

    /// How many assessments use the framework.
    public func uses(id: String, logger: Logger) async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("assessments")
            .where("framework_id", .equal, id).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func stored(_ row: any SQLRow) throws -> StoredFramework {
        StoredFramework(
            id: try row.decode(column: "id", as: String.self), fiscalYear: try row.decode(column: "fiscal_year", as: Int.self),
            title: try row.decode(column: "title", as: String.self), document: try row.decode(column: "document", as: String.self),
            sha256: try row.decode(column: "sha256", as: String.self),
            importedAt: StoredTime.parse(try row.decode(column: "imported_at", as: String.self)) ?? .distantPast,
            importedBy: try row.decode(column: "imported_by", as: String.self))
    }
}
