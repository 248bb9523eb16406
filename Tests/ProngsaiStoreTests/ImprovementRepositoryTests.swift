import Foundation
import ProngsaiCore
import ProngsaiStore
import Testing
import TestSupport

@Suite("analysis, measures, memo and document jobs on SQLite and PostgreSQL")
struct ImprovementRepositoryTests {
    let actor = Actor(userID: nil, name: "officer")

    @Test("everything written reads back the same, with an audit entry per change", arguments: TestEngine.available)
    func roundTrip(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let store = repositories.improvement
            let agency = Agency(code: "a", name: .init(th: "ก", en: "A"), shortName: .init(th: "", en: ""), type: "", province: "", district: "")
            try await repositories.agencies.create(agency, by: actor, logger: testLogger)
            let assessment = Assessment(agencyID: agency.id, frameworkID: "ita-2566", fiscalYear: 2566)
            try await repositories.assessments.create(assessment, by: actor, logger: testLogger)

            let rows = [AnalysisRow(indicatorID: "4", weak: true, guidance: "แนวทาง\nบรรทัดสอง", responsible: "กองคลัง", period: "ต.ค.65 - ก.ย.66", progress: .done, note: "'; DROP TABLE measures; --"),
                        AnalysisRow(indicatorID: "8", progress: .inProgress)]
            try await store.saveAnalysis(assessment, rows: rows, by: actor, logger: testLogger)
            try await store.saveAnalysis(assessment, rows: rows, by: actor, logger: testLogger)
            #expect(try await store.analysis(assessmentID: assessment.id, logger: testLogger).sorted { $0.indicatorID < $1.indicatorID } == rows)

            let year = FiscalYear(2566)
            var measure = Measure(assessmentID: assessment.id, number: 1, title: "มาตรการ", method: "วิธี", start: year.start, end: year.end,
                                  responsible: "สำนักปลัด", indicators: ["4", "9.4"], items: ["O42"], target: "ร้อยละ 100", status: .planned)
            try await store.saveMeasure(assessment, measure, by: actor, logger: testLogger)
            measure.status = .done
            measure.outcome = "สำเร็จ"
            try await store.saveMeasure(assessment, measure, by: actor, logger: testLogger)
            #expect(try await store.measures(assessmentID: assessment.id, logger: testLogger) == [measure])
            #expect(try await store.measure(id: measure.id, logger: testLogger) == measure)

            let update = MeasureUpdate(measureID: measure.id, month: "2023-03", percent: 70, note: "ครึ่งทาง", evidenceURL: "https://x.go.th",
                                       createdBy: "officer", createdAt: Date(timeIntervalSince1970: 1_678_856_400))
            try await store.addUpdate(assessment, update, by: actor, logger: testLogger)
            #expect(try await store.updates(assessmentID: assessment.id, logger: testLogger) == [update])

            let memo = MemoDetails(division: "สำนักปลัด", number: "ชร. ๗๗๖๐๑ / -", date: CivilDate(iso: "2023-09-18")!, to: "นายก", subject: "รายงาน",
                                   intro: "", author: .init(name: "ผู้เขียน", position: "นักทรัพยากรบุคคล"),
                                   signers: [.init(title: "ความเห็นปลัด", name: "ปลัด", position: "ปลัด อบต.")])
            try await store.saveMemo(assessment, memo, by: actor, logger: testLogger)
            try await store.saveMemo(assessment, memo, by: actor, logger: testLogger)
            #expect(try await store.memo(assessmentID: assessment.id, logger: testLogger) == memo)

            let job = try await store.createJob(assessmentID: assessment.id, steps: 2, by: actor, logger: testLogger)
            try await store.addFile(jobID: job.id, name: "a.docx", contentType: "application/x", data: Data([0, 1, 2, 255]), logger: testLogger)
            try await store.updateJob(id: job.id, status: .done, step: 2, message: "", logger: testLogger)
            let stored = try #require(try await store.latestJob(assessmentID: assessment.id, logger: testLogger))
            #expect(stored.id == job.id && stored.status == .done && stored.step == 2 && stored.isFinished)
            #expect(try await store.files(jobID: job.id, logger: testLogger) == [DocumentFileInfo(name: "a.docx", contentType: "application/x", size: 4)])
            #expect(try await store.file(jobID: job.id, name: "a.docx", logger: testLogger)?.data == Data([0, 1, 2, 255]))
            #expect(try await store.file(jobID: job.id, name: "b.docx", logger: testLogger) == nil)

            // Only the newest jobs are kept, with their files.
            for _ in 0..<3 { _ = try await store.createJob(assessmentID: assessment.id, steps: 1, by: actor, logger: testLogger) }
            try await store.pruneJobs(assessmentID: assessment.id, keep: 2, logger: testLogger)
            #expect(try await store.job(id: job.id, logger: testLogger) == nil)
            #expect(try await store.file(jobID: job.id, name: "a.docx", logger: testLogger) == nil)
            #expect(try await store.latestJob(assessmentID: assessment.id, logger: testLogger) != nil)

            let actions = try await repositories.audit.entries(agencyID: agency.id, limit: 50, logger: testLogger).map(\.action)
            #expect(actions.filter { $0 == "save-analysis" }.count == 2)
            #expect(actions.contains("add-measure") && actions.contains("edit-measure") && actions.contains("measure-progress") && actions.contains("save-memo"))
        }
    }
}
