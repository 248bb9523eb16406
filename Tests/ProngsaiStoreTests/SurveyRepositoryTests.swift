import Foundation
import ProngsaiCore
import ProngsaiStore
import SQLKit
import Testing
import TestSupport

@Suite("survey storage on SQLite and PostgreSQL")
struct SurveyRepositoryTests {
    let actor = AuditActor(userID: nil, name: "officer-test")
    let day = CivilDate(iso: "2023-03-15")!

    func seed(_ repositories: Repositories) async throws -> Assessment {
        let agency = Agency(code: "a1", name: .init(th: "หน่วยงานทดสอบ", en: "Test"), shortName: .init(th: "", en: ""), type: "อบต.", province: "", district: "")
        try await repositories.agencies.create(agency, by: actor, logger: testLogger)
        let assessment = Assessment(agencyID: agency.id, frameworkID: "ita-2566", fiscalYear: 2566)
        try await repositories.assessments.create(assessment, by: actor, logger: testLogger)
        return assessment
    }

    @Test("codes are spent once; retries are recorded once; answers wait until a batch of five is released; nothing links a code or receipt to an answer", arguments: TestEngine.available)
    func submit(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let assessment = try await seed(repositories)
            let window = SurveyWindow(assessmentID: assessment.id, partID: "iit", publicCode: "abc234", opensOn: CivilDate(iso: "2023-01-01")!,
                                      closesOn: CivilDate(iso: "2023-06-30")!, requiresCode: true, population: 57)
            try await repositories.surveys.saveWindow(window, assessment: assessment, by: actor, logger: testLogger)
            #expect(try await repositories.surveys.window(publicCode: "abc234", logger: testLogger) == window)
            let codes = try await repositories.surveys.generateCodes(assessment: assessment, partID: "iit", count: 40, by: actor, logger: testLogger)
            #expect(Set(codes).count == 40)
            #expect(codes.allSatisfy { OneTimeCode.normalize($0) == $0 })
            let listed = try await repositories.surveys.codes(assessmentID: assessment.id, partID: "iit", logger: testLogger)
            #expect(listed == codes.sorted())
            let answer = SurveyResponse(["i1a": .level(4), "i4": .yesNo(false)])
            func submit(_ id: String, _ code: String?) async throws -> SubmitOutcome {
                try await repositories.surveys.submit(assessmentID: assessment.id, partID: "iit", submissionID: id, code: code, response: answer, logger: testLogger)
            }
            #expect(try await submit("s1", codes[0]) == .recorded)
            #expect(try await submit("s1", codes[0]) == .duplicate, "a retried form")
            #expect(try await submit("s2", codes[0]) == .codeSpent)
            #expect(try await submit("s3", "ZZZZ-ZZZZ") == .codeUnknown)
            #expect(try await submit("s3", codes[1]) == .recorded, "a refused code leaves the receipt unused")
            #expect(try await repositories.surveys.responses(assessmentID: assessment.id, partID: "iit", logger: testLogger).isEmpty, "accepted answers wait")
            let pending = try await repositories.surveys.pending(logger: testLogger)
            #expect(pending.count == 2)
            #expect(try await repositories.surveys.pendingParts(assessmentID: assessment.id, logger: testLogger) == ["iit"])
            let releaseDay = CivilDate(iso: "2023-03-20")!
            let early = try await repositories.surveys.release(ids: pending.map(\.id), assessmentID: assessment.id, partID: "iit", minimum: 5,
                                                               on: releaseDay, seed: nil, logger: testLogger)
            #expect(early == 0, "two answers are never released on their own")
            for n in 2..<5 { #expect(try await submit("s\(n + 2)", codes[n]) == .recorded) }
            let five = try await repositories.surveys.pending(logger: testLogger)
            // Another node released three of them already: the rest are too few and stay pending.
            #expect(try await repositories.surveys.release(ids: Array(five.prefix(3).map(\.id)) + ["gone-1", "gone-2"], assessmentID: assessment.id, partID: "iit",
                                                           minimum: 5, on: releaseDay, seed: nil, logger: testLogger) == 0)
            #expect(try await repositories.surveys.release(ids: five.map(\.id), assessmentID: assessment.id, partID: "iit", minimum: 5,
                                                           on: releaseDay, seed: nil, logger: testLogger) == 5)
            #expect(try await repositories.surveys.release(ids: five.map(\.id), assessmentID: assessment.id, partID: "iit", minimum: 5,
                                                           on: releaseDay, seed: nil, logger: testLogger) == 0, "released once")
            try await repositories.surveys.purgeReleased(logger: testLogger)
            #expect(try await repositories.surveys.pending(logger: testLogger).isEmpty)
            let stored = try await repositories.surveys.responses(assessmentID: assessment.id, partID: "iit", logger: testLogger)
            #expect(stored.count == 5)
            #expect(stored.allSatisfy { $0 == StoredResponse(partID: "iit", submittedOn: releaseDay, response: answer) }, "dated the day of release")
            let spent = try await database.sql.select().column("code").from("survey_codes").where("spent", .equal, 1).all()
                .map { try $0.decode(column: "code", as: String.self) }
            #expect(Set(spent) == Set(codes[0..<5]))
            #expect(try await repositories.surveys.codes(assessmentID: assessment.id, partID: "iit", logger: testLogger) == listed,
                    "the code list is the same after codes were used")
            let daily = try await repositories.surveys.dailyCounts(assessmentID: assessment.id, logger: testLogger)
            #expect(daily["iit"]?.map(\.count) == [5])

            // The schema itself holds nothing that could identify a respondent.
            let columns = try await database.sql.select().column("*").from("survey_responses").first()?.allColumns.sorted()
            #expect(columns == ["answers", "assessment_id", "id", "part_id", "submitted_on"])
            let codeColumns = try await database.sql.select().column("*").from("survey_codes").first()?.allColumns.sorted()
            #expect(codeColumns == ["assessment_id", "code", "part_id", "spent"])
            _ = try await submit("s9", codes[9])
            let pendingColumns = try await database.sql.select().column("*").from("survey_pending").first()?.allColumns.sorted()
            #expect(pendingColumns == ["answers", "assessment_id", "id", "part_id"], "a pending answer has no date or time either")
        }
    }

    @Test("forms without a code are written in groups: 600 at once with repeats, each stored once and answered recorded or duplicate",
          arguments: TestEngine.available)
    func grouped(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let assessment = try await seed(repositories)
            let answer = SurveyResponse(["e1": .level(4), "e4": .yesNo(false)])
            // 400 distinct ids, 200 of them sent a second time at once (a double click racing its twin).
            let ids = (0..<400).map { "g\($0)" } + (0..<200).map { "g\($0 * 2)" }
            let outcomes = try await withThrowingTaskGroup(of: (String, SubmitOutcome).self) { group in
                for id in ids {
                    group.addTask {
                        (id, try await repositories.surveys.submit(assessmentID: assessment.id, partID: "eit1", submissionID: id, code: nil,
                                                                    response: answer, logger: testLogger))
                    }
                }
                var all: [(String, SubmitOutcome)] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let recorded = outcomes.filter { $0.1 == .recorded }.map(\.0)
            #expect(recorded.count == 400 && Set(recorded).count == 400, "each id recorded once")
            #expect(outcomes.filter { $0.1 == .duplicate }.count == 200)
            let pending = try await database.sql.raw("SELECT COUNT(*) AS n FROM survey_pending").first()?.decode(column: "n", as: Int.self)
            let receipts = try await database.sql.raw("SELECT COUNT(*) AS n FROM survey_submissions").first()?.decode(column: "n", as: Int.self)
            #expect(pending == 400 && receipts == 400)
            // Later, alone: a repeat of a stored id is a duplicate; a new one is recorded.
            #expect(try await repositories.surveys.submit(assessmentID: assessment.id, partID: "eit1", submissionID: "g7", code: nil, response: answer, logger: testLogger) == .duplicate)
            #expect(try await repositories.surveys.submit(assessmentID: assessment.id, partID: "eit1", submissionID: "g-new", code: nil, response: answer, logger: testLogger) == .recorded)
        }
    }

    @Test("EIT part 2 entries are accepted together or not at all, and wait for a batch", arguments: TestEngine.available)
    func importAll(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let assessment = try await seed(repositories)
            let responses = (1...3).map { SurveyResponse(["e1": .level($0)]) }
            try await repositories.surveys.importResponses(responses, assessment: assessment, partID: "eit2", by: actor, logger: testLogger)
            #expect(try await repositories.surveys.pending(logger: testLogger).count == 3)
            #expect(try await repositories.surveys.responses(assessmentID: assessment.id, partID: "eit2", logger: testLogger).isEmpty)
            var ghost = assessment
            ghost.id = "missing"
            await #expect(throws: (any Error).self) {
                try await repositories.surveys.importResponses(responses, assessment: ghost, partID: "eit2", by: actor, logger: testLogger)
            }
            #expect(try await repositories.surveys.pending(logger: testLogger).count == 3)
        }
    }

    @Test("counted answers equal a count of the released rows after every release, and the migration counts what was released before it", arguments: TestEngine.available)
    func tallies(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let assessment = try await seed(repositories)
            var random = SplitMix64(seed: 17)
            func counted() async throws -> ([String: ResponseTally], [String: [String: Int]]) {
                let rows = try await repositories.surveys.responses(assessmentID: assessment.id, partID: nil, logger: testLogger)
                let tallies = Dictionary(grouping: rows, by: \.partID).mapValues { ResponseTally($0.map(\.response)) }
                let days = Dictionary(grouping: rows, by: \.partID).mapValues { Dictionary(grouping: $0, by: \.submittedOn.iso).mapValues(\.count) }
                return (tallies, days)
            }
            func stored() async throws -> ([String: ResponseTally], [String: [String: Int]]) {
                let days = try await repositories.surveys.dailyCounts(assessmentID: assessment.id, logger: testLogger)
                return (try await repositories.surveys.tallies(assessmentID: assessment.id, logger: testLogger),
                        days.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0.day.iso, $0.count) }) })
            }
            for round in 0..<6 {
                for part in ["iit", "eit1"] {
                    let batch = (0..<Int.random(in: 5...40, using: &random)).map { _ in
                        SurveyResponse(["i1a": .level(Int.random(in: 1...4, using: &random)), "i4": .yesNo(Bool.random(using: &random))]
                            .filter { _ in Int.random(in: 0..<5, using: &random) > 0 })
                    }
                    try await repositories.surveys.importResponses(batch, assessment: assessment, partID: part, by: actor, logger: testLogger)
                    let ids = try await repositories.surveys.pending(logger: testLogger).filter { $0.partID == part }.map(\.id)
                    let day = CivilDate(iso: "2023-03-\(10 + round / 2)")!
                    #expect(try await repositories.surveys.release(ids: ids, assessmentID: assessment.id, partID: part, minimum: 5, on: day, seed: nil, logger: testLogger) == batch.count)
                }
                let (expected, expectedDays) = try await counted()
                let (tallies, days) = try await stored()
                #expect(tallies == expected, "round \(round)")
                #expect(days == expectedDays, "round \(round)")
            }
            #expect(try await stored().0["iit"]?.respondents ?? 0 > 30)
            // An install that released answers before the counts existed: the migration counts them.
            try await database.sql.raw("DROP TABLE survey_tallies").run()
            try await database.sql.raw("DROP TABLE survey_days").run()
            try await database.sql.delete(from: "schema_migrations").where("version", .equal, 17).run()
            try await Migrator(database: database).migrate(logger: testLogger)
            let (expected, expectedDays) = try await counted()
            let (tallies, days) = try await stored()
            #expect(tallies == expected && days == expectedDays)
        }
    }
}

