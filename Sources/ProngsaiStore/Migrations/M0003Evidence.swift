import SQLKit

/// OIT item assignments, evidence revisions (never deleted) and content-addressed file blobs.
struct M0003Evidence: Migration {
    let version = 3
    let name = "oit evidence"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "oit_item_assignments")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("division_id", type: .text, .references("divisions", "id"))
            .column("assignee_id", type: .text, .references("users", "id"))
            .column("due_on", type: .text)
            .primaryKey("assessment_id", "item_id")
            .run()

        try await db.create(table: "oit_evidence_revisions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("revision", type: .int, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("created_by", type: .text, .notNull)
            .column("explanation", type: .text, .notNull)
            .column("components", type: .text, .notNull)
            .column("links", type: .text, .notNull)
            .column("files", type: .text, .notNull)
            .unique("assessment_id", "item_id", "revision")
            .run()

        // File contents by SHA-256. `data` is filled on PostgreSQL (every app node sees it); an embedded
        // SQLite deployment keeps the bytes in a folder beside the database instead.
        try await db.create(table: "blobs")
            .column("sha256", type: .text, .primaryKey(autoIncrement: false))
            .column("size", type: .bigint, .notNull)
            .column("content_type", type: .text, .notNull)
            .column("data", type: .blob)
            .column("created_at", type: .text, .notNull)
            .run()
    }
}
