import SQLKit

/// Wrong sign-in attempts per account name and per client address, shared by every app node.
struct M0010SignInThrottle: Migration {
    let version = 10
    let name = "sign-in throttle"

    func prepare(on db: any SQLDatabase) async throws {
        // key: "account:<name in lower case>" or "address:<ip>"; times are ISO-8601 UTC.
        try await db.create(table: "sign_in_failures")
            .column("key", type: .text, .primaryKey(autoIncrement: false))
            .column("failures", type: .int, .notNull)
            .column("last_failure_at", type: .text, .notNull)
            .column("locked_until", type: .text)
            .run()
    }
}
