import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport


extension Browser {
    /// Opens a survey part as the officer and returns its public path.
    mutating func openSurvey(_ part: String, opens: String = "2023-01-01", closes: String = "2023-06-30", population: String = "57", requiresCode: Bool = false,
                             assessment: String = "/agencies/banpong/2566") async throws -> String {
        _ = try await get("\(assessment)/surveys")
        var form = [("opens", opens), ("closes", closes), ("population", population)]
        if requiresCode { form.append(("requiresCode", "on")) }
        let saved = try await post("\(assessment)/surveys/\(part)", form)
        #expect(saved.status == .seeOther)
        _ = try await get("\(assessment)/surveys")
        guard let range = lastBody.range(of: #"data-testid="link-\#(part)">http://[^<]+/s/([a-z0-9]{6})<"#, options: .regularExpression) else {
            Issue.record("no survey link on the page")
            return ""
        }
        let match = String(lastBody[range])
        return "/s/" + match.suffix(7).dropLast()
    }

    /// The hidden submission id of the last survey form.
    var submissionID: String? {
        guard let range = lastBody.range(of: #"name="submission" value="([0-9a-f]+)""#, options: .regularExpression) else { return nil }
        return String(lastBody[range].dropFirst(#"name="submission" value=""#.count).dropLast())
    }
}

extension Browser {
    /// Opens a survey that asks for a one-time code first: the code step, then the questions.
    mutating func openWithCode(_ path: String, code: String) async throws {
        _ = try await get(path)
        let checked = try await send(.post, path, form: [("step", "code"), ("code", code)])
        #expect(checked.status == .ok, "the code \(code) opens the questions")
    }
}

/// Every question of a part answered with `level` (yes/no questions answered "no").
func answers(_ part: String, level: Int = 4) throws -> [(String, String)] {
    let ita = try Fixtures.framework()
    let survey = ita.surveyTool(forPart: part)!.survey
    return survey.questions.map { q in (q.id, q.scale == "yes-no" ? "no" : "\(level)") }
}

@Suite("surveys over a real HTTP server", .serialized)
struct SurveyWebTests {
    @Test("IIT: one-time codes, spent once; retries recorded once; no cookies; the answer row names no one", arguments: TestEngine.available)
    func iit(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("iit")
            #expect(officer.lastBody.contains(#"data-live-count="iit">0</span> / เป้าหมายขั้นต่ำ 30 คน"#), "57 staff: the framework's rule asks for 30")
            let made = try await officer.post("/agencies/banpong/2566/surveys/iit/codes", [("count", "40")])
            #expect(made.status == .seeOther)
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            #expect(officer.lastBody.contains(#"data-testid="codes-iit">40<"#))
            let csv = try await officer.get("/agencies/banpong/2566/surveys/iit/codes.csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(officer.lastBody.hasPrefix("\u{FEFF}code,link\r\n"))
            #expect(officer.lastBody.contains(path + "#c="), "the code travels in the link's fragment, never in a query a proxy would log")
            #expect(!officer.lastBody.contains("?c="))
            let codes = officer.lastBody.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[0]) }
            #expect(codes.count == 40)

            // The QR code, read back by an independent decoder, is the survey link.
            let qr = try await officer.get("/agencies/banpong/2566/surveys/iit/qr.png")
            #expect(qr.headers[.contentType] == "image/png")
            let link = try #require(try zbarDecode(Array(buffer: qr.body)))
            #expect(link.hasSuffix(path))
            #expect(link.hasPrefix("http://"))
            _ = try await officer.get("/agencies/banpong/2566/surveys/iit/qr.svg")
            #expect(officer.lastBody.hasPrefix("<svg"))
            let poster = try await officer.get("/agencies/banpong/2566/surveys/iit/poster")
            #expect(poster.status == .ok)
            #expect(officer.lastBody.contains("องค์การบริหารส่วนตำบลบ้านโป่ง"))
            #expect(officer.lastBody.contains("ประจำปีงบประมาณ พ.ศ. 2566"))
            #expect(officer.lastBody.contains("30 มิถุนายน 2566"), "the closing date")
            #expect(officer.lastBody.contains("<svg"))
            #expect(officer.lastBody.contains("size:A4"))
            _ = try await officer.get("/agencies/banpong/2566/surveys/iit/slips")
            #expect(officer.lastBody.components(separatedBy: "class=\"slip\"").count - 1 == 40)
            #expect(officer.lastBody.contains(codes[0]))

            var respondent = Browser(client)
            let old = try await respondent.get(path + "?c=" + codes[0])
            #expect(old.status == .seeOther, "a link in the old form sends the code on to the fragment")
            #expect(old.headers[.location] == path + "#c=" + codes[0])
            let form = try await respondent.get(path)
            #expect(form.status == .ok)
            #expect(form.headers[values: .setCookie].isEmpty, "the survey sets no cookie")
            #expect(respondent.lastBody.utf8.count < 50_000, "the whole form is under 50 KB: \(respondent.lastBody.utf8.count)")
            #expect(respondent.lastBody.contains(#"location.hash"#) && respondent.lastBody.contains(#"id="code" name="code""#),
                    "the page moves the code from the slip's link into the form")
            #expect(respondent.lastBody.contains("ไม่เก็บชื่อ หมายเลข IP"))
            #expect(!respondent.lastBody.contains("<link ") && !respondent.lastBody.contains("src=\"http"), "no external assets")
            let english = try await respondent.get(path + "?lang=en")
            #expect(english.headers[values: .setCookie].isEmpty, "switching language sets no cookie either")
            #expect(respondent.lastBody.contains("What is and is not stored"))
            #expect(respondent.lastBody.contains(#"href="\#(path)?lang=th""#))
            // The code comes first, alone: the 38 questions open only for a good, unused code.
            _ = try await respondent.get(path)
            #expect(respondent.submissionID == nil && !respondent.lastBody.contains(#"name="i1a""#), "no questions before the code")
            #expect(respondent.lastBody.contains(#"name="step" value="code""#))
            #expect(try await respondent.send(.post, path, form: [("step", "code"), ("code", "ZZZZ-ZZZZ")]).status == .unprocessableContent)
            #expect(respondent.lastBody.contains("ไม่พบรหัสนี้") && respondent.submissionID == nil)
            #expect(try await respondent.send(.post, path, form: [("step", "code"), ("code", "12")]).status == .unprocessableContent)
            try await respondent.openWithCode(path, code: codes[0].lowercased())
            #expect(respondent.lastBody.contains(#"name="i1a""#) && respondent.lastBody.contains(#"value="\#(codes[0])""#))
            let submission = try #require(respondent.submissionID)
            let body = [("submission", submission), ("code", codes[0])] + (try answers("iit"))
            let sent = try await respondent.send(.post, path, form: body)
            #expect(sent.status == .seeOther)
            #expect(sent.headers[.location] == path + "/thanks")
            #expect(sent.headers[values: .setCookie].isEmpty)
            let again = try await respondent.send(.post, path, form: body)
            #expect(again.status == .seeOther, "a double click is answered as a success and stored once")
            // A spent code is refused at the code step, and again if it is sent with the answers.
            _ = try await respondent.get(path)
            #expect(try await respondent.send(.post, path, form: [("step", "code"), ("code", codes[0])]).status == .unprocessableContent)
            #expect(respondent.lastBody.contains("รหัสนี้ถูกใช้ตอบแบบสำรวจไปแล้ว"))
            try await respondent.openWithCode(path, code: codes[1])
            let reused = try await respondent.send(.post, path, form: [("submission", respondent.submissionID!), ("code", codes[0])] + (try answers("iit")))
            #expect(reused.status == .conflict)
            #expect(respondent.lastBody.contains("รหัสนี้ถูกใช้ตอบแบบสำรวจไปแล้ว"))
            let unknown = try await respondent.send(.post, path, form: [("submission", respondent.submissionID!), ("code", "ZZZZ-ZZZZ")] + (try answers("iit")))
            #expect(unknown.status == .conflict)
            #expect(respondent.lastBody.contains("ไม่พบรหัสนี้"))
            let noCode = try await respondent.send(.post, path, form: [("submission", respondent.submissionID!)] + (try answers("iit")))
            #expect(noCode.status == .unprocessableContent)

            // One answer waits: it is never released on its own.
            #expect(try await releasePending(repositories) == 0)
            #expect(try await repositories.surveys.responses(assessmentID: world.assessment.id, partID: "iit", logger: testLogger).isEmpty)
            #expect(try await repositories.surveys.pending(logger: testLogger).count == 1)
            for code in codes[1..<5] {
                try await respondent.openWithCode(path, code: code)
                let sent = try await respondent.send(.post, path, form: [("submission", respondent.submissionID!), ("code", code)] + (try answers("iit")))
                #expect(sent.status == .seeOther)
            }
            #expect(try await releasePending(repositories) == 5)
            let stored = try await repositories.surveys.responses(assessmentID: world.assessment.id, partID: "iit", logger: testLogger)
            #expect(stored.count == 5)
            #expect(stored.allSatisfy { $0.submittedOn == CivilDate(iso: "2023-03-15") })
            #expect(Set(stored[0].response.answers.keys) == Set(try answers("iit").map(\.0)))
        }
    }

