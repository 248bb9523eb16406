import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// What became of a submitted form.
public enum SubmitOutcome: Sendable, Hashable {
    /// Stored now.
    case recorded
    /// This form was stored before (a retry or a double click); nothing new is stored.
    case duplicate
    case codeUnknown
    case codeSpent
}

public protocol SurveyRepository: Sendable {
    func windows(assessmentID: String, logger: Logger) async throws -> [SurveyWindow]
    func window(publicCode: String, logger: Logger) async throws -> SurveyWindow?
    func saveWindow(_ window: SurveyWindow, assessment: Assessment, by actor: Actor, logger: Logger) async throws
    func generateCodes(assessment: Assessment, partID: String, count: Int, by actor: Actor, logger: Logger) async throws -> [String]
    func codes(assessmentID: String, partID: String, logger: Logger) async throws -> [(code: String, spent: Bool)]
    /// Stores one anonymous response, spending the one-time code if one is given; all or nothing.
    func submit(assessmentID: String, partID: String, submissionID: String, code: String?, response: SurveyResponse, on day: CivilDate, logger: Logger) async throws -> SubmitOutcome
    /// Stores several responses at once (EIT part 2 entry and import); all or nothing.
    func importResponses(_ responses: [SurveyResponse], assessment: Assessment, partID: String, on day: CivilDate, by actor: Actor, logger: Logger) async throws
    func responses(assessmentID: String, partID: String?, logger: Logger) async throws -> [StoredResponse]
    /// Responses per part and day.
    func dailyCounts(assessmentID: String, logger: Logger) async throws -> [String: [(day: CivilDate, count: Int)]]
}

public struct SQLSurveyRepository: SurveyRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func windows(assessmentID: String, logger: Logger) async throws -> [SurveyWindow] {
        try await database.sql.select().column("*").from("survey_windows").where("assessment_id", .equal, assessmentID)
            .all().compactMap(Self.window)
    }

    public func window(publicCode: String, logger: Logger) async throws -> SurveyWindow? {
        try await database.sql.select().column("*").from("survey_windows").where("public_code", .equal, publicCode)
            .first().flatMap(Self.window)
    }

    public func saveWindow(_ window: SurveyWindow, assessment: Assessment, by actor: Actor, logger: Logger) async throws {
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

    public func generateCodes(assessment: Assessment, partID: String, count: Int, by actor: Actor, logger: Logger) async throws -> [String] {
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

    public func codes(assessmentID: String, partID: String, logger: Logger) async throws -> [(code: String, spent: Bool)] {
        try await database.sql.select().column("code").column("spent").from("survey_codes")
            .where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID).orderBy("code").all()
            .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "spent", as: Int.self) != 0) }
    }

    struct Refused: Error { var outcome: SubmitOutcome }

    public func submit(assessmentID: String, partID: String, submissionID: String, code: String?, response: SurveyResponse, on day: CivilDate, logger: Logger) async throws -> SubmitOutcome {
        do {
            return try await database.transaction { db in
                let receipt = try await db.insert(into: "survey_submissions").columns("submission_id", "assessment_id", "part_id")
                    .values(SQLBind(submissionID), SQLBind(assessmentID), SQLBind(partID))
                    .ignoringConflicts(with: ["submission_id"]).returning("submission_id").all()
                if receipt.isEmpty { return .duplicate }
                if let code {
                    let spent = try await db.update("survey_codes").set("spent", to: 1)
                        .where("code", .equal, code).where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID)
                        .where("spent", .equal, 0).returning("code").all()
                    if spent.isEmpty {
                        let known = try await db.select().column("code").from("survey_codes")
                            .where("code", .equal, code).where("assessment_id", .equal, assessmentID).where("part_id", .equal, partID).first()
                        throw Refused(outcome: known == nil ? .codeUnknown : .codeSpent)
                    }
                }
                try await Self.insert(response, assessmentID: assessmentID, partID: partID, on: day, db: db)
                return .recorded
            }
        } catch let refused as Refused {
            return refused.outcome
        }
    }

    public func importResponses(_ responses: [SurveyResponse], assessment: Assessment, partID: String, on day: CivilDate, by actor: Actor, logger: Logger) async throws {
        try await database.transaction { db in
            for response in responses { try await Self.insert(response, assessmentID: assessment.id, partID: partID, on: day, db: db) }
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "enter-responses", entity: "survey", entityID: "\(assessment.id)/\(partID)",
                                  detail: ["part": .string(partID), "count": .number(Decimal(responses.count))])
        }
    }

    static func insert(_ response: SurveyResponse, assessmentID: String, partID: String, on day: CivilDate, db: any SQLDatabase) async throws {
        try await db.insert(into: "survey_responses").columns("id", "assessment_id", "part_id", "submitted_on", "answers")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(assessmentID), SQLBind(partID), SQLBind(day.iso),
                    SQLBind(response.json.serialized(pretty: false)))
            .run()
    }

    public func responses(assessmentID: String, partID: String?, logger: Logger) async throws -> [StoredResponse] {
        var query = database.sql.select().column("part_id").column("submitted_on").column("answers").from("survey_responses")
            .where("assessment_id", .equal, assessmentID)
        if let partID { query = query.where("part_id", .equal, partID) }
        return try await query.orderBy("submitted_on").orderBy("id").all().compactMap { row in
            guard let day = CivilDate(iso: try row.decode(column: "submitted_on", as: String.self)),
                let answers = try? JSONParser.parse(try row.decode(column: "answers", as: String.self))
            else { return nil }
            return StoredResponse(partID: try row.decode(column: "part_id", as: String.self), submittedOn: day, response: SurveyResponse(json: answers))
        }
    }

    public func dailyCounts(assessmentID: String, logger: Logger) async throws -> [String: [(day: CivilDate, count: Int)]] {
        let rows = try await database.sql.select().column("part_id").column("submitted_on").column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from("survey_responses").where("assessment_id", .equal, assessmentID)
            .groupBy("part_id").groupBy("submitted_on").orderBy("submitted_on").all()
        var counts: [String: [(day: CivilDate, count: Int)]] = [:]
        for row in rows {
            guard let day = CivilDate(iso: try row.decode(column: "submitted_on", as: String.self)) else { continue }
            counts[try row.decode(column: "part_id", as: String.self), default: []].append((day, try row.decode(column: "n", as: Int.self)))
        }
        return counts
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

