import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// Who the reporter is, when they choose to say: sealed as one field.
public struct ReporterIdentity: Sendable, Hashable, Codable {
    public var name: String
    public var phone: String
    public var email: String

    public init(name: String, phone: String = "", email: String = "") {
        self.name = name
        self.phone = phone
        self.email = email
    }
}

/// What happened: what, where, when, who. Sealed as one field.
public struct ComplaintDetails: Sendable, Hashable, Codable {
    public var what: String
    public var place: String
    public var when: String
    public var who: String

    public init(what: String, place: String = "", when: String = "", who: String = "") {
        self.what = what
        self.place = place
        self.when = when
        self.who = who
    }
}

public struct ComplaintAttachment: Sendable, Hashable {
    public var name: String
    public var contentType: String
    public var bytes: [UInt8]

    public init(name: String, contentType: String, bytes: [UInt8]) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// A report as the public form gives it.
public struct ComplaintReport: Sendable, Hashable {
    public var category: ComplaintCategory
    public var identity: ReporterIdentity?
    public var details: ComplaintDetails
    public var attachments: [ComplaintAttachment]

    public init(category: ComplaintCategory, identity: ReporterIdentity?, details: ComplaintDetails, attachments: [ComplaintAttachment] = []) {
        self.category = category
        self.identity = identity
        self.details = details
        self.attachments = attachments
    }
}

/// A case as handlers list it: no words of the reporter.
public struct ComplaintCase: Sendable, Hashable, Identifiable {
    public var id: String
    public var agencyID: String
    public var category: ComplaintCategory
    public var status: CaseStatus
    public var receivedOn: CivilDate
    /// The day the case reached its status (the deadline counts from it).
    public var statusSince: CivilDate
    /// The reporter gave a name.
    public var named: Bool
    public var outcomeNoted: Bool

    public func due(_ deadlines: CaseDeadlines) -> CivilDate? { deadlines.due(status: status, since: statusSince) }
    public var record: CaseRecord { CaseRecord(receivedOn: receivedOn, category: category, status: status, outcomeNoted: outcomeNoted) }
}

public enum MessageAuthor: String, Sendable, Hashable { case reporter, staff }

public struct CaseFileInfo: Sendable, Hashable {
    public var id: String
    public var name: String
    public var contentType: String
    public var size: Int
}

public struct CaseMessage: Sendable, Hashable {
    public var id: String
    public var seq: Int
    public var author: MessageAuthor
    public var body: String
    public var sentOn: CivilDate
    public var files: [CaseFileInfo]
}

public struct CaseStepRecord: Sendable, Hashable {
    public var seq: Int
    public var from: CaseStatus
    public var to: CaseStatus
    public var note: String
    public var forwardedTo: ForwardTarget?
    public var userID: String
    public var at: String
}

public enum IdentityRequestStatus: String, Sendable, Hashable { case pending, approved, refused }

public struct IdentityRequest: Sendable, Hashable, Identifiable {
    public var id: String
    public var complaintID: String
    public var requestedBy: String
    public var reason: String
    public var requestedAt: String
    public var status: IdentityRequestStatus
    public var decidedBy: String?
    public var decidedAt: String?
    public var decisionNote: String?
}

/// Corruption complaints: sealed words, hashed receipts, steps with notes, identity behind a second person.
public struct ComplaintRepository: Sendable {
    let database: Database
    public let vault: ComplaintVault

    public init(database: Database, vault: ComplaintVault) {
        self.database = database
        self.vault = vault
    }

    /// How long an approved request lets its requester see the identity.
    public static let identityAccessDays = 7

    static func place(_ caseID: String, _ field: String) -> String { "complaint/\(caseID)/\(field)" }

    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(ReceiptCode.random(using: &generator).value.prefix(10))
    }

