import SQLKit

/// Document jobs run by whichever app node claims them: the claim (a random token), the claimant's last
/// heartbeat, and how many times the job was started (a job that kills its node is not retried forever).
struct M0015JobClaims: Migration {
    let version = 15
    let name = "job claims"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.alter(table: "document_jobs").column("claim", type: .text).run()
        try await db.alter(table: "document_jobs").column("heartbeat_at", type: .text).run()
        try await db.alter(table: "document_jobs").column("attempts", type: .int, .notNull, .default(0)).run()
        try await db.create(index: "document_jobs_status").on("document_jobs").column("status").column("created_at").run()
    }
}
