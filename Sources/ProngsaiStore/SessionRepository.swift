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
    /// When it was made, and the browser it was made from (shown to the user on their sessions page).
    public var createdAt: Date
    public var agent: String

    public init(tokenHash: String, userID: String, csrfToken: String, expiresAt: Date, createdAt: Date = Date(), agent: String = "") {
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.agent = agent
    }
}

public protocol SessionRepository: Sendable {
    func create(_ session: StoredSession, logger: Logger) async throws
    func find(tokenHash: String, now: Date, logger: Logger) async throws -> StoredSession?
    func delete(tokenHash: String, logger: Logger) async throws
    /// The user's unexpired sessions, newest first.
    func all(userID: String, now: Date, logger: Logger) async throws -> [StoredSession]
    /// Ends one of the user's own sessions (nothing when the session is someone else's).
    func delete(userID: String, tokenHash: String, logger: Logger) async throws
}

public struct SQLSessionRepository: SessionRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ session: StoredSession, logger: Logger) async throws {
        // Expired sessions are swept whenever someone signs in.
        try await database.sql.delete(from: "sessions").where("expires_at", .lessThan, StoredTime.now()).run()
        try await database.sql.insert(into: "sessions")
            .columns("token_hash", "user_id", "csrf_token", "created_at", "expires_at", "agent")
            .values(SQLBind(session.tokenHash), SQLBind(session.userID), SQLBind(session.csrfToken), SQLBind(StoredTime.now(session.createdAt)),
                    SQLBind(StoredTime.now(session.expiresAt)), SQLBind(String(session.agent.prefix(200))))
            .run()
    }

    public func find(tokenHash: String, now: Date, logger: Logger) async throws -> StoredSession? {
        guard let row = try await database.sql.select().column("*").from("sessions").where("token_hash", .equal, tokenHash).first() else { return nil }
        let session = try Self.session(row)
        return session.expiresAt > now ? session : nil
    }

    public func all(userID: String, now: Date, logger: Logger) async throws -> [StoredSession] {
        try await database.sql.select().column("*").from("sessions").where("user_id", .equal, userID).all().map(Self.session)
            .filter { $0.expiresAt > now }.sorted { $0.createdAt > $1.createdAt }
    }

    public func delete(userID: String, tokenHash: String, logger: Logger) async throws {
        try await database.sql.delete(from: "sessions").where("user_id", .equal, userID).where("token_hash", .equal, tokenHash).run()
    }

    static func session(_ row: any SQLRow) throws -> StoredSession {
        StoredSession(
            tokenHash: try row.decode(column: "token_hash", as: String.self), userID: try row.decode(column: "user_id", as: String.self),
            csrfToken: try row.decode(column: "csrf_token", as: String.self),
            expiresAt: StoredTime.parse(try row.decode(column: "expires_at", as: String.self)) ?? .distantPast,
            createdAt: StoredTime.parse(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
            agent: try row.decode(column: "agent", as: String.self))
    }

    public func delete(tokenHash: String, logger: Logger) async throws {
        try await database.sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
    }
}