    /// Files a report under a new receipt code; returns the case. The code's slow hash is made before the
    /// transaction, so a slow hash never holds the database.
    public func file(_ report: ComplaintReport, agencyID: String, code: ReceiptCode, today: CivilDate, logger: Logger) async throws -> ComplaintCase {
        let hash = try await ReceiptHash.slow(code.value, agencyID: agencyID)
        let id = Self.randomID()
        let identity = try report.identity.map { try vault.seal(Data(try JSONEncoder().encode($0)), place: Self.place(id, "identity")) }
        let details = try vault.seal(Data(try JSONEncoder().encode(report.details)), place: Self.place(id, "details"))
        let message = try sealedMessage(caseID: id, author: .reporter, userID: nil, body: report.details.what, files: report.attachments)
        let complaint = ComplaintCase(id: id, agencyID: agencyID, category: report.category, status: .received, receivedOn: today,
                                      statusSince: today, named: report.identity != nil, outcomeNoted: false)
        try await database.transaction { db in
            try await db.insert(into: "complaints")
                .columns("id", "agency_id", "receipt_hash", "category", "status", "received_on", "status_since", "named", "identity", "details", "outcome_noted")
                .values(SQLBind(id), SQLBind(agencyID), SQLBind(hash), SQLBind(report.category.rawValue), SQLBind(CaseStatus.received.rawValue),
                        SQLBind(today.iso), SQLBind(today.iso), SQLBind(complaint.named ? 1 : 0), SQLBind(identity), SQLBind(details), SQLBind(0))
                .run()
            try await Self.insert(message, seq: 1, sentOn: today, on: db)
        }
        return complaint
    }

    struct SealedMessage: Sendable {
        var id: String
        var caseID: String
        var author: MessageAuthor
        var userID: String?
        var body: String
        var files: [(id: String, name: String, type: String, size: Int, data: String)]
    }

    func sealedMessage(caseID: String, author: MessageAuthor, userID: String?, body: String, files: [ComplaintAttachment]) throws -> SealedMessage {
        let id = UUID().uuidString.lowercased()
        return SealedMessage(
            id: id, caseID: caseID, author: author, userID: userID, body: try vault.seal(body, place: Self.place(caseID, "message/\(id)")),
            files: try files.map { file in
                let fileID = UUID().uuidString.lowercased()
                return (fileID, try vault.seal(file.name, place: Self.place(caseID, "file/\(fileID)/name")), file.contentType, file.bytes.count,
                        try vault.seal(file.bytes, place: Self.place(caseID, "file/\(fileID)")))
            })
    }

    static func insert(_ message: SealedMessage, seq: Int, sentOn: CivilDate, on db: any SQLDatabase) async throws {
        try await db.insert(into: "complaint_messages").columns("id", "complaint_id", "seq", "author", "user_id", "body", "sent_on")
            .values(SQLBind(message.id), SQLBind(message.caseID), SQLBind(seq), SQLBind(message.author.rawValue), SQLBind(message.userID),
                    SQLBind(message.body), SQLBind(sentOn.iso))
            .run()
        for file in message.files {
            try await db.insert(into: "complaint_files").columns("id", "complaint_id", "message_id", "name", "content_type", "size", "data")
                .values(SQLBind(file.id), SQLBind(message.caseID), SQLBind(message.id), SQLBind(file.name), SQLBind(file.type), SQLBind(file.size), SQLBind(file.data))
                .run()
        }
    }

    /// The case a receipt code opens in this agency, if any. The hash is made whether or not a case exists.
    public func find(code: ReceiptCode, agencyID: String, logger: Logger) async throws -> ComplaintCase? {
        let hash = try await ReceiptHash.slow(code.value, agencyID: agencyID)
        guard let row = try await database.sql.select().column("*").from("complaints").where("receipt_hash", .equal, hash).first(),
              let found = try Self.decode(row), found.agencyID == agencyID,
              // The index found the row; this is the check.
              constantTimeEqual(try row.decode(column: "receipt_hash", as: String.self), hash) else { return nil }
        return found
    }

    public func find(id: String, logger: Logger) async throws -> ComplaintCase? {
        try await database.sql.select().column("*").from("complaints").where("id", .equal, id).first().flatMap(Self.decode)
    }

    /// An agency's cases, newest first.
    public func cases(agencyID: String, logger: Logger) async throws -> [ComplaintCase] {
        try await Self.cases(in: database, agencyID: agencyID, logger: logger)
    }

    /// The same, without keys: a case's row holds nothing sealed but its words.
    public static func cases(in database: Database, agencyID: String, logger: Logger) async throws -> [ComplaintCase] {
        try await database.sql.select().column("*").from("complaints").where("agency_id", .equal, agencyID)
            .orderBy("received_on", .descending).orderBy("id").all().compactMap(Self.decode)
    }

