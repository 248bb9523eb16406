import Foundation
import ProngsaiCore
import SQLKit

/// Released answers counted: per part, question and answer how many gave it (`survey_tallies`), and per part
/// and release day how many answered (`survey_days`). The release writes them in the transaction that
/// writes the answers, so they always equal a count of `survey_responses`; pages read these few rows instead
/// of every answer. They hold nothing the released answers do not: the day is the release day already on
/// each answer, and counts are sums over whole batches.
struct M0017SurveyTallies: Migration {
    let version = 17
    let name = "survey tallies"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "survey_tallies")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("part_id", type: .text, .notNull)
            .column("question_id", type: .text, .notNull)
            .column("answer", type: .text, .notNull)
            .column("n", type: .bigint, .notNull)
            .primaryKey("assessment_id", "part_id", "question_id", "answer")
            .run()
        try await db.create(table: "survey_days")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("part_id", type: .text, .notNull)
            .column("day", type: .text, .notNull)
            .column("n", type: .bigint, .notNull)
            .primaryKey("assessment_id", "part_id", "day")
            .run()
        // Count what is already released, one assessment and part at a time.
        let parts = try await db.select().distinct().column("assessment_id").column("part_id").from("survey_responses").all()
        for row in parts {
            let assessmentID = try row.decode(column: "assessment_id", as: String.self)
            let partID = try row.decode(column: "part_id", as: String.self)
            var days: [String: Int] = [:]
            var answers: [String] = []
            for row in try await db.select().column("submitted_on").column("answers").from("survey_responses")
                .where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID).all() {
                days[try row.decode(column: "submitted_on", as: String.self), default: 0] += 1
                answers.append(try row.decode(column: "answers", as: String.self))
            }
            try await SurveyTallies.add(SurveyTallies.count(answers), days: days, assessmentID: assessmentID, partID: partID, db: db)
        }
    }
}

/// Writes to the counted answers; the release and the migration that first counted them share it.
enum SurveyTallies {
    /// Stored answers (their JSON text) counted; a text that does not read was validated on the way in
    /// and is skipped, as `responses` skips it.
    static func count(_ answers: [String]) -> ResponseTally {
        ResponseTally(answers.compactMap { text in (try? JSONParser.parse(text)).map(SurveyResponse.init(json:)) })
    }

    /// Adds a batch's counts (`days`: answers per release day) to what is stored.
    static func add(_ tally: ResponseTally, days: [String: Int], assessmentID: String, partID: String, db: any SQLDatabase) async throws {
        let entries = tally.entries
        for start in stride(from: 0, to: entries.count, by: 200) {
            var insert = db.insert(into: "survey_tallies").columns("assessment_id", "part_id", "question_id", "answer", "n")
            for entry in entries[start..<min(start + 200, entries.count)] {
                insert = insert.values(SQLBind(assessmentID), SQLBind(partID), SQLBind(entry.question), SQLBind(entry.answer.storageText), SQLBind(entry.count))
            }
            try await insert.onConflict(with: ["assessment_id", "part_id", "question_id", "answer"]) { $0.set("n", to: SQLRaw("survey_tallies.n + excluded.n")) }.run()
        }
        for (day, count) in days.sorted(by: { $0.key < $1.key }) {
            try await db.insert(into: "survey_days").columns("assessment_id", "part_id", "day", "n")
                .values(SQLBind(assessmentID), SQLBind(partID), SQLBind(day), SQLBind(count))
                .onConflict(with: ["assessment_id", "part_id", "day"]) { $0.set("n", to: SQLRaw("survey_days.n + excluded.n")) }
                .run()
        }
    }
}
