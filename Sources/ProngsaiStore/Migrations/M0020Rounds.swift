import SQLKit

/// An assessing body's rounds (a fiscal year and its framework for a set of agencies) and its assessor
/// teams: a team's members assess the team's agencies.
struct M0020Rounds: Migration {
    let version = 20
    let name = "rounds and assessor teams"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "rounds")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("fiscal_year", type: .int, .notNull)
            .column("framework_id", type: .text, .notNull)
            .column("title", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()
        try await db.create(table: "round_agencies")
            .column("round_id", type: .text, .notNull)
            .column("agency_id", type: .text, .notNull)
            .primaryKey("round_id", "agency_id")
            .run()
        try await db.create(table: "teams")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("round_id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .unique("round_id", "name")
            .run()
        try await db.create(table: "team_members")
            .column("team_id", type: .text, .notNull)
            .column("user_id", type: .text, .notNull)
            .primaryKey("team_id", "user_id")
            .run()
        try await db.create(index: "team_members_by_user").on("team_members").column("user_id").run()
        try await db.create(table: "team_agencies")
            .column("team_id", type: .text, .notNull)
            .column("agency_id", type: .text, .notNull)
            .primaryKey("team_id", "agency_id")
            .run()
    }
}
