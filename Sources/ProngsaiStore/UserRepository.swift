import Foundation
import Logging
import ProngsaiCore
import SQLKit

public protocol UserRepository: Sendable {
    /// Throws `DuplicateError` when the username is taken.
    func create(_ user: User, grants: [RoleGrant], by actor: AuditActor, logger: Logger) async throws
    func find(username: String, logger: Logger) async throws -> User?
    func find(id: String, logger: Logger) async throws -> User?
    /// What the person may do: their own grants and an assessor grant per agency of each team they are in.
    func grants(userID: String, logger: Logger) async throws -> [RoleGrant]
    /// The grants given to the person themselves (what the role pages edit), without their teams'.
    func ownGrants(userID: String, logger: Logger) async throws -> [RoleGrant]
    /// Every grant of every user (for the user lists).
    func allGrants(logger: Logger) async throws -> [RoleGrant]
    func all(logger: Logger) async throws -> [User]
    /// Sets a new password and ends every session of the user but `keeping` (the one that made the change).
    func setPassword(userID: String, passwordHash: String, mustChange: Bool, keeping: String?, by actor: AuditActor, logger: Logger) async throws
    /// Deactivates (ending every session) or brings back an account. Refuses to deactivate the last active
    /// administrator (`LastAdministratorError`).
    func setActive(userID: String, active: Bool, by actor: AuditActor, logger: Logger) async throws
    /// Replaces the user's grants within the agencies named (nil: system-wide grants), keeping the others.
    /// Refuses to take the last active administrator's admin grant away.
    func replaceGrants(userID: String, scope: Set<String?>, with grants: [RoleGrant], by actor: AuditActor, logger: Logger) async throws
    /// Active users with a system-wide administrator grant.
    func activeAdministrators(logger: Logger) async throws -> Int
    func setDisplayName(userID: String, displayName: String, by actor: AuditActor, logger: Logger) async throws

    /// A one-time invitation link: only the token's SHA-256 is stored.
    func createInvitation(userID: String, tokenHash: String, expiresAt: Date, by actor: AuditActor, logger: Logger) async throws
    /// The invited user, while the link is unused and unexpired.
    func invitation(tokenHash: String, now: Date, logger: Logger) async throws -> User?
    /// Spends the link and sets the password chosen, in one transaction; nil when the link is spent or expired.
    func acceptInvitation(tokenHash: String, passwordHash: String, now: Date, logger: Logger) async throws -> User?

    /// Keeps the secret shown on the enrolment page until the user confirms it with a code.
    func offerTwoFactor(userID: String, secret: String, logger: Logger) async throws
    /// Turns two-factor sign-in on with the secret offered (false when it is no longer the one offered),
    /// replacing the recovery codes (SHA-256 hashes) and marking `step` used.
    func enableTwoFactor(userID: String, secret: String, step: Int64, recoveryHashes: [String], by actor: AuditActor, logger: Logger) async throws -> Bool
    /// Turns it off and drops the recovery codes (the user, or an administrator for a lost phone).
    func disableTwoFactor(userID: String, by actor: AuditActor, logger: Logger) async throws
    /// Marks a TOTP time step used; false when it or a later one was used already (a code works once).
    func useTwoFactorStep(userID: String, step: Int64, logger: Logger) async throws -> Bool
    /// Spends an unused recovery code (by its hash); false when there is none such.
    func useRecoveryCode(userID: String, hash: String, logger: Logger) async throws -> Bool
    func newRecoveryCodes(userID: String, hashes: [String], by actor: AuditActor, logger: Logger) async throws
    func recoveryCodesLeft(userID: String, logger: Logger) async throws -> Int
}

/// The last active administrator cannot be deactivated or lose the administrator role.
public struct LastAdministratorError: Error, Sendable {
    public init() {}
}