    /// What the monthly statistics count: one line per case, read from the case rows.
    public func records(agencyID: String, logger: Logger) async throws -> [CaseRecord] {
        try await Self.records(in: database, agencyID: agencyID, logger: logger)
    }

    /// The same, without keys: the statistics read nothing sealed.
    public static func records(in database: Database, agencyID: String, logger: Logger) async throws -> [CaseRecord] {
        try await database.sql.select().column("received_on").column("category").column("status").column("outcome_noted")
            .from("complaints").where("agency_id", .equal, agencyID).all().compactMap { row in
                guard let day = CivilDate(iso: try row.decode(column: "received_on", as: String.self)),
                      let category = ComplaintCategory(rawValue: try row.decode(column: "category", as: String.self)),
                      let status = CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
                return CaseRecord(receivedOn: day, category: category, status: status, outcomeNoted: try row.decode(column: "outcome_noted", as: Int.self) == 1)
            }
    }

    static func decode(_ row: any SQLRow) throws -> ComplaintCase? {
        guard let category = ComplaintCategory(rawValue: try row.decode(column: "category", as: String.self)),
              let status = CaseStatus(rawValue: try row.decode(column: "status", as: String.self)),
              let received = CivilDate(iso: try row.decode(column: "received_on", as: String.self)),
              let since = CivilDate(iso: try row.decode(column: "status_since", as: String.self)) else { return nil }
        return ComplaintCase(id: try row.decode(column: "id", as: String.self), agencyID: try row.decode(column: "agency_id", as: String.self),
                             category: category, status: status, receivedOn: received, statusSince: since,
                             named: try row.decode(column: "named", as: Int.self) == 1, outcomeNoted: try row.decode(column: "outcome_noted", as: Int.self) == 1)
    }

    public func details(of complaint: ComplaintCase, logger: Logger) async throws -> ComplaintDetails {
        let sealed = try await database.sql.select().column("details").from("complaints").where("id", .equal, complaint.id).first()?
            .decode(column: "details", as: String.self)
        guard let sealed else { throw ComplaintKeyError("case \(complaint.id) has no details") }
        return try JSONDecoder().decode(ComplaintDetails.self, from: try vault.openBytes(sealed, place: Self.place(complaint.id, "details")))
    }

    /// The reporter's identity. Callers record who read it (the audit log) before showing it.
    public func identity(of complaint: ComplaintCase, logger: Logger) async throws -> ReporterIdentity? {
        let sealed = try await database.sql.select().column("identity").from("complaints").where("id", .equal, complaint.id).first()?
            .decode(column: "identity", as: String?.self)
        guard let sealed else { return nil }
        return try JSONDecoder().decode(ReporterIdentity.self, from: try vault.openBytes(sealed, place: Self.place(complaint.id, "identity")))
    }

    /// The conversation, oldest first, with the files each message carries.
    public func messages(of caseID: String, logger: Logger) async throws -> [CaseMessage] {
        let files = try await database.sql.select().column("id").column("message_id").column("name").column("content_type").column("size")
            .from("complaint_files").where("complaint_id", .equal, caseID).all()
        var byMessage: [String: [CaseFileInfo]] = [:]
        for row in files {
            let id = try row.decode(column: "id", as: String.self)
            byMessage[try row.decode(column: "message_id", as: String.self), default: []].append(CaseFileInfo(
                id: id, name: try vault.open(try row.decode(column: "name", as: String.self), place: Self.place(caseID, "file/\(id)/name")),
                contentType: try row.decode(column: "content_type", as: String.self), size: try row.decode(column: "size", as: Int.self)))
        }
        return try await database.sql.select().column("*").from("complaint_messages").where("complaint_id", .equal, caseID).orderBy("seq").all().map { row in
            let id = try row.decode(column: "id", as: String.self)
            return CaseMessage(id: id, seq: try row.decode(column: "seq", as: Int.self),
                               author: MessageAuthor(rawValue: try row.decode(column: "author", as: String.self)) ?? .staff,
                               body: try vault.open(try row.decode(column: "body", as: String.self), place: Self.place(caseID, "message/\(id)")),
                               sentOn: CivilDate(iso: try row.decode(column: "sent_on", as: String.self)) ?? CivilDate(daysSince1970: 0),
                               files: (byMessage[id] ?? []).sorted { $0.name < $1.name })
        }
    }

