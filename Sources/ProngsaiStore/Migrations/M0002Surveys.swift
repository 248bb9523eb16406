import SQLKit

/// Survey windows, one-time codes, anonymous responses and submission receipts.
///
/// Anonymity is a property of the schema: `survey_responses` has no column that could name a person
/// (no IP, user agent, cookie, code or time of day: the date only), and neither `survey_codes` nor
/// `survey_submissions` refers to a response. A code is only flagged spent, with no time, so the
/// order codes were spent in cannot be matched against the order answers arrived in.
struct M0002Surveys: Migration {
    let version = 2
    let name = "surveys"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "survey_windows")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("part_id", type: .text, .notNull)
            .column("public_code", type: .text, .notNull, .unique)
            .column("opens_on", type: .text, .notNull)
            .column("closes_on", type: .text, .notNull)
            .column("requires_code", type: .int, .notNull)
            .column("population", type: .int)
            .column("updated_at", type: .text, .notNull)
            .primaryKey("assessment_id", "part_id")
            .run()

        try await db.create(table: "survey_codes")
            .column("code", type: .text, .primaryKey(autoIncrement: false))
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("part_id", type: .text, .notNull)
            .column("spent", type: .int, .notNull)
            .run()
        try await db.create(index: "survey_codes_part").on("survey_codes").column("assessment_id").column("part_id").run()

        try await db.create(table: "survey_responses")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("part_id", type: .text, .notNull)
            .column("submitted_on", type: .text, .notNull)
            .column("answers", type: .text, .notNull)
            .run()
        try await db.create(index: "survey_responses_part").on("survey_responses").column("assessment_id").column("part_id").run()

        // Receipts of submitted forms, so a retried or double-clicked submit is recorded once.
        try await db.create(table: "survey_submissions")
            .column("submission_id", type: .text, .primaryKey(autoIncrement: false))
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("part_id", type: .text, .notNull)
            .run()
    }
}
