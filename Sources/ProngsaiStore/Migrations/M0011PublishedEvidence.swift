import SQLKit

/// The evidence revision the ITA officer approved last for each item (the public page shows that one, not
/// later drafts), and files an officer withdrew from the public page with a reason (the bytes stay).
struct M0011PublishedEvidence: Migration {
    let version = 11
    let name = "published evidence"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "oit_published_revisions")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("revision", type: .int, .notNull)
            .column("published_at", type: .text, .notNull)
            .column("published_by", type: .text, .notNull)
            .primaryKey("assessment_id", "item_id")
            .run()
        try await db.create(table: "oit_withdrawn_files")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("sha256", type: .text, .notNull)
            .column("reason", type: .text, .notNull)
            .column("withdrawn_at", type: .text, .notNull)
            .column("withdrawn_by", type: .text, .notNull)
            .primaryKey("assessment_id", "item_id", "sha256")
            .run()
    }
}
