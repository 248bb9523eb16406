import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import SQLKit
import Testing
import TestSupport

/// The app with complaint keys, and public forms that may be sent at once (the clock is fixed).
func withIntegrityApp(_ engine: TestEngine, keys: Bool = true, clock: @escaping @Sendable () -> Date = { fixedNow },
                      _ test: @escaping @Sendable (any TestClientProtocol, SeededWorld, Repositories) async throws -> Void) async throws {
    let keys = keys ? try ComplaintKeys(parsing: ComplaintKeys.generateLine(id: "test")) : nil
    try await withApp(engine, clock: clock, configure: { configuration in
        configuration.complaintKeys = keys
        configuration.fastestPublicForm = 0
    }, test)
}

extension Browser {
    /// The anti-spam sum on the last page, worked out.
    var challengeAnswer: String {
        guard let range = lastBody.range(of: #"(\d) \+ (\d) = \?"#, options: .regularExpression) else { return "" }
        let digits = lastBody[range].compactMap(\.wholeNumberValue)
        return String(digits[0] + digits[1])
    }

    func hidden(_ name: String) -> String {
        guard let range = lastBody.range(of: #"name="\#(name)" value="([^"]*)""#, options: .regularExpression) else { return "" }
        return String(lastBody[range].dropFirst(#"name="\#(name)" value=""#.count).dropLast())
    }

    /// Fills the report form on the last page (its token and sum) and sends it as multipart.
    mutating func report(_ agency: String = "banpong", fields: [(String, String)], files: [(String, String, [UInt8])] = [], answer: String? = nil,
                         token: String? = nil) async throws -> TestResponse {
        try await sendMultipart("/report/\(agency)", fields: [("lang", "th"), ("ct", token ?? hidden("ct")), ("ca", answer ?? challengeAnswer)] + fields,
                                files: files)
    }

    var receiptCode: String? {
        guard let range = lastBody.range(of: #"data-testid="receipt-code">([0-9A-Z-]{19})<"#, options: .regularExpression) else { return nil }
        return String(lastBody[range].dropFirst(#"data-testid="receipt-code">"#.count).dropLast())
    }
}

@Suite("integrity channels over a real HTTP server", .serialized)
struct IntegrityWebTests {
    static let what = "เจ้าหน้าที่กองช่างเรียกรับเงินห้าพันบาทเพื่อเร่งออกใบอนุญาตก่อสร้าง"
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR-test".utf8)

    static func caseCount(_ repositories: Repositories) async throws -> Int {
        try await repositories.database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("complaints").first()!.decode(column: "n", as: Int.self)
    }

    @Test("a report from the public: receipt shown once, no cookie, no-store; save-your-code step; follow-up reads replies and writes back, once", arguments: TestEngine.available)
    func reportAndFollow(engine: TestEngine) async throws {
        try await withIntegrityApp(engine) { client, world, repositories in
            var reporter = Browser(client)
            let form = try await reporter.get("/report/banpong")
            #expect(form.status == .ok)
            #expect(form.headers[.cacheControl] == "no-store")
            #expect(reporter.lastBody.contains("แจ้งเรื่องร้องเรียนการทุจริต"))
            #expect(reporter.lastBody.contains("การเรียกรับสินบนหรือผลประโยชน์"))
            let sent = try await reporter.report(fields: [("category", "bribery"), ("what", Self.what), ("place", "อบต."), ("identity", "anonymous")],
                                                 files: [("files", "ใบเสร็จ.png", Self.png)])
            #expect(sent.status == .ok)
            #expect(sent.headers[.cacheControl] == "no-store")
            #expect(sent.headers[values: .setCookie].isEmpty, "a report sets no cookie")
            let grouped = try #require(reporter.receiptCode)
            #expect(reporter.lastBody.contains("ระบบแสดงเพียงครั้งนี้ครั้งเดียว"))
            #expect(try await Self.caseCount(repositories) == 1)

            // Save-your-code: the wrong last four say so and show the code again; the right ones confirm.
            let wrong = try await reporter.post("/report/banpong/receipt", [("lang", "th"), ("code", grouped), ("last4", "0000")], csrf: false)
            #expect(wrong.status == .ok && reporter.lastBody.contains("4 ตัวท้ายไม่ตรง") && reporter.receiptCode == grouped)
            _ = try await reporter.post("/report/banpong/receipt", [("lang", "th"), ("code", grouped), ("last4", String(grouped.suffix(4)).lowercased())], csrf: false)
            #expect(reporter.lastBody.contains("data-testid=\"saved\""))

            // The handler sees it (and the file), replies.
            var handler = Browser(client)
            _ = try await handler.signIn("handler")
            _ = try await handler.get("/agencies/banpong/complaints")
            #expect(handler.lastBody.contains("การเรียกรับสินบนหรือผลประโยชน์"))
            let caseID = try #require(try await repositories.database.sql.select().column("id").from("complaints").first()?.decode(column: "id", as: String.self))
            let page = try await handler.get("/agencies/banpong/complaints/\(caseID)")
            #expect(page.status == .ok && handler.lastBody.contains(Self.what))
            #expect(handler.lastBody.contains("ไม่เปิดเผยชื่อ"))
            let fileLink = try #require(handler.lastBody.range(of: #"/agencies/banpong/complaints/[A-Z0-9]+/files/[0-9a-f-]+"#, options: .regularExpression))
            let file = try await handler.get(String(handler.lastBody[fileLink]))
            #expect(file.status == .ok && Array(buffer: file.body) == Self.png)
            #expect(file.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            _ = try await handler.get("/agencies/banpong/complaints/\(caseID)")
            let reply = try await handler.post("/agencies/banpong/complaints/\(caseID)/reply", [("body", "ได้รับเรื่องแล้ว ขอทราบวันที่จ่ายเงิน")])
            #expect(reply.status == .seeOther)

            // Follow-up with the code as typed by a person (lower case, spaces).
            var later = Browser(client)
            _ = try await later.get("/report/banpong/follow")
            let followed = try await later.post("/report/banpong/follow", [("lang", "th"), ("code", grouped.lowercased().replacingOccurrences(of: "-", with: " "))], csrf: false)
            #expect(followed.status == .ok && followed.headers[.cacheControl] == "no-store")
            #expect(later.lastBody.contains(Self.what) && later.lastBody.contains("ขอทราบวันที่จ่ายเงิน"))
            #expect(later.lastBody.contains("รับเรื่องแล้ว"))
            let token = later.hidden("reply")
            let answer = try await later.post("/report/banpong/follow", [("lang", "th"), ("code", later.hidden("code")), ("reply", token), ("message", "จ่ายวันที่ 3 มีนาคม")], csrf: false)
            #expect(answer.status == .ok && later.lastBody.contains("ส่งข้อความถึงหน่วยงานแล้ว"))
            // The same reply sent again (a double click) is kept once.
            _ = try await later.post("/report/banpong/follow", [("lang", "th"), ("code", grouped), ("reply", token), ("message", "จ่ายวันที่ 3 มีนาคม")], csrf: false)
            #expect(later.lastBody.contains("จึงไม่ส่งซ้ำ"))
            #expect(try await repositories.database.sql.select().column("id").from("complaint_messages").all().count == 3)

            // Nothing the reporter or the handler wrote is in the database in the clear (rows on both engines, the file on SQLite).
            var raw = ""
            for table in ["complaints", "complaint_messages", "complaint_files", "complaint_steps"] {
                for row in try await repositories.database.sql.select().column("*").from(table).all() {
                    for column in row.allColumns { raw += ((try? row.decode(column: column, as: String?.self)) ?? nil) ?? "" }
                }
            }
            let secrets = [Self.what, "ขอทราบวันที่จ่ายเงิน", "จ่ายวันที่ 3 มีนาคม", "ใบเสร็จ.png", "IHDR-test", grouped.replacingOccurrences(of: "-", with: "")]
            for secret in secrets { #expect(!raw.contains(secret), "\(secret) in a row") }
            if case .sqlite(let path) = repositories.database.location {
                try await repositories.database.checkpoint(thorough: true)
                var bytes = Data()
                for suffix in ["", "-wal"] { bytes += (try? Data(contentsOf: URL(fileURLWithPath: path + suffix))) ?? Data() }
                for secret in secrets { #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) in the file") }
            }
            // A wrong code: a plain Thai sentence, no case.
            let bad = try await later.post("/report/banpong/follow", [("lang", "th"), ("code", "AAAA-BBBB-CCCC-DDDD")], csrf: false)
            #expect(bad.status == .unprocessableContent && later.lastBody.contains("ไม่พบเรื่องตามรหัสนี้"))
            let malformed = try await later.post("/report/banpong/follow", [("lang", "th"), ("code", "1234")], csrf: false)
            #expect(malformed.status == .unprocessableContent)
            // The code works only at its own agency.
            _ = try await later.post("/report/muang/follow", [("lang", "th"), ("code", grouped)], csrf: false)
            #expect(later.lastBody.contains("ไม่พบเรื่องตามรหัสนี้"))
            _ = world
        }
    }

    @Test("bad reports lose nothing: each problem in Thai with the text kept; a double submit files once; a wrong sum, a bad file, a honeypot", arguments: TestEngine.available)
    func badReports(engine: TestEngine) async throws {
        try await withIntegrityApp(engine) { client, _, repositories in
            var reporter = Browser(client)
            _ = try await reporter.get("/report/banpong")
            let short = try await reporter.report(fields: [("category", "bribery"), ("what", "สั้นไป"), ("place", "ตลาดสด"), ("identity", "named"), ("name", "")])
            #expect(short.status == .unprocessableContent)
            #expect(reporter.lastBody.contains("อย่างน้อย 20 ตัวอักษร") && reporter.lastBody.contains("กรุณากรอกชื่อ"))
            #expect(reporter.lastBody.contains("value=\"ตลาดสด\""), "what was typed is kept")
            let noCategory = try await reporter.report(fields: [("category", "gossip"), ("what", Self.what)])
            #expect(noCategory.status == .unprocessableContent && reporter.lastBody.contains("กรุณาเลือกประเภท") && reporter.lastBody.contains(Self.what))
            let badFile = try await reporter.report(fields: [("category", "procurement"), ("what", Self.what)], files: [("files", "virus.exe", Array("MZ\u{90}\u{00}".utf8))])
            #expect(badFile.status == .unprocessableContent && reporter.lastBody.contains("ไม่ใช่ PDF") && reporter.lastBody.contains("กรุณาแนบไฟล์อีกครั้ง"))
            let tooMany = try await reporter.report(fields: [("category", "procurement"), ("what", Self.what)], files: Array(repeating: ("files", "a.png", Self.png), count: 4))
            #expect(tooMany.status == .unprocessableContent && reporter.lastBody.contains("ไม่เกิน 3 ไฟล์"))
            let wrongSum = try await reporter.report(fields: [("category", "procurement"), ("what", Self.what)], answer: "99")
            #expect(wrongSum.status == .unprocessableContent && reporter.lastBody.contains("คำตอบของคำถามกันสแปมไม่ถูกต้อง") && reporter.lastBody.contains(Self.what))
            let forged = try await reporter.report(fields: [("category", "procurement"), ("what", Self.what)], token: "report.2.2.1678856400.abc.00ff")
            #expect(forged.status == .unprocessableContent && reporter.lastBody.contains("แบบฟอร์มนี้ไม่สมบูรณ์"))
            let honeypot = try await reporter.report(fields: [("category", "procurement"), ("what", Self.what), ("website", "http://spam")])
            #expect(honeypot.status == .ok)
            #expect(try await Self.caseCount(repositories) == 0, "nothing filed so far")

            // A double submit of one form: the second is refused, one case.
            let token = reporter.hidden("ct"), sum = reporter.challengeAnswer
            let first = try await reporter.report(fields: [("category", "procurement"), ("what", Self.what)], answer: sum, token: token)
            #expect(first.status == .ok && reporter.receiptCode != nil)
            let second = try await reporter.report(fields: [("category", "procurement"), ("what", Self.what)], answer: sum, token: token)
            #expect(second.status == .unprocessableContent && reporter.lastBody.contains("ถูกส่งไปแล้ว"))
            #expect(try await Self.caseCount(repositories) == 1)

            // Oversize: refused with a Thai page before the body is read past the cap.
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data; boundary=x"
            let huge = try await client.execute(uri: "/report/banpong", method: .post, headers: headers,
                                                body: ByteBuffer(bytes: [UInt8](repeating: 65, count: 16 * 1_048_576)))
            #expect(huge.status == .contentTooLarge && String(buffer: huge.body).contains("ใหญ่เกินกำหนด"))
            // Not a form at all.
            let json = try await client.execute(uri: "/report/banpong", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}"))
            #expect(json.status == .unsupportedMediaType)
            #expect(try await Self.caseCount(repositories) == 1)
        }
    }

    @Test("limits per address are shared through the database: the sixth report in an hour and the 21st follow-up in 15 minutes wait", arguments: TestEngine.available)
    func limits(engine: TestEngine) async throws {
        try await withIntegrityApp(engine) { client, _, repositories in
            var reporter = Browser(client)
            for n in 1...6 {
                _ = try await reporter.get("/report/banpong")
                let sent = try await reporter.report(fields: [("category", "other"), ("what", Self.what + " \(n)")])
                #expect(sent.status == (n <= 5 ? .ok : .tooManyRequests), "report \(n)")
            }
            #expect(reporter.lastBody.contains("กรุณารออีก") && reporter.lastBody.contains(Self.what + " 6"))
            #expect(try await Self.caseCount(repositories) == 5)
            for n in 1...21 {
                let tried = try await reporter.post("/report/banpong/follow", [("code", ReceiptCode.random().value)], csrf: false)
                #expect(tried.status == (n <= 20 ? .unprocessableContent : .tooManyRequests), "guess \(n)")
            }
            // The table holds keyed hashes and counts: no address.
            let keys = try await repositories.database.sql.select().column("key").from("public_limits").all().map { try $0.decode(column: "key", as: String.self) }
            #expect(!keys.isEmpty && keys.allSatisfy { !$0.contains("127.0.0.1") && !$0.contains("::1") })
            // Whole quarter hours only: no row dates a form to the second.
            let ends = try await repositories.database.sql.select().column("window_end").from("public_limits").all().map { try $0.decode(column: "window_end", as: Int.self) }
            #expect(!ends.isEmpty && ends.allSatisfy { $0 % 900 == 0 })
        }
    }

    @Test("cases: steps need an outcome note; identity only after another person approves; every role but the agency's handler gets 404", arguments: TestEngine.available)
    func handlersAndCustodians(engine: TestEngine) async throws {
        try await withIntegrityApp(engine) { client, world, repositories in
            var reporter = Browser(client)
            _ = try await reporter.get("/report/banpong")
            _ = try await reporter.report(fields: [("category", "abuse-of-position"), ("what", Self.what), ("identity", "named"), ("name", "นายผู้แจ้ง ทดสอบ"), ("phone", "0899999999")],
                                          files: [("files", "a.png", Self.png)])
            #expect(reporter.receiptCode != nil)
            let caseID = try #require(try await repositories.database.sql.select().column("id").from("complaints").first()?.decode(column: "id", as: String.self))
            let casePath = "/agencies/banpong/complaints/\(caseID)"

            var handler = Browser(client)
            _ = try await handler.signIn("handler")
            _ = try await handler.get(casePath)
            #expect(!handler.lastBody.contains("นายผู้แจ้ง") && handler.lastBody.contains("ข้อมูลนี้ถูกปกปิด"))
            #expect(handler.lastBody.contains("<dt>เกิดอะไรขึ้น</dt>"), "the case page's own labels, not another page's")
            let noNote = try await handler.post(casePath + "/step", [("from", "received"), ("to", "screening"), ("note", "สั้น")])
            #expect(noNote.status == .unprocessableContent && handler.lastBody.contains("กรุณาบันทึกผลการดำเนินการ"))
            let skip = try await handler.post(casePath + "/step", [("from", "received"), ("to", "concluded"), ("note", "ปิดเรื่องโดยไม่สอบสวน")])
            #expect(skip.status == .unprocessableContent)
            _ = try await handler.get(casePath)
            let step = try await handler.post(casePath + "/step", [("from", "received"), ("to", "screening"), ("note", "รับเรื่องและส่งกลั่นกรองแล้ว")])
            #expect(step.status == .seeOther)
            _ = try await handler.get(casePath)
            let stale = try await handler.post(casePath + "/step", [("from", "received"), ("to", "notAccepted"), ("note", "หน้าเก่าที่เปิดค้างไว้")])
            #expect(stale.status == .unprocessableContent || stale.status == .conflict)
            #expect(try await repositories.database.sql.select().column("status").from("complaints").first()?.decode(column: "status", as: String.self) == "screening")

            // The handler asks; the custodian (another person) approves; only then the handler sees the name, and the look is audited.
            _ = try await handler.get(casePath)
            let asked = try await handler.post(casePath + "/identity", [("reason", "ต้องเชิญผู้แจ้งมาให้ถ้อยคำเพิ่มเติมตามระเบียบ")])
            #expect(asked.status == .seeOther)
            _ = try await handler.get(casePath)
            #expect(handler.lastBody.contains("data-testid=\"request-pending\"") && !handler.lastBody.contains("นายผู้แจ้ง"))
            var custodian = Browser(client)
            _ = try await custodian.signIn("custodian")
            let list = try await custodian.get("/agencies/banpong/identity-requests")
            #expect(list.status == .ok && custodian.lastBody.contains("ต้องเชิญผู้แจ้งมาให้ถ้อยคำ"))
            #expect(!custodian.lastBody.contains("นายผู้แจ้ง"), "the custodian decides on the reason, without seeing the identity")
            let requestID = try #require(try await repositories.database.sql.select().column("id").from("identity_requests").first()?.decode(column: "id", as: String.self))
            #expect(try await custodian.get(casePath).status == .notFound, "a custodian does not read cases")
            _ = try await custodian.get("/agencies/banpong/identity-requests")
            let approved = try await custodian.post("/agencies/banpong/identity-requests/\(requestID)", [("decision", "approve"), ("note", "เหตุผลเพียงพอตามระเบียบ")])
            #expect(approved.status == .seeOther)
            let shown = try await handler.get(casePath)
            #expect(handler.lastBody.contains("นายผู้แจ้ง ทดสอบ") && handler.lastBody.contains("0899999999"))
            #expect(shown.headers[.cacheControl] == "no-store")
            let audit = try await repositories.audit.entries(entityID: caseID, logger: testLogger).map(\.action)
            #expect(audit.contains("complaint.identity.read") && audit.contains("complaint.identity.approved") && audit.contains("complaint.step"))

            // Everyone else: 404 on every complaint route, GET and POST.
            let fileID = try #require(try await repositories.database.sql.select().column("id").from("complaint_files").first()?.decode(column: "id", as: String.self))
            #expect(try await handler.get(casePath + "/files/" + fileID).status == .ok)
            let routes = ["/agencies/banpong/complaints", casePath, "/agencies/banpong/identity-requests", casePath + "/files/" + fileID]
            for username in ["officer", "admin", "viewer", "palad", "assessor", "muang-officer"] {
                var someone = Browser(client)
                _ = try await someone.signIn(username)
                _ = try await someone.get("/agencies")
                for route in routes { #expect(try await someone.get(route).status == .notFound, "\(username) GET \(route)") }
                for (route, form) in [(casePath + "/step", [("from", "screening"), ("to", "notAccepted"), ("note", "พยายามปิดเรื่องโดยไม่มีสิทธิ์")]),
                                      (casePath + "/reply", [("body", "x")]), (casePath + "/identity", [("reason", String(repeating: "ก", count: 30))]),
                                      ("/agencies/banpong/identity-requests/\(requestID)", [("decision", "approve"), ("note", "อนุมัติเอง")]),
                                      ("/agencies/banpong/complaints/deadlines", [("acknowledge", "1"), ("screening", "1"), ("investigation", "1")])] {
                    #expect(try await someone.post(route, form).status == .notFound, "\(username) POST \(route)")
                }
            }
            // The handler of another agency does not see this one's cases.
            let hash = try #require(try await repositories.users.find(username: "officer", logger: testLogger)).passwordHash
            let muangHandler = User(username: "muang-handler", displayName: "ผู้รับเรื่อง เทศบาล", passwordHash: hash)
            try await repositories.users.create(muangHandler, grants: [RoleGrant(userID: muangHandler.id, agencyID: world.other.id, role: .handler)],
                                                by: AuditActor.system, logger: testLogger)
            var otherHandler = Browser(client)
            _ = try await otherHandler.signIn("muang-handler")
            #expect(try await otherHandler.get(casePath).status == .notFound)
            #expect(try await otherHandler.get("/agencies/muang/complaints/\(caseID)").status == .notFound)
            _ = try await otherHandler.get("/agencies/muang/complaints")
            #expect(!otherHandler.lastBody.contains(caseID))
            var anonymous = Browser(client)
            #expect(try await anonymous.get(casePath).status == .seeOther, "signed out: to the sign-in page")
            _ = try await custodian.get("/agencies/banpong/identity-requests")
            let again = try await custodian.post("/agencies/banpong/identity-requests/\(requestID)", [("decision", "refuse"), ("note", "เปลี่ยนใจภายหลัง")])
            #expect(again.status == .conflict, "decided once")
        }
    }

    @Test("overdue cases are flagged by the agency's deadlines; O29 statistics on the page and as CSV equal a count of the cases, small cells as <3", arguments: TestEngine.available)
    func deadlinesAndStatistics(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withIntegrityApp(engine, clock: { clock.read() }) { client, _, repositories in
            var reporter = Browser(client)
            for n in 0..<4 {
                _ = try await reporter.get("/report/banpong")
                _ = try await reporter.report(fields: [("category", n < 3 ? "procurement" : "bribery"), ("what", Self.what + " \(n)")])
            }
            // The transparency page links the three channels.
            _ = try await reporter.get("/t/banpong/2566")
            #expect(reporter.lastBody.contains("href=\"/report/banpong\"") && reporter.lastBody.contains("href=\"/qa/banpong\"")
                    && reporter.lastBody.contains("/report/banpong/statistics?year=2566"))
            // With the year's totals: 4 received in March would pin the bribery case (4 − 3), so they are covered.
            #expect(reporter.lastBody.contains("<tr><td>*</td><td>*</td><td>&lt;3</td><td>&lt;3</td><td>&lt;3</td></tr>"))
            // Reported on 15 March 2566: with a 15-day rule nothing is overdue on the day; with 1 day neither (due tomorrow).
            var handler = Browser(client)
            _ = try await handler.signIn("handler")
            _ = try await handler.get("/agencies/banpong/complaints")
            #expect(!handler.lastBody.contains("data-testid=\"overdue\""))
            let badRule = try await handler.post("/agencies/banpong/complaints/deadlines", [("acknowledge", "0"), ("screening", "30"), ("investigation", "90")])
            #expect(badRule.status == .unprocessableContent && handler.lastBody.contains("1–365"))
            _ = try await handler.get("/agencies/banpong/complaints")
            _ = try await handler.post("/agencies/banpong/complaints/deadlines", [("acknowledge", "1"), ("screening", "30"), ("investigation", "90")])
            #expect(try await repositories.settings.get("complaint-deadlines:" + (try await repositories.agencies.find(code: "banpong", logger: testLogger))!.id) == "1,30,90")
            _ = try await handler.get("/agencies/banpong/complaints")
            #expect(!handler.lastBody.contains("data-testid=\"overdue\""), "due tomorrow")
            clock.advance(2 * 86_400)
            _ = try await handler.get("/agencies/banpong/complaints")
            #expect(handler.lastBody.contains("เรื่องเกินกำหนด: 4"))
            // The agency list says so too, with the way in.
            _ = try await handler.get("/agencies")
            #expect(handler.lastBody.contains("data-testid=\"complaints-banpong\"") && handler.lastBody.contains("เรื่องเกินกำหนด 4"))
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies")
            #expect(!officer.lastBody.contains("data-testid=\"complaints-banpong\"") && officer.lastBody.contains("/agencies/banpong/questions"))
            // The ITA dashboard counts them for the officer (no content, no link) and links them for the handler.
            _ = try await officer.get("/agencies/banpong/2566")
            #expect(officer.lastBody.contains("data-testid=\"overdue-complaints\"") && officer.lastBody.contains("ตามแนวปฏิบัติ: 4")
                    && !officer.lastBody.contains("/agencies/banpong/complaints"))
            _ = try await handler.get("/agencies/banpong/2566")
            #expect(handler.lastBody.contains("ตามแนวปฏิบัติ: 4") && handler.lastBody.contains("href=\"/agencies/banpong/complaints\""))
            clock.advance(-2 * 86_400)

            let page = try await reporter.get("/report/banpong/statistics?year=2566")
            #expect(page.status == .ok)
            #expect(reporter.lastBody.contains("มีนาคม 2566"))
            // March: procurement 3 received, all in progress (3); bribery 1 received → "<3".
            #expect(reporter.lastBody.contains(">3<") && reporter.lastBody.contains("&lt;3"))
            let csv = try await reporter.get("/report/banpong/statistics.csv?year=2566")
            let rows = try CSV.parse(String(buffer: csv.body).replacingOccurrences(of: "\u{FEFF}", with: ""))
            #expect(rows.first == ["month", "month_th", "category", "category_th", "received", "in_progress", "concluded", "forwarded", "not_accepted"])
            #expect(rows.count == 1 + 12 * ComplaintCategory.allCases.count + 1)
            // The year's total would be 4 received and 4 in progress: with March's procurement shown as 3, a 4 would
            // pin the bribery "<3" at 1, so both totals are covered.
            #expect(rows.last == ["total", "รวมทั้งปีงบประมาณ 2566", "all", "ทุกประเภท", "*", "*", "<3", "<3", "<3"])
            #expect(rows.contains(["2023-03", "มีนาคม 2566", "procurement", "การจัดซื้อจัดจ้าง", "3", "3", "<3", "<3", "<3"]))
            #expect(rows.contains(["2023-03", "มีนาคม 2566", "bribery", "การเรียกรับสินบนหรือผลประโยชน์", "<3", "<3", "<3", "<3", "<3"]))
            #expect(rows.contains(["2023-04", "เมษายน 2566", "bribery", "การเรียกรับสินบนหรือผลประโยชน์", "0", "0", "0", "0", "0"]))
            let badYear = try await reporter.get("/report/banpong/statistics?year=99999")
            #expect(badYear.status == .badRequest)
        }
    }

    @Test("Q&A (O8): a question waits for moderation, is published with its answer and answer time; only the agency's officer moderates", arguments: TestEngine.available)
    func questions(engine: TestEngine) async throws {
        try await withIntegrityApp(engine) { client, _, repositories in
            var citizen = Browser(client)
            _ = try await citizen.get("/qa/banpong")
            #expect(citizen.lastBody.contains("ยังไม่มีคำถามที่เผยแพร่"))
            let short = try await citizen.post("/qa/banpong", [("lang", "th"), ("ct", citizen.hidden("ct")), ("ca", citizen.challengeAnswer), ("body", "สั้น")], csrf: false)
            #expect(short.status == .unprocessableContent && citizen.lastBody.contains("10–2000"))
            let question = "ขอทราบขั้นตอนการขออนุญาตก่อสร้างอาคาร"
            let asked = try await citizen.post("/qa/banpong", [("lang", "th"), ("ct", citizen.hidden("ct")), ("ca", citizen.challengeAnswer), ("body", question), ("asker", "ชาวบ้านหมู่ 3")], csrf: false)
            #expect(asked.status == .ok && citizen.lastBody.contains("ได้รับคำถามแล้ว"))
            _ = try await citizen.get("/qa/banpong")
            #expect(!citizen.lastBody.contains(question), "not public before it is answered")

            let id = try #require(try await repositories.database.sql.select().column("id").from("questions").first()?.decode(column: "id", as: String.self))
            for username in ["viewer", "handler", "muang-officer"] {
                var someone = Browser(client)
                _ = try await someone.signIn(username)
                #expect(try await someone.get("/agencies/banpong/questions").status == .notFound, "\(username)")
                _ = try await someone.get("/agencies")
                #expect(try await someone.post("/agencies/banpong/questions/\(id)", [("action", "publish"), ("answer", "ตอบเอง")]).status == .notFound, "\(username)")
            }
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies/banpong/questions")
            #expect(officer.lastBody.contains(question))
            let empty = try await officer.post("/agencies/banpong/questions/\(id)", [("action", "publish"), ("answer", "")])
            #expect(empty.status == .unprocessableContent)
            _ = try await officer.get("/agencies/banpong/questions")
            let answered = try await officer.post("/agencies/banpong/questions/\(id)", [("action", "publish"), ("answer", "ยื่นคำขอที่กองช่าง พร้อมแบบแปลน <b>3 ชุด</b>")])
            #expect(answered.status == .seeOther)
            _ = try await citizen.get("/qa/banpong")
            #expect(citizen.lastBody.contains(question) && citizen.lastBody.contains("ชาวบ้านหมู่ 3"))
            #expect(citizen.lastBody.contains("&lt;b&gt;3 ชุด"), "escaped")
            #expect(citizen.lastBody.contains("ตอบภายใน 0 วัน"))
            // The item page offers the Q&A page as an evidence link (O8 can point to it).
            _ = try await officer.get("/agencies/banpong/2566/items/O8")
            #expect(officer.lastBody.contains("data-testid=\"own-pages\"") && officer.lastBody.contains("/qa/banpong</code>"))
        }
    }

    @Test("without complaint keys the channel says it is not open and files nothing; the staff page says how to configure it", arguments: [TestEngine.sqlite])
    func closedWithoutKeys(engine: TestEngine) async throws {
        try await withIntegrityApp(engine, keys: false) { client, _, repositories in
            var reporter = Browser(client)
            _ = try await reporter.get("/report/banpong")
            #expect(reporter.lastBody.contains("ช่องทางนี้ยังไม่เปิดรับเรื่อง") && !reporter.lastBody.contains("name=\"what\""))
            let sent = try await reporter.report(fields: [("category", "bribery"), ("what", Self.what)])
            #expect(sent.status == .serviceUnavailable)
            #expect(try await Self.caseCount(repositories) == 0)
            var handler = Browser(client)
            _ = try await handler.signIn("handler")
            let list = try await handler.get("/agencies/banpong/complaints")
            #expect(list.status == .serviceUnavailable && handler.lastBody.contains("--complaint-keys"))
            #expect(try await reporter.get("/report/nowhere").status == .notFound)
        }
    }
}
