import SQLKit

/// A round's figures as the national recompute stores them (one row per agency, read by the public
/// results pages instead of scoring thousands of agencies per request), and the ministry an agency
/// belongs to (results are grouped by it).
struct M0021RoundScores: Migration {
    let version = 21
    let name = "round scores and ministries"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "round_scores")
            .column("round_id", type: .text, .notNull)
            .column("agency_id", type: .text, .notNull)
            .column("assessment_id", type: .text, .notNull)
            // Full-precision decimals as text; null while the agency's results are incomplete.
            .column("score", type: .text)
            .column("level", type: .text)
            .column("previous_score", type: .text)
            // Tool and part figures: {"iit": "97.82…", …}.
            .column("figures", type: .text, .notNull)
            .primaryKey("round_id", "agency_id")
            .run()
        try await db.alter(table: "rounds").column("scored_at", type: .text).run()
        try await db.alter(table: "agencies").column("ministry", type: .text, .notNull, .default("")).run()
    }
}
