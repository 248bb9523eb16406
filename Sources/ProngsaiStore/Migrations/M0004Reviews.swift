import SQLKit

/// The review state of each OIT item: status, the assessor's reason, the judgement date (which opens
/// the clarification window) and the agency's clarification. The pass/fail itself stays in
/// `oit_item_results.passed`, which scoring reads.
struct M0004Reviews: Migration {
    let version = 4
    let name = "oit reviews"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "oit_item_reviews")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("item_id", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("reason", type: .text, .notNull)
            .column("judged_on", type: .text)
            .column("clarification", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .primaryKey("assessment_id", "item_id")
            .run()
    }
}