@Suite("released answers keep no order on SQLite")
struct ReleaseOrderTests {
    /// 200 people answer with codes, one after another; the answers are released in batches as the app's
    /// rounds would. If rows kept the order answers came in, the n-th row of the file would be the n-th
    /// person to spend a code: the rank correlation between file order and answer order must be near 0.
    @Test("released rows' rowid order is not the order codes were spent in (200 answers, fixed seed)")
    func rowOrder() async throws {
        try await withTestDatabase(.sqlite) { database in
            let repositories = Repositories(database: database)
            let actor = AuditActor.system
            let assessment = try await SurveyRepositoryTests().seed(repositories)
            let codes = try await repositories.surveys.generateCodes(assessment: assessment, partID: "iit", count: 200, by: actor, logger: testLogger)
            var random = SplitMix64(seed: 2566)
            var nextBatch = Int.random(in: 5...12, using: &random)
            let day = CivilDate(iso: "2023-03-15")!
            guard case .sqlite(let path) = database.location else { return }
            func fileBytes() throws -> String {
                let main = try Data(contentsOf: URL(fileURLWithPath: path))
                let wal = (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
                return String(decoding: main + wal, as: UTF8.self)
            }
            #expect(try await database.sql.raw("PRAGMA secure_delete").first()?.decode(column: "secure_delete", as: Int.self) == 1)
            var pendingIDs: Set<String> = []
            for (index, code) in codes.enumerated() {
                // The answer carries the person's place in the queue, so the test can tell who is who.
                let outcome = try await repositories.surveys.submit(assessmentID: assessment.id, partID: "iit", submissionID: "s\(index)", code: code,
                                                                    response: SurveyResponse(["i1a": .level(index)]), logger: testLogger)
                #expect(outcome == .recorded)
                let pending = try await repositories.surveys.pending(logger: testLogger)
                pendingIDs.formUnion(pending.map(\.id))
                if index == 0 { #expect(try fileBytes().contains(pending[0].id), "a pending row is in the file before its release") }
                if pending.count >= nextBatch || (index == codes.count - 1 && pending.count >= 5) {
                    let released = try await repositories.surveys.release(ids: pending.map(\.id), assessmentID: assessment.id, partID: "iit", minimum: 5,
                                                                          on: day, seed: random.next(), logger: testLogger)
                    #expect(released == pending.count)
                    nextBatch = Int.random(in: 5...12, using: &random)
                }
            }
            try await repositories.surveys.purgeReleased(logger: testLogger)
            let rows = try await database.sql.raw("SELECT rowid AS r, answers FROM survey_responses ORDER BY rowid").all()
            let order = try rows.map { row -> Int in
                let answers = try JSONParser.parse(try row.decode(column: "answers", as: String.self))
                return NSDecimalNumber(decimal: answers["i1a"]?.numberValue ?? -1).intValue
            }
            let waiting = try await repositories.surveys.pending(logger: testLogger).count
            #expect(waiting < 5, "only a last batch under five waits")
            #expect(order.count + waiting == 200)
            #expect(Set(order).count == order.count && order.allSatisfy { (0..<200).contains($0) }, "every answer released once")
            // Spearman's rank correlation between place in the file and place in the queue.
            let queueRank = Dictionary(uniqueKeysWithValues: order.sorted().enumerated().map { ($1, $0) })
            let n = Double(order.count)
            let d2 = order.enumerated().reduce(0.0) { $0 + pow(Double($1.offset - queueRank[$1.element]!), 2) }
            let spearman = 1 - 6 * d2 / (n * (n * n - 1))
            // Rows stored in arrival order give 1. In random order |rho| stays under 3.29/sqrt(n-1) 999 times in
            // 1000 (two-sided, normal approximation).
            #expect(abs(spearman) < 3.29 / (n - 1).squareRoot(), "rank correlation of file order and answer order: \(spearman)")
            // The write-ahead log, which held the pending rows as they came in, is checkpointed and emptied,
            // and the released pending rows are nowhere in the files (their ids are never copied).
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(wal == 0, "write-ahead log left with \(wal) bytes")
            let waitingIDs = Set(try await repositories.surveys.pending(logger: testLogger).map(\.id))
            let bytes = try fileBytes()
            let left = pendingIDs.subtracting(waitingIDs).filter { bytes.contains($0) }
            #expect(left.isEmpty, "\(left.count) released pending rows are still in the database file")
        }
    }
}
