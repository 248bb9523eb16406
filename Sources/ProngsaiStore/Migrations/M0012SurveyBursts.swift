import SQLKit

/// Bursts of submissions from one network to a survey part, counted per day for the assessor: no address
/// and no link to any answer is kept, only how many addresses sent more than the threshold that day.
struct M0012SurveyBursts: Migration {
    let version = 12
    let name = "survey bursts"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "survey_bursts")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("part_id", type: .text, .notNull)
            .column("day", type: .text, .notNull)
            .column("events", type: .int, .notNull)
            .primaryKey("assessment_id", "part_id", "day")
            .run()
    }
}
