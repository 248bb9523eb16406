import SQLKit

/// Two-factor sign-in (TOTP, RFC 6238): the user's secret once confirmed, the secret offered while they
/// enrol, the last time step used (a code works once), and recovery codes kept only as SHA-256.
struct M0013TwoFactor: Migration {
    let version = 13
    let name = "two-factor sign-in"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.alter(table: "users").column("totp_secret", type: .text).run()
        try await db.alter(table: "users").column("totp_pending", type: .text).run()
        try await db.alter(table: "users").column("totp_last_step", type: .bigint, .notNull, .default(0)).run()
        try await db.create(table: "recovery_codes")
            .column("code_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("used_at", type: .text)
            .run()
        try await db.create(index: "recovery_codes_user").on("recovery_codes").column("user_id").run()
    }
}
