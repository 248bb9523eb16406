import SQLKit

/// The improvement cycle (O42/O43): the analysis of last year's result, the measures and their monthly
/// progress, the memo's details, and document-generation jobs with the files they made.
struct M0006Improvement: Migration {
    let version = 6
    let name = "improvement and documents"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "analysis_rows")
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("indicator_id", type: .text, .notNull)
            .column("weak", type: .int, .notNull)
            .column("guidance", type: .text, .notNull)
            .column("responsible", type: .text, .notNull)
            .column("period", type: .text, .notNull)
            .column("progress", type: .text, .notNull)
            .column("note", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .primaryKey("assessment_id", "indicator_id")
            .run()

        try await db.create(table: "measures")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("number", type: .int, .notNull)
            .column("title", type: .text, .notNull)
            .column("method", type: .text, .notNull)
            .column("start_on", type: .text, .notNull)
            .column("end_on", type: .text, .notNull)
            .column("responsible", type: .text, .notNull)
            .column("indicators", type: .text, .notNull)
            .column("items", type: .text, .notNull)
            .column("target", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("summary", type: .text, .notNull)
            .column("outcome", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(index: "measures_assessment").on("measures").column("assessment_id").column("number").run()

        try await db.create(table: "measure_updates")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("measure_id", type: .text, .notNull, .references("measures", "id"))
            .column("month", type: .text, .notNull)
            .column("percent", type: .int, .notNull)
            .column("note", type: .text, .notNull)
            .column("evidence_url", type: .text, .notNull)
            .column("files", type: .text, .notNull)
            .column("created_by", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()
        try await db.create(index: "measure_updates_measure").on("measure_updates").column("measure_id").column("month").run()

        try await db.create(table: "memos")
            .column("assessment_id", type: .text, .primaryKey(autoIncrement: false), .references("assessments", "id"))
            .column("details", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()

        try await db.create(table: "document_jobs")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("assessment_id", type: .text, .notNull, .references("assessments", "id"))
            .column("status", type: .text, .notNull)
            .column("step", type: .int, .notNull)
            .column("steps", type: .int, .notNull)
            .column("message", type: .text, .notNull)
            .column("created_by", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(index: "document_jobs_assessment").on("document_jobs").column("assessment_id").column("created_at").run()

        try await db.create(table: "document_files")
            .column("job_id", type: .text, .notNull, .references("document_jobs", "id"))
            .column("name", type: .text, .notNull)
            .column("content_type", type: .text, .notNull)
            .column("size", type: .bigint, .notNull)
            .column("data", type: .blob, .notNull)
            .primaryKey("job_id", "name")
            .run()
    }
}
