import Crypto
import Foundation
import Logging
import ProngsaiCore
import SQLKit

public protocol EvidenceRepository: Sendable {
    func assignments(assessmentID: String, logger: Logger) async throws -> [ItemAssignment]
    func assign(_ assignment: ItemAssignment, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws
    func revisions(assessmentID: String, itemID: String?, logger: Logger) async throws -> [EvidenceRevision]
    /// Stores the files' bytes (once per content) and adds the next revision of the item's evidence.
    /// `keep` carries files of the previous revision forward.
    func addRevision(assessment: Assessment, itemID: String, explanation: String, components: [Int], links: [String],
                     keep: [EvidenceFile], files: [(name: String, kind: FileKind, bytes: [UInt8])], by actor: AuditActor, logger: Logger) async throws -> EvidenceRevision
    func file(sha256: String, logger: Logger) async throws -> (contentType: String, bytes: [UInt8])?
    func reviews(assessmentID: String, logger: Logger) async throws -> [ItemReview]
    /// Saves a review step; a judgement or confirmation also sets the item's pass/fail, which scoring reads.
    func saveReview(_ review: ItemReview, step: String, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws
    /// Several review steps in one transaction: all are saved or none.
    func saveReviews(_ reviews: [ItemReview], step: String, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws
}

public struct SQLEvidenceRepository: EvidenceRepository {
    let database: Database
    /// Where an embedded SQLite deployment keeps file bytes; nil keeps them in the database.
    let folder: String?

    public init(database: Database, folder: String?) {
        self.database = database
        self.folder = folder
    }

    public func assignments(assessmentID: String, logger: Logger) async throws -> [ItemAssignment] {
        try await database.sql.select().column("*").from("oit_item_assignments").where("assessment_id", .equal, assessmentID).all().map { row in
            ItemAssignment(
                itemID: try row.decode(column: "item_id", as: String.self),
                divisionID: try row.decodeNil(column: "division_id") ? nil : row.decode(column: "division_id", as: String.self),
                assigneeID: try row.decodeNil(column: "assignee_id") ? nil : row.decode(column: "assignee_id", as: String.self),
                dueOn: try row.decodeNil(column: "due_on") ? nil : CivilDate(iso: try row.decode(column: "due_on", as: String.self)))
        }
    }

    public func assign(_ assignment: ItemAssignment, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "oit_item_assignments").columns("assessment_id", "item_id", "division_id", "assignee_id", "due_on")
                .values(SQLBind(assessment.id), SQLBind(assignment.itemID), SQLBind(assignment.divisionID), SQLBind(assignment.assigneeID), SQLBind(assignment.dueOn?.iso))
                .onConflict(with: ["assessment_id", "item_id"]) {
                    $0.set(excludedValueOf: "division_id").set(excludedValueOf: "assignee_id").set(excludedValueOf: "due_on")
                }
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "assign", entity: "oit-item", entityID: "\(assessment.id)/\(assignment.itemID)",
                                  detail: ["item": .string(assignment.itemID), "division": assignment.divisionID.map { .string($0) } ?? .null,
                                           "assignee": assignment.assigneeID.map { .string($0) } ?? .null, "due": assignment.dueOn.map { .string($0.iso) } ?? .null])
        }
    }

    public func revisions(assessmentID: String, itemID: String?, logger: Logger) async throws -> [EvidenceRevision] {
        var query = database.sql.select().column("*").from("oit_evidence_revisions").where("assessment_id", .equal, assessmentID)
        if let itemID { query = query.where("item_id", .equal, itemID) }
        return try await query.orderBy("item_id").orderBy("revision").all().map(Self.revision)
    }

    /// Stores files' bytes (on disk or in the database) without naming them in any revision: a form sent
    /// back with an error keeps the files chosen, and a later revision names them (as `keep`).
    public func hold(files: [(name: String, kind: FileKind, bytes: [UInt8])], logger: Logger) async throws -> [EvidenceFile] {
        var held: [EvidenceFile] = []
        for file in files {
            let stored = try await writeFile(file)
            try await insertBlob(stored, bytes: file.bytes, on: database.sql)
            held.append(stored)
        }
        return held
    }

