import SQLKit

/// What an empty install needs to become a working agency: divisions that can be retired, users who must
/// change a temporary password, invitation links, sessions a user can see and end, frameworks imported as
/// data, and install-wide settings (whether this database holds the demo).
struct M0009Adoption: Migration {
    let version = 9
    let name = "adoption"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.alter(table: "divisions").column("active", type: .int, .notNull, .default(1)).run()
        try await db.alter(table: "users").column("must_change_password", type: .int, .notNull, .default(0)).run()
        try await db.alter(table: "sessions").column("agent", type: .text, .notNull, .default("")).run()
        try await db.create(index: "sessions_user").on("sessions").column("user_id").run()
        // One-time invitation links: only the SHA-256 of the token is kept.
        try await db.create(table: "invitations")
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("created_at", type: .text, .notNull)
            .column("expires_at", type: .text, .notNull)
            .column("used_at", type: .text)
            .run()
        // Frameworks imported by an administrator. The document is kept as imported, with its SHA-256;
        // a framework an assessment uses is never changed (a new version gets a new id).
        try await db.create(table: "frameworks")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("fiscal_year", type: .int, .notNull)
            .column("title", type: .text, .notNull)
            .column("document", type: .text, .notNull)
            .column("sha256", type: .text, .notNull)
            .column("imported_at", type: .text, .notNull)
            .column("imported_by", type: .text, .notNull)
            .run()
        try await db.create(table: "settings")
            .column("key", type: .text, .primaryKey(autoIncrement: false))
            .column("value", type: .text, .notNull)
            .run()
    }
}
