import Foundation
import Logging
import ProngsaiCore
import SQLKit

public protocol AuditRepository: Sendable {
    /// Newest first.
    func entries(agencyID: String?, limit: Int, logger: Logger) async throws -> [AuditEntry]
    /// Every entry about one thing (an OIT item of a year: "<assessment id>/<item id>"), newest first.
    func entries(entityID: String, logger: Logger) async throws -> [AuditEntry]
}

/// Writes one audit entry inside the caller's transaction, so a write and its record land together.
func recordAudit(on db: any SQLDatabase, actor: AuditActor, agencyID: String?, action: String, entity: String, entityID: String, detail: JSONValue) async throws {
    try await db.insert(into: "audit_log")
        .columns("id", "at", "user_id", "actor", "agency_id", "action", "entity", "entity_id", "detail")
        .values(
            SQLBind(UUID().uuidString.lowercased()), SQLBind(StoredTime.now()), SQLBind(actor.userID), SQLBind(actor.name),
            SQLBind(agencyID), SQLBind(action), SQLBind(entity), SQLBind(entityID), SQLBind(detail.serialized(pretty: false)))
        .run()
}

public struct SQLAuditRepository: AuditRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func entries(agencyID: String?, limit: Int, logger: Logger) async throws -> [AuditEntry] {
        var query = database.sql.select().column("*").from("audit_log")
        if let agencyID { query = query.where("agency_id", .equal, agencyID) }
        return try await Self.read(query.orderBy("at", .descending).orderBy("id", .descending).limit(limit))
    }

    public func entries(entityID: String, logger: Logger) async throws -> [AuditEntry] {
        try await Self.read(database.sql.select().column("*").from("audit_log").where("entity_id", .equal, entityID)
            .orderBy("at", .descending).orderBy("id", .descending))
    }

    static func read(_ query: SQLSelectBuilder) async throws -> [AuditEntry] {
        try await query.all().map { row in
            AuditEntry(
                id: try row.decode(column: "id", as: String.self),
                at: try row.decode(column: "at", as: String.self),
                userID: try row.decodeNil(column: "user_id") ? nil : row.decode(column: "user_id", as: String.self),
                actor: try row.decode(column: "actor", as: String.self),
                agencyID: try row.decodeNil(column: "agency_id") ? nil : row.decode(column: "agency_id", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                entity: try row.decode(column: "entity", as: String.self),
                entityID: try row.decode(column: "entity_id", as: String.self),
                detail: try row.decode(column: "detail", as: String.self))
        }
    }
}
