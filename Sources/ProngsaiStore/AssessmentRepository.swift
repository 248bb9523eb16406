import Foundation
import Logging
import ProngsaiCore
import SQLKit

public protocol AssessmentRepository: Sendable {
    func create(_ assessment: Assessment, by actor: AuditActor, logger: Logger) async throws
    func find(id: String, logger: Logger) async throws -> Assessment?
    func find(agencyID: String, fiscalYear: Int, logger: Logger) async throws -> Assessment?
    func all(agencyID: String, logger: Logger) async throws -> [Assessment]

    func results(assessmentID: String, logger: Logger) async throws -> [StoredResult]
    /// Sets (or with nil, clears) the stored score of one survey part or checklist tool.
    func setResult(_ assessment: Assessment, key: String, to result: StoredResult?, by actor: AuditActor, logger: Logger) async throws

    func items(assessmentID: String, logger: Logger) async throws -> [OITItemResult]
    func setItem(_ assessment: Assessment, _ item: OITItemResult, by actor: AuditActor, logger: Logger) async throws
    /// OIT item results as the assessing body published them.
    func publishedItems(assessmentID: String, logger: Logger) async throws -> [PublishedItemResult]
    /// Records published results, each with its source; all or none. Throws `PublishedResultError` for a
    /// result without a valid source.
    func recordPublished(_ results: [PublishedItemResult], assessment: Assessment, by actor: AuditActor, logger: Logger) async throws
}

public struct PublishedResultError: Error, Sendable {
    public var itemID: String
    public var problem: LocalizedText
}

