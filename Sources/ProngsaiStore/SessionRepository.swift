import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// A signed-in browser session. The cookie carries a random token; only its SHA-256 is stored.
public struct StoredSession: Sendable, Hashable {
    public var tokenHash: String
    public var userID: String
    public var csrfToken: String
    public var expiresAt: Date

    public init(tokenHash: String, userID: String, csrfToken: String, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

public protocol SessionRepository: Sendable {
    func create(_ session: StoredSession, logger: Logger) async throws
    func find(tokenHash: String, now: Date, logger: Logger) async throws -> StoredSession?
    func delete(tokenHash: String, logger: Logger) async throws
}

public struct SQLSessionRepository: SessionRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ session: StoredSession, logger: Logger) async throws {
        // Expired sessions are swept whenever someone signs in.
        try await database.sql.delete(from: "sessions").where("expires_at", .lessThan, StoredTime.now()).run()
        try await database.sql.insert(into: "sessions")
            .columns("token_hash", "user_id", "csrf_token", "created_at", "expires_at")
            .values(SQLBind(session.tokenHash), SQLBind(session.userID), SQLBind(session.csrfToken), SQLBind(StoredTime.now()),
                    SQLBind(StoredTime.now(session.expiresAt)))
            .run()
    }

    public func find(tokenHash: String, now: Date, logger: Logger) async throws -> StoredSession? {
        guard let row = try await database.sql.select().column("*").from("sessions").where("token_hash", .equal, tokenHash).first() else { return nil }
        let expires = StoredTime.parse(try row.decode(column: "expires_at", as: String.self)) ?? .distantPast
        guard expires > now else { return nil }
        return StoredSession(
            tokenHash: tokenHash, userID: try row.decode(column: "user_id", as: String.self),
            csrfToken: try row.decode(column: "csrf_token", as: String.self), expiresAt: expires)
    }

    public func delete(tokenHash: String, logger: Logger) async throws {
        try await database.sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
    }
}