public struct SQLUserRepository: UserRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ user: User, grants: [RoleGrant], by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            if try await db.select().column("id").from("users").where("username", .equal, user.username).first() != nil {
                throw DuplicateError(what: "user", value: user.username)
            }
            try await db.insert(into: "users")
                .columns("id", "username", "display_name", "password_hash", "active", "created_at", "must_change_password")
                .values(SQLBind(user.id), SQLBind(user.username), SQLBind(user.displayName), SQLBind(user.passwordHash),
                        SQLBind(user.active ? 1 : 0), SQLBind(StoredTime.now()), SQLBind(user.mustChangePassword ? 1 : 0))
                .run()
            for grant in grants { try await Self.insert(grant, userID: user.id, on: db) }
            // The audit entry names the account and its roles; never the password or its hash.
            try await recordAudit(on: db, actor: actor, agencyID: grants.first?.agencyID, action: "create", entity: "user", entityID: user.id,
                                  detail: ["username": .string(user.username), "roles": .array(grants.map { .string($0.role.rawValue) })])
        }
    }

    static func insert(_ grant: RoleGrant, userID: String, on db: any SQLDatabase) async throws {
        try await db.insert(into: "role_grants")
            .columns("id", "user_id", "agency_id", "role", "division_id")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(userID), SQLBind(grant.agencyID), SQLBind(grant.role.rawValue), SQLBind(grant.divisionID))
            .run()
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

    public func setPassword(userID: String, passwordHash: String, mustChange: Bool, keeping: String?, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.update("users").set("password_hash", to: passwordHash).set("must_change_password", to: mustChange ? 1 : 0)
                .where("id", .equal, userID).run()
            try await Self.endSessions(userID: userID, keeping: keeping, on: db)
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: mustChange ? "reset-password" : "set-password", entity: "user",
                                  entityID: userID, detail: [:])
        }
    }

    static func endSessions(userID: String, keeping: String?, on db: any SQLDatabase) async throws {
        if let keeping {
            try await db.delete(from: "sessions").where("user_id", .equal, userID).where("token_hash", .notEqual, keeping).run()
        } else {
            try await db.delete(from: "sessions").where("user_id", .equal, userID).run()
        }
    }

    public func setActive(userID: String, active: Bool, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            if !active {
                let admins = try await Self.activeAdministrators(on: db, excluding: userID)
                let isAdmin = try await Self.isActiveAdministrator(userID, on: db)
                if isAdmin && admins == 0 { throw LastAdministratorError() }
            }
            try await db.update("users").set("active", to: active ? 1 : 0).where("id", .equal, userID).run()
            if !active { try await Self.endSessions(userID: userID, keeping: nil, on: db) }
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: active ? "activate" : "deactivate", entity: "user", entityID: userID, detail: [:])
        }
    }

    public func replaceGrants(userID: String, scope: Set<String?>, with grants: [RoleGrant], by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            let current = try await Self.ownGrants(userID: userID, on: db)
            let kept = current.filter { !scope.contains($0.agencyID) }
            let after = kept + grants
            let stillAdmin = after.contains { $0.agencyID == nil && $0.role == .admin }
            if try await Self.isActiveAdministrator(userID, on: db), !stillAdmin,
                try await Self.activeAdministrators(on: db, excluding: userID) == 0
            {
                throw LastAdministratorError()
            }
            try await db.delete(from: "role_grants").where("user_id", .equal, userID).run()
            for grant in after { try await Self.insert(grant, userID: userID, on: db) }
            try await recordAudit(on: db, actor: actor, agencyID: grants.first?.agencyID ?? scope.compactMap { $0 }.first, action: "set-roles",
                                  entity: "user", entityID: userID,
                                  detail: ["roles": .array(after.map { .string($0.role.rawValue) })])
        }
    }

    public func setDisplayName(userID: String, displayName: String, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.update("users").set("display_name", to: displayName).where("id", .equal, userID).run()
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "update", entity: "user", entityID: userID, detail: [:])
        }
    }

    public func activeAdministrators(logger: Logger) async throws -> Int {
        try await Self.activeAdministrators(on: database.sql, excluding: nil)
    }

    static func activeAdministrators(on db: any SQLDatabase, excluding: String?) async throws -> Int {
        var query = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("users").join("role_grants", on: SQLColumn("user_id", table: "role_grants"), .equal, SQLColumn("id", table: "users"))
            .where(SQLColumn("active", table: "users"), .equal, SQLBind(1))
            .where(SQLColumn("role", table: "role_grants"), .equal, SQLBind(Role.admin.rawValue))
            .where(SQLColumn("agency_id", table: "role_grants"), .is, SQLLiteral.null)
        if let excluding { query = query.where(SQLColumn("id", table: "users"), .notEqual, SQLBind(excluding)) }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func isActiveAdministrator(_ userID: String, on db: any SQLDatabase) async throws -> Bool {
        guard let row = try await db.select().column("active").from("users").where("id", .equal, userID).first(),
            try row.decode(column: "active", as: Int.self) != 0
        else { return false }
        return try await ownGrants(userID: userID, on: db).contains { $0.agencyID == nil && $0.role == .admin }
    }

    public func grants(userID: String, logger: Logger) async throws -> [RoleGrant] {
        try await Self.grants(userID: userID, on: database.sql)
    }

    public func ownGrants(userID: String, logger: Logger) async throws -> [RoleGrant] {
        try await Self.ownGrants(userID: userID, on: database.sql)
    }

    static func ownGrants(userID: String, on db: any SQLDatabase) async throws -> [RoleGrant] {
        try await db.select().column("*").from("role_grants").where("user_id", .equal, userID).all().compactMap(grant)
    }

    public func allGrants(logger: Logger) async throws -> [RoleGrant] {
        try await database.sql.select().column("*").from("role_grants").all().compactMap(Self.grant)
    }

    /// The user's own grants, and an assessor grant for every agency of every team they are in (one statement).
    static func grants(userID: String, on db: any SQLDatabase) async throws -> [RoleGrant] {
        try await db.raw("""
            SELECT user_id, agency_id, role, division_id FROM role_grants WHERE user_id = \(bind: userID)
            UNION ALL
            SELECT m.user_id, t.agency_id, 'assessor' AS role, NULL AS division_id
            FROM team_members m JOIN team_agencies t ON t.team_id = m.team_id WHERE m.user_id = \(bind: userID)
            """).all().compactMap(grant)
    }

    static func grant(_ row: any SQLRow) throws -> RoleGrant? {
        guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
        return RoleGrant(
            userID: try row.decode(column: "user_id", as: String.self),
            agencyID: try row.decodeNil(column: "agency_id") ? nil : row.decode(column: "agency_id", as: String.self),
            role: role,
            divisionID: try row.decodeNil(column: "division_id") ? nil : row.decode(column: "division_id", as: String.self))
    }

    // MARK: invitations

    public func createInvitation(userID: String, tokenHash: String, expiresAt: Date, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "invitations")
                .columns("token_hash", "user_id", "created_at", "expires_at")
                .values(SQLBind(tokenHash), SQLBind(userID), SQLBind(StoredTime.now()), SQLBind(StoredTime.now(expiresAt)))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "invite", entity: "user", entityID: userID, detail: [:])
        }
    }

    public func invitation(tokenHash: String, now: Date, logger: Logger) async throws -> User? {
        try await Self.invitedUser(tokenHash: tokenHash, now: now, on: database.sql)
    }

    static func invitedUser(tokenHash: String, now: Date, on db: any SQLDatabase) async throws -> User? {
        guard let row = try await db.select().column("*").from("invitations").where("token_hash", .equal, tokenHash).first(),
            try row.decodeNil(column: "used_at"),
            let expires = StoredTime.parse(try row.decode(column: "expires_at", as: String.self)), expires > now
        else { return nil }
        let userID = try row.decode(column: "user_id", as: String.self)
        guard let user = try await db.select().column("*").from("users").where("id", .equal, userID).first().map(user), user.active else { return nil }
        return user
    }

    public func acceptInvitation(tokenHash: String, passwordHash: String, now: Date, logger: Logger) async throws -> User? {
        try await database.transaction { db in
            guard let user = try await Self.invitedUser(tokenHash: tokenHash, now: now, on: db) else { return nil }
            try await db.update("invitations").set("used_at", to: StoredTime.now(now)).where("token_hash", .equal, tokenHash).run()
            try await db.update("users").set("password_hash", to: passwordHash).set("must_change_password", to: 0).where("id", .equal, user.id).run()
            try await Self.endSessions(userID: user.id, keeping: nil, on: db)
            try await recordAudit(on: db, actor: AuditActor(userID: user.id, name: user.username), agencyID: nil, action: "accept-invitation",
                                  entity: "user", entityID: user.id, detail: [:])
            return user
        }
    }

    static func user(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: String.self),
            username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            active: try row.decode(column: "active", as: Int.self) != 0,
            mustChangePassword: try row.decode(column: "must_change_password", as: Int.self) != 0,
            twoFactorSecret: try row.decodeNil(column: "totp_secret") ? nil : try row.decode(column: "totp_secret", as: String.self),
            twoFactorPending: try row.decodeNil(column: "totp_pending") ? nil : try row.decode(column: "totp_pending", as: String.self))
    }

    // MARK: two-factor sign-in

    public func offerTwoFactor(userID: String, secret: String, logger: Logger) async throws {
        try await database.sql.update("users").set("totp_pending", to: secret).where("id", .equal, userID).run()
    }

    public func enableTwoFactor(userID: String, secret: String, step: Int64, recoveryHashes: [String], by actor: AuditActor, logger: Logger) async throws -> Bool {
        try await database.transaction { db in
            // Only the secret that was offered, and only once (a second tab confirming the same offer finds it gone).
            let updated = try await db.update("users").set("totp_secret", to: secret).set(SQLColumn("totp_pending"), to: SQLLiteral.null)
                .set("totp_last_step", to: step)
                .where("id", .equal, userID).where("totp_pending", .equal, secret).returning("id").all()
            guard !updated.isEmpty else { return false }
            try await Self.replaceRecoveryCodes(userID: userID, hashes: recoveryHashes, on: db)
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "two-factor.enable", entity: "user", entityID: userID, detail: [:])
            return true
        }
    }

    public func disableTwoFactor(userID: String, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.update("users").set(SQLColumn("totp_secret"), to: SQLLiteral.null).set(SQLColumn("totp_pending"), to: SQLLiteral.null)
                .set("totp_last_step", to: 0).where("id", .equal, userID).run()
            try await db.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "two-factor.disable", entity: "user", entityID: userID, detail: [:])
        }
    }

    public func useTwoFactorStep(userID: String, step: Int64, logger: Logger) async throws -> Bool {
        // One statement: of two requests with the same code, one moves the step on and the other finds it moved.
        try await !database.sql.update("users").set("totp_last_step", to: step)
            .where("id", .equal, userID).where("totp_last_step", .lessThan, step).returning("id").all().isEmpty
    }

    public func useRecoveryCode(userID: String, hash: String, logger: Logger) async throws -> Bool {
        try await database.transaction { db in
            let used = try await db.update("recovery_codes").set("used_at", to: StoredTime.now())
                .where("user_id", .equal, userID).where("code_hash", .equal, hash).where(SQLColumn("used_at"), .is, SQLLiteral.null)
                .returning("code_hash").all()
            guard !used.isEmpty else { return false }
            try await recordAudit(on: db, actor: AuditActor(userID: userID, name: "sign-in"), agencyID: nil, action: "two-factor.recovery-code-used",
                                  entity: "user", entityID: userID, detail: [:])
            return true
        }
    }

    public func newRecoveryCodes(userID: String, hashes: [String], by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await Self.replaceRecoveryCodes(userID: userID, hashes: hashes, on: db)
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "two-factor.new-recovery-codes", entity: "user", entityID: userID, detail: [:])
        }
    }

    public func recoveryCodesLeft(userID: String, logger: Logger) async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("recovery_codes")
            .where("user_id", .equal, userID).where(SQLColumn("used_at"), .is, SQLLiteral.null)
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func replaceRecoveryCodes(userID: String, hashes: [String], on db: any SQLDatabase) async throws {
        try await db.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
        for hash in hashes {
            try await db.insert(into: "recovery_codes").columns("code_hash", "user_id").values(SQLBind(hash), SQLBind(userID)).run()
        }
    }
}

extension LastAdministratorError: DomainError {
    public var userMessage: LocalizedText {
        LocalizedText(th: "ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน", en: "There must be at least one active administrator")
    }
    public var kind: DomainErrorKind { .conflict }
}
