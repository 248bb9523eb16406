import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// A fiscal-year round an assessing body runs: a framework for a set of agencies.
public struct AssessmentRound: Sendable, Hashable, Identifiable {
    public var id: String
    public var fiscalYear: Int
    public var frameworkID: String
    public var title: String

    public init(id: String = UUID().uuidString.lowercased(), fiscalYear: Int, frameworkID: String, title: String) {
        self.id = id
        self.fiscalYear = fiscalYear
        self.frameworkID = frameworkID
        self.title = title
    }
}

/// Assessors who assess a set of the round's agencies together.
public struct AssessorTeam: Sendable, Hashable, Identifiable {
    public var id: String
    public var roundID: String
    public var name: String
    public var memberIDs: [String]
    public var agencyIDs: [String]
}

/// An OIT item waiting for an assessor, across agencies.
public struct QueuedItem: Sendable, Hashable {
    public var agencyID: String
    public var assessmentID: String
    public var fiscalYear: Int
    public var frameworkID: String
    public var itemID: String
    public var status: ItemStatus
    public var judgedOn: CivilDate?
    /// When the item last moved (the queue is oldest first).
    public var since: String
}

/// An agency code a round's list names that is not an agency here (the list is then refused whole).
public struct UnknownAgencies: Error, DomainError {
    public var codes: [String]
    public var userMessage: LocalizedText {
        LocalizedText(th: "ไม่พบหน่วยงานรหัส \(codes.joined(separator: ", ")) จึงยังไม่บันทึกรายการใด (นำเข้าหน่วยงานก่อน)",
                      en: "No agency with code \(codes.joined(separator: ", ")), so nothing was saved (import the agencies first)")
    }
    public var kind: DomainErrorKind { .invalid }
}

