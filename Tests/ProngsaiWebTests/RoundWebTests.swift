import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore
import ProngsaiWeb
import SQLKit
import Synchronization
import Testing
import TestSupport

@Suite("rounds and assessor teams over a real HTTP server", .serialized)
struct RoundWebTests {
    @Test("a round from a list of codes (all or none), two teams; each assessor's queue holds only their team's agencies, and the other team's get 404",
          arguments: TestEngine.available)
    func teams(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            let hash = try #require(try await repositories.users.find(username: "officer", logger: testLogger)).passwordHash
            for name in ["assessor-a", "assessor-b"] {
                try await repositories.users.create(User(username: name, displayName: "ผู้ประเมิน \(name)", passwordHash: hash), grants: [],
                                                    by: AuditActor.system, logger: testLogger)
            }
            // Items waiting: O1 sent at Ban Pong, O2 sent at the town, O3 judged at Ban Pong (inside its window).
            let actor = AuditActor.system
            try await repositories.evidence.saveReview(ItemReview(itemID: "O1", status: .sent), step: "send", assessment: world.assessment, by: actor, logger: testLogger)
            try await repositories.evidence.saveReview(ItemReview(itemID: "O2", status: .sent), step: "send", assessment: world.otherAssessment, by: actor, logger: testLogger)
            try await repositories.evidence.saveReview(ItemReview(itemID: "O3", status: .judged, passed: false, reason: "ไม่ครบ", judgedOn: CivilDate.today(fixedNow)),
                                                       step: "judge", assessment: world.assessment, by: actor, logger: testLogger)

            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            _ = try await admin.get("/admin/rounds")
            let badYear = try await admin.post("/admin/rounds", [("title", "รอบทดสอบ"), ("year", "66"), ("framework", "ita-2566")])
            #expect(badYear.status == .unprocessableContent)
            _ = try await admin.get("/admin/rounds")
            let made = try await admin.post("/admin/rounds", [("title", "ITA 2566 ภาคเหนือ"), ("year", "๒๕๖๖"), ("framework", "ita-2566")])
            #expect(made.status == .seeOther)
            let round = try #require(try await repositories.rounds.all(logger: testLogger).first)
            #expect(round.fiscalYear == 2566)
            let roundPath = "/admin/rounds/\(round.id)"
            _ = try await admin.get(roundPath)
            let unknown = try await admin.post(roundPath + "/agencies", [("codes", "banpong\nmuang\nnowhere")])
            #expect(unknown.status == .unprocessableContent && admin.lastBody.contains("nowhere"))
            #expect(try await repositories.rounds.agencyIDs(roundID: round.id, logger: testLogger).isEmpty, "all or none")
            let added = try await admin.post(roundPath + "/agencies", [("codes", "code\nbanpong, muang")])
            #expect(added.status == .seeOther)
            #expect(Set(try await repositories.rounds.agencyIDs(roundID: round.id, logger: testLogger)) == [world.banpong.id, world.other.id])
            _ = try await admin.get(roundPath)
            for name in ["ทีม ก", "ทีม ข"] { _ = try await admin.post(roundPath + "/teams", [("name", name)]); _ = try await admin.get(roundPath) }
            let teams = try await repositories.rounds.teams(roundID: round.id, logger: testLogger)
            #expect(teams.map(\.name) == ["ทีม ก", "ทีม ข"])
            let outside = try await admin.post(roundPath + "/teams/\(teams[0].id)", [("members", "assessor-a"), ("agencies", "banpong\nelsewhere")])
            #expect(outside.status == .unprocessableContent && admin.lastBody.contains("elsewhere"))
            _ = try await admin.get(roundPath)
            _ = try await admin.post(roundPath + "/teams/\(teams[0].id)", [("members", "assessor-a"), ("agencies", "banpong")])
            _ = try await admin.get(roundPath)
            _ = try await admin.post(roundPath + "/teams/\(teams[1].id)", [("members", "assessor-b"), ("agencies", "muang")])

            var a = Browser(client)
            _ = try await a.signIn("assessor-a")
            _ = try await a.get("/agencies")
            #expect(a.lastBody.contains("data-testid=\"assessor-queue\""))
            let queueA = try await a.get("/assess")
            #expect(queueA.status == .ok)
            #expect(a.lastBody.contains("/agencies/banpong/2566/items/O1") && !a.lastBody.contains("/agencies/muang/"))
            #expect(a.lastBody.contains("data-testid=\"queue-waiting\">1<"), "O1 waits; O3 is judged, listed with its clarification deadline")
            #expect(a.lastBody.contains("/agencies/banpong/2566/items/O3"))
            #expect(try await a.get("/agencies/banpong/2566/items/O1").status == .ok)
            #expect(try await a.get("/agencies/muang/2566/items/O2").status == .notFound)
            #expect(try await a.get("/agencies/muang/2566").status == .notFound)

            var b = Browser(client)
            _ = try await b.signIn("assessor-b")
            _ = try await b.get("/assess")
            #expect(b.lastBody.contains("/agencies/muang/2566/items/O2") && !b.lastBody.contains("/agencies/banpong/"))
            #expect(try await b.get("/agencies/banpong/2566/items/O1").status == .notFound)

            // Not an administrator: the round pages do not exist; without assessor grants, no queue.
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            #expect(try await officer.get("/admin/rounds").status == .notFound)
            #expect(try await officer.get(roundPath).status == .notFound)
            #expect(try await officer.get("/assess").status == .notFound)
            _ = try await officer.get("/agencies")
            #expect(try await officer.post(roundPath + "/teams/\(teams[0].id)", [("members", "officer"), ("agencies", "banpong")]).status == .notFound)

            // A CSV sheet (the code in its first column) adds agencies too; a broken sheet adds nothing.
            _ = try await admin.get("/admin/rounds")
            _ = try await admin.post("/admin/rounds", [("title", "รอบ CSV"), ("year", "2567"), ("framework", "ita-2566")])
            let second = try #require(try await repositories.rounds.all(logger: testLogger).first { $0.title == "รอบ CSV" })
            _ = try await admin.get("/admin/rounds/\(second.id)")
            let broken = try await admin.upload("/admin/rounds/\(second.id)/agencies", fields: [("codes", "")], files: [("file", "r.csv", Array("code\n\"banpong".utf8))])
            #expect(broken.status == .unprocessableContent)
            _ = try await admin.get("/admin/rounds/\(second.id)")
            let sheet = try await admin.upload("/admin/rounds/\(second.id)/agencies", fields: [("codes", "")],
                                               files: [("file", "r.csv", Array("\u{FEFF}code,name\nmuang,เทศบาลเมืองทดสอบ\n".utf8))])
            #expect(sheet.status == .seeOther)
            #expect(try await repositories.rounds.agencyIDs(roundID: second.id, logger: testLogger) == [world.other.id])
            #expect(try await repositories.assessments.find(agencyID: world.other.id, fiscalYear: 2567, logger: testLogger) != nil, "the round's assessment made")

            // An administrator giving assessor-a another role keeps the team's agency a team grant, not a grant of their own.
            let aUser = try #require(try await repositories.users.find(username: "assessor-a", logger: testLogger))
            _ = try await admin.get("/admin/users/\(aUser.id)")
            let role = try await admin.post("/admin/users/\(aUser.id)", [("action", "add-role"), ("role", "viewer"), ("agency", world.other.id), ("division", "")])
            #expect(role.status == .seeOther || role.status == .ok)
            let own = try await repositories.users.ownGrants(userID: aUser.id, logger: testLogger)
            #expect(own.map(\.role) == [.viewer] && own.first?.agencyID == world.other.id, "\(own)")

            // Taking assessor-a off the team takes the agency away at once.
            _ = try await admin.get(roundPath)
            _ = try await admin.post(roundPath + "/teams/\(teams[0].id)", [("members", ""), ("agencies", "banpong")])
            #expect(try await a.get("/agencies/banpong/2566/items/O1").status == .notFound)
            #expect(try await a.get("/agencies/muang/2566").status == .ok, "the viewer role given by hand stays")
        }
    }

    @Test("published results in and out: a sheet with one bad row saves nothing and lists every problem; a good one (CSV or XLSX) saves all; the export reads back the same",
          arguments: TestEngine.available)
    func publishedResults(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            let round = AssessmentRound(fiscalYear: 2566, frameworkID: "ita-2566", title: "ระดับชาติ 2566")
            try await repositories.rounds.create(round, by: .system, logger: testLogger)
            try await repositories.rounds.add(codes: ["banpong", "muang"], to: round, by: .system, logger: testLogger)
            let path = "/admin/rounds/\(round.id)"
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            _ = try await admin.get(path)
            func stored(_ assessment: Assessment) async throws -> [String: Decimal] {
                Dictionary(try await repositories.assessments.results(assessmentID: assessment.id, logger: testLogger).map { ($0.key, $0.score) },
                           uniquingKeysWith: { a, _ in a })
            }
            let before = try await stored(world.otherAssessment)

            let bad = "code,iit,eit1,eit2,oit\nbanpong,97.82,94.96,81.73,95\nmuang,101,90,80,\nnowhere,1,2,3,4\nmuang,90,90,90,90\n"
            let refused = try await admin.upload(path + "/results", fields: [], files: [("file", "r.csv", Array(bad.utf8))])
            #expect(refused.status == .unprocessableContent)
            #expect(admin.lastBody.contains("แถว 3: iit: &quot;101&quot;") || admin.lastBody.contains("แถว 3: iit"), "per-row problems")
            #expect(admin.lastBody.contains("แถว 4") && admin.lastBody.contains("nowhere") && admin.lastBody.contains("แถว 5"))
            #expect(!admin.lastBody.contains("data-testid=\"results-confirm\""))
            // Even sent with confirm, a sheet with problems saves nothing.
            _ = try await admin.upload(path + "/results", fields: [("confirm", "1"), ("csv", bad)], files: [])
            #expect(try await stored(world.otherAssessment) == before)

            let good = "\u{FEFF}code,iit,eit1,eit2,oit\nbanpong,97.82,94.96,81.73,\nmuang,๘๘.๕,90,80.25,92\n"
            let preview = try await admin.upload(path + "/results", fields: [], files: [("file", "r.csv", Array(good.utf8))])
            #expect(preview.status == .ok && admin.lastBody.contains("data-testid=\"results-confirm\""))
            #expect(try await stored(world.otherAssessment) == before, "a preview saves nothing")
            let csv = admin.lastBody.range(of: #"<textarea name="csv" hidden>([^<]*)</textarea>"#, options: .regularExpression).map { String(admin.lastBody[$0]) } ?? ""
            #expect(csv.contains("muang"))
            let applied = try await admin.upload(path + "/results", fields: [("confirm", "1"), ("csv", good)], files: [])
            #expect(applied.status == .seeOther)
            let town = try await stored(world.otherAssessment)
            #expect(town["iit"] == Decimal(string: "88.5") && town["eit2"] == Decimal(string: "80.25") && town["oit"] == 92)
            #expect(try await stored(world.assessment)["eit1"] == Decimal(string: "94.96"))
            let audit = try await repositories.audit.entries(agencyID: world.other.id, limit: 5, logger: testLogger)
            #expect(audit.contains { $0.action == "import-results" })

            // The export has the import's shape and reads back the same.
            let export = try await admin.get(path + "/results.csv")
            let rows = try CSV.parse(String(buffer: export.body).replacingOccurrences(of: "\u{FEFF}", with: ""))
            #expect(rows.first == ["code", "iit", "eit1", "eit2", "oit"])
            #expect(rows.contains(["muang", "88.5", "90", "80.25", "92"]))
            let back = PublishedScoresSheet.read(rows, keys: ["iit", "eit1", "eit2", "oit"], codes: ["banpong", "muang"])
            #expect(back.problems.isEmpty && back.rows.first { $0.code == "muang" }?.scores == town.filter { ["iit", "eit1", "eit2", "oit"].contains($0.key) })

            // XLSX in: the same sheet as a workbook.
            let workbook = try XLSXWriter(sheets: [.init(name: "ผล", rows: [[.text("code"), .text("iit")], [.text("muang"), .number(77)]])]).data()
            _ = try await admin.get(path)
            let fromXLSX = try await admin.upload(path + "/results", fields: [], files: [("file", "r.xlsx", Array(workbook))])
            #expect(fromXLSX.status == .ok && admin.lastBody.contains("<td>77</td>"))

            // Only administrators.
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            #expect(try await officer.get(path + "/results.csv").status == .notFound)
        }
    }

    /// Recomputes the public results from the inputs with Python's `fractions`, independent of Prongsai's scorer.
    static let pythonCheck = #"""