public struct SQLAssessmentRepository: AssessmentRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ assessment: Assessment, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "assessments")
                .columns("id", "agency_id", "framework_id", "fiscal_year", "created_at")
                .values(SQLBind(assessment.id), SQLBind(assessment.agencyID), SQLBind(assessment.frameworkID),
                        SQLBind(assessment.fiscalYear), SQLBind(StoredTime.now()))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "create", entity: "assessment", entityID: assessment.id,
                                  detail: ["framework": .string(assessment.frameworkID), "fiscalYear": .number(Decimal(assessment.fiscalYear))])
        }
    }

    public func find(id: String, logger: Logger) async throws -> Assessment? {
        try await database.sql.select().column("*").from("assessments").where("id", .equal, id).first().map(Self.assessment)
    }

    public func find(agencyID: String, fiscalYear: Int, logger: Logger) async throws -> Assessment? {
        try await database.sql.select().column("*").from("assessments")
            .where("agency_id", .equal, agencyID).where("fiscal_year", .equal, fiscalYear).first().map(Self.assessment)
    }

    public func all(agencyID: String, logger: Logger) async throws -> [Assessment] {
        try await database.sql.select().column("*").from("assessments").where("agency_id", .equal, agencyID)
            .orderBy("fiscal_year", .descending).all().map(Self.assessment)
    }

    public func results(assessmentID: String, logger: Logger) async throws -> [StoredResult] {
        try await database.sql.select().column("*").from("assessment_results").where("assessment_id", .equal, assessmentID)
            .orderBy("result_key").all().compactMap { row in
                guard let score = Decimal(string: try row.decode(column: "score", as: String.self), locale: Locale(identifier: "en_US_POSIX")),
                    let source = ResultSource(rawValue: try row.decode(column: "source", as: String.self))
                else { return nil }
                return StoredResult(key: try row.decode(column: "result_key", as: String.self), score: score, source: source)
            }
    }

    public func setResult(_ assessment: Assessment, key: String, to result: StoredResult?, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            let before = try await db.select().column("score").from("assessment_results")
                .where("assessment_id", .equal, assessment.id).where("result_key", .equal, key).first()
                .map { try $0.decode(column: "score", as: String.self) }
            if let result {
                try await db.insert(into: "assessment_results")
                    .columns("assessment_id", "result_key", "score", "source", "updated_at")
                    .values(SQLBind(assessment.id), SQLBind(key), SQLBind(result.score.description), SQLBind(result.source.rawValue), SQLBind(StoredTime.now()))
                    .onConflict(with: ["assessment_id", "result_key"]) { $0.set(excludedValueOf: "score").set(excludedValueOf: "source").set(excludedValueOf: "updated_at") }
                    .run()
            } else {
                try await db.delete(from: "assessment_results").where("assessment_id", .equal, assessment.id).where("result_key", .equal, key).run()
            }
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: result == nil ? "clear-result" : "set-result",
                                  entity: "assessment", entityID: assessment.id,
                                  detail: ["key": .string(key), "before": before.map { .string($0) } ?? .null,
                                           "after": result.map { .string($0.score.description) } ?? .null,
                                           "source": result.map { .string($0.source.rawValue) } ?? .null])
        }
    }

    public func items(assessmentID: String, logger: Logger) async throws -> [OITItemResult] {
        let divisionRows = try await database.sql.select().column("item_id").column("division_id").from("oit_item_divisions")
            .where("assessment_id", .equal, assessmentID).all()
        var divisions: [String: [String]] = [:]
        for row in divisionRows {
            divisions[try row.decode(column: "item_id", as: String.self), default: []].append(try row.decode(column: "division_id", as: String.self))
        }
        return try await database.sql.select().column("*").from("oit_item_results").where("assessment_id", .equal, assessmentID).all().map { row in
            let id = try row.decode(column: "item_id", as: String.self)
            let passed: Bool? = try row.decodeNil(column: "passed") ? nil : (try row.decode(column: "passed", as: Int.self) != 0)
            return OITItemResult(
                itemID: id, passed: passed,
                progress: ItemProgress(rawValue: try row.decode(column: "progress", as: String.self)) ?? .notStarted,
                note: try row.decode(column: "note", as: String.self),
                divisionIDs: (divisions[id] ?? []).sorted())
        }
    }

    public func publishedItems(assessmentID: String, logger: Logger) async throws -> [PublishedItemResult] {
        try await database.sql.select().column("*").from("published_item_results").where("assessment_id", .equal, assessmentID)
            .orderBy("item_id").all().compactMap { row in
                let url = try row.decodeNil(column: "source_url") ? nil : try row.decode(column: "source_url", as: String.self)
                let file = try row.decodeNil(column: "source_file") ? nil : try row.decode(column: "source_file", as: String.self)
                let sha = try row.decodeNil(column: "source_sha256") ? nil : try row.decode(column: "source_sha256", as: String.self)
                let source: PublishedSource
                if let url { source = .url(url) } else if let file, let sha { source = .file(name: file, sha256: sha) } else { return nil }
                return PublishedItemResult(itemID: try row.decode(column: "item_id", as: String.self), passed: try row.decode(column: "passed", as: Int.self) != 0,
                                           reason: try row.decode(column: "reason", as: String.self), source: source)
            }
    }

    public func recordPublished(_ results: [PublishedItemResult], assessment: Assessment, by actor: AuditActor, logger: Logger) async throws {
        for result in results {
            if let problem = PublishedItemResult.problem(source: result.source) { throw PublishedResultError(itemID: result.itemID, problem: problem) }
        }
        try await database.transaction { db in
            for result in results { try await Self.writePublished(result, assessment: assessment, on: db, actor: actor) }
        }
    }

    /// One published item result written (replacing an earlier one) with its audit entry, inside the caller's
    /// transaction (an agency's sheet, or a round's sheet of many agencies).
    static func writePublished(_ result: PublishedItemResult, assessment: Assessment, on db: any SQLDatabase, actor: AuditActor) async throws {
        let before = try await db.select().column("passed").from("published_item_results")
            .where("assessment_id", .equal, assessment.id).where("item_id", .equal, result.itemID).first()
            .map { try $0.decode(column: "passed", as: Int.self) != 0 }
        var url: String?
        var file: String?
        var sha: String?
        switch result.source {
        case .url(let text): url = text
        case .file(let name, let sha256): (file, sha) = (name, sha256)
        }
        try await db.insert(into: "published_item_results")
            .columns("assessment_id", "item_id", "passed", "reason", "source_url", "source_file", "source_sha256", "recorded_by", "recorded_at")
            .values(SQLBind(assessment.id), SQLBind(result.itemID), SQLBind(result.passed ? 1 : 0), SQLBind(result.reason),
                    SQLBind(url), SQLBind(file), SQLBind(sha), SQLBind(actor.name), SQLBind(StoredTime.now()))
            .onConflict(with: ["assessment_id", "item_id"]) {
                $0.set(excludedValueOf: "passed").set(excludedValueOf: "reason").set(excludedValueOf: "source_url")
                    .set(excludedValueOf: "source_file").set(excludedValueOf: "source_sha256")
                    .set(excludedValueOf: "recorded_by").set(excludedValueOf: "recorded_at")
            }
            .run()
        try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "record-published", entity: "oit-item",
                              entityID: "\(assessment.id)/\(result.itemID)",
                              detail: ["item": .string(result.itemID), "before": before.map { .bool($0) } ?? .null, "passed": .bool(result.passed),
                                       "reason": .string(result.reason), "source": .string(result.source.text(.en))])
    }

    public func setItem(_ assessment: Assessment, _ item: OITItemResult, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            let before = try await db.select().column("*").from("oit_item_results")
                .where("assessment_id", .equal, assessment.id).where("item_id", .equal, item.itemID).first()
            let beforePassed: JSONValue = try before.map { row in
                try row.decodeNil(column: "passed") ? .null : .bool(try row.decode(column: "passed", as: Int.self) != 0)
            } ?? .null
            let beforeProgress: JSONValue = try before.map { .string(try $0.decode(column: "progress", as: String.self)) } ?? .null
            try await db.insert(into: "oit_item_results")
                .columns("assessment_id", "item_id", "passed", "progress", "note", "updated_at")
                .values(SQLBind(assessment.id), SQLBind(item.itemID), SQLBind(item.passed.map { $0 ? 1 : 0 }),
                        SQLBind(item.progress.rawValue), SQLBind(item.note), SQLBind(StoredTime.now()))
                .onConflict(with: ["assessment_id", "item_id"]) {
                    $0.set(excludedValueOf: "passed").set(excludedValueOf: "progress").set(excludedValueOf: "note").set(excludedValueOf: "updated_at")
                }
                .run()
            try await db.delete(from: "oit_item_divisions").where("assessment_id", .equal, assessment.id).where("item_id", .equal, item.itemID).run()
            for division in Set(item.divisionIDs).sorted() {
                try await db.insert(into: "oit_item_divisions").columns("assessment_id", "item_id", "division_id")
                    .values(SQLBind(assessment.id), SQLBind(item.itemID), SQLBind(division)).run()
            }
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "set-item", entity: "oit-item",
                                  entityID: "\(assessment.id)/\(item.itemID)",
                                  detail: ["item": .string(item.itemID),
                                           "before": ["passed": beforePassed, "progress": beforeProgress],
                                           "after": ["passed": item.passed.map { .bool($0) } ?? .null, "progress": .string(item.progress.rawValue)],
                                           "divisions": .array(item.divisionIDs.map { .string($0) })])
        }
    }

    static func assessment(_ row: any SQLRow) throws -> Assessment {
        Assessment(
            id: try row.decode(column: "id", as: String.self),
            agencyID: try row.decode(column: "agency_id", as: String.self),
            frameworkID: try row.decode(column: "framework_id", as: String.self),
            fiscalYear: try row.decode(column: "fiscal_year", as: Int.self))
    }
}

