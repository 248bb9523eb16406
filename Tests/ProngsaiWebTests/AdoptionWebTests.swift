import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport

/// An app over an empty database (no demo, no seed).
func withEmptyApp(_ engine: TestEngine, _ test: @escaping @Sendable (any TestClientProtocol, Repositories) async throws -> Void) async throws {
    try await withTestDatabase(engine) { database in
        let repositories = Repositories(database: database)
        let catalog = try FrameworkCatalog.builtin(store: repositories.frameworks)
        var configuration = AppConfiguration(host: "127.0.0.1", port: 0, clock: { fixedNow })
        configuration.linkCheckInterval = nil
        configuration.releaseInterval = nil
        configuration.twoFactor = .optional
        let app = try await buildApplication(configuration, repositories: repositories, catalog: catalog, logger: testLogger)
        try await app.test(.live) { client in try await test(client, repositories) }
    }
}

extension Browser {
    /// The one-time secret shown after creating an account.
    var temporaryPassword: String? {
        guard let range = lastBody.range(of: #"data-testid="temporary-password">[A-Za-z0-9]+<"#, options: .regularExpression) else { return nil }
        return String(lastBody[range].dropFirst(#"data-testid="temporary-password">"#.count).dropLast())
    }

    var invitationLink: String? {
        guard let range = lastBody.range(of: #"data-testid="invitation-link">[^<]+<"#, options: .regularExpression) else { return nil }
        return String(lastBody[range].dropFirst(#"data-testid="invitation-link">"#.count).dropLast())
    }
}

@Suite("adoption: from an empty install to a working agency", .serialized)
struct AdoptionWebTests {
    @Test("an empty install shows only the set-up page until the first administrator exists", arguments: TestEngine.available)
    func firstAdministrator(engine: TestEngine) async throws {
        try await withEmptyApp(engine) { client, repositories in
            var browser = Browser(client)
            for path in ["/", "/login", "/agencies", "/admin"] {
                let response = try await browser.get(path)
                #expect(response.status == .serviceUnavailable, "\(path)")
                #expect(browser.lastBody.contains("prongsai admin create"))
            }
            #expect(try await browser.get("/healthz").status == .ok)
            // A weak password, a bad username and a taken name are refused, and nothing is created.
            await #expect(throws: Accounts.Problem.self) {
                _ = try await Accounts.createAdministrator(username: "root", displayName: nil, password: "short", repositories: repositories, logger: testLogger)
            }
            await #expect(throws: Accounts.Problem.self) {
                _ = try await Accounts.createAdministrator(username: "Bad Name", displayName: nil, password: nil, repositories: repositories, logger: testLogger)
            }
            #expect(try await repositories.users.all(logger: testLogger).isEmpty)
            let password = try await Accounts.createAdministrator(username: "root", displayName: "ผู้ดูแล", password: nil, repositories: repositories, logger: testLogger)
            #expect(password.count == 16 && PasswordPolicy.problem(password) == nil)
            await #expect(throws: Accounts.Problem.self) {
                _ = try await Accounts.createAdministrator(username: "root", displayName: nil, password: nil, repositories: repositories, logger: testLogger)
            }
            #expect(try await browser.get("/login").status == .ok)
            #expect(try await browser.signIn("root", password: password).status == .seeOther)
            _ = try await browser.get("/agencies")
            #expect(browser.lastBody.contains(#"data-testid="add-agency""#))
        }
    }

    @Test("agencies and divisions: created, edited, duplicates and bad fields refused in Thai with nothing changed", arguments: TestEngine.available)
    func agenciesAndDivisions(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            _ = try await admin.get("/admin/agencies")
            let before = try await repositories.agencies.all(logger: testLogger).count
            let form: [(String, String)] = [("code", "nongbua"), ("name_th", "องค์การบริหารส่วนตำบลหนองบัว"), ("name_en", "Nong Bua SAO"),
                                            ("short_th", "อบต.หนองบัว"), ("type", "อบต."), ("province", "อุดรธานี"), ("district", "เมือง"), ("website", "https://nongbua.go.th"),
                                            ("ministry", "กระทรวงมหาดไทย")]
            #expect(try await admin.post("/admin/agencies", form).status == .seeOther)
            let created = try #require(try await repositories.agencies.find(code: "nongbua", logger: testLogger))
            #expect(created.name.en == "Nong Bua SAO" && created.type == "อบต." && created.ministry == "กระทรวงมหาดไทย")
            _ = try await admin.get("/admin/agencies")
            let duplicate = try await admin.post("/admin/agencies", form.map { $0.0 == "name_th" ? ($0.0, "ชื่ออื่น") : $0 })
            #expect(duplicate.status == .unprocessableContent)
            #expect(admin.lastBody.contains("มีหน่วยงานรหัส nongbua อยู่แล้ว"))
            #expect(admin.lastBody.contains(#"value="ชื่ออื่น""#), "what was typed is kept")
            let bad = try await admin.post("/admin/agencies", [("code", "Bad Code"), ("name_th", ""), ("type", "บริษัท"), ("province", ""), ("website", "nongbua.go.th")])
            #expect(bad.status == .unprocessableContent)
            for message in ["รหัสหน่วยงานยาว 2–40 ตัว", "กรุณากรอกชื่อหน่วยงานภาษาไทย", "ประเภทหน่วยงานไม่ถูกต้อง", "กรุณากรอกจังหวัด", "เว็บไซต์ต้องขึ้นต้นด้วย https://"] {
                #expect(admin.lastBody.contains(message), "\(message)")
            }
            #expect(try await repositories.agencies.all(logger: testLogger).count == before + 1)
            // Editing keeps the code.
            _ = try await admin.get("/admin/agencies/nongbua")
            #expect(try await admin.post("/admin/agencies/nongbua", form.map { $0.0 == "district" ? ($0.0, "กุมภวาปี") : $0.0 == "code" ? ($0.0, "hijack") : $0 }).status == .seeOther)
            #expect(try await repositories.agencies.find(code: "nongbua", logger: testLogger)?.district == "กุมภวาปี")
            #expect(try await repositories.agencies.find(code: "hijack", logger: testLogger) == nil)

            // Divisions, by the agency's officer: create, duplicate, rename, retire (history kept).
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies/banpong/divisions")
            #expect(officer.lastBody.contains("สำนักปลัด"))
            #expect(try await officer.post("/agencies/banpong/divisions", [("code", "tech"), ("name_th", "กองช่างเทคนิค")]).status == .seeOther)
            _ = try await officer.get("/agencies/banpong/divisions")
            #expect(try await officer.post("/agencies/banpong/divisions", [("code", "tech"), ("name_th", "ซ้ำ")]).status == .unprocessableContent)
            #expect(officer.lastBody.contains("มีส่วนราชการรหัส tech อยู่แล้ว"))
            let divisions = try await repositories.agencies.divisions(agencyID: world.banpong.id, logger: testLogger)
            let tech = try #require(divisions.first { $0.code == "tech" })
            _ = try await officer.get("/agencies/banpong/divisions")
            #expect(try await officer.post("/agencies/banpong/divisions/\(tech.id)", [("action", "rename"), ("name_th", "กองช่าง (ใหม่)")]).status == .seeOther)
            _ = try await officer.get("/agencies/banpong/divisions")
            #expect(try await officer.post("/agencies/banpong/divisions/\(tech.id)", [("action", "deactivate")]).status == .seeOther)
            let after = try #require(try await repositories.agencies.divisions(agencyID: world.banpong.id, logger: testLogger).first { $0.id == tech.id })
            #expect(after.name.th == "กองช่าง (ใหม่)" && !after.active)
            // Items keep their (retired) division; the page still lists it.
            let palad = try #require(divisions.first { $0.code == "palad" })
            _ = try await officer.get("/agencies/banpong/divisions")
            _ = try await officer.post("/agencies/banpong/divisions/\(palad.id)", [("action", "deactivate")])
            let items = try await repositories.assessments.items(assessmentID: world.assessment.id, logger: testLogger)
            #expect(items.contains { $0.divisionIDs.contains(palad.id) })

            // Forbidden: another agency's officer (404), a viewer (403), anyone but an admin on /admin (404).
            var other = Browser(client)
            _ = try await other.signIn("muang-officer")
            #expect(try await other.get("/agencies/banpong/divisions").status == .notFound)
            _ = try await other.get("/agencies/muang/divisions")
            #expect(try await other.post("/agencies/banpong/divisions", [("code", "x1"), ("name_th", "แทรก")]).status == .notFound)
            var viewer = Browser(client)
            _ = try await viewer.signIn("viewer")
            #expect(try await viewer.get("/agencies/banpong/divisions").status == .forbidden)
            for path in ["/admin", "/admin/agencies", "/admin/users", "/admin/agencies/banpong", "/admin/agencies-import"] {
                #expect(try await officer.get(path).status == .notFound, "\(path)")
            }
            _ = try await officer.get("/agencies/banpong/divisions")
            #expect(try await officer.post("/admin/agencies", form.map { $0.0 == "code" ? ($0.0, "sneaky") : $0 }).status == .notFound)
            #expect(try await repositories.agencies.find(code: "sneaky", logger: testLogger) == nil)
        }
    }

    @Test("agencies from a CSV sheet: a preview with per-row errors, all or nothing", arguments: TestEngine.available)
    func importAgencies(engine: TestEngine) async throws {
        try await withApp(engine) { client, _, repositories in
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            _ = try await admin.get("/admin/agencies-import")
            let bad = "code,name_th,name_en,type,province,district,website\nnakhon1,เทศบาลนครหนึ่ง,City One,เทศบาลนคร,ขอนแก่น,เมือง,\nbanpong,ซ้ำ,,อบต.,เชียงราย,,\nnakhon1,ซ้ำในไฟล์,,เทศบาลนคร,ขอนแก่น,,\n"
            #expect(try await admin.post("/admin/agencies-import", [("csv", bad), ("confirm", "1")]).status == .unprocessableContent)
            #expect(admin.lastBody.contains("มีหน่วยงานรหัส banpong อยู่แล้ว"))
            #expect(admin.lastBody.contains("รหัสซ้ำกับแถวที่ 2"))
            #expect(try await repositories.agencies.find(code: "nakhon1", logger: testLogger) == nil, "one bad row: nothing imported")
            // The ministry is the tenth column (after short_th and short_en); older sheets without it still read.
            let good = "\u{FEFF}code,name_th,name_en,type,province,district,website,short_th,short_en,ministry\nnakhon1,เทศบาลนครหนึ่ง,City One,เทศบาลนคร,ขอนแก่น,เมือง,https://one.go.th,,,กระทรวงมหาดไทย\nsao2,\"อบต.สอง, ใหม่\",,อบต.,น่าน,ปัว,\n"
            _ = try await admin.get("/admin/agencies-import")
            #expect(try await admin.post("/admin/agencies-import", [("csv", good)]).status == .ok, "a preview first")
            #expect(admin.lastBody.contains(#"data-testid="confirm-import""#))
            #expect(try await repositories.agencies.find(code: "nakhon1", logger: testLogger) == nil)
            #expect(try await admin.post("/admin/agencies-import", [("csv", good), ("confirm", "1")]).status == .seeOther)
            #expect(try await repositories.agencies.find(code: "sao2", logger: testLogger)?.name.th == "อบต.สอง, ใหม่")
            #expect(try await repositories.agencies.find(code: "nakhon1", logger: testLogger)?.website == "https://one.go.th")
            #expect(try await repositories.agencies.find(code: "nakhon1", logger: testLogger)?.ministry == "กระทรวงมหาดไทย")
            #expect(try await repositories.agencies.find(code: "sao2", logger: testLogger)?.ministry == "")
        }
    }

    @Test("users: temporary password then a forced change, weak passwords, roles by who may give them, the last administrator", arguments: TestEngine.available)
    func users(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            _ = try await admin.get("/admin/users")
            let create: [(String, String)] = [("username", "somchai"), ("display_name", "นายสมชาย ใจดี"), ("agency", world.banpong.id), ("role", "officer"), ("division", ""), ("method", "password")]
            #expect(try await admin.post("/admin/users", create).status == .ok)
            let temporary = try #require(admin.temporaryPassword)
            _ = try await admin.get("/admin/users")
            #expect(try await admin.post("/admin/users", create).status == .unprocessableContent)
            #expect(admin.lastBody.contains("มีชื่อผู้ใช้ somchai อยู่แล้ว"))
            _ = try await admin.get("/admin/users")
            #expect(try await admin.post("/admin/users", [("username", "x"), ("display_name", ""), ("agency", ""), ("role", "division"), ("method", "password")]).status == .unprocessableContent)
            #expect(admin.lastBody.contains("ชื่อผู้ใช้ต้องยาว 3–40 ตัว") && admin.lastBody.contains("กรุณากรอกชื่อ-นามสกุล"))

            // The new officer must choose a password before anything else; two sessions, one change.
            var first = Browser(client)
            let signIn = try await first.signIn("somchai", password: temporary)
            #expect(signIn.headers[.location] == "/account")
            var second = Browser(client)
            _ = try await second.signIn("somchai", password: temporary)
            #expect(try await first.get("/agencies/banpong/2566").headers[.location] == "/account")
            _ = try await first.get("/account")
            #expect(first.lastBody.contains(#"data-testid="must-change""#))
            for (weak, message) in [("short1", "อย่างน้อย 12"), ("password1234", "ถูกใช้บ่อย"), ("somchai-2566-x", "ต้องไม่มีชื่อผู้ใช้")] {
                #expect(try await first.post("/account/password", [("current", temporary), ("new", weak), ("again", weak)]).status == .unprocessableContent)
                #expect(first.lastBody.contains(message), "\(weak)")
            }
            #expect(try await first.post("/account/password", [("current", "wrong"), ("new", "ต้นไม้ใบเขียว 2567"), ("again", "ต้นไม้ใบเขียว 2567")]).status == .unprocessableContent)
            #expect(try await first.post("/account/password", [("current", temporary), ("new", "ต้นไม้ใบเขียว 2567"), ("again", "ต้นไม้ใบเขียว 2567")]).status == .seeOther)
            #expect(try await first.get("/agencies/banpong/2566").status == .ok, "the changing session stays")
            #expect(try await second.get("/agencies/banpong/2566").status == .seeOther, "every other session ended")
            var third = Browser(client)
            #expect(try await third.signIn("somchai", password: temporary).status == .unauthorized)

            // The officer creates division staff in the own agency only, never an officer or admin.
            let palad = try #require(try await repositories.agencies.divisions(agencyID: world.banpong.id, logger: testLogger).first { $0.code == "palad" })
            _ = try await first.get("/agencies/banpong/people")
            #expect(try await first.post("/agencies/banpong/people", [("username", "staff1"), ("display_name", "เจ้าหน้าที่หนึ่ง"), ("role", "division"), ("division", palad.id), ("method", "password")]).status == .ok)
            #expect(first.temporaryPassword != nil)
            _ = try await first.get("/agencies/banpong/people")
            #expect(try await first.post("/agencies/banpong/people", [("username", "boss2"), ("display_name", "หัวหน้า"), ("role", "officer"), ("method", "password")]).status == .unprocessableContent)
            #expect(first.lastBody.contains("ท่านให้บทบาทนี้ไม่ได้"))
            _ = try await first.get("/agencies/banpong/people")
            #expect(try await first.post("/agencies/banpong/people", [("username", "boss3"), ("display_name", "หัวหน้า"), ("role", "admin"), ("method", "password")]).status == .unprocessableContent)
            _ = try await first.get("/agencies/banpong/people")
            #expect(try await first.post("/agencies/muang/people", [("username", "spy"), ("display_name", "สายลับ"), ("role", "division"), ("method", "password")]).status == .notFound)
            _ = try await first.get("/agencies/banpong/people")
            #expect(try await first.post("/admin/users", [("username", "spy2"), ("display_name", "สายลับ"), ("role", "admin"), ("agency", ""), ("method", "password")]).status == .notFound)
            for name in ["boss2", "boss3", "spy", "spy2"] { #expect(try await repositories.users.find(username: name, logger: testLogger) == nil, "\(name)") }
            // An officer cannot deactivate another officer or the administrator.
            let officer = try #require(try await repositories.users.find(username: "officer", logger: testLogger))
            _ = try await first.get("/agencies/banpong/people")
            #expect(try await first.post("/agencies/banpong/people/\(officer.id)", [("action", "deactivate")]).status == .forbidden)
            // Deactivating ends that user's sessions at once.
            var staffSession = Browser(client)
            let staff = try #require(try await repositories.users.find(username: "staff1", logger: testLogger))
            try await repositories.users.setPassword(userID: staff.id, passwordHash: try await Accounts.hash("ทดสอบรหัสผ่านยาว", cost: 4), mustChange: false, keeping: nil, by: .system, logger: testLogger)
            _ = try await staffSession.signIn("staff1", password: "ทดสอบรหัสผ่านยาว")
            #expect(try await staffSession.get("/agencies").status == .ok)
            _ = try await first.get("/agencies/banpong/people")
            #expect(try await first.post("/agencies/banpong/people/\(staff.id)", [("action", "deactivate")]).status == .seeOther)
            #expect(try await staffSession.get("/agencies").status == .seeOther)

            // The last active administrator can be neither deactivated nor demoted.
            let adminUser = try #require(try await repositories.users.find(username: "admin", logger: testLogger))
            _ = try await admin.get("/admin/users/\(adminUser.id)")
            #expect(try await admin.post("/admin/users/\(adminUser.id)", [("action", "deactivate")]).status == .unprocessableContent)
            #expect(admin.lastBody.contains("ผู้ดูแลระบบคนสุดท้าย"))
            let key = "-|admin|-"
            _ = try await admin.get("/admin/users/\(adminUser.id)")
            #expect(try await admin.post("/admin/users/\(adminUser.id)", [("action", "remove-role"), ("grant", key)]).status == .unprocessableContent)
            #expect(try await repositories.users.activeAdministrators(logger: testLogger) == 1)
            #expect(try await repositories.users.find(username: "admin", logger: testLogger)?.active == true)

            // An invitation link sets the password once, within 72 hours.
            _ = try await admin.get("/admin/users")
            #expect(try await admin.post("/admin/users", [("username", "invited"), ("display_name", "ผู้ได้รับเชิญ"), ("agency", world.banpong.id), ("role", "viewer"), ("method", "invite")]).status == .ok)
            let link = try #require(admin.invitationLink)
            var guest = Browser(client)
            #expect(try await guest.get(link).status == .ok)
            #expect(try await guest.post(link, [("new", "short"), ("again", "short")]).status == .unprocessableContent)
            #expect(try await guest.post(link, [("new", "ดอกไม้บานสะพรั่ง"), ("again", "ดอกไม้บานสะพรั่ง")]).status == .seeOther)
            #expect(try await guest.get(link).status == .notFound, "a link works once")
            var invitee = Browser(client)
            #expect(try await invitee.signIn("invited", password: "ดอกไม้บานสะพรั่ง").status == .seeOther)
        }
    }

    @Test("a new fiscal year: chosen framework, assignments and open measures carried forward, twice refused", arguments: TestEngine.available)
    func newYear(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies/banpong/new-year")
            #expect(officer.lastBody.contains(#"value="2567""#), "the year after the latest is suggested")
            // Leave one measure open in 2566 to see it carried.
            var measure = try #require(try await repositories.improvement.measures(assessmentID: world.assessment.id, logger: testLogger).first)
            measure.status = .inProgress
            try await repositories.improvement.saveMeasure(world.assessment, measure, by: .system, logger: testLogger)
            #expect(try await officer.post("/agencies/banpong/new-year", [("year", "๒๕๖๗"), ("framework", "ita-2566"), ("copy", "responsible"), ("copy", "assignments"), ("copy", "measures")]).status == .seeOther)
            let next = try #require(try await repositories.assessments.find(agencyID: world.banpong.id, fiscalYear: 2567, logger: testLogger))
            #expect(next.frameworkID == "ita-2566")
            let assignments = try await repositories.evidence.assignments(assessmentID: next.id, logger: testLogger)
            #expect(!assignments.isEmpty && assignments.allSatisfy { $0.dueOn == nil })
            let items = try await repositories.assessments.items(assessmentID: next.id, logger: testLogger)
            #expect(items.contains { !$0.divisionIDs.isEmpty } && items.allSatisfy { $0.passed == nil })
            let measures = try await repositories.improvement.measures(assessmentID: next.id, logger: testLogger)
            #expect(measures.count == 1 && measures[0].title == measure.title && measures[0].start == FiscalYear(2567).start)
            #expect(try await officer.get("/agencies/banpong/2567").status == .ok)
            _ = try await officer.get("/agencies/banpong/new-year")
            #expect(try await officer.post("/agencies/banpong/new-year", [("year", "2567"), ("framework", "ita-2566")]).status == .unprocessableContent)
            #expect(officer.lastBody.contains("เริ่มปีงบประมาณ 2567 ไปแล้ว"))
            _ = try await officer.get("/agencies/banpong/new-year")
            #expect(try await officer.post("/agencies/banpong/new-year", [("year", "2568"), ("framework", "no-such")]).status == .unprocessableContent)
            #expect(officer.lastBody.contains("กรุณาเลือกกรอบการประเมิน"))
            // A viewer, a division staffer and another agency's officer cannot start a year.
            for (username, status) in [("viewer", HTTPResponse.Status.forbidden), ("palad", .forbidden), ("muang-officer", .notFound)] {
                var browser = Browser(client)
                _ = try await browser.signIn(username)
                _ = try await browser.get("/agencies")
                #expect(try await browser.post("/agencies/banpong/new-year", [("year", "2569"), ("framework", "ita-2566")]).status == status, "\(username)")
            }
            #expect(try await repositories.assessments.find(agencyID: world.banpong.id, fiscalYear: 2569, logger: testLogger) == nil)
        }
    }
}

@Suite("frameworks as data", .serialized)
struct FrameworkAdminWebTests {
    /// A 26-item OIT list made up here: 9.1 (O1–O10), 9.2 (O11–O20, one topic), 10.1 (O21–O26).
    static func sheet26(dropSubindicatorAt: Int? = nil) -> String {
        var rows = [OITSheet.columns]
        for n in 1...26 {
            let (indicator, sub) = n <= 10 ? ("9", "9.1") : n <= 20 ? ("9", "9.2") : ("10", "10.1")
            rows.append([indicator, indicator == "9" ? "การเปิดเผยข้อมูล" : "การป้องกันการทุจริต", n == dropSubindicatorAt ? "" : sub, "ตัวชี้วัดย่อย \(sub)",
                         n > 10 && n <= 20 ? "การดำเนินงาน" : "", "O\(n)", "ข้อมูลข้อที่ \(n)", "องค์ประกอบแรกของข้อ \(n)\nองค์ประกอบที่สองของข้อ \(n)"])
        }
        return CSV.write(rows)
    }