public struct RoundRepository: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ round: AssessmentRound, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "rounds").columns("id", "fiscal_year", "framework_id", "title", "created_at")
                .values(SQLBind(round.id), SQLBind(round.fiscalYear), SQLBind(round.frameworkID), SQLBind(round.title), SQLBind(StoredTime.now()))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "create", entity: "round", entityID: round.id,
                                  detail: ["fiscalYear": .number(Decimal(round.fiscalYear)), "framework": .string(round.frameworkID)])
        }
    }

    public func all(logger: Logger) async throws -> [AssessmentRound] {
        try await database.sql.select().column("*").from("rounds").orderBy("fiscal_year", .descending).orderBy("title").all().map(Self.round)
    }

    public func find(id: String, logger: Logger) async throws -> AssessmentRound? {
        try await database.sql.select().column("*").from("rounds").where("id", .equal, id).first().map(Self.round)
    }

    static func round(_ row: any SQLRow) throws -> AssessmentRound {
        AssessmentRound(id: try row.decode(column: "id", as: String.self), fiscalYear: try row.decode(column: "fiscal_year", as: Int.self),
                        frameworkID: try row.decode(column: "framework_id", as: String.self), title: try row.decode(column: "title", as: String.self))
    }

    /// Adds agencies by code, all or none: every code must name an agency. Each gets the round's assessment
    /// for the year (kept when it already has one). Returns how many were new to the round.
    @discardableResult
    public func add(codes: [String], to round: AssessmentRound, by actor: AuditActor, logger: Logger) async throws -> Int {
        let wanted = Array(Set(codes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        return try await database.transaction { db in
            let rows = wanted.isEmpty ? [] : try await db.select().column("id").column("code").from("agencies").where("code", .in, wanted).all()
            var ids: [String: String] = [:]
            for row in rows { ids[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: String.self) }
            let unknown = wanted.filter { ids[$0] == nil }
            guard unknown.isEmpty else { throw UnknownAgencies(codes: unknown) }
            var added = 0
            for code in wanted {
                let agencyID = ids[code]!
                let member = try await db.select().column("agency_id").from("round_agencies").where("round_id", .equal, round.id)
                    .where("agency_id", .equal, agencyID).first()
                if member == nil {
                    try await db.insert(into: "round_agencies").columns("round_id", "agency_id").values(SQLBind(round.id), SQLBind(agencyID)).run()
                    added += 1
                }
                let existing = try await db.select().column("id").from("assessments").where("agency_id", .equal, agencyID)
                    .where("fiscal_year", .equal, round.fiscalYear).first()
                if existing == nil {
                    let assessment = Assessment(agencyID: agencyID, frameworkID: round.frameworkID, fiscalYear: round.fiscalYear)
                    try await db.insert(into: "assessments").columns("id", "agency_id", "framework_id", "fiscal_year", "created_at")
                        .values(SQLBind(assessment.id), SQLBind(agencyID), SQLBind(round.frameworkID), SQLBind(round.fiscalYear), SQLBind(StoredTime.now()))
                        .run()
                    try await recordAudit(on: db, actor: actor, agencyID: agencyID, action: "create", entity: "assessment", entityID: assessment.id,
                                          detail: ["round": .string(round.id)])
                }
            }
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "round.agencies", entity: "round", entityID: round.id,
                                  detail: ["added": .number(Decimal(added))])
            return added
        }
    }

    public func agencyIDs(roundID: String, logger: Logger) async throws -> [String] {
        try await database.sql.select().column("agency_id").from("round_agencies").where("round_id", .equal, roundID).all()
            .map { try $0.decode(column: "agency_id", as: String.self) }
    }

    /// The round's agencies, by code.
    public func agencies(roundID: String, logger: Logger) async throws -> [Agency] {
        let query: SQLQueryString = """
            SELECT g.* FROM agencies g JOIN round_agencies r ON r.agency_id = g.id WHERE r.round_id = \(bind: roundID) ORDER BY g.code
            """
        return try await database.sql.raw(query).all().map(SQLAgencyRepository.agency)
    }

    public func createTeam(roundID: String, name: String, by actor: AuditActor, logger: Logger) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await database.transaction { db in
            try await db.insert(into: "teams").columns("id", "round_id", "name").values(SQLBind(id), SQLBind(roundID), SQLBind(name)).run()
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "team.create", entity: "team", entityID: id, detail: ["name": .string(name)])
        }
        return id
    }

    public func teams(roundID: String, logger: Logger) async throws -> [AssessorTeam] {
        let teams = try await database.sql.select().column("*").from("teams").where("round_id", .equal, roundID).orderBy("name").all()
        var out: [AssessorTeam] = []
        for row in teams {
            let id = try row.decode(column: "id", as: String.self)
            out.append(AssessorTeam(
                id: id, roundID: roundID, name: try row.decode(column: "name", as: String.self),
                memberIDs: try await database.sql.select().column("user_id").from("team_members").where("team_id", .equal, id).all()
                    .map { try $0.decode(column: "user_id", as: String.self) },
                agencyIDs: try await database.sql.select().column("agency_id").from("team_agencies").where("team_id", .equal, id).all()
                    .map { try $0.decode(column: "agency_id", as: String.self) }))
        }
        return out
    }

    /// Sets a team's members and agencies (the agencies must be in the round).
    public func setTeam(_ teamID: String, roundID: String, memberIDs: [String], agencyIDs: [String], by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.delete(from: "team_members").where("team_id", .equal, teamID).run()
            try await db.delete(from: "team_agencies").where("team_id", .equal, teamID).run()
            for user in Set(memberIDs) {
                try await db.insert(into: "team_members").columns("team_id", "user_id").values(SQLBind(teamID), SQLBind(user)).run()
            }
            for agency in Set(agencyIDs) {
                try await db.insert(into: "team_agencies").columns("team_id", "agency_id").values(SQLBind(teamID), SQLBind(agency)).run()
            }
            try await recordAudit(on: db, actor: actor, agencyID: nil, action: "team.set", entity: "team", entityID: teamID,
                                  detail: ["members": .number(Decimal(Set(memberIDs).count)), "agencies": .number(Decimal(Set(agencyIDs).count))])
        }
    }

    /// Stores published scores for many agencies in one transaction (all or none), one audit entry per agency.
    public func importScores(_ rows: [(assessment: Assessment, scores: [String: Decimal])], by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            for (assessment, scores) in rows where !scores.isEmpty {
                for (key, score) in scores.sorted(by: { $0.key < $1.key }) {
                    try await db.insert(into: "assessment_results").columns("assessment_id", "result_key", "score", "source", "updated_at")
                        .values(SQLBind(assessment.id), SQLBind(key), SQLBind(score.description), SQLBind(ResultSource.published.rawValue), SQLBind(StoredTime.now()))
                        .onConflict(with: ["assessment_id", "result_key"]) { $0.set(excludedValueOf: "score").set(excludedValueOf: "source").set(excludedValueOf: "updated_at") }
                        .run()
                }
                try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "import-results", entity: "assessment", entityID: assessment.id,
                                      detail: .object(JSONObject(scores.sorted(by: { $0.key < $1.key }).map { ($0.key, JSONValue.string($0.value.description)) })))
            }
        }
    }

    /// Stores published OIT item results for many agencies in one transaction (all or none).
    public func importItemResults(_ rows: [(assessment: Assessment, results: [PublishedItemResult])], by actor: AuditActor, logger: Logger) async throws {
        for (_, results) in rows {
            for result in results {
                if let problem = PublishedItemResult.problem(source: result.source) { throw PublishedResultError(itemID: result.itemID, problem: problem) }
            }
        }
        try await database.transaction { db in
            for (assessment, results) in rows {
                for result in results { try await SQLAssessmentRepository.writePublished(result, assessment: assessment, on: db, actor: actor) }
            }
        }
    }

    /// Published item results of the round's agencies for its year: (agency id, result), by agency then item.
    public func itemResults(round: AssessmentRound, logger: Logger) async throws -> [(agencyID: String, itemID: String, passed: Bool, reason: String)] {
        let query: SQLQueryString = """
            SELECT a.agency_id, p.item_id, p.passed, p.reason FROM published_item_results p JOIN assessments a ON a.id = p.assessment_id \
            JOIN round_agencies r ON r.agency_id = a.agency_id WHERE r.round_id = \(bind: round.id) AND a.fiscal_year = \(bind: round.fiscalYear)
            """
        return try await database.sql.raw(query).all().map { row in
            (try row.decode(column: "agency_id", as: String.self), try row.decode(column: "item_id", as: String.self),
             try row.decode(column: "passed", as: Int.self) != 0, try row.decode(column: "reason", as: String.self))
        }
    }

    /// The assessor's queue across the agencies they assess: items sent for assessment or with a
    /// clarification filed (oldest first), then judged items still inside their clarification window.
    public func queue(agencyIDs: [String], logger: Logger) async throws -> [QueuedItem] {
        guard !agencyIDs.isEmpty else { return [] }
        let rows = try await database.sql.select()
            .column(SQLColumn("agency_id", table: "a")).column(SQLColumn("id", table: "a"), as: "assessment_id").column(SQLColumn("fiscal_year", table: "a"))
            .column(SQLColumn("framework_id", table: "a")).column(SQLColumn("item_id", table: "r")).column(SQLColumn("status", table: "r"))
            .column(SQLColumn("judged_on", table: "r")).column(SQLColumn("updated_at", table: "r"))
            .from(SQLAlias(SQLIdentifier("oit_item_reviews"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("assessments"), as: SQLIdentifier("a")), on: SQLColumn("assessment_id", table: "r"), .equal, SQLColumn("id", table: "a"))
            .where(SQLColumn("agency_id", table: "a"), .in, SQLBind.group(agencyIDs))
            .where(SQLColumn("status", table: "r"), .in, SQLBind.group([ItemStatus.sent.rawValue, ItemStatus.clarification.rawValue, ItemStatus.judged.rawValue]))
            .orderBy(SQLColumn("updated_at", table: "r")).orderBy(SQLColumn("item_id", table: "r"))
            .all()
        return try rows.map { row in
            QueuedItem(agencyID: try row.decode(column: "agency_id", as: String.self), assessmentID: try row.decode(column: "assessment_id", as: String.self),
                       fiscalYear: try row.decode(column: "fiscal_year", as: Int.self), frameworkID: try row.decode(column: "framework_id", as: String.self),
                       itemID: try row.decode(column: "item_id", as: String.self),
                       status: ItemStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .sent,
                       judgedOn: try row.decode(column: "judged_on", as: String?.self).flatMap(CivilDate.init(iso:)),
                       since: try row.decode(column: "updated_at", as: String.self))
        }
    }
}
