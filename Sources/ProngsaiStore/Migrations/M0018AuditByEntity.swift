import SQLKit

/// An item's page lists its review history from the audit log: found by the item, not by reading the
/// agency's latest entries and filtering (which also lost an old history behind newer entries).
struct M0018AuditByEntity: Migration {
    let version = 18
    let name = "audit log by entity"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(index: "audit_log_entity").on("audit_log").column("entity_id").column("at").run()
    }
}
