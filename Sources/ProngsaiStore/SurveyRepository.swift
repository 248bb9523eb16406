import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// What became of a submitted form.
public enum SubmitOutcome: Sendable, Hashable {
    /// Stored now, as pending until its batch is released.
    case recorded
    /// This form was stored before (a retry or a double click); nothing new is stored.
    case duplicate
    case codeUnknown
    case codeSpent
}

/// Why a network was counted on the surveys page: many answers in a day, or answers that repeat one another.
public enum BurstKind: Sendable {
    case manyAnswers
    case echoes
}

/// Networks counted for a part on one day (never which networks).
public struct SurveyBurst: Sendable, Hashable {
    public var partID: String
    public var day: CivilDate
    public var manyAnswers: Int
    public var echoes: Int
}

public protocol SurveyRepository: Sendable {
    func windows(assessmentID: String, logger: Logger) async throws -> [SurveyWindow]
    func window(publicCode: String, logger: Logger) async throws -> SurveyWindow?
    func saveWindow(_ window: SurveyWindow, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws
    func generateCodes(assessment: Assessment, partID: String, count: Int, by actor: AuditActor, logger: Logger) async throws -> [String]
    /// Every code of a part, in code order, spent or not: nothing here says which codes were used.
    func codes(assessmentID: String, partID: String, logger: Logger) async throws -> [String]
    /// Whether a one-time code can still be used: nil when it can, else `.codeUnknown` or `.codeSpent`.
    /// Asked by the respondent holding the code, before the questions; nothing is spent or recorded.
    func codeState(assessmentID: String, partID: String, code: String, logger: Logger) async throws -> SubmitOutcome?
    /// Accepts one anonymous response as pending, spending the one-time code if one is given; all or nothing.
    func submit(assessmentID: String, partID: String, submissionID: String, code: String?, response: SurveyResponse, logger: Logger) async throws -> SubmitOutcome
    /// Accepts several responses at once as pending (EIT part 2 entry and import); all or nothing.
    func importResponses(_ responses: [SurveyResponse], assessment: Assessment, partID: String, by actor: AuditActor, logger: Logger) async throws
    /// Released responses only.
    func responses(assessmentID: String, partID: String?, logger: Logger) async throws -> [StoredResponse]
    /// Released responses per part and day of release.
    func dailyCounts(assessmentID: String, logger: Logger) async throws -> [String: [(day: CivilDate, count: Int)]]
    /// Released answers counted per part (respondents, and per question how many gave each answer).
    func tallies(assessmentID: String, logger: Logger) async throws -> [String: ResponseTally]
    /// Every answer waiting for release: ids and parts only.
    func pending(logger: Logger) async throws -> [PendingAnswer]
    /// Parts of an assessment with answers waiting for release.
    func pendingParts(assessmentID: String, logger: Logger) async throws -> Set<String>
    /// Moves the given pending answers of one part into the responses, in random order with random ids,
    /// dated `day`, in one transaction; releases nothing (and returns 0) when fewer than `minimum` of
    /// them are still pending. `seed` makes the shuffle repeatable (tests only).
    func release(ids: [String], assessmentID: String, partID: String, minimum: Int, on day: CivilDate, seed: UInt64?, logger: Logger) async throws -> Int
    /// Removes what released pending rows left behind in the database files: `thorough` rewrites the
    /// pending table (PostgreSQL) or truncates the write-ahead log (SQLite), which holds up writes while
    /// it runs; otherwise the clean-up does not block (for rounds while answers keep coming).
    func purgeReleased(thorough: Bool, logger: Logger) async throws
    /// One more network past the day's threshold for a survey part on `day` (many answers, or answers that
    /// repeat one another); no address is kept.
    func recordBurst(assessmentID: String, partID: String, day: CivilDate, kind: BurstKind, logger: Logger) async throws
    /// Bursts per part and day, oldest first.
    func bursts(assessmentID: String, logger: Logger) async throws -> [SurveyBurst]
}

extension SurveyRepository {
    /// The thorough clean-up.
    public func purgeReleased(logger: Logger) async throws { try await purgeReleased(thorough: true, logger: logger) }
}

/// An accepted answer waiting for its batch: no answers, no date, just where it belongs.
public struct PendingAnswer: Sendable, Hashable {
    public var id: String
    public var assessmentID: String
    public var partID: String
}

public struct SQLSurveyRepository: SurveyRepository {
    let database: Database
    /// Shared by every copy of this repository: forms without a code are written in groups.
    let batcher: SubmissionBatcher
    public init(database: Database) {
        self.database = database
        batcher = SubmissionBatcher(database: database)
    }