    @Test("bad forms: missing answers keep what was given; tampering, out-of-range, closed and not-yet-open windows are refused in Thai", arguments: TestEngine.available)
    func badForms(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("eit1")
            var person = Browser(client)
            _ = try await person.get(path)
            let id = try #require(person.submissionID)
            var partial = try answers("eit1")
            partial.removeLast(2)
            let missing = try await person.send(.post, path, form: [("submission", id)] + partial)
            #expect(missing.status == .unprocessableContent)
            #expect(person.lastBody.contains("ยังตอบไม่ครบ 2 ข้อ"))
            #expect(person.lastBody.contains(#"name="e1" value="4" checked"#), "answers already given are kept")
            #expect(person.lastBody.contains(#"name="submission" value="\#(id)""#), "the same form, so a retry stays idempotent")
            let tampered = try await person.send(.post, path, form: [("submission", id), ("i99", "4")] + (try answers("eit1")))
            #expect(tampered.status == .badRequest)
            #expect(person.lastBody.contains("แบบสอบถามที่ส่งมาไม่ถูกต้อง"))
            var outOfRange = try answers("eit1")
            outOfRange[0].1 = "7"
            #expect(try await person.send(.post, path, form: [("submission", id)] + outOfRange).status == .badRequest)
            #expect(try await person.send(.post, path, form: [("submission", "not-hex")] + (try answers("eit1"))).status == .badRequest)
            let huge = try await person.send(.post, path, form: [("submission", id), ("e1", String(repeating: "4", count: 1_200_000))])
            #expect(huge.status == .contentTooLarge)
            #expect(try await person.get("/s/nosuch").status == .notFound)
            #expect(person.lastBody.contains("ไม่พบแบบสำรวจนี้"))

            let future = try await officer.openSurvey("eit1", opens: "2023-04-01", closes: "2023-06-30")
            _ = try await person.get(future)
            #expect(person.lastBody.contains("ยังไม่เปิดรับคำตอบ จะเปิดวันที่ 1 เมษายน 2566"))
            let early = try await person.send(.post, future, form: [("submission", id)] + (try answers("eit1")))
            #expect(early.status == .forbidden)
            _ = try await officer.openSurvey("eit1", opens: "2566-01-01", closes: "2566-02-28")
            _ = try await person.get(future)
            #expect(person.lastBody.contains("ปิดรับคำตอบแล้ว เมื่อวันที่ 28 กุมภาพันธ์ 2566"), "Buddhist-era dates are understood")
            #expect(try await person.send(.post, future, form: [("submission", id)] + (try answers("eit1"))).status == .forbidden)
            #expect(try await repositories.surveys.responses(assessmentID: world.assessment.id, partID: nil, logger: testLogger).isEmpty, "nothing was stored")

            let badWindow = try await officer.post("/agencies/banpong/2566/surveys/eit1", [("opens", "2023-05-01"), ("closes", "2023-04-01"), ("population", "many")])
            #expect(badWindow.status == .unprocessableContent)
            #expect(officer.lastBody.contains("วันที่ปิดต้องไม่ก่อนวันที่เปิด"))
            #expect(officer.lastBody.contains(#"value="many""#))
        }
    }

    @Test("EIT part 1: public, rate-limited in memory; live score, 5-response breakdown rule, exports", arguments: TestEngine.available)
    func eit1(engine: TestEngine) async throws {
        try await withApp(engine, perMinute: 6) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("eit1", population: "120")
            for (index, level) in [4, 3, 4, 4, 2].enumerated() {
                var person = Browser(client)
                _ = try await person.get(path)
                let sent = try await person.send(.post, path, form: [("submission", person.submissionID!)] + (try answers("eit1", level: level)))
                #expect(sent.status == .seeOther, "response \(index)")
                if index == 3 {
                    #expect(try await releasePending(repositories) == 0, "four answers wait")
                    _ = try await officer.get("/agencies/banpong/2566/surveys")
                    #expect(officer.lastBody.contains(#"data-testid="responses-eit1" data-live-count="eit1">0<"#))
                    let early = try await officer.get("/agencies/banpong/2566/responses.csv")
                    #expect(early.status == .ok)
                    #expect(!officer.lastBody.contains("eit1,2023"), "no rows before a release")
                }
            }
            #expect(try await releasePending(repositories) == 5)
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            #expect(officer.lastBody.contains(#"data-testid="responses-eit1" data-live-count="eit1">5<"#))
            #expect(!officer.lastBody.contains("จะแสดงคะแนนเมื่อมีผู้ตอบอย่างน้อย 5 คน"))
            // The published EIT part 1 score still rules the dashboard; the live score is beside it.
            let stored = try await repositories.surveys.responses(assessmentID: world.assessment.id, partID: "eit1", logger: testLogger).map(\.response)
            let ita = try Fixtures.framework()
            let live = try Scorer.partial(ita, ScoreInputs(parts: ["eit1": .responses(stored)])).parts["eit1"]!
            #expect(officer.lastBody.contains(#"data-testid="live-eit1">\#(live.displayString)<"#))

            let status = try await officer.get("/agencies/banpong/2566/surveys.json")
            #expect(status.headers[.contentType]?.hasPrefix("application/json") == true)
            let parts = try JSONParser.parse(officer.lastBody)["parts"]?.arrayValue ?? []
            let eit1 = try #require(parts.first { $0["id"]?.stringValue == "eit1" })
            #expect(eit1["responses"]?.numberValue == 5)
            #expect(eit1["target"]?.numberValue == 30, "120 service users: at least 30")
            #expect(eit1["progress"]?.numberValue == 16)
            _ = try await officer.get("/agencies/banpong/2566/responses.csv")
            #expect(officer.lastBody.hasPrefix("\u{FEFF}part,submitted_on,i1a"))
            #expect(officer.lastBody.components(separatedBy: "eit1,2023-03-15,").count - 1 == 5)
            // Without a published EIT part 1 score the live one feeds the dashboard and the score input.
            try await repositories.assessments.setResult(world.assessment, key: "eit1", to: nil, by: .system, logger: testLogger)
            _ = try await officer.get("/agencies/banpong/2566/score-input.json")
            let document = try JSONParser.parse(officer.lastBody)
            #expect(document["results"]?["eit1"]?["responses"]?.arrayValue?.count == 5)
            let request = try ScoreRequest.parse(document)
            let result = try Scorer.score(ita, try request.inputs(for: ita))
            _ = try await officer.get("/agencies/banpong/2566")
            #expect(officer.lastBody.contains(#"data-testid="ita-score">\#(result.score.displayString)<"#))
            #expect(officer.lastBody.contains(#"data-testid="sample-EIT ส่วนที่ 1" data-live-count="eit1">5<"#), "sample tracking on the dashboard")
            #expect(officer.lastBody.contains(#"data-testid="estimate-note""#) && officer.lastBody.contains("(ประมาณการ)"),
                    "a score from Prongsai's own survey is labelled an estimate")
            #expect(officer.lastBody.contains("จำนวนผู้ตอบรายวัน (ทุกส่วน)"))

            // The sixth and seventh submissions from one address pass; the limit is 6 a minute for the test.
            var burst = Browser(client)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<3 {
                _ = try await burst.get(path)
                statuses.append(try await burst.send(.post, path, form: [("submission", burst.submissionID!)] + (try answers("eit1"))).status)
            }
            #expect(statuses == [.seeOther, .tooManyRequests, .tooManyRequests])
            #expect(burst.lastBody.contains("ถี่เกินไป") && burst.lastBody.contains("คำตอบของท่านยังอยู่ครบ"))
            #expect(burst.lastBody.components(separatedBy: " checked required>").count - 1 == (try answers("eit1")).count, "every answer is still ticked")
            #expect(burst.submissionID != nil, "the same form can be sent again")
        }
    }

    @Test("the same form sent twice counts once and the thank-you page says so; the page says how long it takes", arguments: TestEngine.available)
    func sentTwice(engine: TestEngine) async throws {
        try await withApp(engine) { client, _, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("eit1", population: "120")
            #expect(officer.lastBody.contains(#"data-testid="private-link""#), "links to 127.0.0.1 are flagged before anyone prints them")
            #expect(officer.lastBody.contains(#"data-testid="opens-text-eit1">1 ม.ค. 2566<"#), "the picker's date in Thai beside it")
            // A window typed the Thai way, with a population written with a separator.
            let typed = try await officer.post("/agencies/banpong/2566/surveys/iit", [("opens", "1 ต.ค. 2565"), ("closes", "30/09/2566"), ("population", "๑,๒๐๐")])
            #expect(typed.status == .seeOther, "\(officer.lastBody.prefix(300))")
            let banpong = try #require(try await repositories.agencies.find(code: "banpong", logger: testLogger))
            let assessment = try #require(try await repositories.assessments.find(agencyID: banpong.id, fiscalYear: 2566, logger: testLogger))
            let windows = try await repositories.surveys.windows(assessmentID: assessment.id, logger: testLogger)
            let eit2 = try #require(windows.first { $0.partID == "iit" })
            #expect(eit2.opensOn == CivilDate(iso: "2022-10-01") && eit2.closesOn == CivilDate(iso: "2023-09-30") && eit2.population == 1200)
            var twice = Browser(client)
            _ = try await twice.get(path)
            #expect(twice.lastBody.contains("ใช้เวลาประมาณ 2 นาที"))
            // Wording: E4 is answered เคย / ไม่เคย; E13 reads as the official form does.
            #expect(twice.lastBody.contains(#"name="e4" value="no" required> ไม่เคย</label>"#))
            #expect(twice.lastBody.contains("นำเทคโนโลยีมาใช้ในการให้บริการให้สะดวกและรวดเร็วขึ้น"))
            #expect(twice.lastBody.contains(#"name="e8" value="no" required> ไม่มี</label>"#), "other yes/no questions keep มี / ไม่มี")
            #expect(twice.lastBody.contains("sessionStorage") && twice.lastBody.contains(#"id="already-sent" hidden"#), "a form sent before says so when shown again")
            let form = [("submission", twice.submissionID!)] + (try answers("eit1"))
            #expect(try await twice.send(.post, path, form: form).headers[.location] == path + "/thanks")
            let repeatSend = try await twice.send(.post, path, form: form)
            #expect(repeatSend.headers[.location] == path + "/thanks?again=1")
            _ = try await twice.get(path + "/thanks?again=1")
            #expect(twice.lastBody.contains("จึงไม่นับซ้ำ"))
            #expect(try await repositories.surveys.pending(logger: testLogger).count == 1)
        }
    }

    @Test("EIT part 2: the assessor types in questionnaires and imports CSV; all rows or none; the officer may not", arguments: TestEngine.available)
    func eit2(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            let entry = "/agencies/banpong/2566/surveys/eit2/entry"
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            #expect(try await officer.get(entry).status == .forbidden)
            var assessor = Browser(client)
            _ = try await assessor.signIn("assessor")
            #expect(try await assessor.get(entry).status == .ok)
            var typed = try answers("eit2", level: 3)
            typed[0].1 = "๔"
            typed[1].1 = ""
            let saved = try await assessor.post(entry, typed)
            #expect(saved.status == .seeOther)
            _ = try await assessor.get(saved.headers[.location]!)
            #expect(assessor.lastBody.contains("บันทึกแล้ว คำตอบจะนับในผลเป็นชุด ชุดละอย่างน้อย 5 ฉบับ"))
            let bad = try await assessor.post(entry, [("e1", "9")])
            #expect(bad.status == .unprocessableContent)
            #expect(assessor.lastBody.contains(#"value="9""#))

            func upload(_ csv: String) async throws -> TestResponse {
                let boundary = "----prongsai\(UUID().uuidString)"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(assessor.csrf ?? "")\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"eit2.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                var headers = HTTPFields()
                headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                headers[.cookie] = assessor.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                let response = try await client.execute(uri: "/agencies/banpong/2566/surveys/eit2/import", method: .post, headers: headers, body: ByteBuffer(string: body))
                assessor.lastBody = String(buffer: response.body)
                return response
            }
            _ = try await assessor.get(entry)
            let wrong = try await upload("\u{FEFF}e1,e2,e4\r\n4,3,no\r\n5,3,yes\r\n4,,maybe\r\n")
            #expect(wrong.status == .unprocessableContent)
            #expect(assessor.lastBody.contains("แถวที่ 3 ข้อ e1"))
            #expect(assessor.lastBody.contains("แถวที่ 4 ข้อ e4"))
            #expect(try await repositories.surveys.pending(logger: testLogger).count == 1, "nothing of the bad file was kept")
            let header = try await upload("e1,e99\r\n4,4\r\n")
            #expect(header.status == .unprocessableContent)
            #expect(assessor.lastBody.contains("e99"))
            _ = try await assessor.get(entry)
            let good = try await upload("e1,e2,e4\r\n4,3,no\r\n2,3,yes\r\n")
            #expect(good.status == .seeOther)
            #expect(try await repositories.surveys.responses(assessmentID: world.assessment.id, partID: "eit2", logger: testLogger).isEmpty, "three wait for a batch")
            _ = try await assessor.get(entry)
            #expect(try await upload("e1,e2\r\n1,1\r\n2,2\r\n").status == .seeOther)
            #expect(try await repositories.surveys.responses(assessmentID: world.assessment.id, partID: "eit2", logger: testLogger).count == 5,
                    "the fifth entry releases all five")
            #expect(try await repositories.surveys.pending(logger: testLogger).isEmpty)
            var stranger = Browser(client)
            _ = try await stranger.signIn("muang-officer")
            #expect(try await stranger.get(entry).status == .notFound)
        }
    }

    @Test("survey pages are for the agency's people only")
    func access() async throws {
        try await withApp(.sqlite) { client, _, _ in
            var viewer = Browser(client)
            _ = try await viewer.signIn("viewer")
            #expect(try await viewer.get("/agencies/banpong/2566/surveys").status == .ok)
            #expect(try await viewer.post("/agencies/banpong/2566/surveys/eit1", [("opens", "2023-01-01"), ("closes", "2023-06-30")]).status == .forbidden)
            _ = try await viewer.get("/agencies/banpong/2566/surveys")
            #expect(try await viewer.post("/agencies/banpong/2566/surveys/iit/codes", [("count", "5")]).status == .forbidden)
            #expect(try await viewer.get("/agencies/banpong/2566/responses.csv").status == .forbidden)
            #expect(try await viewer.get("/agencies/banpong/2566/surveys/iit/codes.csv").status == .forbidden)
            var stranger = Browser(client)
            _ = try await stranger.signIn("muang-officer")
            #expect(try await stranger.get("/agencies/banpong/2566/surveys").status == .notFound)
            #expect(try await stranger.get("/agencies/banpong/2566/score-input.json").status == .notFound)
            var anonymous = Browser(client)
            #expect(try await anonymous.get("/agencies/banpong/2566/surveys").status == .seeOther)
        }
    }
}