import json, sys
from fractions import Fraction as F
from decimal import Decimal
data = json.load(open(sys.argv[1]), parse_float=Decimal)
app, levels = data["app"], data["levels"]
def half_up(x):
    q = x * 100
    n = q.numerator // q.denominator
    if q - n >= F(1, 2): n += 1
    return F(n, 100)
def ita(s):
    return F(3, 10) * s["iit"] + F(3, 10) * (s["eit1"] + s["eit2"]) / 2 + F(4, 10) * s["oit"]
rows = []
for a in data["agencies"]:
    previous = ita({k: F(str(v)) for k, v in a["previous"].items()}) if a["previous"] is not None else None
    if a["scores"] is None:
        rows.append(dict(a, score=None, level=None, previous=previous)); continue
    s = {k: F(str(v)) for k, v in a["scores"].items()}
    score = ita(s)
    shown = half_up(score)
    level = None
    for rule in levels:
        if shown >= F(str(rule["minScore"])) and ("minEveryPart" not in rule or all(half_up(v) >= F(str(rule["minEveryPart"])) for v in s.values())):
            level = rule; break
    rows.append(dict(a, score=score, shown=shown, level=level, previous=previous))
def summary(group):
    scored = [r for r in group if r["score"] is not None]
    passed = [r for r in scored if r["level"].get("passing")]
    both = [r for r in scored if r["previous"] is not None]
    hist = [0] * 10
    for r in scored: hist[min(9, int(r["shown"] / 10))] += 1
    return {"agencies": len(group), "scored": len(scored),
            "average": half_up(sum(r["score"] for r in scored) / len(scored)) if scored else None,
            "passed": len(passed), "passRate": half_up(F(len(passed) * 100, len(scored))) if scored else None,
            "levels": {l["id"]: sum(1 for r in scored if r["level"]["id"] == l["id"]) for l in levels}, "histogram": hist,
            "previousAverage": half_up(sum(r["previous"] for r in both) / len(both)) if both else None,
            "sameAgenciesAverage": half_up(sum(r["score"] for r in both) / len(both)) if both else None}
