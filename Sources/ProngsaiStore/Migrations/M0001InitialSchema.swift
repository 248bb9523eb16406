import SQLKit

/// Agencies, divisions, users and roles, assessments, their results and OIT items, sessions, audit log.
struct M0001InitialSchema: Migration {
    let version = 1
    let name = "initial schema"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "agencies")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("code", type: .text, .notNull, .unique)
            .column("name_th", type: .text, .notNull)
            .column("name_en", type: .text, .notNull)
            .column("short_th", type: .text, .notNull)
            .column("short_en", type: .text, .notNull)
            .column("type", type: .text, .notNull)
            .column("province", type: .text, .notNull)
            .column("district", type: .text, .notNull)
            .column("website", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()

        try await db.create(table: "divisions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("agency_id", type: .text, .notNull, .references("agencies", "id"))
            .column("code", type: .text, .notNull)
            .column("name_th", type: .text, .notNull)
            .column("name_en", type: .text, .notNull)
            .unique("agency_id", "code")
            .run()

        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("username", type: .text, .notNull, .unique)
            .column("display_name", type: .text, .notNull)
            .column("password_hash", type: .text, .notNull)
            .column("active", type: .int, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()

        try await db.create(table: "role_grants")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("agency_id", type: .text, .references("agencies", "id"))
            .column("role", type: .text, .notNull)
            .column("division_id", type: .text, .references("divisions", "id"))
            .run()
        try await db.create(index: "role_grants_user").on("role_grants").column("user_id").run()

        try await db.create(table: "assessments")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("agency_id", type: .text, .notNull, .references("agencies", "id"))
            .column("framework_id", type: .text, .notNull)
            .column("fiscal_year", type: .int, .notNull)
            .column("created_at", type: .text, .notNull)
            .unique("agency_id", "fiscal_year")
            .run()

        // Survey part and checklist tool scores, published or computed; exact decimal text.
        try await db.create(table: "assessment_results")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("result_key", type: .text, .notNull)
            .column("score", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .primaryKey("assessment_id", "result_key")
            .run()

        try await db.create(table: "oit_item_results")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("passed", type: .int)
            .column("progress", type: .text, .notNull)
            .column("note", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .primaryKey("assessment_id", "item_id")
            .run()

        try await db.create(table: "oit_item_divisions")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("division_id", type: .text, .notNull, .references("divisions", "id"))
            .primaryKey("assessment_id", "item_id", "division_id")
            .run()

        // Server-side sessions: app nodes stay stateless. Only a hash of the token is stored.
        try await db.create(table: "sessions")
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("csrf_token", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("expires_at", type: .text, .notNull)
            .run()

        try await db.create(table: "audit_log")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("at", type: .text, .notNull)
            .column("user_id", type: .text)
            .column("actor", type: .text, .notNull)
            .column("agency_id", type: .text)
            .column("action", type: .text, .notNull)
            .column("entity", type: .text, .notNull)
            .column("entity_id", type: .text, .notNull)
            .column("detail", type: .text, .notNull)
            .run()
        try await db.create(index: "audit_log_agency").on("audit_log").column("agency_id").column("at").run()
    }
}
