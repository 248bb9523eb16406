import SQLKit

/// Corruption complaints (O27–O29) and the public's questions (O8), and per-address limits every node shares.
///
/// What a reporter writes is sealed (AES-GCM, keys from configuration): `identity`, `details`, message
/// bodies, step notes and attachments. Nothing about the reporter's connection is stored; a reporter's
/// words carry the day only. The receipt code is kept only as a slow hash.
struct M0019IntegrityChannels: Migration {
    let version = 19
    let name = "integrity channels"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "complaints")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("agency_id", type: .text, .notNull)
            .column("receipt_hash", type: .text, .notNull, .unique)
            .column("category", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("received_on", type: .text, .notNull)
            .column("status_since", type: .text, .notNull)
            .column("named", type: .int, .notNull)
            .column("identity", type: .text)
            .column("details", type: .text, .notNull)
            .column("outcome_noted", type: .int, .notNull)
            .run()
        try await db.create(index: "complaints_by_agency").on("complaints").column("agency_id").column("received_on").run()

        try await db.create(table: "complaint_messages")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("complaint_id", type: .text, .notNull)
            .column("seq", type: .int, .notNull)
            .column("author", type: .text, .notNull)
            .column("user_id", type: .text)
            .column("body", type: .text, .notNull)
            .column("sent_on", type: .text, .notNull)
            .unique("complaint_id", "seq")
            .run()

        try await db.create(table: "complaint_files")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("complaint_id", type: .text, .notNull)
            .column("message_id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("content_type", type: .text, .notNull)
            .column("size", type: .int, .notNull)
            .column("data", type: .text, .notNull)
            .run()
        try await db.create(index: "complaint_files_by_case").on("complaint_files").column("complaint_id").run()

        try await db.create(table: "complaint_steps")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("complaint_id", type: .text, .notNull)
            .column("seq", type: .int, .notNull)
            .column("from_status", type: .text, .notNull)
            .column("to_status", type: .text, .notNull)
            .column("note", type: .text, .notNull)
            .column("forwarded_to", type: .text)
            .column("user_id", type: .text, .notNull)
            .column("at", type: .text, .notNull)
            .unique("complaint_id", "seq")
            .run()

        try await db.create(table: "identity_requests")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("complaint_id", type: .text, .notNull)
            .column("agency_id", type: .text, .notNull)
            .column("requested_by", type: .text, .notNull)
            .column("reason", type: .text, .notNull)
            .column("requested_at", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("decided_by", type: .text)
            .column("decided_at", type: .text)
            .column("decision_note", type: .text)
            .run()
        try await db.create(index: "identity_requests_by_agency").on("identity_requests").column("agency_id").run()

        try await db.create(table: "questions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("agency_id", type: .text, .notNull)
            .column("asker", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("asked_at", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("answer", type: .text)
            .column("answered_by", type: .text)
            .column("answered_at", type: .text)
            .run()
        try await db.create(index: "questions_by_agency").on("questions").column("agency_id").column("asked_at").run()

        // Public form limits shared by every node: a keyed hash of the address and the window, a count.
        try await db.create(table: "public_limits")
            .column("key", type: .text, .primaryKey(autoIncrement: false))
            .column("window_end", type: .bigint, .notNull)
            .column("hits", type: .int, .notNull)
            .run()
    }
}
