import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// A document-generation job: the documents for one assessment, made in the background.
public struct DocumentJob: Sendable, Hashable, Identifiable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case queued, running, done, failed
    }

    public var id: String
    public var assessmentID: String
    public var status: Status
    public var step: Int
    public var steps: Int
    public var message: String
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String

    public var isFinished: Bool { status == .done || status == .failed }
}

/// One file a document job made.
public struct DocumentFileInfo: Sendable, Hashable {
    public var name: String
    public var contentType: String
    public var size: Int

    public init(name: String, contentType: String, size: Int) {
        self.name = name
        self.contentType = contentType
        self.size = size
    }
}

/// The improvement cycle's records: analysis rows, measures, monthly updates, the memo and document jobs.
public struct SQLImprovementRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    // MARK: analysis

    public func analysis(assessmentID: String, logger: Logger) async throws -> [AnalysisRow] {
        try await database.sql.select().column("*").from("analysis_rows").where("assessment_id", .equal, assessmentID).all().map { row in
            AnalysisRow(
                indicatorID: try row.decode(column: "indicator_id", as: String.self), score: nil,
                weak: try row.decode(column: "weak", as: Int.self) != 0,
                guidance: try row.decode(column: "guidance", as: String.self),
                responsible: try row.decode(column: "responsible", as: String.self),
                period: try row.decode(column: "period", as: String.self),
                progress: ItemProgress(rawValue: try row.decode(column: "progress", as: String.self)) ?? .notStarted,
                note: try row.decode(column: "note", as: String.self))
        }
    }

    /// Replaces the assessment's analysis with `rows`, in one transaction with its audit entry.
    public func saveAnalysis(_ assessment: Assessment, rows: [AnalysisRow], by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.delete(from: "analysis_rows").where("assessment_id", .equal, assessment.id).run()
            for row in rows {
                try await db.insert(into: "analysis_rows")
                    .columns("assessment_id", "indicator_id", "weak", "guidance", "responsible", "period", "progress", "note", "updated_at")
                    .values(SQLBind(assessment.id), SQLBind(row.indicatorID), SQLBind(row.weak ? 1 : 0), SQLBind(row.guidance), SQLBind(row.responsible),
                            SQLBind(row.period), SQLBind(row.progress.rawValue), SQLBind(row.note), SQLBind(StoredTime.now()))
                    .run()
            }
            let weak = rows.filter(\.weak).map { JSONValue.string($0.indicatorID) }
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "save-analysis", entity: "assessment",
                                  entityID: assessment.id, detail: ["rows": .number(Decimal(rows.count)), "weak": .array(weak)])
        }
    }

    // MARK: measures

    public func measures(assessmentID: String, logger: Logger) async throws -> [Measure] {
        try await database.sql.select().column("*").from("measures").where("assessment_id", .equal, assessmentID)
            .orderBy("number").orderBy("id").all().map(Self.measure)
    }

    public func measure(id: String, logger: Logger) async throws -> Measure? {
        try await database.sql.select().column("*").from("measures").where("id", .equal, id).first().map(Self.measure)
    }

    /// Adds or replaces a measure.
    public func saveMeasure(_ assessment: Assessment, _ measure: Measure, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            let before = try await db.select().column("*").from("measures").where("id", .equal, measure.id).first().map(Self.measure)
            if before == nil {
                try await db.insert(into: "measures")
                    .columns("id", "assessment_id", "number", "title", "method", "start_on", "end_on", "responsible", "indicators", "items",
                             "target", "status", "summary", "outcome", "updated_at")
                    .values(SQLBind(measure.id), SQLBind(assessment.id), SQLBind(measure.number), SQLBind(measure.title), SQLBind(measure.method),
                            SQLBind(measure.start.iso), SQLBind(measure.end.iso), SQLBind(measure.responsible), SQLBind(Self.list(measure.indicators)),
                            SQLBind(Self.list(measure.items)), SQLBind(measure.target), SQLBind(measure.status.rawValue), SQLBind(measure.summary),
                            SQLBind(measure.outcome), SQLBind(StoredTime.now()))
                    .run()
            } else {
                try await db.update("measures")
                    .set("number", to: SQLBind(measure.number)).set("title", to: SQLBind(measure.title)).set("method", to: SQLBind(measure.method))
                    .set("start_on", to: SQLBind(measure.start.iso)).set("end_on", to: SQLBind(measure.end.iso))
                    .set("responsible", to: SQLBind(measure.responsible)).set("indicators", to: SQLBind(Self.list(measure.indicators)))
                    .set("items", to: SQLBind(Self.list(measure.items))).set("target", to: SQLBind(measure.target))
                    .set("status", to: SQLBind(measure.status.rawValue)).set("summary", to: SQLBind(measure.summary))
                    .set("outcome", to: SQLBind(measure.outcome)).set("updated_at", to: SQLBind(StoredTime.now()))
                    .where("id", .equal, measure.id).where("assessment_id", .equal, assessment.id)
                    .run()
            }
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: before == nil ? "add-measure" : "edit-measure",
                                  entity: "measure", entityID: measure.id,
                                  detail: ["number": .number(Decimal(measure.number)), "title": .string(measure.title),
                                           "before": before.map { .string($0.status.rawValue) } ?? .null, "after": .string(measure.status.rawValue)])
        }
    }

    /// Every monthly update of an assessment's measures, oldest first.
    public func updates(assessmentID: String, logger: Logger) async throws -> [MeasureUpdate] {
        try await database.sql.select().column(SQLColumn("*", table: "measure_updates")).from("measure_updates")
            .join("measures", on: SQLColumn("measure_id", table: "measure_updates"), .equal, SQLColumn("id", table: "measures"))
            .where(SQLColumn("assessment_id", table: "measures"), .equal, SQLBind(assessmentID))
            .orderBy(SQLColumn("month", table: "measure_updates")).orderBy(SQLColumn("created_at", table: "measure_updates"))
            .all().map(Self.update)
    }

    public func addUpdate(_ assessment: Assessment, _ update: MeasureUpdate, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "measure_updates")
                .columns("id", "measure_id", "month", "percent", "note", "evidence_url", "files", "created_by", "created_at")
                .values(SQLBind(update.id), SQLBind(update.measureID), SQLBind(update.month), SQLBind(update.percent), SQLBind(update.note),
                        SQLBind(update.evidenceURL), SQLBind(SQLEvidenceRepository.filesJSON(update.files).serialized(pretty: false)),
                        SQLBind(update.createdBy), SQLBind(StoredTime.now(update.createdAt)))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "measure-progress", entity: "measure",
                                  entityID: update.measureID,
                                  detail: ["month": .string(update.month), "percent": .number(Decimal(update.percent)), "note": .string(update.note),
                                           "files": .array(update.files.map { .string($0.sha256) })])
        }
    }

    // MARK: memo

    public func memo(assessmentID: String, logger: Logger) async throws -> MemoDetails? {
        guard let row = try await database.sql.select().column("details").from("memos").where("assessment_id", .equal, assessmentID).first() else {
            return nil
        }
        return Self.memo(try JSONParser.parse(try row.decode(column: "details", as: String.self)))
    }

    public func saveMemo(_ assessment: Assessment, _ memo: MemoDetails, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "memos").columns("assessment_id", "details", "updated_at")
                .values(SQLBind(assessment.id), SQLBind(Self.json(memo).serialized(pretty: false)), SQLBind(StoredTime.now()))
                .onConflict(with: ["assessment_id"]) { $0.set(excludedValueOf: "details").set(excludedValueOf: "updated_at") }
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "save-memo", entity: "assessment",
                                  entityID: assessment.id, detail: ["number": .string(memo.number), "date": .string(memo.date.iso)])
        }
    }

    // MARK: document jobs

    public func createJob(assessmentID: String, steps: Int, by actor: AuditActor, logger: Logger) async throws -> DocumentJob {
        let now = StoredTime.now()
        let job = DocumentJob(id: UUID().uuidString.lowercased(), assessmentID: assessmentID, status: .queued, step: 0, steps: steps,
                              message: "", createdBy: actor.name, createdAt: now, updatedAt: now)
        try await database.sql.insert(into: "document_jobs")
            .columns("id", "assessment_id", "status", "step", "steps", "message", "created_by", "created_at", "updated_at")
            .values(SQLBind(job.id), SQLBind(job.assessmentID), SQLBind(job.status.rawValue), SQLBind(job.step), SQLBind(job.steps),
                    SQLBind(job.message), SQLBind(job.createdBy), SQLBind(now), SQLBind(now))
            .run()
        return job
    }

    /// Deletes all but the newest `keep` jobs of an assessment, with their files.
    public func pruneJobs(assessmentID: String, keep: Int, logger: Logger) async throws {
        let ids = try await database.sql.select().column("id").from("document_jobs").where("assessment_id", .equal, assessmentID)
            .orderBy("created_at", .descending).all().map { try $0.decode(column: "id", as: String.self) }
        let old = Array(ids.dropFirst(keep))
        guard !old.isEmpty else { return }
        try await database.transaction { db in
            try await db.delete(from: "document_files").where("job_id", .in, old).run()
            try await db.delete(from: "document_jobs").where("id", .in, old).run()
        }
    }

    /// A job claimed by one app node; `claim` proves it is still this node's (another node may take a job
    /// over when its heartbeat stops).
    public struct ClaimedJob: Sendable {
        public var job: DocumentJob
        public var claim: String
        public var attempts: Int
    }

    /// Claims the oldest job that is queued, or running without a heartbeat since `staleBefore` (its node
    /// died), for this node. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets every node claim at once without two
    /// taking the same job; SQLite has one writer, so the statement alone is enough. A job that has already
    /// been started `maxAttempts` times is marked failed instead (it may be what kills its node).
    public func claimJob(now: Date, staleBefore: Date, maxAttempts: Int, logger: Logger) async throws -> ClaimedJob? {
        let stale = StoredTime.now(staleBefore)
        let at = StoredTime.now(now)
        try await database.sql.update("document_jobs")
            .set("status", to: SQLBind(DocumentJob.Status.failed.rawValue))
            .set("message", to: SQLBind("the job stopped its server \(maxAttempts) times and was given up"))
            .set("updated_at", to: SQLBind(at))
            .where("status", .equal, DocumentJob.Status.running.rawValue).where("attempts", .greaterThanOrEqual, maxAttempts)
            .where(group: { $0.where(SQLColumn("heartbeat_at"), .is, SQLLiteral.null).orWhere("heartbeat_at", .lessThan, stale) })
            .run()
        let claim = UUID().uuidString.lowercased()
        // A fixed clause, never user input.
        let lock = database.engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await database.sql.raw("""
            UPDATE document_jobs SET status = 'running', claim = \(bind: claim), heartbeat_at = \(bind: at), updated_at = \(bind: at),
              attempts = attempts + 1
            WHERE id = (SELECT id FROM document_jobs
                        WHERE status = 'queued' OR (status = 'running' AND attempts < \(bind: maxAttempts)
                              AND (heartbeat_at IS NULL OR heartbeat_at < \(bind: stale)))
                        ORDER BY created_at LIMIT 1\(unsafeRaw: lock))
            RETURNING *
            """).all()
        guard let row = rows.first else { return nil }
        return ClaimedJob(job: try Self.job(row), claim: claim, attempts: try row.decode(column: "attempts", as: Int.self))
    }

    /// How many jobs are in each state, across every assessment (for `/metrics`).
    public func jobCounts(logger: Logger) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await database.sql.select().column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("document_jobs").groupBy("status").all() {
            counts[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Still working on it: false when the job is no longer this claim's.
    public func heartbeat(id: String, claim: String, logger: Logger) async throws -> Bool {
        try await !database.sql.update("document_jobs").set("heartbeat_at", to: SQLBind(StoredTime.now()))
            .where("id", .equal, id).where("claim", .equal, claim).returning("id").all().isEmpty
    }

    /// Records progress under a claim; false (and nothing written) when another node has taken the job over.
    @discardableResult
    public func updateJob(id: String, claim: String, status: DocumentJob.Status, step: Int, steps: Int? = nil, message: String, logger: Logger) async throws -> Bool {
        let now = StoredTime.now()
        var update = database.sql.update("document_jobs")
            .set("status", to: SQLBind(status.rawValue)).set("step", to: SQLBind(step)).set("message", to: SQLBind(message))
            .set("updated_at", to: SQLBind(now)).set("heartbeat_at", to: SQLBind(now))
        if let steps { update = update.set("steps", to: SQLBind(steps)) }
        return try await !update.where("id", .equal, id).where("claim", .equal, claim).where("status", .equal, DocumentJob.Status.running.rawValue)
            .returning("id").all().isEmpty
    }

    /// Forgets the files a dead claimant left behind, before the job starts again.
    public func clearFiles(jobID: String, logger: Logger) async throws {
        try await database.sql.delete(from: "document_files").where("job_id", .equal, jobID).run()
    }

    public func job(id: String, logger: Logger) async throws -> DocumentJob? {
        try await database.sql.select().column("*").from("document_jobs").where("id", .equal, id).first().map(Self.job)
    }

    public func latestJob(assessmentID: String, logger: Logger) async throws -> DocumentJob? {
        try await database.sql.select().column("*").from("document_jobs").where("assessment_id", .equal, assessmentID)
            .orderBy("created_at", .descending).limit(1).first().map(Self.job)
    }

    /// Stores a made file, only while the claim holds (a node that lost the job writes nothing).
    @discardableResult
    public func addFile(jobID: String, claim: String, name: String, contentType: String, data: Data, logger: Logger) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.select().column("id").from("document_jobs").where("id", .equal, jobID).where("claim", .equal, claim)
                .where("status", .equal, DocumentJob.Status.running.rawValue).first() != nil
            else { return false }
            try await db.insert(into: "document_files").columns("job_id", "name", "content_type", "size", "data")
                .values(SQLBind(jobID), SQLBind(name), SQLBind(contentType), SQLBind(data.count), SQLBind(data))
                .run()
            return true
        }
    }

    public func files(jobID: String, logger: Logger) async throws -> [DocumentFileInfo] {
        try await database.sql.select().column("name").column("content_type").column("size").from("document_files")
            .where("job_id", .equal, jobID).orderBy("name").all().map { row in
                DocumentFileInfo(name: try row.decode(column: "name", as: String.self),
                                 contentType: try row.decode(column: "content_type", as: String.self),
                                 size: try row.decode(column: "size", as: Int.self))
            }
    }

    public func file(jobID: String, name: String, logger: Logger) async throws -> (info: DocumentFileInfo, data: Data)? {
        guard let row = try await database.sql.select().column("*").from("document_files")
            .where("job_id", .equal, jobID).where("name", .equal, name).first() else { return nil }
        let info = DocumentFileInfo(name: name, contentType: try row.decode(column: "content_type", as: String.self),
                                    size: try row.decode(column: "size", as: Int.self))
        return (info, try row.decode(column: "data", as: Data.self))
    }

    // MARK: rows

    static func list(_ values: [String]) -> String { JSONValue.array(values.map { .string($0) }).serialized(pretty: false) }

    static func parseList(_ text: String) -> [String] { ((try? JSONParser.parse(text).arrayValue) ?? []).compactMap(\.stringValue) }

    static func measure(_ row: any SQLRow) throws -> Measure {
        let start = try row.decode(column: "start_on", as: String.self)
        let end = try row.decode(column: "end_on", as: String.self)
        guard let startDate = CivilDate(iso: start), let endDate = CivilDate(iso: end) else {
            throw StoreError.corrupt("measure dates \(start) – \(end)")
        }
        return Measure(
            id: try row.decode(column: "id", as: String.self), assessmentID: try row.decode(column: "assessment_id", as: String.self),
            number: try row.decode(column: "number", as: Int.self), title: try row.decode(column: "title", as: String.self),
            method: try row.decode(column: "method", as: String.self), start: startDate, end: endDate,
            responsible: try row.decode(column: "responsible", as: String.self),
            indicators: parseList(try row.decode(column: "indicators", as: String.self)),
            items: parseList(try row.decode(column: "items", as: String.self)),
            target: try row.decode(column: "target", as: String.self),
            status: MeasureStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned,
            summary: try row.decode(column: "summary", as: String.self), outcome: try row.decode(column: "outcome", as: String.self))
    }

    static func update(_ row: any SQLRow) throws -> MeasureUpdate {
        MeasureUpdate(
            id: try row.decode(column: "id", as: String.self), measureID: try row.decode(column: "measure_id", as: String.self),
            month: try row.decode(column: "month", as: String.self), percent: try row.decode(column: "percent", as: Int.self),
            note: try row.decode(column: "note", as: String.self), evidenceURL: try row.decode(column: "evidence_url", as: String.self),
            files: SQLEvidenceRepository.parseFiles(((try? JSONParser.parse(try row.decode(column: "files", as: String.self)).arrayValue) ?? nil) ?? []),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: StoredTime.parse(try row.decode(column: "created_at", as: String.self)) ?? Date(timeIntervalSince1970: 0))
    }

    static func job(_ row: any SQLRow) throws -> DocumentJob {
        DocumentJob(
            id: try row.decode(column: "id", as: String.self), assessmentID: try row.decode(column: "assessment_id", as: String.self),
            status: DocumentJob.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            step: try row.decode(column: "step", as: Int.self), steps: try row.decode(column: "steps", as: Int.self),
            message: try row.decode(column: "message", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: try row.decode(column: "created_at", as: String.self), updatedAt: try row.decode(column: "updated_at", as: String.self))
    }

    static func json(_ memo: MemoDetails) -> JSONValue {
        func signer(_ s: MemoDetails.Signer) -> JSONValue { ["title": .string(s.title), "name": .string(s.name), "position": .string(s.position)] }
        return ["division": .string(memo.division), "number": .string(memo.number), "date": .string(memo.date.iso), "to": .string(memo.to),
                "subject": .string(memo.subject), "intro": .string(memo.intro), "author": signer(memo.author),
                "signers": .array(memo.signers.map(signer))]
    }

    /// Reads memo details as stored here or as written in the demo data file.
    public static func memo(_ value: JSONValue) -> MemoDetails? {
        func text(_ v: JSONValue?, _ key: String) -> String { v?[key]?.stringValue ?? "" }
        func signer(_ v: JSONValue?) -> MemoDetails.Signer {
            MemoDetails.Signer(title: text(v, "title"), name: text(v, "name"), position: text(v, "position"))
        }
        guard let date = CivilDate(iso: text(value, "date")) else { return nil }
        return MemoDetails(
            division: text(value, "division"), number: text(value, "number"), date: date, to: text(value, "to"),
            subject: text(value, "subject"), intro: text(value, "intro"), author: signer(value["author"]),
            signers: (value["signers"]?.arrayValue ?? []).map { signer($0) })
    }
}

/// Stored data that cannot be read back (a hand-edited database, say).
public enum StoreError: Error, CustomStringConvertible {
    case corrupt(String)

    public var description: String {
        switch self {
        case .corrupt(let what): "unreadable stored value: \(what)"
        }
    }
}
