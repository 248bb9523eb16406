import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport

/// Reads an XLSX with openpyxl, a reader independent of ours; returns the first sheet's rows.
func openpyxlRows(_ data: [UInt8]) throws -> [[String]] {
    let script = """
        import json, sys, openpyxl
        ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
        print(json.dumps([["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)], ensure_ascii=False))
        """
    guard let bytes = try runTool(on: data, fileExtension: "xlsx", { ["python3", "-c", script, $0] }) else { return [] }
    return (try JSONParser.parse(bytes).arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.stringValue) }
}

@Suite("OIT item export and result import over a real HTTP server", .serialized)
struct ItemTransferWebTests {
    @Test("export as CSV and XLSX (read back by openpyxl); import published results with a preview, all rows or none", arguments: TestEngine.available)
    func transfer(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies/banpong/2566/items/O1")
            let evidence = try await officer.upload("/agencies/banpong/2566/items/O1/evidence",
                                                    fields: [("links", "https://www.example.go.th/structure"), ("explanation", "แผนผังโครงสร้างหน่วยงาน")], files: [])
            #expect(evidence.status == .seeOther)
            _ = try await officer.get("/agencies/banpong/2566/items.csv")
            #expect(officer.lastBody.hasPrefix("\u{FEFF}ข้อ,ข้อมูล,ตัวชี้วัดย่อย"))
            #expect(officer.lastBody.contains("O13,รายงานผลการดำเนินงานประจำปี,9.2,สำนักปลัด"))
            let xlsx = try await officer.get("/agencies/banpong/2566/items.xlsx")
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let rows = try openpyxlRows(Array(buffer: xlsx.body))
            #expect(rows.count == 44)
            #expect(rows.first?.prefix(3) == ["ข้อ", "ข้อมูล", "ตัวชี้วัดย่อย"])
            #expect(rows[13].prefix(4) == ["O13", "รายงานผลการดำเนินงานประจำปี", "9.2", "สำนักปลัด"])
            #expect(rows[13][6] == "ไม่ผ่าน")
            // Ready for the national system: has it or not, and the explanation, last.
            #expect(rows.first?.suffix(2) == ["มี/ไม่มี", "คำอธิบายเพิ่มเติม"])
            #expect(rows.dropFirst().allSatisfy { $0.count == 14 && ["มี", "ไม่มี"].contains($0[12]) })
            #expect(rows[1].suffix(2) == ["มี", "แผนผังโครงสร้างหน่วยงาน"] && rows[1][9] == "https://www.example.go.th/structure", "O1 has it, with its explanation")
            #expect(rows[2][12] == "ไม่มี")

            func upload(_ csv: String) async throws -> TestResponse {
                _ = try await officer.get("/agencies/banpong/2566/item-results/import")
                return try await officer.upload("/agencies/banpong/2566/item-results/import", fields: [], files: [("file", "results.csv", Array(csv.utf8))])
            }
            let bad = try await upload("ข้อ,ผล,เหตุผล\r\nO13,ผ่าน,\r\nO99,ผ่าน,\r\nO5,ไม่ผ่าน,\r\nO6,maybe,x\r\nO13,ผ่าน,\r\n")
            #expect(bad.status == .unprocessableContent)
            #expect(officer.lastBody.contains(#"data-testid="bad-rows">4<"#))
            #expect(officer.lastBody.contains("ไม่มีข้อ &quot;O99&quot;"))
            #expect(officer.lastBody.contains("ข้อที่ไม่ผ่านต้องมีเหตุผล"))
            #expect(officer.lastBody.contains("O13 ซ้ำ"))
            #expect(!officer.lastBody.contains("ยืนยันนำเข้า"))
            let good = try await upload("ข้อ,ผล,เหตุผล\r\n013,ผ่าน,\r\nO5,fail,ไม่พบช่องทางติดต่อ\r\n")
            #expect(good.status == .ok)
            #expect(officer.lastBody.contains("ยืนยันนำเข้า"))
            let csvField = try #require(officer.lastBody.range(of: #"<textarea name="csv" hidden aria-hidden="true">"#))
            let rest = officer.lastBody[csvField.upperBound...]
            let csv = String(rest[..<rest.range(of: "</textarea>")!.lowerBound])
                .replacingOccurrences(of: "&#13;", with: "\r").replacingOccurrences(of: "&#10;", with: "\n")
            #expect(try await repositories.evidence.reviews(assessmentID: world.assessment.id, logger: testLogger).isEmpty, "the preview saves nothing")
            let confirmed = try await officer.post("/agencies/banpong/2566/item-results/import/confirm", [("csv", csv)])
            #expect(confirmed.status == .seeOther)
            // Recorded as published results whose source is the file, not as the assessor's judgements.
            #expect(try await repositories.evidence.reviews(assessmentID: world.assessment.id, logger: testLogger).isEmpty)
            let published = try await repositories.assessments.publishedItems(assessmentID: world.assessment.id, logger: testLogger)
            let o5 = try #require(published.first { $0.itemID == "O5" })
            #expect(o5.passed == false && o5.reason == "ไม่พบช่องทางติดต่อ")
            #expect(published.first { $0.itemID == "O13" }?.passed == true)
            guard case .file(_, let sha256) = o5.source else { Issue.record("the file is the source"); return }
            #expect(sha256.count == 64)
            _ = try await officer.get("/agencies/banpong/2566")
            // O13 now passes and O5 fails: 9.1 = 90, 9.2 = 100, indicator 9 = 98, OIT = 99; ITA = 29.346 + 26.5035 + 39.6
            #expect(officer.lastBody.contains(#"data-testid="ita-score">95.45<"#))
            var viewer = Browser(client)
            _ = try await viewer.signIn("viewer")
            #expect(try await viewer.get("/agencies/banpong/2566/item-results/import").status == .forbidden)
            #expect(try await viewer.post("/agencies/banpong/2566/item-results/import/confirm", [("csv", "O1,fail,x")]).status == .forbidden)
        }
    }
}
