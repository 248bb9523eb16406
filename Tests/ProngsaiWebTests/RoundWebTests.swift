import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
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
}
