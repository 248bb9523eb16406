import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
@testable import ProngsaiWeb
import SQLKit
import Testing
import TestSupport

/// Pages and files that change whenever they are rendered (CSRF tokens, script nonces), made comparable.
func comparable(_ body: String) -> String {
    body.replacingOccurrences(of: #"name="_csrf" value="[0-9a-f]+""#, with: "csrf", options: .regularExpression)
        .replacingOccurrences(of: #"nonce="[^"]+""#, with: "nonce", options: .regularExpression)
        .replacingOccurrences(of: #"name="submission" value="[0-9a-f]+""#, with: "submission", options: .regularExpression)
}

/// Every IIT question answered; `seed` varies the levels so respondents differ.
func variedAnswers(_ part: String, seed: Int) throws -> [(String, String)] {
    let survey = try Fixtures.framework().surveyTool(forPart: part)!.survey
    return survey.questions.enumerated().map { index, q in
        (q.id, q.scale == "yes-no" ? ((index + seed) % 3 == 0 ? "yes" : "no") : "\(1 + (index * 7 + seed * 3) % 4)")
    }
}

@Suite("survey anonymity against the agency itself, over a real HTTP server", .serialized)
struct AnonymityWebTests {
    /// The officer downloads everything after 5 answers, one more person answers, and the officer downloads
    /// everything again: nothing has changed until a batch of at least five is released, and the code list
    /// never changes at all.
    @Test("a large round is released in runs of at most 500, none under the minimum")
    func chunks() {
        let ids = (0..<1003).map(String.init)
        let runs = SurveyReleaser.chunks(ids, size: 500, minimum: 5)
        #expect(runs.map(\.count) == [500, 503], "the last 3 join the run before")
        #expect(runs.flatMap { $0 } == ids)
        #expect(SurveyReleaser.chunks(Array(ids.prefix(7)), size: 500, minimum: 5).map(\.count) == [7])
        #expect(SurveyReleaser.chunks((0..<1010).map(String.init), size: 500, minimum: 5).map(\.count) == [500, 500, 10])
    }

    @Test("the diff attack: the sixth answer changes no export, page or count until its batch is released", arguments: TestEngine.available)
    func diffAttack(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("iit")
            _ = try await officer.post("/agencies/banpong/2566/surveys/iit/codes", [("count", "10")])
            let base = "/agencies/banpong/2566"
            _ = try await officer.get(base + "/surveys/iit/codes.csv")
            let codesBefore = officer.lastBody
            let codes = codesBefore.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[0]) }
            #expect(codes.count == 10)
            _ = try await officer.get(base + "/surveys/iit/slips")
            let slipsBefore = comparable(officer.lastBody)

            func answer(_ index: Int) async throws {
                var person = Browser(client)
                try await person.openWithCode(path, code: codes[index])
                let sent = try await person.send(.post, path, form: [("submission", person.submissionID!), ("code", codes[index])] + (try variedAnswers("iit", seed: index)))
                #expect(sent.status == .seeOther, "respondent \(index)")
            }
            /// Everything the officer (or an admin) can download or look at about the surveys.
            func everything(_ browser: inout Browser) async throws -> [String: String] {
                var seen: [String: String] = [:]
                for url in ["/surveys/iit/codes.csv", "/responses.csv", "/surveys", "/surveys.json", "", "/surveys/iit/slips", "/score-input.json", "/analysis", "/what-if"] {
                    _ = try await browser.get(base + url)
                    seen[url] = comparable(browser.lastBody)
                }
                return seen
            }

            for index in 0..<5 { try await answer(index) }
            #expect(try await releasePending(repositories) == 5)
            let afterFive = try await everything(&officer)
            #expect(afterFive["/responses.csv"]!.components(separatedBy: "\r\niit,").count - 1 == 5)
            #expect(afterFive["/surveys.json"]!.contains(#"{"id":"iit","responses":5"#))

            try await answer(5)
            #expect(try await releasePending(repositories) == 0, "one new answer is not released on its own")
            let afterSix = try await everything(&officer)
            for (url, body) in afterFive {
                #expect(afterSix[url] == body, "\(url) changed after the sixth answer")
            }
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            let adminView = try await everything(&admin)
            #expect(adminView["/responses.csv"] == afterFive["/responses.csv"], "the admin sees no more than the officer")
            #expect(adminView["/surveys.json"] == afterFive["/surveys.json"])

            for index in 6..<10 { try await answer(index) }
            #expect(try await releasePending(repositories) == 5)
            let afterTen = try await everything(&officer)
            #expect(afterTen["/responses.csv"]!.components(separatedBy: "\r\niit,").count - 1 == 10)
            // The code list is the same file throughout: it never says which codes were used.
            #expect(afterTen["/surveys/iit/codes.csv"] == codesBefore)
            #expect(afterTen["/surveys/iit/slips"] == slipsBefore)
            #expect(afterTen["/surveys"]!.contains(#"data-testid="codes-iit">10<"#))

            if engine == .postgres {
                try await expectNoSharedTransactions(repositories.database)
            }
            _ = world
        }
    }

    @Test("a last batch under five waits; the page says so, without a number, only once the window has closed", arguments: TestEngine.available)
    func lastBatchWaits(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("eit1")
            for index in 0..<7 {
                var person = Browser(client)
                _ = try await person.get(path)
                #expect(try await person.send(.post, path, form: [("submission", person.submissionID!)] + (try answers("eit1", level: 1 + index % 4))).status == .seeOther)
                if index == 4 { #expect(try await releasePending(repositories) == 5) }
            }
            #expect(try await releasePending(repositories) == 0, "two more wait")
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            #expect(!officer.lastBody.contains(#"data-testid="waiting-eit1""#), "while the window is open, nothing tells that someone answered")
            #expect(officer.lastBody.contains(#"data-testid="responses-eit1" data-live-count="eit1">5<"#))
            _ = try await officer.openSurvey("eit1", opens: "2023-01-01", closes: "2023-03-01")
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            #expect(officer.lastBody.contains(#"data-testid="waiting-eit1""#))
            #expect(officer.lastBody.contains("ยังมีคำตอบอีกไม่ถึง 5 ฉบับที่รอรวมชุด"))
            #expect(officer.lastBody.contains(#"data-testid="responses-eit1" data-live-count="eit1">5<"#), "the two are not counted")
            #expect(try await repositories.surveys.pending(logger: testLogger).count == 2)
            _ = world
        }
    }

    /// On PostgreSQL every row carries the id of the transaction that wrote it (`xmin`). A code is spent in
    /// the transaction that accepts its answer; the answer must be written by another one, later.
    func expectNoSharedTransactions(_ database: Database) async throws {
        let spent = Set(try await database.sql.raw("SELECT xmin::text AS x FROM survey_codes WHERE spent = 1").all()
            .map { try $0.decode(column: "x", as: String.self) })
        #expect(!spent.isEmpty)
        let tables = try await database.sql.raw("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
            .all().map { try $0.decode(column: "t", as: String.self) }
        #expect(tables.contains("survey_responses") && tables.contains("survey_pending"))
        for table in tables {
            let rows = try await database.sql.raw("SELECT xmin::text AS x, row_to_json(t)::text AS j FROM \(ident: table) t").all()
            for row in rows where spent.contains(try row.decode(column: "x", as: String.self)) {
                let json = try row.decode(column: "j", as: String.self)
                #expect(!json.contains("i1a"), "\(table) holds answers written with a code spend: \(json)")
            }
        }
        // Other tests' transactions in the same database keep just-deleted rows alive for a moment (MVCC);
        // the release rounds repeat the clean-up, as this does.
        let pendingRows = try await database.sql.raw("SELECT count(*) AS n FROM survey_pending").first()?.decode(column: "n", as: Int.self)
        if pendingRows == 0 {
            var pendingBytes: Int?
            for _ in 0..<40 {
                try await SQLSurveyRepository(database: database).purgeReleased(logger: testLogger)
                pendingBytes = try await database.sql.raw("SELECT pg_relation_size('survey_pending') AS n").first()?.decode(column: "n", as: Int.self)
                if pendingBytes == 0 { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(pendingBytes == 0, "released pending rows are gone from the table's files")
        }
    }

    /// The app's release rounds, with their pause: no answer is written in the second its code was spent.
    @Test("PostgreSQL: released answers share no transaction id and no second with the codes they spent")
    func commitTimes() async throws {
        guard TestEngine.available.contains(.postgres) else { return }
        try await withApp(.postgres) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("iit")
            _ = try await officer.post("/agencies/banpong/2566/surveys/iit/codes", [("count", "7")])
            _ = try await officer.get("/agencies/banpong/2566/surveys/iit/codes.csv")
            let codes = officer.lastBody.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[0]) }
            for (index, code) in codes.enumerated() {
                var person = Browser(client)
                try await person.openWithCode(path, code: code)
                #expect(try await person.send(.post, path, form: [("submission", person.submissionID!), ("code", code)] + (try variedAnswers("iit", seed: index))).status == .seeOther)
            }
            let releaser = SurveyReleaser(repositories: repositories, catalog: try .builtin(), clock: { fixedNow }, logger: testLogger)
            #expect(try await releaser.round() == 0, "the first round only sees them")
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await releaser.round() == 7)
            let database = repositories.database
            try await expectNoSharedTransactions(database)
            let tracking = try await database.sql.raw("SHOW track_commit_timestamp").first()?.decode(column: "track_commit_timestamp", as: String.self)
            try #require(tracking == "on", "scripts/test.sh starts PostgreSQL with track_commit_timestamp=on so this can be checked")
            let spentSeconds = Set(try await database.sql.raw("SELECT floor(extract(epoch FROM pg_xact_commit_timestamp(xmin)))::bigint AS s FROM survey_codes WHERE spent = 1").all()
                .map { try $0.decode(column: "s", as: Int.self) })
            let answerSeconds = Set(try await database.sql.raw("SELECT floor(extract(epoch FROM pg_xact_commit_timestamp(xmin)))::bigint AS s FROM survey_responses").all()
                .map { try $0.decode(column: "s", as: Int.self) })
            #expect(spentSeconds.count >= 1 && answerSeconds.count == 1)
            #expect(spentSeconds.isDisjoint(with: answerSeconds), "an answer row written in the same second as a code spend")
            _ = world
        }
    }

    /// One to four answers from before batches existed (or typed in directly): every page, export and
    /// document is walked, by the officer and by the admin, and none shows a figure drawn from them.
    @Test("below five responses no page, export, chart or document shows a part, indicator or question figure", arguments: TestEngine.available)
    func fewResponses(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            let ita = try Fixtures.framework()
            let nextYear = Assessment(agencyID: world.other.id, frameworkID: "ita-2566", fiscalYear: 2567)
            try await repositories.assessments.create(nextYear, by: .system, logger: testLogger)
            let survey = ita.surveyTool(forPart: "iit")!.survey
            var officer = Browser(client)
            _ = try await officer.signIn("muang-officer")
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            var stored: [SurveyResponse] = []
            for n in 1...4 {
                // An answer released on its own, as data from before release batches would be.
                var answers: [String: Answer] = [:]
                for (index, question) in survey.questions.enumerated() {
                    var random = SplitMix64(seed: UInt64(n * 1000 + index))
                    answers[question.id] = question.scale == "yes-no" ? .yesNo(random.next() % 3 == 0) : .level(1 + Int(random.next() % 4))
                }
                let response = SurveyResponse(answers)
                stored.append(response)
                try await repositories.surveys.importResponses([response], assessment: world.otherAssessment, partID: "iit", by: .system, logger: testLogger)
                let ids = try await repositories.surveys.pending(logger: testLogger).map(\.id)
                #expect(try await repositories.surveys.release(ids: ids, assessmentID: world.otherAssessment.id, partID: "iit", minimum: 1,
                                                               on: CivilDate(iso: "2023-03-01")!, seed: nil, logger: testLogger) == 1)

                // What the figures would be if they were shown.
                let partial = try Scorer.partial(ita, ScoreInputs(parts: ["iit": .responses(stored)]))
                var figures: [Decimal] = [partial.parts["iit"]!]
                figures += partial.indicators["iit"]!.map(\.value)
                figures += partial.questions["iit"]!.map(\.value)
                let common: Set<String> = ["0.00", "100.00", "33.33", "66.67", "50.00", "25.00", "75.00"]
                let shown = Set(figures.map(\.displayString)).subtracting(common)
                #expect(shown.count >= 3, "the test has distinctive figures to look for (n=\(n)): \(figures.map(\.displayString))")
                let precise = Set(figures.map { "\($0)" }.filter { $0.count > 7 }.map { String($0.prefix(7)) })
                func expectNoFigure(_ body: String, _ what: String) {
                    for figure in shown {
                        #expect(!body.contains(">\(figure)<") && !body.contains(" \(figure)") && !body.contains(ThaiFormat.thaiDigits(figure)),
                                "\(n) responses: \(what) shows \(figure)")
                    }
                    for prefix in precise { #expect(!body.contains(prefix), "\(n) responses: \(what) holds \(prefix)…") }
                }

                for browser in [officer, admin] {
                    var browser = browser
                    for year in [2566, 2567] {
                        let base = "/agencies/muang/\(year)"
                        for url in ["", "/items", "/results", "/what-if", "/history", "/surveys", "/surveys.json", "/responses.csv", "/score-input.json",
                                    "/analysis", "/measures", "/documents", "/documents/print", "/my-items", "/items.csv"] {
                            let response = try await browser.get(base + url)
                            #expect(response.status.code < 500, "\(base + url)")
                            expectNoFigure(browser.lastBody, base + url)
                        }
                        for url in ["/t/muang/\(year)", "/t/muang/\(year).json"] {
                            _ = try await browser.get(url)
                            expectNoFigure(browser.lastBody, url)
                        }
                    }
                }
                // The documents, made by the real job and read back.
                for year in [2566, 2567] where n == 1 || n == 4 {
                    let base = "/agencies/muang/\(year)"
                    _ = try await officer.get(base + "/documents")
                    #expect(try await officer.post(base + "/documents", []).status == .seeOther)
                    let assessment = year == 2566 ? world.otherAssessment : nextYear
                    let job = try #require(try await repositories.improvement.latestJob(assessmentID: assessment.id, logger: testLogger))
                    var status: JSONValue = .null
                    for _ in 0..<300 {
                        _ = try await officer.get(base + "/documents/jobs/\(job.id)")
                        status = try JSONParser.parse(officer.lastBody)
                        if status["status"]?.stringValue == "done" || status["status"]?.stringValue == "failed" { break }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(status["status"]?.stringValue == "done", "\(status)")
                    for name in (status["files"]?.arrayValue ?? []).compactMap({ $0["name"]?.stringValue }) {
                        let file = try await officer.get(base + "/documents/jobs/\(job.id)/\(name)")
                        let bytes = Array(file.body.readableBytesView)
                        let text = name.hasSuffix(".docx") || name.hasSuffix(".xlsx") ? try zipText(bytes) : String(decoding: bytes, as: UTF8.self)
                        #expect(text.count > 100, "\(name) was read")
                        expectNoFigure(text, name)
                    }
                }
            }
            // Counts are not figures: the surveys page says how many answered, and why no score is shown.
            _ = try await officer.get("/agencies/muang/2566/surveys")
            #expect(officer.lastBody.contains(#"data-testid="responses-iit" data-live-count="iit">4<"#))
            #expect(officer.lastBody.contains("จะแสดงคะแนนเมื่อมีผู้ตอบอย่างน้อย 5 คน"))
        }
    }
}