def same(mine, theirs):
    out = dict(theirs)
    for k in ("average", "passRate", "previousAverage", "sameAgenciesAverage"):
        out[k] = None if theirs[k] is None else F(str(theirs[k]))
    return mine == out
problems = []
if not same(summary(rows), app["nation"]): problems.append(("nation", summary(rows), app["nation"]))
for key, field in (("byType", "type"), ("byProvince", "province"), ("byMinistry", "ministry")):
    names = sorted({r[field] for r in rows})
    if sorted(app[key].keys()) != names: problems.append((key, names))
    for n in names:
        if not same(summary([r for r in rows if r[field] == n]), app[key][n]): problems.append((key, n))
scored = sorted([r for r in rows if r["score"] is not None], key=lambda r: (-r["shown"], r["code"]))
ranking = []
for i, r in enumerate(scored):
    rank = ranking[-1][0] if i and scored[i - 1]["shown"] == r["shown"] else i + 1
    change = r["shown"] - half_up(r["previous"]) if r["previous"] is not None else None
    ranking.append((rank, r["code"], r["shown"], r["level"]["id"], change))
theirs = [(x["rank"], x["code"], F(str(x["score"])), x["level"], F(str(x["change"])) if x["change"] is not None else None) for x in app["ranking"]]
if ranking != theirs: problems.append(("ranking", ranking[:5], theirs[:5]))
print("ok" if not problems else repr(problems)[:2000])
"""#

    @Test("public results: averages, pass rates, level counts, histograms by nation, type, province and ministry, the ranking with ties and the change from last year equal a Python computation",
          arguments: TestEngine.available)
    func publicResults(engine: TestEngine) async throws {
        try await withApp(engine) { client, _, repositories in
            let round = AssessmentRound(fiscalYear: 2566, frameworkID: "ita-2566", title: "ITA 2566 ทดสอบ")
            try await repositories.rounds.create(round, by: .system, logger: testLogger)
            var generator = SystemRandomNumberGenerator()
            var agencies: [JSONValue] = []
            var imports: [(assessment: Assessment, scores: [String: Decimal])] = []
            let types = ["อบต.", "เทศบาล", "กรม"], provinces = ["เชียงราย", "ราชบุรี", "ลำปาง"]
            var codes: [String] = []
            var tie: [String: Decimal] = [:]
            for n in 1...30 {
                let code = "a" + NumberText.padded(n, width: 2)
                codes.append(code)
                let agency = Agency(code: code, name: .init(th: "หน่วยงาน \(n)", en: "Agency \(n)"), shortName: .init(th: "\(n)", en: "\(n)"),
                                    type: types.randomElement(using: &generator)!, province: provinces.randomElement(using: &generator)!, district: "",
                                    ministry: ["มหาดไทย", "กลาโหม", ""].randomElement(using: &generator)!)
                try await repositories.agencies.create(agency, by: .system, logger: testLogger)
                var scores: [String: Decimal]? = nil
                // Agencies 5–15 were assessed the year before too (published scores), for the year-over-year figures.
                var previous: [String: Decimal]? = nil
                if (5...15).contains(n) {
                    var made: [String: Decimal] = [:]
                    for key in ["iit", "eit1", "eit2", "oit"] { made[key] = Decimal(Int.random(in: 6_000...10_000, using: &generator)) / 100 }
                    let before = Assessment(agencyID: agency.id, frameworkID: "ita-2566", fiscalYear: 2565)
                    try await repositories.assessments.create(before, by: .system, logger: testLogger)
                    for (key, score) in made {
                        try await repositories.assessments.setResult(before, key: key, to: StoredResult(key: key, score: score, source: .published), by: .system, logger: testLogger)
                    }
                    previous = made
                }
                if n > 2 {
                    var made: [String: Decimal] = [:]
                    for key in ["iit", "eit1", "eit2", "oit"] { made[key] = Decimal(Int.random(in: 6_000...10_000, using: &generator)) / 100 }
                    // Two agencies with the same results share a rank.
                    if n == 3 { tie = made }
                    if n == 4 { made = tie }
                    scores = made
                }
                agencies.append(.object(JSONObject([
                    ("code", .string(code)), ("type", .string(agency.type)), ("province", .string(agency.province)),
                    ("ministry", .string(agency.ministry.isEmpty ? "ไม่ระบุ" : agency.ministry)),
                    ("scores", scores.map { s in .object(JSONObject(s.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number($0.value)) })) } ?? .null),
                    ("previous", previous.map { s in .object(JSONObject(s.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number($0.value)) })) } ?? .null),
                ])))
                if let scores { imports.append((Assessment(agencyID: agency.id, frameworkID: "ita-2566", fiscalYear: 2566), scores)) }
            }
            try await repositories.rounds.add(codes: codes, to: round, by: .system, logger: testLogger)
            var stored: [(assessment: Assessment, scores: [String: Decimal])] = []
            for (made, scores) in imports {
                stored.append((try #require(try await repositories.assessments.find(agencyID: made.agencyID, fiscalYear: 2566, logger: testLogger)), scores))
            }
            try await repositories.rounds.importScores(stored, by: .system, logger: testLogger)

            var citizen = Browser(client)
            let page = try await citizen.get("/results/\(round.id)")
            #expect(page.status == .ok && citizen.lastBody.contains("<svg") && citizen.lastBody.contains("data-testid=\"ranking\""))
            #expect(citizen.lastBody.contains("data-testid=\"year-over-year\""))
            let json = try await citizen.get("/results/\(round.id).json")
            let app = try JSONParser.parse(Array(buffer: json.body))
            #expect(app["ranking"]?.arrayValue?.count == 28)
            let framework = try JSONParser.parse(Array(try Data(contentsOf: Fixtures.packageRoot.appendingPathComponent("Sources/ProngsaiCore/Frameworks/ita-2566.json"))))
            let bundle = JSONValue.object(JSONObject([("app", app), ("agencies", .array(agencies)), ("levels", framework["levels"] ?? .null)]))
            let out = try runTool(on: Array(bundle.serialized().utf8), fileExtension: "json") { ["python3", "-c", Self.pythonCheck, $0] }
            #expect(out.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } == "ok")
            #expect(try await citizen.get("/results/nope").status == .notFound)
        }
    }

    @Test("national recompute: the stored figures equal each agency scored on its own, the public page reads the same before and after, grouped by ministry; the administrator's button and only theirs",
          arguments: TestEngine.available)
    func recompute(engine: TestEngine) async throws {
        try await withApp(engine) { client, _, repositories in
            let round = try await RoundFixture.make(repositories, count: 12)
            var citizen = Browser(client)
            // Never recomputed: the page computes the figures (and stores nothing).
            let live = try JSONParser.parse(Array(buffer: try await citizen.get("/results/\(round.id).json").body))
            #expect(live["computedAt"] == .null)
            #expect(try await repositories.roundScores.scores(roundID: round.id, logger: testLogger).computedAt == nil)

            let catalog = try FrameworkCatalog.builtin(store: repositories.frameworks)
            let rescore = RoundRescore(repositories: repositories, catalog: catalog)
            let steps = Mutex<[String]>([])
            let report = try await rescore.run(round, logger: testLogger) { step in steps.withLock { $0.append("\(step)") } }
            #expect(report.agencies == 12)
            // Two agencies are incomplete: one with nothing, one with an unjudged item.
            #expect(report.complete == 10)
            #expect(steps.withLock { $0.contains { $0.hasPrefix("scored") } && $0.contains { $0.hasPrefix("saved") } })
            let stored = try await repositories.roundScores.scores(roundID: round.id, logger: testLogger)
            #expect(stored.computedAt != nil)
            let single = try await rescore.oneAtATime(round, logger: testLogger)
            #expect(single.count == 12)
            for one in single { #expect(stored.scores[one.agencyID] == one) }
            #expect(single.contains { $0.previous != nil } && single.contains { $0.score == nil })
            // And each stored score is the dashboard's.
            let officerView = try #require(single.first { $0.score != nil })
            let service = try #require(stored.scores[officerView.agencyID])
            #expect(service.score == officerView.score && service.figures["iit"] != nil)

            // The page now reads the stored figures: the same numbers, with the time they were computed.
            let after = try JSONParser.parse(Array(buffer: try await citizen.get("/results/\(round.id).json").body))
            #expect(after["computedAt"] != .null)
            for key in ["nation", "byType", "byProvince", "byMinistry", "ranking"] { #expect(after[key] == live[key], "\(key)") }
            #expect(after["byMinistry"]?["มหาดไทย"]?["agencies"] == .number(4))
            #expect(after["byMinistry"]?["ไม่ระบุ"]?["agencies"] == .number(4))
            let page = try await citizen.get("/results/\(round.id)")
            #expect(page.status == .ok && citizen.lastBody.contains("ตามกระทรวง/ต้นสังกัด") && citizen.lastBody.contains("data-testid=\"computed-at\""))

            // A stored figure is what the page shows: change one behind the page's back. The page made from the
            // figures is kept until they are computed again, then the change shows.
            try await repositories.database.sql.update("round_scores").set("score", to: "12.345").where("round_id", .equal, round.id)
                .where("agency_id", .equal, officerView.agencyID).run()
            let kept = try JSONParser.parse(Array(buffer: try await citizen.get("/results/\(round.id).json").body))
            #expect(kept == after)
            try await repositories.database.sql.update("rounds").set("scored_at", to: "2030-01-01T00:00:00.000Z").where("id", .equal, round.id).run()
            let changed = try JSONParser.parse(Array(buffer: try await citizen.get("/results/\(round.id).json").body))
            #expect(changed["ranking"]?.arrayValue?.contains { $0["score"] == .number(Decimal(string: "12.35")!) } == true)

            // The administrator's button recomputes; an officer gets 404.
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            let roundPage = try await admin.get("/admin/rounds/\(round.id)")
            #expect(roundPage.status == .ok && admin.lastBody.contains("data-testid=\"rescore\""))
            let done = try await admin.post("/admin/rounds/\(round.id)/rescore", [])
            #expect(done.status == .seeOther)
            let again = try JSONParser.parse(Array(buffer: try await citizen.get("/results/\(round.id).json").body))
            #expect(again["ranking"] == live["ranking"])
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies")
            #expect(try await officer.post("/admin/rounds/\(round.id)/rescore", []).status == .notFound)
        }
    }

    @Test("a read replica: the public results and transparency pages read it, signed-in pages and writes use the main database", arguments: TestEngine.available)
    func readReplica(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { replica in
            // The "replica" holds a round and an agency the main database does not: what a page shows says which it read.
            let copy = Repositories(database: replica)
            let round = try await RoundFixture.make(copy, count: 3, codePrefix: "rep")
            try await withApp(engine, configure: { $0.readRepositories = copy }) { client, _, repositories in
                var citizen = Browser(client)
                #expect(try await citizen.get("/results/\(round.id)").status == .ok)
                #expect(citizen.lastBody.contains("ITA 2566 รอบทดสอบ"))
                #expect(try await citizen.get("/t/rep01/2566").status == .ok)
                #expect(try await repositories.rounds.find(id: round.id, logger: testLogger) == nil)
                // The main database's own public pages are not there (they would be in a real copy).
                #expect(try await citizen.get("/t/banpong/2566").status == .notFound)
                // The administrator's round pages read the main database.
                var admin = Browser(client)
                _ = try await admin.signIn("admin")
                #expect(try await admin.get("/admin/rounds/\(round.id)").status == .notFound)
                #expect(try await admin.get("/agencies/banpong/2566").status == .ok)
            }
        }
    }

    @Test("published OIT item results for many agencies: a sheet with one bad row saves nothing and names it; a good one saves every row in one go, rescores the round and exports the same shape",
          arguments: TestEngine.available)
    func itemResults(engine: TestEngine) async throws {
        try await withApp(engine) { client, _, repositories in
            let round = try await RoundFixture.make(repositories, count: 3, codePrefix: "it")
            let framework = try #require(try BuiltinFrameworks.all().first { $0.id == "ita-2566" })
            let items = framework.checklistTools.flatMap { $0.checklist.items.map(\.id) }
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            let path = "/admin/rounds/\(round.id)"
            _ = try await admin.get(path)
            // it03 is the fixture's agency with nothing yet: every item published, O13 failed, scores it.
            var good = "code,item,result,reason\n"
            for item in items { good += item == "O13" ? "it03,\(item),ไม่ผ่าน,\"ไม่พบข้อมูล, ตามประกาศ\"\n" : "it03,\(item),ผ่าน,\n" }
            good += "it01,O1,fail,ลิงก์เสีย\n"
            let bad = good + "it02,O99,pass,\nnope,O1,pass,\nit01,O1,pass,\n"
            let refused = try await admin.upload(path + "/item-results", fields: [], files: [("file", "items.csv", Array(bad.utf8))])
            #expect(refused.status == .unprocessableContent)
            for message in ["ไม่มีข้อ &quot;O99&quot;", "ไม่มีหน่วยงานรหัส &quot;nope&quot;", "ข้อ O1 ซ้ำ"] { #expect(admin.lastBody.contains(message), "\(message)") }
            #expect(!admin.lastBody.contains("data-testid=\"item-results-confirm\""))
            // A confirm of the bad sheet is refused too, and nothing is saved.
            #expect(try await admin.upload(path + "/item-results", fields: [("confirm", "1"), ("csv", bad)], files: []).status == .unprocessableContent)
            let it01 = try #require(try await repositories.agencies.find(code: "it01", logger: testLogger))
            let it03 = try #require(try await repositories.agencies.find(code: "it03", logger: testLogger))
            let a1 = try #require(try await repositories.assessments.find(agencyID: it01.id, fiscalYear: 2566, logger: testLogger))
            let a3 = try #require(try await repositories.assessments.find(agencyID: it03.id, fiscalYear: 2566, logger: testLogger))
            let before1 = try await repositories.assessments.publishedItems(assessmentID: a1.id, logger: testLogger)
            #expect(try await repositories.assessments.publishedItems(assessmentID: a3.id, logger: testLogger).isEmpty)

            let preview = try await admin.upload(path + "/item-results", fields: [], files: [("file", "items.csv", Array(good.utf8))])
            #expect(preview.status == .ok && admin.lastBody.contains("data-testid=\"item-results-confirm\""))
            #expect(try await repositories.assessments.publishedItems(assessmentID: a3.id, logger: testLogger).isEmpty, "a preview saves nothing")
            let applied = try await admin.upload(path + "/item-results", fields: [("confirm", "1"), ("csv", good), ("filename", "items.csv")], files: [])
            #expect(applied.status == .seeOther)
            let published = try await repositories.assessments.publishedItems(assessmentID: a3.id, logger: testLogger)
            #expect(published.count == items.count && published.filter { !$0.passed }.map(\.itemID) == ["O13"])
            #expect(published.first { $0.itemID == "O13" }?.reason == "ไม่พบข้อมูล, ตามประกาศ")
            if case .file(let name, let sha)? = published.first?.source { #expect(name == "items.csv" && sha.count == 64) } else { Issue.record("source is the file") }
            let after1 = try await repositories.assessments.publishedItems(assessmentID: a1.id, logger: testLogger)
            #expect(after1.first { $0.itemID == "O1" }?.passed == false && after1.count == max(before1.count, 1))
            // The round was recomputed: it03's OIT is its published items' score (42 of 43 → 97.5 with O13 failed in 9.2).
            let stored = try await repositories.roundScores.scores(roundID: round.id, logger: testLogger)
            #expect(stored.scores[it03.id]?.figures["oit"] != nil)
            // The export has the import's shape and reads back the same rows.
            let exported = try await admin.get(path + "/item-results.csv")
            #expect(exported.status == .ok)
            let rows = try CSV.parse(String(decoding: Array(buffer: exported.body), as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: ""))
            #expect(rows.first == ["code", "item", "result", "reason"])
            #expect(rows.contains(["it03", "O13", "fail", "ไม่พบข้อมูล, ตามประกาศ"]) && rows.contains(["it01", "O1", "fail", "ลิงก์เสีย"]))
            #expect(rows.filter { $0.first == "it03" }.map { $0[1] } == items)
            // Administrators only.
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies")
            #expect(try await officer.get(path + "/item-results.csv").status == .notFound)
            #expect(try await officer.upload(path + "/item-results", fields: [], files: [("file", "items.csv", Array(good.utf8))]).status == .notFound)
        }
    }
}
