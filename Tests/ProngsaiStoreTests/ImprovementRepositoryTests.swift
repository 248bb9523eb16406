import Foundation
import ProngsaiCore
import ProngsaiStore
import Testing
import TestSupport

@Suite("analysis, measures, memo and document jobs on SQLite and PostgreSQL")
struct ImprovementRepositoryTests {
    let actor = AuditActor(userID: nil, name: "officer")

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
            let claimed = try #require(try await store.claimJob(now: Date(), staleBefore: Date().addingTimeInterval(-30), maxAttempts: 3, logger: testLogger))
            #expect(claimed.job.id == job.id && claimed.attempts == 1)
            try await store.addFile(jobID: job.id, claim: claimed.claim, name: "a.docx", contentType: "application/x", data: Data([0, 1, 2, 255]), logger: testLogger)
            try await store.updateJob(id: job.id, claim: claimed.claim, status: .done, step: 2, message: "", logger: testLogger)
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

    @Test("document jobs: claimed once; a job whose heartbeat stopped is taken over, the old claim writes nothing; three starts at most; many claimants never share a job",
          arguments: TestEngine.available)
    func claims(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let store = repositories.improvement
            let actor = AuditActor(userID: nil, name: "test")
            let agency = Agency(code: "claims", name: .init(th: "ก", en: "A"), shortName: .init(th: "", en: ""), type: "", province: "", district: "")
            try await repositories.agencies.create(agency, by: actor, logger: testLogger)
            let assessment = Assessment(agencyID: agency.id, frameworkID: "ita-2566", fiscalYear: 2566)
            try await repositories.assessments.create(assessment, by: actor, logger: testLogger)
            let t0 = Date(timeIntervalSince1970: 1_700_000_000)
            let job = try await store.createJob(assessmentID: assessment.id, steps: 1, by: actor, logger: testLogger)
            let first = try #require(try await store.claimJob(now: t0, staleBefore: t0.addingTimeInterval(-30), maxAttempts: 3, logger: testLogger))
            #expect(try await store.claimJob(now: t0.addingTimeInterval(10), staleBefore: t0.addingTimeInterval(-20), maxAttempts: 3, logger: testLogger) == nil,
                    "a running job with a fresh heartbeat is not claimed again")
            #expect(try await store.addFile(jobID: job.id, claim: first.claim, name: "half.docx", contentType: "x", data: Data([1]), logger: testLogger))
            // The first node goes quiet; 30 s later another takes the job over and clears what the first left.
            let later = Date().addingTimeInterval(3600)
            let second = try #require(try await store.claimJob(now: later, staleBefore: later.addingTimeInterval(-30), maxAttempts: 3, logger: testLogger))
            #expect(second.job.id == job.id && second.attempts == 2 && second.claim != first.claim)
            try await store.clearFiles(jobID: job.id, logger: testLogger)
            #expect(try await store.updateJob(id: job.id, claim: first.claim, status: .done, step: 1, message: "", logger: testLogger) == false)
            #expect(try await store.addFile(jobID: job.id, claim: first.claim, name: "late.docx", contentType: "x", data: Data([2]), logger: testLogger) == false)
            #expect(try await store.heartbeat(id: job.id, claim: first.claim, logger: testLogger) == false)
            #expect(try await store.addFile(jobID: job.id, claim: second.claim, name: "done.docx", contentType: "x", data: Data([3]), logger: testLogger))
            #expect(try await store.updateJob(id: job.id, claim: second.claim, status: .done, step: 1, message: "", logger: testLogger))
            #expect(try await store.files(jobID: job.id, logger: testLogger).map(\.name) == ["done.docx"], "only the finishing claim's files")
            #expect(try await store.updateJob(id: job.id, claim: second.claim, status: .failed, step: 1, message: "", logger: testLogger) == false,
                    "a finished job finishes once")

            // A job that kills its node each time is given up after three starts.
            let poison = try await store.createJob(assessmentID: assessment.id, steps: 1, by: actor, logger: testLogger)
            var clock = Date().addingTimeInterval(7200)
            for _ in 0..<3 {
                #expect(try await store.claimJob(now: clock, staleBefore: clock.addingTimeInterval(-30), maxAttempts: 3, logger: testLogger)?.job.id == poison.id)
                clock = clock.addingTimeInterval(60)
            }
            #expect(try await store.claimJob(now: clock, staleBefore: clock.addingTimeInterval(-30), maxAttempts: 3, logger: testLogger) == nil)
            #expect(try await store.job(id: poison.id, logger: testLogger)?.status == .failed)

            // Twenty queued jobs, eight claimants at once: each job claimed by exactly one.
            var queued: Set<String> = []
            for _ in 0..<20 { queued.insert(try await store.createJob(assessmentID: assessment.id, steps: 1, by: actor, logger: testLogger).id) }
            let now = Date()
            let claimedIDs = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var mine: [String] = []
                        while let claimed = try await store.claimJob(now: now, staleBefore: now.addingTimeInterval(-30), maxAttempts: 3, logger: testLogger) {
                            mine.append(claimed.job.id)
                        }
                        return mine
                    }
                }
                var all: [String] = []
                for try await mine in group { all += mine }
                return all
            }
            #expect(claimedIDs.count == 20 && Set(claimedIDs) == queued)
        }
    }
}
