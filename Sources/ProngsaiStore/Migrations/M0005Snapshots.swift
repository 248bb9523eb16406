import SQLKit

/// What each evidence link returned when Prongsai fetched it: status, type, SHA-256 of the bytes
/// (kept in `blobs`), time, and whether it changed since the fetch before.
struct M0005Snapshots: Migration {
    let version = 5
    let name = "evidence snapshots"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "evidence_snapshots")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("url", type: .text, .notNull)
            .column("fetched_at", type: .text, .notNull)
            .column("status", type: .int)
            .column("content_type", type: .text, .notNull)
            .column("sha256", type: .text)
            .column("size", type: .bigint, .notNull)
            .column("error", type: .text)
            .column("changed", type: .int, .notNull)
            .run()
        try await db.create(index: "evidence_snapshots_url").on("evidence_snapshots").column("assessment_id").column("url").column("fetched_at").run()
    }
}
