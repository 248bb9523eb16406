import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import SQLKit
import Testing
import TestSupport

@Suite("OIT review workflow over a real HTTP server", .serialized)
struct WorkflowWebTests {
    @Test("division submits, officer approves and sends, assessor judges, agency clarifies, assessor confirms; the score follows", arguments: TestEngine.available)
    func flow(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            // As before the NACC announces its results: O13 has no published result yet, so the
            // assessor's confirmed judgement is what it scores as.
            try await repositories.database.sql.delete(from: "published_item_results").where("item_id", .equal, "O13").run()
            let item = "/agencies/banpong/2566/items/O13"
            func step(_ browser: inout Browser, _ fields: [(String, String)], on path: String = item) async throws -> HTTPResponse.Status {
                _ = try await browser.get(path)
                return try await browser.post(path + "/workflow", fields).status
            }
            var palad = Browser(client)
            _ = try await palad.signIn("palad")
            // O13 has no evidence: submitting asks again and says what is missing; nothing changes until confirmed.
            #expect(try await step(&palad, [("action", "submit")]) == .ok)
            #expect(palad.lastBody.contains(#"data-testid="confirm-step""#) && palad.lastBody.contains("ข้อนี้ยังไม่มีหลักฐานเลย (ไม่มีลิงก์หรือไฟล์) ยืนยันจะส่งหรือไม่"))
            #expect(palad.lastBody.contains("<li>ระบุปัญหาอุปสรรค ข้อเสนอแนะ</li>") && palad.lastBody.contains("<li>เป็นรายงานผลของปีงบประมาณ พ.ศ. 2565</li>"), "the missing components are listed")
            #expect(palad.lastBody.contains(#"name="confirmed" value="1""#))
            #expect(try await repositories.evidence.reviews(assessmentID: world.assessment.id, logger: testLogger).first { $0.itemID == "O13" }?.status != .submitted)
            #expect(try await step(&palad, [("action", "submit"), ("confirmed", "1")]) == .seeOther)
            #expect(try await step(&palad, [("action", "approve")]) == .forbidden, "division staff do not approve, and are not asked to confirm it")
            #expect(try await step(&palad, [("action", "submit")], on: "/agencies/banpong/2566/items/O19") == .forbidden, "O19 belongs to กองคลัง")

            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            #expect(try await step(&officer, [("action", "send")]) == .conflict, "not approved yet")
            #expect(officer.lastBody.contains("ทำขั้นตอนนี้ไม่ได้"))
            #expect(try await step(&officer, [("action", "approve")]) == .ok)
            #expect(officer.lastBody.contains("ยืนยันจะอนุมัติหรือไม่") && officer.lastBody.contains("ยืนยันอนุมัติทั้งที่ยังไม่ครบ"))
            #expect(try await step(&officer, [("action", "approve"), ("confirmed", "1")]) == .seeOther)
            _ = try await officer.get("/agencies/banpong/2566/items")
            #expect(officer.lastBody.contains("ส่งประเมินทุกข้อที่อนุมัติแล้ว (1)"))
            let sent = try await officer.post("/agencies/banpong/2566/send-approved", [])
            #expect(sent.status == .seeOther)
            _ = try await officer.get(try #require(sent.headers[.location]))
            #expect(officer.lastBody.contains("ส่งข้อที่อนุมัติแล้วให้ผู้ประเมิน 1 ข้อ"), "the page says how many were sent")
            // Only people who can do the work are offered for assignment: not the assessor or the viewer.
            _ = try await officer.get(item)
            #expect(officer.lastBody.contains(#"id="assignee""#))
            #expect(!officer.lastBody.contains("ผู้ประเมิน (สาธิต)</option>") && !officer.lastBody.contains("ผู้ดูข้อมูล (สาธิต)</option>"))
            #expect(officer.lastBody.contains("เจ้าหน้าที่สำนักปลัด (สาธิต)</option>"))
            #expect(try await step(&officer, [("action", "judge"), ("result", "pass")]) == .forbidden, "officers do not judge")

            var assessor = Browser(client)
            _ = try await assessor.signIn("assessor")
            #expect(try await step(&assessor, [("action", "judge"), ("result", "fail"), ("reason", "")]) == .conflict)
            #expect(assessor.lastBody.contains(#"data-testid="workflow-error">กรุณาระบุเหตุผลที่ไม่ผ่าน<"#), "on the item's page, beside the step, not an error page")
            #expect(assessor.lastBody.contains(#"id="judge-reason""#) && !assessor.lastBody.contains("เกิดข้อผิดพลาด"))
            #expect(try await step(&assessor, [("action", "judge"), ("result", "fail"), ("reason", "ขาดปัญหาอุปสรรคและข้อเสนอแนะ")]) == .seeOther)
            _ = try await officer.get(item)
            #expect(officer.lastBody.contains("ขอชี้แจงได้ถึงวันที่ 30 มีนาคม 2566"), "15 days from 15 March")
            #expect(officer.lastBody.contains("ขาดปัญหาอุปสรรคและข้อเสนอแนะ"))
            #expect(try await step(&officer, [("action", "clarify"), ("text", "แนบรายงานฉบับปรับปรุงแล้ว")]) == .seeOther)
            #expect(try await step(&assessor, [("action", "confirm"), ("result", "pass")]) == .seeOther)
            _ = try await assessor.get(item)
            #expect(assessor.lastBody.contains(#"data-testid="status">ยืนยันผลแล้ว<"#))
            // The fail reason the clarification answered now reads as history, not as the current reason.
            #expect(!assessor.lastBody.contains("<strong>เหตุผล:</strong> ขาดปัญหาอุปสรรคและข้อเสนอแนะ"))
            #expect(assessor.lastBody.contains(#"data-testid="review-history""#) && assessor.lastBody.contains("ไม่ผ่าน — ขาดปัญหาอุปสรรคและข้อเสนอแนะ"))
            _ = try await officer.get("/agencies/banpong/2566")
            #expect(officer.lastBody.contains(#"data-testid="ita-score">95.85<"#), "the confirmed pass feeds the score")
            // Then the result is published, as a fail: the published result outranks the judgement.
            _ = try await officer.get("/agencies/banpong/2566/results")
            #expect(try await officer.post("/agencies/banpong/2566/item-results", [("item", "O13"), ("result", "fail"), ("reason", "ไม่มีปัญหาอุปสรรค"),
                                                                                   ("source", "https://itas.example.go.th/2566/banpong")]).status == .seeOther)
            _ = try await officer.get("/agencies/banpong/2566")
            #expect(officer.lastBody.contains(#"data-testid="ita-score">95.35<"#), "the published fail outranks the confirmed pass")
            #expect(try await step(&officer, [("action", "bogus")]) == .badRequest)

            let audit = try await repositories.audit.entries(agencyID: world.banpong.id, limit: 20, logger: testLogger).map(\.action)
            for action in ["review-submit", "review-approve", "review-send", "review-judge", "review-clarify", "review-confirm"] {
                #expect(audit.contains(action), "\(action) is in the audit log")
            }
            // The history says each step in plain Thai: who moved the item from where to where, and why.
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            _ = try await officer.post("/agencies/banpong/2566/surveys/iit", [("opens", "2023-01-01"), ("closes", "2023-06-30"), ("population", "57")])
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            _ = try await officer.post("/agencies/banpong/2566/surveys/iit/codes", [("count", "12")])
            _ = try await officer.get("/agencies/banpong/2566/history")
            #expect(officer.lastBody.contains("O13 รายงานผลการดำเนินงานประจำปี: ส่งประเมินแล้ว → ผู้ประเมินตรวจแล้ว (ไม่ผ่าน) เหตุผล: ขาดปัญหาอุปสรรคและข้อเสนอแนะ"))
            #expect(officer.lastBody.contains("O13 รายงานผลการดำเนินงานประจำปี: ขอชี้แจงแล้ว → ยืนยันผลแล้ว (ผ่าน)"))
            #expect(officer.lastBody.range(of: "สร้างรหัสตอบแบบสำรวจ [^<]+ 12 รหัส", options: .regularExpression) != nil)
            #expect(officer.lastBody.contains("เปิดแบบสำรวจ"))
            #expect(!officer.lastBody.contains("ยังไม่ประเมิน → ยังไม่ประเมิน"))
            #expect(!officer.lastBody.contains("generate-codes") && !officer.lastBody.contains("set-window"))
            var viewer = Browser(client)
            _ = try await viewer.signIn("viewer")
            #expect(try await step(&viewer, [("action", "submit")], on: "/agencies/banpong/2566/items/O1") == .forbidden)
            var stranger = Browser(client)
            _ = try await stranger.signIn("muang-officer")
            _ = try await stranger.get("/agencies/muang/2566")
            #expect(try await stranger.post(item + "/workflow", [("action", "approve")]).status == .notFound)
            // A busy agency's newer entries do not push an item's history off its page.
            for chunk in 0..<7 {
                var insert = repositories.database.sql.insert(into: "audit_log").columns("id", "at", "user_id", "actor", "agency_id", "action", "entity", "entity_id", "detail")
                for n in 0..<300 {
                    insert = insert.values(SQLBind("busy-\(chunk)-\(n)"), SQLBind("2099-01-01T00:00:00.000Z"), SQLBind(String?.none), SQLBind("busy"),
                                           SQLBind(world.banpong.id), SQLBind("set-item"), SQLBind("oit-item"), SQLBind("other/\(n)"), SQLBind("{}"))
                }
                try await insert.run()
            }
            _ = try await assessor.get(item)
            #expect(assessor.lastBody.contains("ไม่ผ่าน — ขาดปัญหาอุปสรรคและข้อเสนอแนะ"), "history behind 2,100 newer entries")
        }
    }
}
