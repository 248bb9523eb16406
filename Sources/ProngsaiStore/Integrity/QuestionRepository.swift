import Foundation
import Logging
import ProngsaiCore
import SQLKit

public enum QuestionStatus: String, Sendable, Hashable, CaseIterable { case pending, published, rejected }

/// A question from the public (O8), answered by staff and published only once moderated.
public struct PublicQuestion: Sendable, Hashable, Identifiable {
    public var id: String
    public var agencyID: String
    /// The name the asker chose to show (may be empty: "ผู้ไม่ประสงค์ออกนาม").
    public var asker: String
    public var body: String
    public var askedAt: String
    public var status: QuestionStatus
    public var answer: String?
    public var answeredBy: String?
    public var answeredAt: String?
}

public struct QuestionRepository: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    public func ask(agencyID: String, asker: String, body: String, now: Date, logger: Logger) async throws -> PublicQuestion {
        let question = PublicQuestion(id: UUID().uuidString.lowercased(), agencyID: agencyID, asker: asker, body: body, askedAt: StoredTime.now(now), status: .pending)
        try await database.sql.insert(into: "questions").columns("id", "agency_id", "asker", "body", "asked_at", "status")
            .values(SQLBind(question.id), SQLBind(agencyID), SQLBind(asker), SQLBind(body), SQLBind(question.askedAt), SQLBind(question.status.rawValue))
            .run()
        return question
    }

    /// An agency's questions, newest first; `published` only those the public sees.
    public func questions(agencyID: String, publishedOnly: Bool, logger: Logger) async throws -> [PublicQuestion] {
        var query = database.sql.select().column("*").from("questions").where("agency_id", .equal, agencyID)
        if publishedOnly { query = query.where("status", .equal, QuestionStatus.published.rawValue) }
        return try await query.orderBy("asked_at", .descending).orderBy("id").all().compactMap(Self.decode)
    }

    public func find(id: String, agencyID: String, logger: Logger) async throws -> PublicQuestion? {
        try await database.sql.select().column("*").from("questions").where("id", .equal, id).where("agency_id", .equal, agencyID).first().flatMap(Self.decode)
    }

    /// Answers (and publishes) a question, or sets it aside unpublished; an answer may be corrected later.
    public func moderate(_ question: PublicQuestion, status: QuestionStatus, answer: String?, actor: AuditActor, now: Date, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.update("questions").set("status", to: SQLBind(status.rawValue)).set("answer", to: SQLBind(answer))
                .set("answered_by", to: SQLBind(actor.userID)).set("answered_at", to: SQLBind(answer == nil ? nil : (question.answeredAt ?? StoredTime.now(now))))
                .where("id", .equal, question.id).run()
            try await recordAudit(on: db, actor: actor, agencyID: question.agencyID, action: "question.\(status.rawValue)", entity: "question",
                                  entityID: question.id, detail: .object(JSONObject([])))
        }
    }

    static func decode(_ row: any SQLRow) throws -> PublicQuestion? {
        guard let status = QuestionStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
        return PublicQuestion(id: try row.decode(column: "id", as: String.self), agencyID: try row.decode(column: "agency_id", as: String.self),
                              asker: try row.decode(column: "asker", as: String.self), body: try row.decode(column: "body", as: String.self),
                              askedAt: try row.decode(column: "asked_at", as: String.self), status: status,
                              answer: try row.decode(column: "answer", as: String?.self), answeredBy: try row.decode(column: "answered_by", as: String?.self),
                              answeredAt: try row.decode(column: "answered_at", as: String?.self))
    }
}

/// Counts for the public forms' limits, shared by every node: one row per keyed hash of (form, address,
/// window), gone once the window has passed. The key is made by the caller with a secret the database
/// does not hold, so the table does not give addresses back.
public struct PublicLimitRepository: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    /// Counts one more hit for `key` in the window ending at `windowEnd` (seconds since 1970); returns the count.
    public func hit(key: String, windowEnd: Int, now: Date, logger: Logger) async throws -> Int {
        // Now and then, windows that have passed are dropped.
        if Int.random(in: 0..<50) == 0 {
            try await database.sql.delete(from: "public_limits").where("window_end", .lessThan, SQLBind(Int(now.timeIntervalSince1970))).run()
        }
        let row = try await database.sql.raw("""
            INSERT INTO public_limits (key, window_end, hits) VALUES (\(bind: key), \(bind: windowEnd), 1)
            ON CONFLICT (key) DO UPDATE SET hits = public_limits.hits + 1 RETURNING hits
            """).first()
        return try row?.decode(column: "hits", as: Int.self) ?? 1
    }
}
