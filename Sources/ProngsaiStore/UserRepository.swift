import Foundation
import Logging
import ProngsaiCore
import SQLKit

public protocol UserRepository: Sendable {
    func create(_ user: User, grants: [RoleGrant], by actor: Actor, logger: Logger) async throws
    func find(username: String, logger: Logger) async throws -> User?
    func find(id: String, logger: Logger) async throws -> User?
    func grants(userID: String, logger: Logger) async throws -> [RoleGrant]
    func all(logger: Logger) async throws -> [User]
    func setPassword(username: String, passwordHash: String, by actor: Actor, logger: Logger) async throws
}

public struct SQLUserRepository: UserRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ user: User, grants: [RoleGrant], by actor: Actor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "users")
                .columns("id", "username", "display_name", "password_hash", "active", "created_at")
                .values(SQLBind(user.id), SQLBind(user.username), SQLBind(user.displayName), SQLBind(user.passwordHash),
                        SQLBind(user.active ? 1 : 0), SQLBind(StoredTime.now()))
                .run()
            for grant in grants {
                try await db.insert(into: "role_grants")
                    .columns("id", "user_id", "agency_id", "role", "division_id")
                    .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(user.id), SQLBind(grant.agencyID), SQLBind(grant.role.rawValue), SQLBind(grant.divisionID))
                    .run()
            }
            // The audit entry names the account and its roles; never the password or its hash.
            try await recordAudit(on: db, actor: actor, agencyID: grants.first?.agencyID, action: "create", entity: "user", entityID: user.id,
                                  detail: ["username": .string(user.username), "roles": .array(grants.map { .string($0.role.rawValue) })])
        }
    }

    public func find(username: String, logger: Logger) async throws -> User? {
        try await database.sql.select().column("*").from("users").where("username", .equal, username).first().map(Self.user)
    }

    public func find(id: String, logger: Logger) async throws -> User? {
        try await database.sql.select().column("*").from("users").where("id", .equal, id).first().map(Self.user)
    }

    public func all(logger: Logger) async throws -> [User] {
        try await database.sql.select().column("*").from("users").orderBy("username").all().map(Self.user)
    }

    public func setPassword(username: String, passwordHash: String, by actor: Actor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.update("users").set("password_hash", to: passwordHash).where("username", .equal, username).run()
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "set-password", entity: "user", entityID: username, detail: [:])
        }
    }

    public func grants(userID: String, logger: Logger) async throws -> [RoleGrant] {
        try await database.sql.select().column("*").from("role_grants").where("user_id", .equal, userID).all().compactMap { row in
            guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
            return RoleGrant(
                userID: userID,
                agencyID: try row.decodeNil(column: "agency_id") ? nil : row.decode(column: "agency_id", as: String.self),
                role: role,
                divisionID: try row.decodeNil(column: "division_id") ? nil : row.decode(column: "division_id", as: String.self))
        }
    }

    static func user(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: String.self),
            username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            active: try row.decode(column: "active", as: Int.self) != 0)
    }
}
