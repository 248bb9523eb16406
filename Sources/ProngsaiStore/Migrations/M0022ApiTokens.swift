import SQLKit

/// Personal API tokens (issue 16): a token acts for its owner and only for the agencies it names. Only a
/// SHA-256 of the token is kept (the token is 32 random bytes, so no slow hash is needed), with a hint of its
/// first characters for the owner's list. Revoking stamps `revoked_at`; every node reads it on every request.
struct M0022ApiTokens: Migration {
    let version = 22
    let name = "API tokens"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "api_tokens")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("token_hash", type: .text, .notNull, .unique)
            .column("hint", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("last_used_on", type: .text)
            .column("revoked_at", type: .text)
            .run()
        try await db.create(index: "api_tokens_by_user").on("api_tokens").column("user_id").run()
        try await db.create(table: "api_token_agencies")
            .column("token_id", type: .text, .notNull)
            .column("agency_id", type: .text, .notNull)
            .primaryKey("token_id", "agency_id")
            .run()
    }
}
