import SQLKit

/// OIT item results as the assessing body published them, each with its source (an announcement's
/// address, or a file and its SHA-256). Assessors' judgements stay in `oit_item_results` and
/// `oit_item_reviews`; a published result outranks them when an item is scored.
struct M0008PublishedItemResults: Migration {
    let version = 8
    let name = "published item results"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "published_item_results")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("passed", type: .int, .notNull)
            .column("reason", type: .text, .notNull)
            .column("source_url", type: .text)
            .column("source_file", type: .text)
            .column("source_sha256", type: .text)
            .column("recorded_by", type: .text, .notNull)
            .column("recorded_at", type: .text, .notNull)
            .primaryKey("assessment_id", "item_id")
            .run()
    }
}
