import SQLKit

/// Networks whose answers to a part repeated one another that day (near-identical answers), beside the
/// bursts of many answers: a count per part and day, no address, no answer.
struct M0014AnswerEchoes: Migration {
    let version = 14
    let name = "answer echoes"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.alter(table: "survey_bursts").column("echoes", type: .int, .notNull, .default(0)).run()
    }
}