    public func windows(assessmentID: String, logger: Logger) async throws -> [SurveyWindow] {
        try await database.sql.select().column("*").from("survey_windows").where("assessment_id", .equal, assessmentID)
            .all().compactMap(Self.window)
    }

    public func window(publicCode: String, logger: Logger) async throws -> SurveyWindow? {
        try await database.sql.select().column("*").from("survey_windows").where("public_code", .equal, publicCode)
            .first().flatMap(Self.window)
    }

    public func saveWindow(_ window: SurveyWindow, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "survey_windows")
                .columns("assessment_id", "part_id", "public_code", "opens_on", "closes_on", "requires_code", "population", "updated_at")
                .values(SQLBind(window.assessmentID), SQLBind(window.partID), SQLBind(window.publicCode), SQLBind(window.opensOn.iso),
                        SQLBind(window.closesOn.iso), SQLBind(window.requiresCode ? 1 : 0), SQLBind(window.population), SQLBind(StoredTime.now()))
                .onConflict(with: ["assessment_id", "part_id"]) {
                    $0.set(excludedValueOf: "opens_on").set(excludedValueOf: "closes_on").set(excludedValueOf: "requires_code")
                        .set(excludedValueOf: "population").set(excludedValueOf: "updated_at")
                }
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "set-window", entity: "survey", entityID: "\(assessment.id)/\(window.partID)",
                                  detail: ["part": .string(window.partID), "opens": .string(window.opensOn.iso), "closes": .string(window.closesOn.iso),
                                           "requiresCode": .bool(window.requiresCode), "population": window.population.map { .number(Decimal($0)) } ?? .null])
        }
    }

    public func generateCodes(assessment: Assessment, partID: String, count: Int, by actor: AuditActor, logger: Logger) async throws -> [String] {
        try await database.transaction { db in
            var made: [String] = []
            while made.count < count {
                let code = OneTimeCode.make()
                let inserted = try await db.insert(into: "survey_codes").columns("code", "assessment_id", "part_id", "spent")
                    .values(SQLBind(code), SQLBind(assessment.id), SQLBind(partID), SQLBind(0))
                    .ignoringConflicts(with: ["code"]).returning("code").all()
                if !inserted.isEmpty { made.append(code) }
            }
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "generate-codes", entity: "survey", entityID: "\(assessment.id)/\(partID)",
                                  detail: ["part": .string(partID), "count": .number(Decimal(count))])
            return made
        }
    }

    public func codeState(assessmentID: String, partID: String, code: String, logger: Logger) async throws -> SubmitOutcome? {
        guard let row = try await database.sql.select().column("spent").from("survey_codes")
            .where("code", .equal, code).where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID).first()
        else { return .codeUnknown }
        return try row.decode(column: "spent", as: Int.self) != 0 ? .codeSpent : nil
    }

    public func codes(assessmentID: String, partID: String, logger: Logger) async throws -> [String] {
        try await database.sql.select().column("code").from("survey_codes")
            .where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID).orderBy("code").all()
            .map { try $0.decode(column: "code", as: String.self) }
    }

    struct Refused: Error { var outcome: SubmitOutcome }

    public func submit(assessmentID: String, partID: String, submissionID: String, code: String?, response: SurveyResponse, logger: Logger) async throws -> SubmitOutcome {
        guard let code else {
            return try await batcher.submit(.init(assessmentID: assessmentID, partID: partID, submissionID: submissionID,
                                                  answers: response.json.serialized(pretty: false)))
        }
        do {
            return try await database.transaction { db in
                let receipt = try await db.insert(into: "survey_submissions").columns("submission_id", "assessment_id", "part_id")
                    .values(SQLBind(submissionID), SQLBind(assessmentID), SQLBind(partID))
                    .ignoringConflicts(with: ["submission_id"]).returning("submission_id").all()
                if receipt.isEmpty { return .duplicate }
                let spent = try await db.update("survey_codes").set("spent", to: 1)
                    .where("code", .equal, code).where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID)
                    .where("spent", .equal, 0).returning("code").all()
                if spent.isEmpty {
                    let known = try await db.select().column("code").from("survey_codes")
                        .where("code", .equal, code).where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID).first()
                    throw Refused(outcome: known == nil ? .codeUnknown : .codeSpent)
                }
                try await Self.hold(response, assessmentID: assessmentID, partID: partID, db: db)
                return .recorded
            }
        } catch let refused as Refused {
            return refused.outcome
        }
    }

    public func importResponses(_ responses: [SurveyResponse], assessment: Assessment, partID: String, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            for response in responses { try await Self.hold(response, assessmentID: assessment.id, partID: partID, db: db) }
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "enter-responses", entity: "survey", entityID: "\(assessment.id)/\(partID)",
                                  detail: ["part": .string(partID), "count": .number(Decimal(responses.count))])
        }
    }

    /// An accepted answer, pending: a random id, the part and the answers; no date or time.
    static func hold(_ response: SurveyResponse, assessmentID: String, partID: String, db: any SQLDatabase) async throws {
        try await db.insert(into: "survey_pending").columns("id", "assessment_id", "part_id", "answers")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(assessmentID), SQLBind(partID), SQLBind(response.json.serialized(pretty: false)))
            .run()
    }

    public func pending(logger: Logger) async throws -> [PendingAnswer] {
        try await database.sql.select().column("id").column("assessment_id").column("part_id").from("survey_pending").all().map { row in
            PendingAnswer(id: try row.decode(column: "id", as: String.self), assessmentID: try row.decode(column: "assessment_id", as: String.self),
                          partID: try row.decode(column: "part_id", as: String.self))
        }
    }

    public func recordBurst(assessmentID: String, partID: String, day: CivilDate, kind: BurstKind, logger: Logger) async throws {
        let column = kind == .manyAnswers ? "events" : "echoes"
        try await database.sql.insert(into: "survey_bursts").columns("assessment_id", "part_id", "day", "events", "echoes")
            .values(SQLBind(assessmentID), SQLBind(partID), SQLBind(day.iso), SQLBind(kind == .manyAnswers ? 1 : 0), SQLBind(kind == .echoes ? 1 : 0))
            .onConflict(with: ["assessment_id", "part_id", "day"]) { $0.set(column, to: SQLRaw("survey_bursts.\(column) + 1")) }
            .run()
    }

    public func bursts(assessmentID: String, logger: Logger) async throws -> [SurveyBurst] {
        try await database.sql.select().column("part_id").column("day").column("events").column("echoes").from("survey_bursts")
            .where("assessment_id", .equal, assessmentID).orderBy("day").orderBy("part_id").all().compactMap { row in
                guard let day = CivilDate(iso: try row.decode(column: "day", as: String.self)) else { return nil }
                return SurveyBurst(partID: try row.decode(column: "part_id", as: String.self), day: day,
                                   manyAnswers: try row.decode(column: "events", as: Int.self), echoes: try row.decode(column: "echoes", as: Int.self))
            }
    }

    public func pendingParts(assessmentID: String, logger: Logger) async throws -> Set<String> {
        Set(try await database.sql.select().distinct().column("part_id").from("survey_pending").where("assessment_id", .equal, assessmentID).all()
            .map { try $0.decode(column: "part_id", as: String.self) })
    }

    struct TooFew: Error {}

    public func release(ids: [String], assessmentID: String, partID: String, minimum: Int, on day: CivilDate, seed: UInt64?, logger: Logger) async throws -> Int {
        guard ids.count >= minimum, !ids.isEmpty else { return 0 }
        let sqlite = database.engine == .sqlite
        do {
            return try await database.transaction { db in
                // Another node may have released some of these already: its delete wins, and this
                // batch goes ahead only if at least `minimum` of them were still here.
                var answers: [String] = []
                for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                    answers += try await db.delete(from: "survey_pending")
                        .where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID).where("id", .in, chunk)
                        .returning("answers").all().map { try $0.decode(column: "answers", as: String.self) }
                }
                guard answers.count >= minimum else { throw TooFew() }
                var system = SystemRandomNumberGenerator()
                var seeded = seed.map(SplitMix64.init(seed:))
                func shuffled(_ list: [String]) -> [String] {
                    if seeded != nil { return list.shuffled(using: &seeded!) }
                    return list.shuffled(using: &system)
                }
                func randomRowID() -> Int64 {
                    if seeded != nil { return Int64.random(in: 1...Int64.max, using: &seeded!) }
                    return Int64.random(in: 1...Int64.max, using: &system)
                }
                // SQLite keeps rows in rowid order, so each row gets a random rowid: the file's order says
                // nothing about when an answer came, not even which batch it came in. Rows go in 200 to a
                // statement (in the shuffled order), so a large batch holds the writer briefly.
                let rows = shuffled(answers)
                for start in stride(from: 0, to: rows.count, by: 200) {
                    var insert = db.insert(into: "survey_responses")
                        .columns(sqlite ? ["rowid", "id", "assessment_id", "part_id", "submitted_on", "answers"] : ["id", "assessment_id", "part_id", "submitted_on", "answers"])
                    for text in rows[start..<min(start + 200, rows.count)] {
                        var values: [any SQLExpression] = [SQLBind(UUID().uuidString.lowercased()), SQLBind(assessmentID), SQLBind(partID), SQLBind(day.iso), SQLBind(text)]
                        if sqlite { values.insert(SQLBind(randomRowID()), at: 0) }
                        insert = insert.values(values)
                    }
                    try await insert.run()
                }
                // The counts pages read, in the same transaction, so they always equal the answers.
                try await SurveyTallies.add(SurveyTallies.count(answers), days: [day.iso: answers.count], assessmentID: assessmentID, partID: partID, db: db)
                return answers.count
            }
        } catch is TooFew {
            return 0
        }
    }

    public func purgeReleased(thorough: Bool, logger: Logger) async throws {
        switch database.engine {
        case .postgres:
            // Deleted rows stay in the table's pages until vacuumed, and a plain vacuum leaves their bytes
            // in the freed space. The table is small (what waits for one round), so it is rewritten
            // whole: a dump never had the rows, and after this neither do the table's files. VACUUM FULL
            // locks the table, so while answers keep coming a plain vacuum stands in.
            try await database.sql.raw(thorough ? "VACUUM FULL survey_pending" : "VACUUM survey_pending").run()
        case .sqlite:
            // secure_delete (set on every connection) zeroes deleted rows in the database pages; the
            // write-ahead log still holds the pages as they were when the answers came in, until it is
            // checkpointed and truncated. Truncating waits for writers, so while answers keep coming a
            // passive checkpoint stands in.
            try await database.checkpoint(thorough: thorough)
        }
    }

    public func responses(assessmentID: String, partID: String?, logger: Logger) async throws -> [StoredResponse] {
        var query = database.sql.select().column("part_id").column("submitted_on").column("answers").from("survey_responses")
            .where("assessment_id", .equal, assessmentID)
        if let partID { query = query.where("part_id", .equal, partID) }
        // By release day, then by the random id: within a batch the order says nothing.
        return try await query.orderBy("submitted_on").orderBy("id").all().compactMap { row in
            guard let day = CivilDate(iso: try row.decode(column: "submitted_on", as: String.self)),
                let answers = try? JSONParser.parse(try row.decode(column: "answers", as: String.self))
            else { return nil }
            return StoredResponse(partID: try row.decode(column: "part_id", as: String.self), submittedOn: day, response: SurveyResponse(json: answers))
        }
    }

    public func dailyCounts(assessmentID: String, logger: Logger) async throws -> [String: [(day: CivilDate, count: Int)]] {
        let rows = try await database.sql.select().column("part_id").column("day").column("n").from("survey_days")
            .where("assessment_id", .equal, assessmentID).orderBy("day").orderBy("part_id").all()
        var counts: [String: [(day: CivilDate, count: Int)]] = [:]
        for row in rows {
            guard let day = CivilDate(iso: try row.decode(column: "day", as: String.self)) else { continue }
            counts[try row.decode(column: "part_id", as: String.self), default: []].append((day, try row.decode(column: "n", as: Int.self)))
        }
        return counts
    }

    public func tallies(assessmentID: String, logger: Logger) async throws -> [String: ResponseTally] {
        var respondents: [String: Int] = [:]
        for row in try await database.sql.select().column("part_id").column("n").from("survey_days").where("assessment_id", .equal, assessmentID).all() {
            respondents[try row.decode(column: "part_id", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self)
        }
        var entries: [String: [(question: String, answer: Answer, count: Int)]] = [:]
        for row in try await database.sql.select().column("part_id").column("question_id").column("answer").column("n").from("survey_tallies")
            .where("assessment_id", .equal, assessmentID).all() {
            guard let answer = Answer(storageText: try row.decode(column: "answer", as: String.self)) else { continue }
            entries[try row.decode(column: "part_id", as: String.self), default: []]
                .append((try row.decode(column: "question_id", as: String.self), answer, try row.decode(column: "n", as: Int.self)))
        }
        return Dictionary(uniqueKeysWithValues: respondents.map { part, count in (part, ResponseTally(respondents: count, counts: entries[part] ?? [])) })
    }

    static func window(_ row: any SQLRow) throws -> SurveyWindow? {
        guard let opens = CivilDate(iso: try row.decode(column: "opens_on", as: String.self)),
            let closes = CivilDate(iso: try row.decode(column: "closes_on", as: String.self))
        else { return nil }
        return SurveyWindow(
            assessmentID: try row.decode(column: "assessment_id", as: String.self), partID: try row.decode(column: "part_id", as: String.self),
            publicCode: try row.decode(column: "public_code", as: String.self), opensOn: opens, closesOn: closes,
            requiresCode: try row.decode(column: "requires_code", as: Int.self) != 0,
            population: try row.decodeNil(column: "population") ? nil : row.decode(column: "population", as: Int.self))
    }
}