/// All repositories over one database.
public struct Repositories: Sendable {
    public let database: Database
    public let agencies: any AgencyRepository
    public let users: any UserRepository
    public let assessments: any AssessmentRepository
    public let sessions: any SessionRepository
    public let audit: any AuditRepository
    public let surveys: any SurveyRepository
    public let evidence: any EvidenceRepository
    /// The same store, with the snapshot operations the link checker uses.
    public let evidenceStore: SQLEvidenceRepository
    public let improvement: SQLImprovementRepository
    public let settings: SettingsRepository
    public let frameworks: FrameworkRepository
    public let signIns: SignInFailureRepository
    public let questions: QuestionRepository
    public let publicLimits: PublicLimitRepository
    public let rounds: RoundRepository
    public let roundScores: RoundScoreRepository
    public let apiTokens: APITokenRepository

    /// `filesFolder` keeps evidence files on disk (embedded SQLite); nil keeps them in the database.
    public init(database: Database, filesFolder: String? = nil) {
        self.database = database
        agencies = SQLAgencyRepository(database: database)
        users = SQLUserRepository(database: database)
        assessments = SQLAssessmentRepository(database: database)
        sessions = SQLSessionRepository(database: database)
        audit = SQLAuditRepository(database: database)
        surveys = SQLSurveyRepository(database: database)
        evidenceStore = SQLEvidenceRepository(database: database, folder: filesFolder)
        evidence = evidenceStore
        improvement = SQLImprovementRepository(database: database)
        settings = SettingsRepository(database: database)
        frameworks = FrameworkRepository(database: database)
        signIns = SignInFailureRepository(database: database)
        questions = QuestionRepository(database: database)
        publicLimits = PublicLimitRepository(database: database)
        rounds = RoundRepository(database: database)
        roundScores = RoundScoreRepository(database: database)
        apiTokens = APITokenRepository(database: database)
    }
}

extension PublishedResultError: DomainError {
    public var userMessage: LocalizedText { LocalizedText(th: "\(itemID): \(problem.th)", en: "\(itemID): \(problem.en)") }
    public var kind: DomainErrorKind { .invalid }
}
