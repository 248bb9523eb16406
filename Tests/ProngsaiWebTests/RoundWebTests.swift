import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore
import ProngsaiWeb
import SQLKit
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

            // Taking assessor-a off the team takes the agency away at once.
            _ = try await admin.get(roundPath)
            _ = try await admin.post(roundPath + "/teams/\(teams[0].id)", [("members", ""), ("agencies", "banpong")])
            #expect(try await a.get("/agencies/banpong/2566/items/O1").status == .notFound)
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
}