    /// One attached file of a case, opened.
    public func attachment(caseID: String, fileID: String, logger: Logger) async throws -> ComplaintAttachment? {
        guard let row = try await database.sql.select().column("*").from("complaint_files")
            .where("complaint_id", .equal, caseID).where("id", .equal, fileID).first() else { return nil }
        return ComplaintAttachment(name: try vault.open(try row.decode(column: "name", as: String.self), place: Self.place(caseID, "file/\(fileID)/name")),
                                   contentType: try row.decode(column: "content_type", as: String.self),
                                   bytes: [UInt8](try vault.openBytes(try row.decode(column: "data", as: String.self), place: Self.place(caseID, "file/\(fileID)"))))
    }

    /// Adds a message to the conversation (the reporter's or a handler's).
    /// A handler's message is audited (`actor`); a reporter's is not (there is no one to name).
    public func addMessage(caseID: String, author: MessageAuthor, actor: AuditActor? = nil, agencyID: String? = nil, body: String,
                           files: [ComplaintAttachment] = [], today: CivilDate, logger: Logger) async throws {
        let message = try sealedMessage(caseID: caseID, author: author, userID: actor?.userID, body: body, files: files)
        try await database.transaction { db in
            // Touching the case row first holds it (PostgreSQL), so two messages at once number one after the other.
            try await db.update("complaints").set("status", to: SQLColumn("status")).where("id", .equal, caseID).run()
            let last = try await db.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "last").from("complaint_messages")
                .where("complaint_id", .equal, caseID).first()?.decode(column: "last", as: Int?.self) ?? 0
            try await Self.insert(message, seq: last + 1, sentOn: today, on: db)
            if let actor {
                try await recordAudit(on: db, actor: actor, agencyID: agencyID, action: "complaint.reply", entity: "complaint", entityID: caseID,
                                      detail: .object(JSONObject([])))
            }
        }
    }

    /// Takes a step in the case's workflow (checked, with its note), as `actor`; the case must still be where
    /// the handler saw it (`step.from`), so two handlers cannot step over one another.
    public func step(_ complaint: ComplaintCase, _ step: CaseStep, actor: AuditActor, now: Date, logger: Logger) async throws {
        try step.check()
        let id = UUID().uuidString.lowercased()
        let note = try vault.seal(step.note.trimmingCharacters(in: .whitespacesAndNewlines), place: Self.place(complaint.id, "step/\(id)"))
        let today = CivilDate.today(now)
        try await database.transaction { db in
            let current = try await db.select().column("status").from("complaints").where("id", .equal, complaint.id).first()?
                .decode(column: "status", as: String.self)
            guard current == step.from.rawValue else { throw CaseConflict() }
            try await db.update("complaints").set("status", to: SQLBind(step.to.rawValue)).set("status_since", to: SQLBind(today.iso))
                .set("outcome_noted", to: SQLBind(step.to.isFinal ? 1 : 0))
                .where("id", .equal, complaint.id).where("status", .equal, step.from.rawValue).run()
            let last = try await db.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "last").from("complaint_steps")
                .where("complaint_id", .equal, complaint.id).first()?.decode(column: "last", as: Int?.self) ?? 0
            try await db.insert(into: "complaint_steps").columns("id", "complaint_id", "seq", "from_status", "to_status", "note", "forwarded_to", "user_id", "at")
                .values(SQLBind(id), SQLBind(complaint.id), SQLBind(last + 1), SQLBind(step.from.rawValue), SQLBind(step.to.rawValue), SQLBind(note),
                        SQLBind(step.forwardedTo?.rawValue), SQLBind(actor.userID ?? ""), SQLBind(StoredTime.now(now)))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: complaint.agencyID, action: "complaint.step", entity: "complaint", entityID: complaint.id,
                                  detail: .object(JSONObject([("from", .string(step.from.rawValue)), ("to", .string(step.to.rawValue))])))
        }
    }

    public func steps(of caseID: String, logger: Logger) async throws -> [CaseStepRecord] {
        try await database.sql.select().column("*").from("complaint_steps").where("complaint_id", .equal, caseID).orderBy("seq").all().map { row in
            let id = try row.decode(column: "id", as: String.self)
            return CaseStepRecord(seq: try row.decode(column: "seq", as: Int.self),
                                  from: CaseStatus(rawValue: try row.decode(column: "from_status", as: String.self)) ?? .received,
                                  to: CaseStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .received,
                                  note: try vault.open(try row.decode(column: "note", as: String.self), place: Self.place(caseID, "step/\(id)")),
                                  forwardedTo: try row.decode(column: "forwarded_to", as: String?.self).flatMap(ForwardTarget.init(rawValue:)),
                                  userID: try row.decode(column: "user_id", as: String.self), at: try row.decode(column: "at", as: String.self))
        }
    }

    // MARK: Identity behind a second person

    public func requestIdentity(_ complaint: ComplaintCase, actor: AuditActor, reason: String, now: Date, logger: Logger) async throws -> IdentityRequest {
        let request = IdentityRequest(id: UUID().uuidString.lowercased(), complaintID: complaint.id, requestedBy: actor.userID ?? "", reason: reason,
                                      requestedAt: StoredTime.now(now), status: .pending)
        try await database.transaction { db in
            try await db.insert(into: "identity_requests")
                .columns("id", "complaint_id", "agency_id", "requested_by", "reason", "requested_at", "status")
                .values(SQLBind(request.id), SQLBind(complaint.id), SQLBind(complaint.agencyID), SQLBind(request.requestedBy), SQLBind(reason),
                        SQLBind(request.requestedAt), SQLBind(request.status.rawValue))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: complaint.agencyID, action: "complaint.identity.requested", entity: "complaint",
                                  entityID: complaint.id, detail: .object(JSONObject([("request", .string(request.id))])))
        }
        return request
    }

    /// A custodian approves or refuses a pending request; never their own.
    public func decide(requestID: String, agencyID: String, approve: Bool, note: String, actor: AuditActor, now: Date, logger: Logger) async throws {
        try await database.transaction { db in
            guard let row = try await db.select().column("*").from("identity_requests").where("id", .equal, requestID)
                .where("agency_id", .equal, agencyID).first(), let request = try Self.decodeRequest(row) else { throw CaseNotFound() }
            guard request.requestedBy != actor.userID else { throw ComplaintError.ownRequest }
            guard request.status == .pending else { throw ComplaintError.notPending }
            try await db.update("identity_requests").set("status", to: SQLBind((approve ? IdentityRequestStatus.approved : .refused).rawValue))
                .set("decided_by", to: SQLBind(actor.userID)).set("decided_at", to: SQLBind(StoredTime.now(now))).set("decision_note", to: SQLBind(note))
                .where("id", .equal, requestID).where("status", .equal, IdentityRequestStatus.pending.rawValue).run()
            try await recordAudit(on: db, actor: actor, agencyID: agencyID, action: approve ? "complaint.identity.approved" : "complaint.identity.refused",
                                  entity: "complaint", entityID: request.complaintID, detail: .object(JSONObject([("request", .string(requestID))])))
        }
    }

    public func identityRequests(agencyID: String, logger: Logger) async throws -> [IdentityRequest] {
        try await database.sql.select().column("*").from("identity_requests").where("agency_id", .equal, agencyID)
            .orderBy("requested_at", .descending).all().compactMap(Self.decodeRequest)
    }

    /// The approved request that lets `userID` see this case's reporter now, if any.
    public func grantedRequest(caseID: String, userID: String, now: Date, logger: Logger) async throws -> IdentityRequest? {
        try await database.sql.select().column("*").from("identity_requests").where("complaint_id", .equal, caseID)
            .where("requested_by", .equal, userID).where("status", .equal, IdentityRequestStatus.approved.rawValue).all()
            .compactMap(Self.decodeRequest)
            .first { request in
                guard let decided = request.decidedAt.flatMap(StoredTime.parse) else { return false }
                return now.timeIntervalSince(decided) < Double(Self.identityAccessDays) * 86_400
            }
    }

    /// Records that someone read a reporter's identity; call before showing it.
    public func recordIdentityRead(_ complaint: ComplaintCase, actor: AuditActor, requestID: String, logger: Logger) async throws {
        try await recordAudit(on: database.sql, actor: actor, agencyID: complaint.agencyID, action: "complaint.identity.read", entity: "complaint",
                              entityID: complaint.id, detail: .object(JSONObject([("request", .string(requestID))])))
    }

    static func decodeRequest(_ row: any SQLRow) throws -> IdentityRequest? {
        guard let status = IdentityRequestStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
        return IdentityRequest(id: try row.decode(column: "id", as: String.self), complaintID: try row.decode(column: "complaint_id", as: String.self),
                               requestedBy: try row.decode(column: "requested_by", as: String.self), reason: try row.decode(column: "reason", as: String.self),
                               requestedAt: try row.decode(column: "requested_at", as: String.self), status: status,
                               decidedBy: try row.decode(column: "decided_by", as: String?.self), decidedAt: try row.decode(column: "decided_at", as: String?.self),
                               decisionNote: try row.decode(column: "decision_note", as: String?.self))
    }

    // MARK: Keys

    /// Seals every field again with the current key; returns how many fields moved. `progress` is told after each case.
    public func rekey(progress: @Sendable (Int, Int) -> Void = { _, _ in }, logger: Logger) async throws -> Int {
        let ids = try await database.sql.select().column("id").from("complaints").orderBy("id").all().map { try $0.decode(column: "id", as: String.self) }
        var moved = 0
        for (index, caseID) in ids.enumerated() {
            moved += try await database.transaction { [vault] db in
                var count = 0
                func reseal(_ sealed: String, place: String) throws -> String? {
                    guard vault.isStale(sealed) else { return nil }
                    count += 1
                    return try vault.seal(try vault.openBytes(sealed, place: place), place: place)
                }
                if let row = try await db.select().column("identity").column("details").from("complaints").where("id", .equal, caseID).first() {
                    if let sealed = try row.decode(column: "identity", as: String?.self), let fresh = try reseal(sealed, place: Self.place(caseID, "identity")) {
                        try await db.update("complaints").set("identity", to: SQLBind(fresh)).where("id", .equal, caseID).run()
                    }
                    if let fresh = try reseal(try row.decode(column: "details", as: String.self), place: Self.place(caseID, "details")) {
                        try await db.update("complaints").set("details", to: SQLBind(fresh)).where("id", .equal, caseID).run()
                    }
                }
                for row in try await db.select().column("id").column("body").from("complaint_messages").where("complaint_id", .equal, caseID).all() {
                    let id = try row.decode(column: "id", as: String.self)
                    if let fresh = try reseal(try row.decode(column: "body", as: String.self), place: Self.place(caseID, "message/\(id)")) {
                        try await db.update("complaint_messages").set("body", to: SQLBind(fresh)).where("id", .equal, id).run()
                    }
                }
                for row in try await db.select().column("id").column("note").from("complaint_steps").where("complaint_id", .equal, caseID).all() {
                    let id = try row.decode(column: "id", as: String.self)
                    if let fresh = try reseal(try row.decode(column: "note", as: String.self), place: Self.place(caseID, "step/\(id)")) {
                        try await db.update("complaint_steps").set("note", to: SQLBind(fresh)).where("id", .equal, id).run()
                    }
                }
                for row in try await db.select().column("id").column("name").column("data").from("complaint_files").where("complaint_id", .equal, caseID).all() {
                    let id = try row.decode(column: "id", as: String.self)
                    if let fresh = try reseal(try row.decode(column: "name", as: String.self), place: Self.place(caseID, "file/\(id)/name")) {
                        try await db.update("complaint_files").set("name", to: SQLBind(fresh)).where("id", .equal, id).run()
                    }
                    if let fresh = try reseal(try row.decode(column: "data", as: String.self), place: Self.place(caseID, "file/\(id)")) {
                        try await db.update("complaint_files").set("data", to: SQLBind(fresh)).where("id", .equal, id).run()
                    }
                }
                return count
            }
            progress(index + 1, ids.count)
        }
        return moved
    }
}

/// The case moved on since the handler opened it.
public struct CaseConflict: Error, DomainError {
    public var userMessage: LocalizedText {
        LocalizedText(th: "เรื่องนี้มีการเปลี่ยนสถานะไปแล้ว กรุณาเปิดหน้าใหม่แล้วลองอีกครั้ง", en: "The case has moved on since you opened it; reload and try again")
    }
    public var kind: DomainErrorKind { .conflict }
}

public struct CaseNotFound: Error, DomainError {
    public var userMessage: LocalizedText { LocalizedText(th: "ไม่พบเรื่องนี้", en: "No such case") }
    public var kind: DomainErrorKind { .invalid }
}
