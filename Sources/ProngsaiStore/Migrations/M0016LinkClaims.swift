import SQLKit

/// Which node fetches an evidence link this round: one claim per link, renewed once the previous one is
/// older than the re-check interval, so every link is fetched once a day however many nodes run.
struct M0016LinkClaims: Migration {
    let version = 16
    let name = "link claims"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "link_claims")
            .column("assessment_id", type: .text, .notNull)
            .column("item_id", type: .text, .notNull)
            .column("url", type: .text, .notNull)
            .column("claimed_at", type: .text, .notNull)
            .primaryKey("assessment_id", "item_id", "url")
            .run()
    }
}
