import SQLKit

/// Accepted survey answers wait in `survey_pending` until they are released into `survey_responses` in a
/// shuffled batch of at least the framework's anonymity minimum (`SurveyReleaser`).
///
/// A public submission spends its one-time code and stores its answer here in one transaction, so a
/// spent code never loses its answer. The release is another transaction that deletes the pending rows
/// and writes the answers afresh with random ids, in random order, dated the day of the release: the
/// stored answer shares no transaction id, time or row order with the code it spent. The pending row
/// holds no date or time, and is deleted for good after the release (vacuum on PostgreSQL;
/// `secure_delete` and a checkpoint of the write-ahead log on SQLite).
struct M0007PendingResponses: Migration {
    let version = 7
    let name = "pending survey responses"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "survey_pending")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("part_id", type: .text, .notNull)
            .column("answers", type: .text, .notNull)
            .run()
        try await db.create(index: "survey_pending_part").on("survey_pending").column("assessment_id").column("part_id").run()
    }
}