    /// The blob row of a file: its bytes in the database when there is no evidence folder.
    func insertBlob(_ file: EvidenceFile, bytes: [UInt8], on db: any SQLDatabase) async throws {
        try await db.insert(into: "blobs").columns("sha256", "size", "content_type", "data", "created_at")
            .values(SQLBind(file.sha256), SQLBind(file.size), SQLBind(file.contentType),
                    folder == nil ? SQLBind(Data(bytes)) : SQLBind(Optional<Data>.none), SQLBind(StoredTime.now()))
            .ignoringConflicts(with: ["sha256"]).run()
    }

    /// Writes a file's bytes to the evidence folder (when there is one) under its SHA-256, before any row
    /// names it, through a temporary name: a crash leaves no half file.
    func writeFile(_ file: (name: String, kind: FileKind, bytes: [UInt8])) async throws -> EvidenceFile {
        let digest = NumberText.hex(SHA256.hash(data: file.bytes))
        if let folder { try await BlobFolder(root: folder).write(file.bytes, sha256: digest) }
        return EvidenceFile(sha256: digest, name: FileKind.safeName(file.name), contentType: file.kind.contentType, size: file.bytes.count)
    }

    public func addRevision(assessment: Assessment, itemID: String, explanation: String, components: [Int], links: [String],
                            keep: [EvidenceFile] = [], files: [(name: String, kind: FileKind, bytes: [UInt8])], by actor: AuditActor, logger: Logger) async throws -> EvidenceRevision {
        var written: [EvidenceFile] = []
        for file in files { written.append(try await writeFile(file)) }
        let uploaded = written
        let bytes = files.map(\.bytes)
        let storedFiles = keep.filter { kept in !uploaded.contains { $0.sha256 == kept.sha256 && $0.name == kept.name } } + uploaded
        return try await database.transaction { db in
            for (file, content) in zip(uploaded, bytes) { try await insertBlob(file, bytes: content, on: db) }
            let last = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("revision")), as: "n").from("oit_evidence_revisions")
                .where("assessment_id", .equal, assessment.id).where("item_id", .equal, itemID).first()
            let next = ((try? last?.decode(column: "n", as: Int?.self)) ?? nil).map { $0 + 1 } ?? 1
            let revision = EvidenceRevision(itemID: itemID, revision: next, createdAt: StoredTime.now(), createdBy: actor.name,
                                            explanation: explanation, components: components.sorted(), links: links, files: storedFiles)
            try await db.insert(into: "oit_evidence_revisions")
                .columns("id", "assessment_id", "item_id", "revision", "created_at", "created_by", "explanation", "components", "links", "files")
                .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(assessment.id), SQLBind(itemID), SQLBind(next), SQLBind(revision.createdAt),
                        SQLBind(actor.name), SQLBind(explanation), SQLBind(JSONValue.array(revision.components.map { .number(Decimal($0)) }).serialized(pretty: false)),
                        SQLBind(JSONValue.array(links.map { .string($0) }).serialized(pretty: false)), SQLBind(Self.filesJSON(storedFiles).serialized(pretty: false)))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "add-evidence", entity: "oit-item", entityID: "\(assessment.id)/\(itemID)",
                                  detail: ["item": .string(itemID), "revision": .number(Decimal(next)), "links": .number(Decimal(links.count)),
                                           "files": .array(storedFiles.map { .string($0.sha256) })])
            return revision
        }
    }

    public func file(sha256: String, logger: Logger) async throws -> (contentType: String, bytes: [UInt8])? {
        guard sha256.range(of: "^[0-9a-f]{64}$", options: .regularExpression) != nil,
            let row = try await database.sql.select().column("*").from("blobs").where("sha256", .equal, sha256).first()
        else { return nil }
        let type = try row.decode(column: "content_type", as: String.self)
        if let data = try? row.decode(column: "data", as: Data?.self), !data.isEmpty { return (type, [UInt8](data)) }
        guard let folder else { return nil }
        guard let bytes = try await BlobFolder(root: folder).read(sha256) else { return nil }
        return (type, bytes)
    }

    public func reviews(assessmentID: String, logger: Logger) async throws -> [ItemReview] {
        let passed = try await database.sql.select().column("item_id").column("passed").from("oit_item_results").where("assessment_id", .equal, assessmentID).all()
        var results: [String: Bool] = [:]
        for row in passed where !(try row.decodeNil(column: "passed")) {
            results[try row.decode(column: "item_id", as: String.self)] = try row.decode(column: "passed", as: Int.self) != 0
        }
        return try await database.sql.select().column("*").from("oit_item_reviews").where("assessment_id", .equal, assessmentID).all().map { row in
            let id = try row.decode(column: "item_id", as: String.self)
            return ItemReview(
                itemID: id, status: ItemStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .notStarted, passed: results[id],
                reason: try row.decode(column: "reason", as: String.self),
                judgedOn: try row.decodeNil(column: "judged_on") ? nil : CivilDate(iso: try row.decode(column: "judged_on", as: String.self)),
                clarification: try row.decode(column: "clarification", as: String.self))
        }
    }

    /// Per item, the evidence revision approved last (what the public page shows).
    public func publishedRevisions(assessmentID: String, logger: Logger) async throws -> [String: Int] {
        let rows = try await database.sql.select().column("item_id").column("revision").from("oit_published_revisions")
            .where("assessment_id", .equal, assessmentID).all()
        var out: [String: Int] = [:]
        for row in rows { out[try row.decode(column: "item_id", as: String.self)] = try row.decode(column: "revision", as: Int.self) }
        return out
    }

    public func withdrawnFiles(assessmentID: String, logger: Logger) async throws -> Set<PublicEvidence.Withdrawn> {
        let rows = try await database.sql.select().column("item_id").column("sha256").from("oit_withdrawn_files")
            .where("assessment_id", .equal, assessmentID).all()
        return Set(try rows.map { PublicEvidence.Withdrawn(itemID: try $0.decode(column: "item_id", as: String.self), sha256: try $0.decode(column: "sha256", as: String.self)) })
    }

    /// Takes a file off the public page with a reason (in the audit log); the bytes stay for the assessor.
    public func withdraw(assessment: Assessment, itemID: String, sha256: String, reason: String, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "oit_withdrawn_files").columns("assessment_id", "item_id", "sha256", "reason", "withdrawn_at", "withdrawn_by")
                .values(SQLBind(assessment.id), SQLBind(itemID), SQLBind(sha256), SQLBind(reason), SQLBind(StoredTime.now()), SQLBind(actor.name))
                .onConflict(with: ["assessment_id", "item_id", "sha256"]) { $0.set(excludedValueOf: "reason").set(excludedValueOf: "withdrawn_at") }
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "evidence-withdraw", entity: "oit-item",
                                  entityID: "\(assessment.id)/\(itemID)", detail: ["item": .string(itemID), "sha256": .string(sha256), "reason": .string(reason)])
        }
    }

    public func saveReview(_ review: ItemReview, step: String, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws {
        try await saveReviews([review], step: step, assessment: assessment, by: actor, logger: logger)
    }

    public func saveReviews(_ reviews: [ItemReview], step: String, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
          for review in reviews {
            let before = try await db.select().column("status").from("oit_item_reviews")
                .where("assessment_id", .equal, assessment.id).where("item_id", .equal, review.itemID).first()
                .map { try $0.decode(column: "status", as: String.self) } ?? ItemStatus.notStarted.rawValue
            try await db.insert(into: "oit_item_reviews").columns("assessment_id", "item_id", "status", "reason", "judged_on", "clarification", "updated_at")
                .values(SQLBind(assessment.id), SQLBind(review.itemID), SQLBind(review.status.rawValue), SQLBind(review.reason), SQLBind(review.judgedOn?.iso),
                        SQLBind(review.clarification), SQLBind(StoredTime.now()))
                .onConflict(with: ["assessment_id", "item_id"]) {
                    $0.set(excludedValueOf: "status").set(excludedValueOf: "reason").set(excludedValueOf: "judged_on")
                        .set(excludedValueOf: "clarification").set(excludedValueOf: "updated_at")
                }
                .run()
            if ["judge", "confirm", "import"].contains(step), let passed = review.passed {
                try await db.insert(into: "oit_item_results").columns("assessment_id", "item_id", "passed", "progress", "note", "updated_at")
                    .values(SQLBind(assessment.id), SQLBind(review.itemID), SQLBind(passed ? 1 : 0), SQLBind(ItemProgress.done.rawValue), SQLBind(""), SQLBind(StoredTime.now()))
                    .onConflict(with: ["assessment_id", "item_id"]) { $0.set(excludedValueOf: "passed").set(excludedValueOf: "updated_at") }
                    .run()
            }
            // Approval publishes the revision approved: the public page shows it until the next approval.
            if review.status == .approved && before != ItemStatus.approved.rawValue {
                let last = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("revision")), as: "n").from("oit_evidence_revisions")
                    .where("assessment_id", .equal, assessment.id).where("item_id", .equal, review.itemID).first()
                if let revision = (try? last?.decode(column: "n", as: Int?.self)) ?? nil {
                    try await db.insert(into: "oit_published_revisions").columns("assessment_id", "item_id", "revision", "published_at", "published_by")
                        .values(SQLBind(assessment.id), SQLBind(review.itemID), SQLBind(revision), SQLBind(StoredTime.now()), SQLBind(actor.name))
                        .onConflict(with: ["assessment_id", "item_id"]) {
                            $0.set(excludedValueOf: "revision").set(excludedValueOf: "published_at").set(excludedValueOf: "published_by")
                        }
                        .run()
                }
            }
            try await recordAudit(on: db, actor: actor, agencyID: assessment.agencyID, action: "review-\(step)", entity: "oit-item", entityID: "\(assessment.id)/\(review.itemID)",
                                  detail: ["item": .string(review.itemID), "before": .string(before), "after": .string(review.status.rawValue),
                                           "passed": review.passed.map { .bool($0) } ?? .null, "reason": .string(review.reason)])
          }
        }
    }

    static func filesJSON(_ files: [EvidenceFile]) -> JSONValue {
        .array(files.map { f in
            .object(JSONObject([("sha256", .string(f.sha256)), ("name", .string(f.name)), ("type", .string(f.contentType)), ("size", .number(Decimal(f.size)))]))
        })
    }

    static func revision(_ row: any SQLRow) throws -> EvidenceRevision {
        let components = (try? JSONParser.parse(try row.decode(column: "components", as: String.self)).arrayValue) ?? nil
        let links = (try? JSONParser.parse(try row.decode(column: "links", as: String.self)).arrayValue) ?? nil
        let files = (try? JSONParser.parse(try row.decode(column: "files", as: String.self)).arrayValue) ?? nil
        return EvidenceRevision(
            itemID: try row.decode(column: "item_id", as: String.self),
            revision: try row.decode(column: "revision", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: String.self),
            createdBy: try row.decode(column: "created_by", as: String.self),
            explanation: try row.decode(column: "explanation", as: String.self),
            components: (components ?? []).compactMap { $0.numberValue.map { NSDecimalNumber(decimal: $0).intValue } },
            links: (links ?? []).compactMap(\.stringValue),
            files: parseFiles(files ?? []))
    }

    /// Files as `filesJSON` writes them.
    static func parseFiles(_ values: [JSONValue]) -> [EvidenceFile] {
        values.compactMap { f in
            guard let sha = f["sha256"]?.stringValue, let name = f["name"]?.stringValue, let type = f["type"]?.stringValue, let size = f["size"]?.numberValue else { return nil }
            return EvidenceFile(sha256: sha, name: name, contentType: type, size: NSDecimalNumber(decimal: size).intValue)
        }
    }
}
