import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
@testable import ProngsaiWeb
import SQLKit
import Testing
import TestSupport

/// The open API (issue 16): tokens made on the signed-in page, scoped to agencies and revocable; the writes
/// change what the pages show; bad input is a 400 with the error body; the document is served as it is.
@Suite("open API over a real HTTP server", .serialized)
struct APIWebTests {
    static let tokenPattern = #"prongsai_[0-9a-f]{64}"#

    /// Makes a token on `/account/tokens` as the signed-in browser; returns the token shown once.
    static func makeToken(_ browser: inout Browser, name: String, agencies: [String]) async throws -> String {
        _ = try await browser.get("/account/tokens")
        let made = try await browser.post("/account/tokens", [("name", name)] + agencies.map { ("agency", $0) })
        #expect(made.status == .ok)
        #expect(browser.lastBody.contains("data-testid=\"new-token\""))
        let range = try #require(browser.lastBody.range(of: tokenPattern, options: .regularExpression))
        return String(browser.lastBody[range])
    }

    static func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil,
                     contentType: String = "application/json") async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer " + token }
        if json != nil { headers[.contentType] = contentType }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return (response.status, String(buffer: response.body), response.headers)
    }

    /// The error body every API error has: status, Thai and English.
    static func error(_ body: String) -> (status: Int, th: String, en: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], object.count == 1,
              let error = object["error"] as? [String: Any], error.count == 3,
              let status = error["status"] as? Int, let th = error["th"] as? String, let en = error["en"] as? String, !th.isEmpty, !en.isEmpty
        else { return nil }
        return (status, th, en)
    }

    static func json(_ body: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("a token made on the page works, acts only for its agencies, is kept only as a hash, and is refused at once when revoked",
          arguments: TestEngine.available)
    func tokens(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/account")
            #expect(officer.lastBody.contains("href=\"/account/tokens\""))
            let page = try await officer.get("/account/tokens")
            #expect(page.status == .ok)
            #expect(officer.lastBody.contains("โทเค็น API") && officer.lastBody.contains("value=\"\(world.banpong.id)\""))
            #expect(!officer.lastBody.contains("value=\"\(world.other.id)\""), "only agencies where the person is the ITA officer")
            // An agency where the person is not the officer is refused whole; a nameless token is asked again.
            let foreign = try await officer.post("/account/tokens", [("name", "x"), ("agency", world.banpong.id), ("agency", world.other.id)])
            #expect(foreign.status == .forbidden)
            _ = try await officer.get("/account/tokens")
            let nameless = try await officer.post("/account/tokens", [("name", "  "), ("agency", world.banpong.id)])
            #expect(nameless.status == .unprocessableContent)
            #expect(try await repositories.apiTokens.active(userID: try #require(try await repositories.users.find(username: "officer", logger: testLogger)).id,
                                                            logger: testLogger).isEmpty)
            // Without CSRF, nothing is made.
            let forged = try await officer.send(.post, "/account/tokens", form: [("name", "forged"), ("agency", world.banpong.id)])
            #expect(forged.status == .forbidden)

            let token = try await Self.makeToken(&officer, name: "ระบบสารบรรณ", agencies: [world.banpong.id])
            _ = try await officer.get("/account/tokens")
            #expect(!officer.lastBody.contains(token), "shown once only")
            #expect(officer.lastBody.contains(String(token.prefix(15))) && officer.lastBody.contains("ระบบสารบรรณ"))

            // At rest: the SHA-256 of the token and a hint, never the token.
            let rows = try await repositories.database.sql.raw("SELECT * FROM api_tokens").all()
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            let hash = NumberText.hex(SHA256.hash(data: Data(token.utf8)))
            #expect(try row.decode(column: "token_hash", as: String.self) == hash)
            #expect(try row.decode(column: "hint", as: String.self) == String(token.prefix(15)))
            for column in row.allColumns {
                if let text = try? row.decode(column: column, as: String.self) { #expect(!text.contains(String(token.dropFirst(15).prefix(16))), "column \(column)") }
            }
            let audit = try await repositories.database.sql.raw("SELECT action, detail FROM audit_log WHERE entity = 'api-token'").all()
            #expect(try audit.map { try $0.decode(column: "action", as: String.self) } == ["create"])
            #expect(try audit.allSatisfy { !(try $0.decode(column: "detail", as: String.self)).contains(String(token.dropFirst(15))) })

            // The token works and says what it may do; the day it was used is listed.
            let me = try await Self.call(client, .get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            let meBody = Self.json(me.body)
            #expect(meBody["username"] as? String == "officer")
            let scopes = meBody["agencies"] as? [[String: Any]] ?? []
            #expect(scopes.map { $0["code"] as? String } == ["banpong"] && scopes.first?["canWrite"] as? Bool == true)
            _ = try await officer.get("/account/tokens")
            #expect(officer.lastBody.contains("data-testid=\"token-last-used\">15 มี.ค. 2566<"))

            // Scoped: another agency is refused (403) and nothing is written there.
            let other = try await Self.call(client, .put, "/api/v1/agencies/muang/years/2566/scores/eit2", token: token, json: #"{"score":"90"}"#)
            #expect(other.status == .forbidden && Self.error(other.body)?.status == 403)
            #expect(try await repositories.assessments.results(assessmentID: world.otherAssessment.id, logger: testLogger).isEmpty)
            let mine = try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/scores/eit2", token: token, json: #"{"score":"81.73"}"#)
            #expect(mine.status == .ok)

            // Another person cannot revoke it; its owner can, and it is refused from the next request on.
            let id = try row.decode(column: "id", as: String.self)
            var other2 = Browser(client)
            _ = try await other2.signIn("muang-officer")
            _ = try await other2.get("/account/tokens")
            #expect(try await other2.post("/account/tokens/\(id)/revoke", []).status == .notFound)
            #expect(try await Self.call(client, .get, "/api/v1/me", token: token).status == .ok)
            _ = try await officer.get("/account/tokens")
            let revoked = try await officer.post("/account/tokens/\(id)/revoke", [])
            #expect(revoked.status == .seeOther)
            let after = try await Self.call(client, .get, "/api/v1/me", token: token)
            #expect(after.status == .unauthorized && Self.error(after.body)?.status == 401)
            #expect(after.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let write = try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/scores/eit2", token: token, json: #"{"score":"50"}"#)
            #expect(write.status == .unauthorized)
            #expect(try await Self.call(client, .get, "/api/v1/me").status == .unauthorized, "no token")
            #expect(try await Self.call(client, .get, "/api/v1/me", token: "prongsai_" + String(repeating: "0", count: 64)).status == .unauthorized)
            let actions = try await repositories.database.sql.raw("SELECT action FROM audit_log WHERE entity = 'api-token' ORDER BY at").all()
            #expect(try actions.map { try $0.decode(column: "action", as: String.self) } == ["create", "revoke"])

            // A session cookie never acts on the API (no CSRF there, so no cookie either).
            let cookieOnly = try await officer.send(.put, "/api/v1/agencies/banpong/years/2566/scores/eit2", headers: [.contentType: "application/json"])
            #expect(cookieOnly.status == .unauthorized || cookieOnly.status == .badRequest)
            #expect(try await officer.send(.get, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test("a token acts only while its owner is the officer; someone who is not an officer gets no token", arguments: TestEngine.available)
    func roles(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            // Officer of both agencies, with a token for one.
            let hash = try #require(try await repositories.users.find(username: "officer", logger: testLogger)).passwordHash
            let both = User(username: "two-agencies", displayName: "เจ้าหน้าที่สองแห่ง", passwordHash: hash)
            try await repositories.users.create(both, grants: [RoleGrant(userID: both.id, agencyID: world.banpong.id, role: .officer),
                                                              RoleGrant(userID: both.id, agencyID: world.other.id, role: .officer)],
                                                by: AuditActor.system, logger: testLogger)
            var browser = Browser(client)
            _ = try await browser.signIn("two-agencies")
            let token = try await Self.makeToken(&browser, name: "muang only", agencies: [world.other.id])
            let refused = try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/scores/eit2", token: token, json: #"{"score":"90"}"#)
            #expect(refused.status == .forbidden, "the token does not name Ban Pong, though its owner is the officer there")
            #expect(try await Self.call(client, .put, "/api/v1/agencies/muang/years/2566/scores/eit2", token: token, json: #"{"score":"90"}"#).status == .ok)
            // The role taken away: refused at once.
            try await repositories.users.replaceGrants(userID: both.id, scope: [world.other.id], with: [RoleGrant(userID: both.id, agencyID: world.other.id, role: .viewer)],
                                                       by: AuditActor.system, logger: testLogger)
            let gone = try await Self.call(client, .put, "/api/v1/agencies/muang/years/2566/scores/eit2", token: token, json: #"{"score":"91"}"#)
            #expect(gone.status == .forbidden && Self.error(gone.body)?.en.contains("no longer") == true)
            #expect((Self.json(try await Self.call(client, .get, "/api/v1/me", token: token).body)["agencies"] as? [[String: Any]])?.first?["canWrite"] as? Bool == false)
            // A deactivated owner: the token is refused.
            try await repositories.users.setActive(userID: both.id, active: false, by: AuditActor.system, logger: testLogger)
            #expect(try await Self.call(client, .get, "/api/v1/me", token: token).status == .unauthorized)

            // Not an officer anywhere: the page says so, and a token cannot be made.
            var viewer = Browser(client)
            _ = try await viewer.signIn("viewer")
            _ = try await viewer.get("/account/tokens")
            #expect(viewer.lastBody.contains("data-testid=\"not-officer\""))
            #expect(try await viewer.post("/account/tokens", [("name", "x"), ("agency", world.banpong.id)]).status == .forbidden)
            // Signed out: the page sends to sign-in.
            var anonymous = Browser(client)
            #expect(try await anonymous.get("/account/tokens").status == .seeOther)
        }
    }

    @Test("the writes change what the pages show: an OIT answer on the item page and the items sheet, a published score on the dashboard",
          arguments: TestEngine.available)
    func writes(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let token = try await Self.makeToken(&officer, name: "sync", agencies: [world.banpong.id])
            let answer = try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/items/O13/answer", token: token,
                                             json: #"{"links":["https://www.banpong.go.th/ita/o13-2566"],"explanation":"รายงานผลการดำเนินงานประจำปี 2566 ฉบับเต็ม","components":[0]}"#)
            #expect(answer.status == .ok)
            let stored = Self.json(answer.body)
            #expect(stored["has"] as? Bool == true && stored["revision"] as? Int == 1 && stored["item"] as? String == "O13")
            _ = try await officer.get("/agencies/banpong/2566/items/O13")
            #expect(officer.lastBody.contains("https://www.banpong.go.th/ita/o13-2566"))
            #expect(officer.lastBody.contains("รายงานผลการดำเนินงานประจำปี 2566 ฉบับเต็ม"))
            let sheet = try await officer.get("/agencies/banpong/2566/items.csv")
            #expect(sheet.status == .ok)
            // The columns the national system asks for: has it or not, and the explanation (the last two).
            let o13 = try #require(try CSV.parse(officer.lastBody).first { $0.first == "O13" })
            #expect(Array(o13.suffix(2)) == ["มี", "รายงานผลการดำเนินงานประจำปี 2566 ฉบับเต็ม"])
            // "Has not": no link; the explanation says why.
            let hasNot = try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/items/O13/answer", token: token,
                                             json: #"{"links":[],"explanation":"ยังไม่ได้จัดทำ","components":[]}"#)
            #expect(Self.json(hasNot.body)["has"] as? Bool == false && Self.json(hasNot.body)["revision"] as? Int == 2)
            _ = try await officer.get("/agencies/banpong/2566/items.csv")
            #expect(try CSV.parse(officer.lastBody).first { $0.first == "O13" }.map { Array($0.suffix(2)) } == ["ไม่มี", "ยังไม่ได้จัดทำ"])
            // Who did it: the officer, through the token.
            let entries = try await repositories.audit.entries(entityID: "\(world.assessment.id)/O13", logger: testLogger)
            #expect(entries.contains { $0.actor.hasPrefix("officer (API prongsai_") })

            // A published score: the dashboard's ITA moves (EIT part 2 81.73 → 90.5: EIT 92.73, ITA 96.665 → 96.67).
            let score = try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/scores/eit2", token: token, json: #"{"score":"90.5"}"#)
            #expect(score.status == .ok && Self.json(score.body)["score"] as? String == "90.5")
            _ = try await officer.get("/agencies/banpong/2566")
            #expect(officer.lastBody.contains(#"data-testid="ita-score">96.67<"#))
            _ = try await officer.get("/agencies/banpong/2566/results")
            #expect(officer.lastBody.contains("value=\"90.5\""))
            let indicator = try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/scores/ind:9.2", token: token, json: #"{"score":"100"}"#)
            #expect(indicator.status == .ok)
            #expect(try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/scores/nothing", token: token, json: #"{"score":"1"}"#).status == .notFound)
            #expect(try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2566/items/O99/answer", token: token,
                                        json: #"{"links":[],"explanation":"","components":[]}"#).status == .notFound)
            #expect(try await Self.call(client, .put, "/api/v1/agencies/banpong/years/2599/items/O1/answer", token: token,
                                        json: #"{"links":[],"explanation":"","components":[]}"#).status == .notFound)
            #expect(try await Self.call(client, .put, "/api/v1/agencies/nowhere/years/2566/items/O1/answer", token: token,
                                        json: #"{"links":[],"explanation":"","components":[]}"#).status == .notFound)
        }
    }

    @Test("bad JSON, wrong types, unknown fields and values outside the document are 400 with the error body, never a 500",
          arguments: TestEngine.available)
    func badInput(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let token = try await Self.makeToken(&officer, name: "fuzz", agencies: [world.banpong.id])
            let score = "/api/v1/agencies/banpong/years/2566/scores/eit2"
            let answer = "/api/v1/agencies/banpong/years/2566/items/O1/answer"
            let cases: [(String, String, String)] = [
                (score, #"{"score":"#, "bad JSON"),
                (score, #"{"score":81.73}"#, "a number where the document says text"),
                (score, #"{"score":"81.73","extra":1}"#, "an unknown field"),
                (score, #"{}"#, "a missing field"),
                (score, #"{"score":"101"}"#, "over 100"),
                (score, #"{"score":"81.735"}"#, "three decimals"),
                (score, #"{"score":"๘๑"}"#, "Thai digits (the page takes them; the API takes the document's form)"),
                (score, #"[1,2]"#, "an array"),
                (answer, #"{"links":"https://a.b","explanation":"","components":[]}"#, "links not a list"),
                (answer, #"{"links":["javascript:alert(1)"],"explanation":"","components":[]}"#, "not a web link"),
                (answer, #"{"links":[],"explanation":"","components":null}"#, "null where a list is required"),
                (answer, #"{"links":[],"explanation":""}"#, "components missing"),
                (answer, #"{"links":[],"explanation":"","components":[-1]}"#, "a negative component"),
                (answer, #"{"links":[],"explanation":"","components":[1.5]}"#, "a fraction"),
                (answer, "{\"links\":[],\"components\":[],\"explanation\":\"" + String(repeating: "ก", count: 20_001) + "\"}", "too long"),
                ("/api/v1/agencies/BAD!/years/2566/scores/eit2", #"{"score":"1"}"#, "a malformed agency code"),
                ("/api/v1/agencies/banpong/years/1999/scores/eit2", #"{"score":"1"}"#, "a year outside the range"),
                ("/api/v1/agencies/banpong/years/two/scores/eit2", #"{"score":"1"}"#, "a year that is not a number"),
            ]
            for (path, body, what) in cases {
                let response = try await Self.call(client, .put, path, token: token, json: body)
                #expect(response.status == .badRequest, "\(what): \(response.status)")
                #expect(Self.error(response.body)?.status == 400, "\(what): \(response.body.prefix(200))")
            }
            let form = try await Self.call(client, .put, score, token: token, json: "score=1", contentType: "application/x-www-form-urlencoded")
            #expect(form.status == .unsupportedMediaType && Self.error(form.body)?.status == 415)
            let huge = try await Self.call(client, .put, answer, token: token,
                                           json: "{\"links\":[],\"components\":[],\"explanation\":\"" + String(repeating: "a", count: 1_100_000) + "\"}")
            #expect(huge.status == .contentTooLarge && Self.error(huge.body)?.status == 413)
            let empty = try await client.execute(uri: score, method: .put, headers: [.authorization: "Bearer " + token])
            #expect(empty.status == .badRequest && Self.error(String(buffer: empty.body)) != nil)
            #expect(try await Self.call(client, .get, "/api/v1/rounds/not-a-round/results").status == .badRequest)
            #expect(try await Self.call(client, .get, "/api/v1/agencies/banpong/years/2566/transparency?lang=xx").status == .ok,
                    "lang belongs to the round results only; unknown query fields are ignored")
            #expect(try await Self.call(client, .get, "/api/v1/rounds/00000000-0000-0000-0000-000000000000/results?lang=xx").status == .badRequest)
            // Nothing changed.
            let results = try await repositories.assessments.results(assessmentID: world.assessment.id, logger: testLogger)
            #expect(results.first { $0.key == "eit2" }?.score == Fixtures.decimal("81.73"))
            #expect(try await repositories.evidence.revisions(assessmentID: world.assessment.id, itemID: "O1", logger: testLogger).isEmpty)
            // A method the path does not take.
            let delete = try await Self.call(client, .delete, score, token: token)
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow]?.contains("PUT") == true && Self.error(delete.body)?.status == 405)
            let unknown = try await Self.call(client, .get, "/api/v1/nothing")
            #expect(unknown.status == .notFound && Self.error(unknown.body)?.status == 404)
        }
    }

    @Test("public reads: a round's results as its page computes them, the transparency page, the O29 statistics as the CSV publishes them; 404 as JSON",
          arguments: TestEngine.available)
    func reads(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            let round = AssessmentRound(fiscalYear: 2566, frameworkID: "ita-2566", title: "ITA 2566 ทดสอบ")
            try await repositories.rounds.create(round, by: AuditActor.system, logger: testLogger)
            _ = try await repositories.rounds.add(codes: ["banpong", "muang"], to: round, by: AuditActor.system, logger: testLogger)
            let api = try await Self.call(client, .get, "/api/v1/rounds/\(round.id)/results")
            #expect(api.status == .ok && api.headers[.accessControlAllowOrigin] == "*")
            let page = try await Self.call(client, .get, "/results/\(round.id).json")
            let (a, p) = (Self.json(api.body), Self.json(page.body))
            let ranking = a["ranking"] as? [[String: Any]] ?? []
            #expect(ranking.count == 1, "the town has no score yet")
            #expect(ranking.first?["code"] as? String == "banpong" && ranking.first?["score"] as? Double == 95.35 && ranking.first?["level"] as? String != nil)
            #expect(ranking.map { $0["code"] as? String } == (p["ranking"] as? [[String: Any]] ?? []).map { $0["code"] as? String })
            let nation = a["nation"] as? [String: Any] ?? [:]
            let pageNation = p["nation"] as? [String: Any] ?? [:]
            for key in ["agencies", "scored", "passed", "histogram"] { #expect("\(nation[key] ?? "")" == "\(pageNation[key] ?? "")", "\(key)") }
            #expect(nation["average"] as? Double == pageNation["average"] as? Double)
            #expect(Set((a["byProvince"] as? [String: Any] ?? [:]).keys) == Set((p["byProvince"] as? [String: Any] ?? [:]).keys))
            let english = Self.json(try await Self.call(client, .get, "/api/v1/rounds/\(round.id)/results?lang=en").body)
            #expect((english["ranking"] as? [[String: Any]])?.first?["name"] as? String == "Ban Pong Subdistrict Administrative Organization")

            let missing = try await Self.call(client, .get, "/api/v1/rounds/00000000-0000-0000-0000-000000000000/results")
            #expect(missing.status == .notFound && Self.error(missing.body)?.status == 404 && missing.headers[.accessControlAllowOrigin] == "*")
            #expect(try await Self.call(client, .get, "/api/v1/agencies/nowhere/years/2566/transparency").status == .notFound)
            #expect(try await Self.call(client, .get, "/api/v1/agencies/banpong/years/2599/transparency").status == .notFound)
            #expect(try await Self.call(client, .get, "/api/v1/agencies/nowhere/years/2566/complaint-statistics").status == .notFound)

            let transparency = try await Self.call(client, .get, "/api/v1/agencies/banpong/years/2566/transparency")
            #expect(transparency.status == .ok && transparency.headers[.accessControlAllowOrigin] == "*")
            let t = Self.json(transparency.body)
            let items = t["items"] as? [[String: Any]] ?? []
            #expect(items.count == 43 && items.first?["id"] as? String == "O1")
            let pageItems = Self.json(try await Self.call(client, .get, "/t/banpong/2566.json").body)["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["links"] as? [String] ?? [] } == pageItems.map { $0["links"] as? [String] ?? [] })
            #expect(items.map { $0["published"] as? Bool == true } == pageItems.map { $0["updated"] is String })

            // O29: the same covered cells as the CSV, month by month.
            try await seedComplaints(repositories, agency: world.banpong)
            let stats = try await Self.call(client, .get, "/api/v1/agencies/banpong/years/2566/complaint-statistics")
            #expect(stats.status == .ok)
            let s = Self.json(stats.body)
            let rows = s["rows"] as? [[String: Any]] ?? []
            #expect(rows.count == 12 * ComplaintCategory.allCases.count)
            _ = try await Self.call(client, .get, "/report/banpong/statistics.csv?year=2566")
            let csv = try CSV.parse(try await Self.call(client, .get, "/report/banpong/statistics.csv?year=2566").body)
            let columns = ["received", "inProgress", "concluded", "forwarded", "notAccepted"]
            for (row, line) in zip(rows, csv.dropFirst()) {
                let cells = row["cells"] as? [String: String] ?? [:]
                #expect(row["month"] as? String == line[0] && row["category"] as? String == line[2])
                #expect(columns.map { cells[$0] ?? "" } == Array(line[4...8]))
            }
            let total = s["total"] as? [String: String] ?? [:]
            #expect(columns.map { total[$0] ?? "" } == Array(try #require(csv.last)[4...8]))
            #expect(rows.contains { ($0["cells"] as? [String: String] ?? [:]).values.contains("<3") }, "small figures are covered")
        }
    }

    /// Three bribery cases in October 2022 (FY2566): one concluded with an outcome, two still open.
    func seedComplaints(_ repositories: Repositories, agency: Agency) async throws {
        let october = "2022-10-12"
        for (index, status) in ["concluded", "received", "received"].enumerated() {
            try await repositories.database.sql.raw("""
                INSERT INTO complaints (id, agency_id, receipt_hash, category, status, received_on, status_since, named, details, outcome_noted)
                VALUES (\(bind: "c\(index)"), \(bind: agency.id), \(bind: "h\(index)"), 'bribery', \(bind: status), \(bind: october), \(bind: october), 0, '', \(bind: index == 0 ? 1 : 0))
                """).run()
        }
    }

    @Test("the document is served as the repository holds it, and the handlers check the patterns it states", arguments: [TestEngine.sqlite])
    func document(engine: TestEngine) async throws {
        try await withApp(engine) { client, _, _ in
            let file = try Data(contentsOf: Fixtures.packageRoot.appendingPathComponent("Sources/ProngsaiAPI/openapi.yaml"))
            let response = try await client.execute(uri: "/api/openapi.yaml", method: .get)
            #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            #expect(Data(buffer: response.body) == file)
            let text = String(decoding: file, as: UTF8.self)
            for pattern in [APIInput.roundID, APIInput.agencyCode, APIInput.itemID, APIInput.scoreKey, APIInput.score] {
                #expect(text.contains("pattern: '\(pattern)'"), "\(pattern)")
            }
            #expect(text.contains("pattern: '\(APIInput.webLink.replacingOccurrences(of: "'", with: "''"))'"))
            #expect(text.contains("minimum: \(APIInput.years.lowerBound)") && text.contains("maximum: \(APIInput.years.upperBound)"))
            #expect(text.contains("maxLength: \(EvidenceService.maxExplanation)") && text.contains("maxItems: \(APIInput.maxLinks)"))
        }
    }

    @Test("web links the document allows are links the item page accepts")
    func links() {
        for link in ["https://a", "http://www.banpong.go.th/ita/o1?year=2566&x=1", "https://a-b.c/!$&'()*+,;=:@/?-._~", "http://0", "https://a.b/"] {
            #expect(link.range(of: APIInput.webLink, options: .regularExpression) != nil, "\(link)")
            #expect(WebLink.normalized(link) == link, "\(link)")
        }
        for link in ["javascript:alert(1)", "https://", "ftp://a.b", "https://a b", "https://-a.b", "https://a..b", "www.banpong.go.th"] {
            #expect(link.range(of: APIInput.webLink, options: .regularExpression) == nil, "\(link)")
        }
    }
}
