import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// A personal API token as stored: never the token itself, only its SHA-256 (`token_hash`) and a hint of
/// its first characters for the owner's list.
public struct APIToken: Sendable, Hashable, Identifiable {
    public var id: String
    public var userID: String
    public var name: String
    /// The first characters of the token ("prongsai_1a2b3c…"), enough for the owner to tell tokens apart.
    public var hint: String
    /// The agencies the token may act for.
    public var agencyIDs: [String]
    public var createdAt: Date
    /// The last day (in Thailand) the token was used; written at most once a day.
    public var lastUsedOn: CivilDate?
    public var revokedAt: Date?

    public init(id: String = UUID().uuidString.lowercased(), userID: String, name: String, hint: String, agencyIDs: [String],
                createdAt: Date = Date(), lastUsedOn: CivilDate? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.name = name
        self.hint = hint
        self.agencyIDs = agencyIDs
        self.createdAt = createdAt
        self.lastUsedOn = lastUsedOn
        self.revokedAt = revokedAt
    }
}

/// API tokens. Every request looks its token up here, so a revoked token is refused by every node at once.
public struct APITokenRepository: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    /// Stores a new token (its hash) with its agencies, and records who made it (never the token).
    public func create(_ token: APIToken, tokenHash: String, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "api_tokens")
                .columns("id", "user_id", "name", "token_hash", "hint", "created_at")
                .values(SQLBind(token.id), SQLBind(token.userID), SQLBind(token.name), SQLBind(tokenHash), SQLBind(token.hint),
                        SQLBind(StoredTime.now(token.createdAt)))
                .run()
            for agencyID in Set(token.agencyIDs).sorted() {
                try await db.insert(into: "api_token_agencies").columns("token_id", "agency_id")
                    .values(SQLBind(token.id), SQLBind(agencyID)).run()
            }
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "create", entity: "api-token", entityID: token.id,
                                  detail: ["name": .string(token.name), "hint": .string(token.hint),
                                           "agencies": .array(Set(token.agencyIDs).sorted().map { .string($0) })])
        }
    }

    /// The user's tokens not revoked, newest first.
    public func active(userID: String, logger: Logger) async throws -> [APIToken] {
        let rows = try await database.sql.select().column("*").from("api_tokens").where("user_id", .equal, userID)
            .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).all()
        var tokens = try rows.map(Self.token)
        let ids = tokens.map(\.id)
        if !ids.isEmpty {
            let links = try await database.sql.select().column("token_id").column("agency_id").from("api_token_agencies")
                .where("token_id", .in, ids).all()
            var agencies: [String: [String]] = [:]
            for row in links { agencies[try row.decode(column: "token_id", as: String.self), default: []].append(try row.decode(column: "agency_id", as: String.self)) }
            tokens = tokens.map { var token = $0; token.agencyIDs = (agencies[token.id] ?? []).sorted(); return token }
        }
        return tokens.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    /// The token with this hash, unless it was revoked.
    public func find(tokenHash: String, logger: Logger) async throws -> APIToken? {
        guard let row = try await database.sql.select().column("*").from("api_tokens").where("token_hash", .equal, tokenHash)
            .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).first()
        else { return nil }
        var token = try Self.token(row)
        token.agencyIDs = try await database.sql.select().column("agency_id").from("api_token_agencies").where("token_id", .equal, token.id)
            .orderBy("agency_id").all().map { try $0.decode(column: "agency_id", as: String.self) }
        return token
    }

    /// Revokes one of the user's own tokens (another user's id matches nothing); whether one was revoked.
    public func revoke(id: String, userID: String, by actor: AuditActor, logger: Logger) async throws -> Bool {
        try await database.transaction { db in
            guard let row = try await db.select().column("name").column("hint").from("api_tokens").where("id", .equal, id)
                .where("user_id", .equal, userID).where(SQLColumn("revoked_at"), .is, SQLLiteral.null).first()
            else { return false }
            try await db.update("api_tokens").set("revoked_at", to: SQLBind(StoredTime.now())).where("id", .equal, id).run()
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "revoke", entity: "api-token", entityID: id,
                                  detail: ["name": .string(try row.decode(column: "name", as: String.self)),
                                           "hint": .string(try row.decode(column: "hint", as: String.self))])
            return true
        }
    }

    /// Notes the day the token was used: one write a day at most, not one per request.
    public func markUsed(id: String, on day: CivilDate, logger: Logger) async throws {
        try await database.sql.update("api_tokens").set("last_used_on", to: SQLBind(day.iso)).where("id", .equal, id)
            .where(group: { $0.where(SQLColumn("last_used_on"), .is, SQLLiteral.null).orWhere("last_used_on", .notEqual, day.iso) })
            .run()
    }

    static func token(_ row: any SQLRow) throws -> APIToken {
        APIToken(
            id: try row.decode(column: "id", as: String.self), userID: try row.decode(column: "user_id", as: String.self),
            name: try row.decode(column: "name", as: String.self), hint: try row.decode(column: "hint", as: String.self), agencyIDs: [],
            createdAt: StoredTime.parse(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
            lastUsedOn: try row.decodeNil(column: "last_used_on") ? nil : CivilDate(iso: try row.decode(column: "last_used_on", as: String.self)),
            revokedAt: try row.decodeNil(column: "revoked_at") ? nil : StoredTime.parse(try row.decode(column: "revoked_at", as: String.self)))
    }
}