    @Test("framework files and OIT sheets: errors with their paths in Thai, nothing stored; a 26-item year runs end to end", arguments: TestEngine.available)
    func frameworks(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            _ = try await admin.get("/admin/frameworks")
            #expect(admin.lastBody.contains("ita-2566"))
            // A broken weight: refused with its JSON path.
            var broken = try #require(try Fixtures.framework().document.objectValue)
            broken["id"] = "ita-2570-broken"
            var tools = try #require(broken["tools"]?.arrayValue)
            var first = try #require(tools[0].objectValue)
            first["weight"] = .number(Fixtures.decimal("0.5"))
            tools[0] = .object(first)
            broken["tools"] = .array(tools)
            let bad = try await admin.upload("/admin/frameworks", fields: [("kind", "file")], files: [("file", "broken.json", Array(JSONValue.object(broken).serialized().utf8))])
            #expect(bad.status == .unprocessableContent)
            #expect(admin.lastBody.contains("$.tools") && admin.lastBody.contains("น้ำหนักรวมต้องเท่ากับ 1"))
            #expect(try await repositories.frameworks.all(logger: testLogger).isEmpty)
            // The built-in id is refused too: a framework in use never changes.
            _ = try await admin.get("/admin/frameworks")
            let same = try await admin.upload("/admin/frameworks", fields: [("kind", "file")], files: [("file", "same.json", Array(try Fixtures.framework().document.serialized().utf8))])
            #expect(same.status == .unprocessableContent && admin.lastBody.contains("มีกรอบการประเมินรหัส ita-2566 อยู่แล้ว"))
            // An OIT sheet with a missing sub-indicator: the row is named, nothing stored.
            _ = try await admin.get("/admin/frameworks")
            let missing = try await admin.upload("/admin/frameworks", fields: [("kind", "sheet"), ("base", "ita-2566"), ("id", "ita-2570"), ("year", "2570")],
                                                 files: [("file", "oit.csv", Array(Self.sheet26(dropSubindicatorAt: 7).utf8))])
            #expect(missing.status == .unprocessableContent)
            #expect(admin.lastBody.contains("แถวที่ 8 คอลัมน์ subindicator: ไม่ได้กรอกตัวชี้วัดย่อย"))
            #expect(try await repositories.frameworks.all(logger: testLogger).isEmpty)
            // The template downloads; the good sheet makes ita-2570.
            #expect(try await admin.get("/admin/frameworks/oit-template.csv").status == .ok)
            #expect(admin.lastBody.contains("indicator,indicator_name,subindicator"))
            _ = try await admin.get("/admin/frameworks")
            let made = try await admin.upload("/admin/frameworks", fields: [("kind", "sheet"), ("base", "ita-2566"), ("id", "ita-2570"), ("year", "๒๕๗๐")],
                                              files: [("file", "oit.csv", Array(Self.sheet26().utf8))])
            #expect(made.status == .seeOther)
            let stored = try #require(try await repositories.frameworks.find(id: "ita-2570", logger: testLogger))
            #expect(stored.fiscalYear == 2570)
            // An ITA officer may import (it only adds a choice); a viewer or division staffer never reaches the page.
            var officer = Browser(client)
            _ = try await officer.signIn("muang-officer")
            #expect(try await officer.get("/admin/frameworks").status == .ok)
            for username in ["viewer", "palad", "assessor"] {
                var other = Browser(client)
                _ = try await other.signIn(username)
                #expect(try await other.get("/admin/frameworks").status == .notFound, "\(username)")
                _ = try await other.get("/agencies")
                #expect(try await other.upload("/admin/frameworks", fields: [("kind", "file")], files: [("file", "x.json", Array("{}".utf8))]).status == .notFound)
            }

            // A full year on the 26-item framework: start, survey, items, score, documents.
            _ = try await officer.get("/agencies/muang/new-year")
            #expect(officer.lastBody.contains("ita-2570"))
            #expect(try await officer.post("/agencies/muang/new-year", [("year", "2570"), ("framework", "ita-2570")]).status == .seeOther)
            _ = try await officer.get("/agencies/muang/2570/items")
            #expect(officer.lastBody.components(separatedBy: #"<tr id="O"#).count - 1 == 26)
            #expect(officer.lastBody.contains(#"<tr class="topic"><th scope="colgroup" colspan="5">การดำเนินงาน</th></tr>"#))
            let path = try await officer.openSurvey("eit1", population: "40", assessment: "/agencies/muang/2570")
            for _ in 0..<5 {
                var person = Browser(client)
                _ = try await person.get(path)
                #expect(try await person.send(.post, path, form: [("submission", person.submissionID!)] + (try answers("eit1"))).status == .seeOther)
            }
            #expect(try await releasePending(repositories) == 5)
            _ = try await officer.get("/agencies/muang/2570/results")
            #expect(try await officer.post("/agencies/muang/2570/results", [("iit", "90"), ("eit1", "90"), ("eit2", "90")]).status == .seeOther)
            for n in 1...26 {
                _ = try await officer.get("/agencies/muang/2570/items")
                let result = n == 26 ? "fail" : "pass"
                #expect(try await officer.post("/agencies/muang/2570/item-results", [("item", "O\(n)"), ("result", result), ("reason", n == 26 ? "ไม่พบรายงาน" : ""),
                                                                                      ("source", "https://itas.example/2570/muang")]).status == .seeOther, "O\(n)")
            }
            // OIT = mean(indicator 9 = 100, indicator 10 = 5/6 of 100) = 91.666…; ITA = 27 + 27 + 36.666… = 90.67.
            _ = try await officer.get("/agencies/muang/2570")
            #expect(officer.lastBody.contains(#"data-testid="ita-score">90.67<"#))
            #expect(officer.lastBody.contains("91.67"))
            let print = try await officer.get("/agencies/muang/2570/documents/print")
            #expect(print.status == .ok)
            #expect(officer.lastBody.contains(">O26<") && officer.lastBody.contains("90.67"))
            #expect(world.other.code == "muang")
        }
    }
}
