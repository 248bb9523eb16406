import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport

/// A browser-like client: keeps cookies, reads the CSRF token from the last page.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var lastBody = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    var csrf: String? {
        guard let range = lastBody.range(of: #"name="_csrf" value="([0-9a-f]+)""#, options: .regularExpression) else { return nil }
        return String(lastBody[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
    }

    mutating func send(_ method: HTTPRequest.Method, _ path: String, form: [(String, String)]? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            let allowed = CharacterSet.alphanumerics.union(.init(charactersIn: "-._~"))
            body = ByteBuffer(string: form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
        }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || field.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        lastBody = String(buffer: response.body)
        return response
    }

    mutating func get(_ path: String) async throws -> TestResponse { try await send(.get, path) }

    mutating func post(_ path: String, _ form: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
        try await send(.post, path, form: (csrf ? [("_csrf", self.csrf ?? "")] : []) + form)
    }

    mutating func signIn(_ username: String, password: String = SeededWorld.password) async throws -> TestResponse {
        _ = try await get("/login")
        return try await post("/login", [("username", username), ("password", password), ("next", "")])
    }
}

/// 15 March 2023 (FY2566), 12:00 in Bangkok.
let fixedNow = Date(timeIntervalSince1970: 1_678_856_400)

/// Runs what the app's release rounds do, twice, so every answer pending now is released where its
/// part has a batch of at least five.
@discardableResult
func releasePending(_ repositories: Repositories, seed: UInt64? = nil) async throws -> Int {
    try await SurveyReleaser(repositories: repositories, catalog: try FrameworkCatalog.builtin(), clock: { fixedNow }, logger: testLogger)
        .releaseAllPending(seed: seed)
}

func withApp(_ engine: TestEngine, perMinute: Int = 30, maxEvidenceBytes: Int = 20 * 1_048_576, officeCommand: String? = nil, catalog: FrameworkCatalog? = nil,
             clock: @escaping @Sendable () -> Date = { fixedNow }, configure: (inout AppConfiguration) -> Void = { _ in },
             _ test: @escaping @Sendable (any TestClientProtocol, SeededWorld, Repositories) async throws -> Void) async throws {
    try await withTestDatabase(engine) { database in
        let repositories = Repositories(database: database)
        let catalog = try catalog ?? FrameworkCatalog.builtin(store: repositories.frameworks)
        let world = try await SeededWorld.seed(repositories, catalog: catalog)
        var configuration = AppConfiguration(host: "127.0.0.1", port: 0, submissionsPerMinute: perMinute, maxEvidenceBytes: maxEvidenceBytes, clock: clock)
        configuration.linkCheckInterval = nil
        // Tests release pending survey answers themselves (`releasePending`).
        configuration.releaseInterval = nil
        configuration.officeCommand = officeCommand
        // Seeded administrators and assessors sign in with a password alone; TwoFactorWebTests asks for the code.
        configuration.twoFactor = .optional
        configure(&configuration)
        let app = try await buildApplication(configuration, repositories: repositories, catalog: catalog, logger: testLogger)
        try await app.test(.live) { client in try await test(client, world, repositories) }
    }
}

@Suite("web app over a real HTTP server", .serialized)
struct WebTests {
    @Test("sign-in: wrong password gets a Thai message, the right one a session; the dashboard shows the reference case", arguments: TestEngine.available)
    func signInAndDashboard(engine: TestEngine) async throws {
        try await withApp(engine) { client, _, _ in
            var browser = Browser(client)
            let home = try await browser.get("/agencies/banpong/2566")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login?next=/agencies/banpong/2566")
            let wrong = try await browser.signIn("officer", password: "nope")
            #expect(wrong.status == .unauthorized)
            #expect(browser.lastBody.contains("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"))
            #expect(browser.cookies["prongsai_session"] == nil)
            let unknown = try await browser.signIn("nobody")
            #expect(unknown.status == .unauthorized)
            let ok = try await browser.signIn("officer")
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/agencies/banpong/2566", "someone working for one agency lands on its year")
            let setCookie = ok.headers[values: .setCookie].first { $0.hasPrefix("prongsai_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
            let list = try await browser.get("/agencies")
            #expect(list.status == .ok)
            #expect(browser.lastBody.contains("องค์การบริหารส่วนตำบลบ้านโป่ง"))
            #expect(!browser.lastBody.contains("เทศบาลเมืองทดสอบ"), "another agency is not listed")
            let dashboard = try await browser.get("/agencies/banpong/2566")
            #expect(dashboard.status == .ok)
            #expect(browser.lastBody.contains(#"data-testid="ita-score">95.35<"#))
            #expect(browser.lastBody.contains(#"data-testid="level">ผ่าน<"#))
            #expect(!browser.lastBody.contains(#"data-testid="estimate-note""#), "every figure of the reference case is published")
            #expect(!browser.lastBody.contains("(ประมาณการ)"))
            #expect(browser.lastBody.contains("โดยตรง (ผลที่ประกาศ)"), "published figures are labelled as published")
            #expect(browser.lastBody.contains("ผลที่บันทึกแล้ว (ประกาศหรือผู้ประเมินตรวจ) 43 ข้อ · ข้อที่ยังไม่มีผลคาดจากหลักฐาน 0 ข้อ"),
                    "the projection says what it rests on")
            #expect(browser.lastBody.contains("O1 โครงสร้าง</a> — <span class=\"risk\">ยังไม่มีหลักฐาน"), "published results do not hide missing evidence")
            #expect(browser.lastBody.contains("<td>EIT ส่วนที่ 1</td>"), "parts by their framework names, not eit1")
            #expect(browser.lastBody.contains("<svg"))
            #expect(browser.lastBody.contains("88.35"))
            #expect(browser.lastBody.contains("98.75"))
            #expect(browser.lastBody.contains("87.50"))
            // English
            _ = try await browser.get("/lang/en")
            _ = try await browser.get("/agencies/banpong/2566")
            #expect(browser.lastBody.contains("ITA score"))
            #expect(browser.lastBody.contains("Pass (ผ่าน)"))
            // Sign out ends the session for good.
            let out = try await browser.post("/logout", [])
            #expect(out.status == .seeOther)
            let after = try await browser.get("/agencies")
            #expect(after.status == .seeOther)
        }
    }

    @Test("CSRF: a form without the session's token is refused and changes nothing", arguments: TestEngine.available)
    func csrf(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var browser = Browser(client)
            _ = try await browser.signIn("officer")
            _ = try await browser.get("/agencies/banpong/2566/items")
            let missing = try await browser.post("/agencies/banpong/2566/items/O13", [("result", "pass")], csrf: false)
            #expect(missing.status == .forbidden)
            #expect(browser.lastBody.contains("แบบฟอร์มหมดอายุ"))
            let forged = try await browser.send(.post, "/agencies/banpong/2566/items/O13", form: [("_csrf", "00ff"), ("result", "pass")])
            #expect(forged.status == .forbidden)
            var anonymous = Browser(client)
            let login = try await anonymous.send(.post, "/login", form: [("username", "officer"), ("password", SeededWorld.password)])
            #expect(login.status == .forbidden, "sign-in needs its own token too")
            let published = try await repositories.assessments.publishedItems(assessmentID: world.assessment.id, logger: testLogger)
            #expect(published.first { $0.itemID == "O13" }?.passed == false)
        }
    }

    @Test("an item's result changes only as a published result with a source, or through the review; O13 published as passed gives 95.85, audited", arguments: TestEngine.available)
    func officerRecordsPublishedItem(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var browser = Browser(client)
            _ = try await browser.signIn("officer")
            let page = try await browser.get("/agencies/banpong/2566/items")
            #expect(page.status == .ok)
            #expect(browser.lastBody.contains("ระบุปัญหาอุปสรรค ข้อเสนอแนะ"), "required components are listed")
            #expect(browser.lastBody.contains("สำนักปลัด, กองคลัง") || browser.lastBody.contains("กองคลัง, สำนักปลัด"))
            #expect(!browser.lastBody.contains(#"name="result""#), "no one-click result selector on the item list")
            #expect(browser.lastBody.contains("ผลที่ประกาศ"), "each result says which kind it is")
            // The old side door is closed: no result through the item list.
            let sideDoor = try await browser.post("/agencies/banpong/2566/items/O13", [("result", "pass")])
            #expect(sideDoor.status == .badRequest)
            #expect(browser.lastBody.contains("ผลรายข้อเปลี่ยนได้สองทางเท่านั้น"))
            _ = try await browser.get("/agencies/banpong/2566")
            #expect(browser.lastBody.contains(#"data-testid="ita-score">95.35<"#))

            _ = try await browser.get("/agencies/banpong/2566/results")
            let noSource = try await browser.post("/agencies/banpong/2566/item-results", [("item", "O13"), ("result", "pass"), ("reason", ""), ("source", "")])
            #expect(noSource.status == .unprocessableContent)
            #expect(browser.lastBody.contains("กรุณาระบุที่มาของผลที่ประกาศ"))
            _ = try await browser.get("/agencies/banpong/2566/results")
            #expect(try await browser.post("/agencies/banpong/2566/item-results", [("item", "O13"), ("result", "pass"), ("source", "ftp://nacc/x")]).status == .unprocessableContent)
            _ = try await browser.get("/agencies/banpong/2566/results")
            #expect(try await browser.post("/agencies/banpong/2566/item-results", [("item", "O99"), ("result", "pass"), ("source", "https://itas.example/1")]).status == .badRequest)
            _ = try await browser.get("/agencies/banpong/2566")
            #expect(browser.lastBody.contains(#"data-testid="ita-score">95.35<"#), "nothing was recorded")

            _ = try await browser.get("/agencies/banpong/2566/results")
            let save = try await browser.post("/agencies/banpong/2566/item-results", [("item", "O13"), ("result", "pass"), ("reason", ""), ("source", "https://itas.example.go.th/result/2566/banpong")])
            #expect(save.status == .seeOther)
            _ = try await browser.get("/agencies/banpong/2566")
            #expect(browser.lastBody.contains(#"data-testid="ita-score">95.85<"#))
            let audit = try await repositories.audit.entries(agencyID: world.banpong.id, limit: 5, logger: testLogger)
            #expect(audit.first?.action == "record-published")
            #expect(audit.first?.actor == "officer")
            let history = try await browser.get("/agencies/banpong/2566/history")
            #expect(history.status == .ok)
            #expect(browser.lastBody.contains("บันทึกผลที่ประกาศ O13 รายงานผลการดำเนินงานประจำปี: ไม่ผ่าน → ผ่าน (ที่มา: https://itas.example.go.th/result/2566/banpong)"))
            #expect(browser.lastBody.contains("คะแนนที่ประกาศ ส่วนที่ 2"), "the demo's published scores are in the history")
            _ = try await browser.get("/agencies/banpong/2566/results")
            #expect(browser.lastBody.contains(#"data-testid="published-O13">ผ่าน<"#))
            #expect(browser.lastBody.contains(#"href="https://itas.example.go.th/result/2566/banpong""#))
            _ = try await browser.get("/agencies/banpong/2566/items")
            #expect(browser.lastBody.contains("ที่มา: https://itas.example.go.th/result/2566/banpong"))
            let unknownItem = try await browser.post("/agencies/banpong/2566/items/O99", [("progress", "done")])
            #expect(unknownItem.status == .notFound)
            #expect(await repositories.assessments.recordPublishedFails(world.assessment), "the repository refuses a result without a source too")
        }
    }

    @Test("roles: viewers and division staff read; only officers change; another agency's officer sees nothing", arguments: TestEngine.available)
    func roles(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            for username in ["viewer", "palad"] {
                var browser = Browser(client)
                _ = try await browser.signIn(username)
                #expect(try await browser.get("/agencies/banpong/2566").status == .ok)
                _ = try await browser.get("/agencies/banpong/2566/items")
                #expect(browser.lastBody.contains("ท่านมีสิทธิ์ดูข้อมูลเท่านั้น"))
                #expect(try await browser.post("/agencies/banpong/2566/items/O13", [("result", "pass")]).status == .forbidden)
                _ = try await browser.get("/agencies/banpong/2566/results")
                #expect(try await browser.post("/agencies/banpong/2566/item-results", [("item", "O13"), ("result", "pass"), ("source", "https://x.example/1")]).status == .forbidden)
                _ = try await browser.get("/agencies/banpong/2566/item-results/import")
                #expect(try await browser.post("/agencies/banpong/2566/item-results/import/confirm", [("csv", "item,result\r\nO13,pass\r\n")]).status == .forbidden)
                _ = try await browser.get("/agencies/banpong/2566/results")
                #expect(try await browser.post("/agencies/banpong/2566/results", [("iit", "10")]).status == .forbidden)
                _ = try await browser.get("/agencies/banpong/2566")
                #expect(browser.lastBody.contains("/what-if\""))
                #expect(!browser.lastBody.contains("/history\""), "no tab to a page the user may not open")
                #expect(try await browser.get("/agencies/banpong/2566/history").status == .forbidden)
            }
            var assessor = Browser(client)
            _ = try await assessor.signIn("assessor")
            _ = try await assessor.get("/agencies/banpong/2566/results")
            #expect(try await assessor.post("/agencies/banpong/2566/results", [("iit", "10")]).status == .forbidden, "assessors judge items, not published scores")
            _ = try await assessor.get("/agencies/banpong/2566/results")
            #expect(try await assessor.post("/agencies/banpong/2566/item-results", [("item", "O13"), ("result", "pass"), ("source", "https://x.example/1")]).status == .forbidden,
                    "assessors judge through the review, they do not record published results")
            _ = try await assessor.get("/agencies/banpong/2566/items")
            #expect(try await assessor.post("/agencies/banpong/2566/items/O13", [("result", "pass")]).status == .badRequest, "no result through the item list, for anyone")
            _ = try await assessor.get("/agencies/banpong/2566/item-results/import")
            #expect(try await assessor.post("/agencies/banpong/2566/item-results/import/confirm", [("csv", "item,result\r\nO13,pass\r\n")]).status == .forbidden)

            var stranger = Browser(client)
            _ = try await stranger.signIn("muang-officer")
            for path in ["/agencies/banpong/2566", "/agencies/banpong/2566/items", "/agencies/banpong/2566/results", "/agencies/banpong/2566/what-if", "/agencies/banpong/2566/history"] {
                #expect(try await stranger.get(path).status == .notFound, "\(path)")
            }
            _ = try await stranger.get("/agencies/muang/2566/items")
            #expect(try await stranger.post("/agencies/banpong/2566/items/O13", [("result", "pass")]).status == .notFound)
            #expect(try await stranger.post("/agencies/banpong/2566/results", [("iit", "10")]).status == .notFound)
            #expect(try await stranger.post("/agencies/banpong/2566/item-results", [("item", "O13"), ("result", "pass"), ("source", "https://x.example/1")]).status == .notFound)
            #expect(try await stranger.post("/agencies/banpong/2566/item-results/import/confirm", [("csv", "item,result\r\nO13,pass\r\n")]).status == .notFound)
            #expect(try await stranger.get("/agencies/muang/2566").status == .ok)

            let results = try await repositories.assessments.results(assessmentID: world.assessment.id, logger: testLogger)
            #expect(results.first { $0.key == "iit" }?.score == Fixtures.decimal("97.82"), "nothing changed")

            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            #expect(try await admin.get("/agencies/muang/2566").status == .ok, "the system administrator sees every agency")
        }
    }

    @Test("published scores: bad entries keep what was typed and save nothing; good ones save", arguments: TestEngine.available)
    func publishedScores(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var browser = Browser(client)
            _ = try await browser.signIn("officer")
            _ = try await browser.get("/agencies/banpong/2566/results")
            let bad = try await browser.post("/agencies/banpong/2566/results", [("iit", "98.5"), ("eit1", "abc"), ("eit2", "100.5"), ("oit", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(browser.lastBody.contains("กรุณากรอกตัวเลข 0–100"))
            #expect(browser.lastBody.contains(#"value="abc""#))
            #expect(browser.lastBody.contains(#"value="98.5""#))
            var results = try await repositories.assessments.results(assessmentID: world.assessment.id, logger: testLogger)
            #expect(results.first { $0.key == "iit" }?.score == Fixtures.decimal("97.82"))
            let good = try await browser.post("/agencies/banpong/2566/results", [("iit", "๙๘.๕"), ("eit1", "94.96"), ("eit2", "86"), ("oit", "")])
            #expect(good.status == .seeOther)
            results = try await repositories.assessments.results(assessmentID: world.assessment.id, logger: testLogger)
            #expect(results.first { $0.key == "iit" }?.score == Fixtures.decimal("98.5"))
            #expect(results.first { $0.key == "eit2" }?.score == 86)
            _ = try await browser.get("/agencies/banpong/2566")
            // 0.3·98.5 + 0.3·(94.96 + 86)/2 + 0.4·98.75 = 29.55 + 27.144 + 39.5 = 96.194 → ผ่านดี (every part ≥ 85)
            #expect(browser.lastBody.contains(#"data-testid="ita-score">96.19<"#))
            #expect(browser.lastBody.contains(#"data-testid="level">ผ่านดี<"#))
        }
    }

    @Test("what-if panel: ticking O13 and raising EIT part 2 shows the new score and level; nothing is saved", arguments: TestEngine.available)
    func whatIf(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var browser = Browser(client)
            _ = try await browser.signIn("viewer")
            let items = (1...43).map { "pass=O\($0)" }.joined(separator: "&")
            let page = try await browser.get("/agencies/banpong/2566/what-if?run=1&\(items)&score-eit2=86")
            #expect(page.status == .ok)
            #expect(browser.lastBody.contains("96.49"))
            #expect(browser.lastBody.contains("+1.14"))
            #expect(browser.lastBody.contains("ผ่านดี"))
            let bad = try await browser.get("/agencies/banpong/2566/what-if?run=1&score-eit2=abc")
            #expect(bad.status == .unprocessableContent)
            let stored = try await repositories.assessments.publishedItems(assessmentID: world.assessment.id, logger: testLogger)
            #expect(stored.first { $0.itemID == "O13" }?.passed == false)
        }
    }

    @Test("errors are Thai pages, never stack traces; oversize bodies are refused")
    func errors() async throws {
        try await withApp(.sqlite) { client, _, _ in
            var browser = Browser(client)
            let missing = try await browser.get("/no/such/page")
            #expect(missing.status == .notFound)
            #expect(browser.lastBody.contains("ไม่พบหน้าที่ต้องการ"))
            _ = try await browser.signIn("officer")
            #expect(try await browser.get("/agencies/banpong/2599").status == .notFound)
            #expect(try await browser.get("/agencies/banpong/abc").status == .notFound)
            _ = try await browser.get("/agencies/banpong/2566/results")
            let huge = String(repeating: "x", count: 2_000_000)
            let big = try await browser.post("/agencies/banpong/2566/results", [("iit", huge)])
            #expect(big.status == .contentTooLarge)
            #expect(browser.lastBody.contains("ขนาดใหญ่เกินกำหนด"))
            let wrongType = try await browser.send(.post, "/agencies/banpong/2566/results", headers: [.contentType: "application/json"])
            #expect(wrongType.status == .unsupportedMediaType)
            let api = try await browser.send(.get, "/no/such", headers: [.accept: "application/json"])
            #expect(api.status == .notFound)
            #expect(browser.lastBody.contains(#""en":"Page not found""#))
            #expect(try await browser.get("/healthz").status == .ok)
            #expect(try await browser.get("/static/app.css").status == .ok)
        }
    }

    @Test("sign-in never redirects off-site")
    func openRedirect() async throws {
        try await withApp(.sqlite) { client, _, _ in
            var browser = Browser(client)
            _ = try await browser.get("/login?next=//evil.example/x")
            let response = try await browser.post("/login", [("username", "admin"), ("password", SeededWorld.password), ("next", "//evil.example/x")])
            #expect(response.headers[.location] == "/agencies", "an administrator of every agency lands on the list")
        }
    }
}

extension AssessmentRepository {
    /// True when recording a published result without a source is refused.
    func recordPublishedFails(_ assessment: Assessment) async -> Bool {
        do {
            try await recordPublished([PublishedItemResult(itemID: "O1", passed: true, source: .url(""))], assessment: assessment, by: .system, logger: testLogger)
            return false
        } catch is PublishedResultError {
            return true
        } catch {
            return false
        }
    }
}
