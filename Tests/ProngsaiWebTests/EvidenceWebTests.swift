import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport

extension Browser {
    /// Posts a multipart form with the session's CSRF token; files are (field, filename, bytes).
    mutating func upload(_ path: String, fields: [(String, String)], files: [(String, String, [UInt8])]) async throws -> TestResponse {
        try await sendMultipart(path, fields: [("_csrf", csrf ?? "")] + fields, files: files)
    }

    /// Posts `fields` and `files` (field, filename, bytes) as `multipart/form-data`, with the cookies held.
    mutating func sendMultipart(_ path: String, fields: [(String, String)], files: [(String, String, [UInt8])]) async throws -> TestResponse {
        let boundary = "----prongsai\(UUID().uuidString)"
        var body: [UInt8] = []
        func add(_ text: String) { body += Array(text.utf8) }
        for (name, value) in fields {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, filename, bytes) in files {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body += bytes
            add("\r\n")
        }
        add("--\(boundary)--\r\n")
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        lastBody = String(buffer: response.body)
        return response
    }
}

@Suite("OIT items: assignment and evidence over a real HTTP server", .serialized)
struct EvidenceWebTests {
    @Test("readiness: progress per sub-indicator, items at risk, projected OIT and ITA", arguments: TestEngine.available)
    func readiness(engine: TestEngine) async throws {
        try await withApp(engine) { client, _, _ in
            var officer = Browser(client)
            _ = try await officer.signIn("muang-officer")
            _ = try await officer.get("/agencies/muang/2566")
            #expect(officer.lastBody.contains("ความพร้อมการเปิดเผยข้อมูล (OIT)"))
            #expect(officer.lastBody.contains(#"data-testid="projected-oit">0.00<"#))
            #expect(officer.lastBody.contains("O1 โครงสร้าง</a> — <span class=\"risk\">ยังไม่มีหลักฐาน"))
            let o1 = try Fixtures.framework().checklistTools[0].checklist.item("O1")!
            _ = try await officer.get("/agencies/muang/2566/items/O1")
            let saved = try await officer.upload("/agencies/muang/2566/items/O1/evidence",
                                                 fields: [("links", "https://muang.go.th/structure")] + o1.components.indices.map { ("component", "\($0)") }, files: [])
            #expect(saved.status == .seeOther)
            _ = try await officer.get("/agencies/muang/2566/items/O2")
            _ = try await officer.post("/agencies/muang/2566/items/O2/assign", [("division", ""), ("assignee", ""), ("due", "2023-03-20")])
            _ = try await officer.get("/agencies/muang/2566")
            // O1 passes: 9.1 = 10, indicator 9 = 2, indicator 10 = 0, OIT = 1.
            #expect(officer.lastBody.contains(#"data-testid="projected-oit">1.00<"#))
            #expect(!officer.lastBody.contains("O1 โครงสร้าง</a>"), "O1 is no longer at risk")
            #expect(officer.lastBody.contains("ใกล้กำหนดส่ง 20 มี.ค. 2566"))
            #expect(officer.lastBody.contains(#"data-testid="projected-ita">–<"#), "no survey figures yet")
            var banpong = Browser(client)
            _ = try await banpong.signIn("officer")
            _ = try await banpong.get("/agencies/banpong/2566")
            #expect(banpong.lastBody.contains(#"data-testid="projected-ita">95.35<"#), "judged items keep their results")
        }
    }

    let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)

    @Test("the officer assigns O13 to สำนักปลัด; its staff see it in my items, add evidence; revisions are kept", arguments: TestEngine.available)
    func workflow(engine: TestEngine) async throws {
        try await withApp(engine, maxEvidenceBytes: 4096) { client, world, repositories in
            let item = "/agencies/banpong/2566/items/O13"
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get(item)
            #expect(officer.lastBody.contains("ระบุปัญหาอุปสรรค ข้อเสนอแนะ"))
            let divisions = try await repositories.agencies.divisions(agencyID: world.banpong.id, logger: testLogger)
            let palad = try #require(divisions.first { $0.code == "palad" })
            let assigned = try await officer.post(item + "/assign", [("division", palad.id), ("assignee", ""), ("due", "2023-03-01")])
            #expect(assigned.status == .seeOther)
            _ = try await officer.get(item)
            #expect(try await officer.post(item + "/assign", [("division", "nope")]).status == .badRequest)
            // The dashboard's next steps name the overdue item with its division and date, urgent first.
            _ = try await officer.get("/agencies/banpong/2566")
            let steps = try #require(officer.lastBody.range(of: #"data-testid="next-steps""#).map { String(officer.lastBody[$0.upperBound...].prefix(4000)) })
            #expect(steps.contains("เลยกำหนด 1 มี.ค. 2566</span> <a href=\"/agencies/banpong/2566/items/O13\">O13 เลยกำหนดส่งแล้ว (\(palad.name.th))</a>"), "\(steps.prefix(600))")
            #expect(steps.hasPrefix(">\n  <li class=\"urgent\">"), "the overdue item is urgent and listed first")

            var staff = Browser(client)
            _ = try await staff.signIn("palad")
            _ = try await staff.get("/agencies/banpong/2566/my-items")
            #expect(staff.lastBody.contains("รายงานผลการดำเนินงานประจำปี"))
            #expect(staff.lastBody.contains(#"data-testid="missing-O13">4/4<"#))
            #expect(staff.lastBody.contains("เลยกำหนด"), "due 1 March, today is 15 March")
            // An item of the same division assigned to a colleague by name shows only with "whole division".
            let officerUser = try #require(try await repositories.users.find(username: "officer", logger: testLogger))
            #expect(try await officer.post("/agencies/banpong/2566/items/O14/assign", [("division", palad.id), ("assignee", officerUser.id), ("due", "2023-04-01")]).status == .seeOther)
            _ = try await staff.get("/agencies/banpong/2566/my-items")
            #expect(!staff.lastBody.contains(#"data-testid="missing-O14""#), "O14 is the colleague's")
            #expect(staff.lastBody.contains(#"data-testid="whole-division""#))
            _ = try await staff.get("/agencies/banpong/2566/my-items?scope=division")
            #expect(staff.lastBody.contains(#"data-testid="missing-O14""#) && staff.lastBody.contains(#"data-testid="missing-O13""#))
            #expect(staff.lastBody.contains(#"<strong aria-current="page">ทั้งส่วนราชการ</strong>"#))
            var colleague = Browser(client)
            _ = try await colleague.signIn("officer")
            _ = try await colleague.get("/agencies/banpong/2566/my-items")
            #expect(colleague.lastBody.contains(#"data-testid="missing-O14""#) && !colleague.lastBody.contains(#"data-testid="missing-O13""#),
                    "the officer's own list holds what is assigned to them by name")
            _ = try await staff.get(item)
            let first = try await staff.upload(item + "/evidence", fields: [("links", "https://www.tambonbanpong.go.th/report-2565"), ("explanation", "รายงานผลการดำเนินงานประจำปี 2565"), ("component", "0"), ("component", "1")],
                                               files: [("file", "../../รายงาน.pdf", pdf)])
            #expect(first.status == .seeOther, "\(staff.lastBody.prefix(300))")
            _ = try await staff.get(item)
            let firstSHA = try #require(try await repositories.evidence.revisions(assessmentID: world.assessment.id, itemID: "O13", logger: testLogger).first?.files.first?.sha256)
            #expect(staff.lastBody.contains(#"name="keep" value="\#(firstSHA)" checked"#), "the file is offered to keep")
            let second = try await staff.upload(item + "/evidence", fields: [("links", "https://www.tambonbanpong.go.th/report-2565"), ("explanation", "เพิ่มปัญหาอุปสรรคและข้อเสนอแนะ"),
                                                                            ("component", "0"), ("component", "1"), ("component", "2"), ("component", "3"), ("keep", firstSHA)], files: [])
            #expect(second.status == .seeOther)
            _ = try await staff.get("/agencies/banpong/2566/my-items")
            #expect(staff.lastBody.contains(#"data-testid="missing-O13">0/4<"#))
            _ = try await staff.get(item)
            #expect(staff.lastBody.contains("ฉบับที่ 2"))
            #expect(staff.lastBody.contains("ฉบับที่ 1"), "the first revision is kept")
            #expect(staff.lastBody.contains(">รายงาน.pdf<"), "the folder tricks are gone from the name")
            let revisions = try await repositories.evidence.revisions(assessmentID: world.assessment.id, itemID: "O13", logger: testLogger)
            #expect(revisions.map(\.revision) == [1, 2])
            let sha = try #require(revisions.first?.files.first?.sha256)
            let download = try await staff.get("/agencies/banpong/2566/files/\(sha)")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(Array(buffer: download.body) == pdf)

            // Nothing of O13 is public before the officer approves it.
            var citizen = Browser(client)
            _ = try await citizen.get("/t/banpong/2566")
            #expect(!citizen.lastBody.contains("https://www.tambonbanpong.go.th/report-2565"))
            #expect(try await citizen.get("/t/banpong/2566/files/\(sha)").status == .notFound, "a saved draft is not public")
            _ = try await staff.get(item)
            #expect(try await staff.post(item + "/workflow", [("action", "submit")]).status == .seeOther, "complete evidence: no second question")
            _ = try await officer.get(item)
            #expect(try await officer.post(item + "/workflow", [("action", "approve")]).status == .seeOther)
            _ = try await officer.get(item)
            #expect(officer.lastBody.contains(#"data-testid="published-revision""#))

            // The public transparency page, no sign-in: every item in framework order, the approved evidence, JSON.
            let page = try await citizen.get("/t/banpong/2566")
            #expect(page.status == .ok)
            #expect(page.headers[values: .setCookie].isEmpty)
            #expect(citizen.lastBody.contains("องค์การบริหารส่วนตำบลบ้านโป่ง"))
            #expect(citizen.lastBody.components(separatedBy: "<tr id=\"O").count - 1 == 43)
            let o12 = try #require(citizen.lastBody.range(of: "id=\"O12\""))
            let o13 = try #require(citizen.lastBody.range(of: "id=\"O13\""))
            #expect(o12.lowerBound < o13.lowerBound)
            #expect(citizen.lastBody.contains("https://www.tambonbanpong.go.th/report-2565"))
            // O43: the year's measures and their progress are public too.
            #expect(citizen.lastBody.contains("มาตรการกำกับดูแลและตรวจสอบการใช้ทรัพย์สินของราชการ"))
            #expect(citizen.lastBody.contains("ความก้าวหน้า 100%"))
            _ = try await citizen.get("/t/banpong/2566.json")
            let json = try JSONParser.parse(citizen.lastBody)
            #expect(json["measures"]?.arrayValue?.map { $0["number"] } == [1, 2, 3])
            #expect(json["measures"]?.arrayValue?.first?["period"]?.stringValue == "ต.ค.65 - ก.ย.66")
            let items = try #require(json["items"]?.arrayValue)
            #expect(items.map { $0["id"]?.stringValue ?? "" } == (1...43).map { "O\($0)" })
            let o13JSON = items[12]
            #expect(o13JSON["links"] == ["https://www.tambonbanpong.go.th/report-2565"])
            let publicURL = try #require(o13JSON["files"]?.arrayValue?.first?["url"]?.stringValue)
            let publicPath = String(publicURL[publicURL.range(of: "/t/")!.lowerBound...])
            let publicFile = try await citizen.get(publicPath)
            #expect(publicFile.status == .ok)
            #expect(Array(buffer: publicFile.body) == pdf)
            #expect(try await citizen.get("/t/muang/2566/files/\(sha)").status == .notFound, "only through the agency whose evidence names it")
            #expect(try await citizen.get("/t/nosuch/2566").status == .notFound)
            #expect(try await citizen.get("/t/banpong/2599.json").status == .notFound)

            // Bad uploads: a text file named .pdf, an empty file, one over the limit, an unsafe link.
            _ = try await staff.get(item)
            let fake = try await staff.upload(item + "/evidence", fields: [], files: [("file", "report.pdf", Array("<html>not a pdf</html>".utf8))])
            #expect(fake.status == .unprocessableContent)
            #expect(staff.lastBody.contains("ไม่ใช่ PDF, DOCX, XLSX หรือรูปภาพ"))
            _ = try await staff.get(item)
            #expect(try await staff.upload(item + "/evidence", fields: [], files: [("file", "empty.pdf", [])]).status == .unprocessableContent)
            #expect(staff.lastBody.contains("ว่างเปล่า"))
            _ = try await staff.get(item)
            let big = try await staff.upload(item + "/evidence", fields: [], files: [("file", "big.pdf", pdf + Array(repeating: 0x20, count: 5000))])
            #expect(big.status == .unprocessableContent)
            #expect(staff.lastBody.contains("ใหญ่เกิน"))
            _ = try await staff.get(item)
            #expect(try await staff.upload(item + "/evidence", fields: [("links", "javascript:alert(1)")], files: []).status == .unprocessableContent)
            // One bad link loses nothing: the links, the explanation and the ticks come back; chosen files are named.
            _ = try await staff.get(item)
            let kept = try await staff.upload(item + "/evidence", fields: [("links", "www.tambonbanpong.go.th/report\nhtp:/broken"), ("explanation", "คำอธิบายที่พิมพ์ไว้ยาวๆ"),
                                                                        ("component", "1")], files: [("file", "scan.pdf", pdf)])
            #expect(kept.status == .unprocessableContent)
            #expect(staff.lastBody.contains("htp:/broken") && staff.lastBody.contains("คำอธิบายที่พิมพ์ไว้ยาวๆ"))
            #expect(staff.lastBody.contains(#"name="component" value="1" checked"#) && !staff.lastBody.contains(#"name="component" value="0" checked"#))
            // The chosen file is kept for the next try, not to be chosen again.
            #expect(!staff.lastBody.contains("กรุณาเลือกไฟล์อีกครั้ง"))
            #expect(staff.lastBody.contains(#"data-testid="held-files""#) && staff.lastBody.contains("scan.pdf"))
            let token = try #require(staff.lastBody.range(of: #"name="held" value=""#).map { range in
                String(staff.lastBody[range.upperBound...].prefix { $0 != "\"" })
            })
            _ = try await staff.get(item)
            let huge = try await staff.upload(item + "/evidence", fields: [], files: [("file", "huge.pdf", Array(repeating: 0x41, count: 200_000))])
            #expect(huge.status == .contentTooLarge)
            #expect(try await repositories.evidence.revisions(assessmentID: world.assessment.id, itemID: "O13", logger: testLogger).count == 2, "nothing stored")
            // Bounds: 20,000 characters of explanation and 50 links per revision.
            _ = try await staff.get(item)
            let long = try await staff.upload(item + "/evidence", fields: [("explanation", String(repeating: "ก", count: 20_001))], files: [])
            #expect(long.status == .unprocessableContent && staff.lastBody.contains("คำอธิบายยาวเกิน 20000 ตัวอักษร"))
            _ = try await staff.get(item)
            let many = (1...51).map { "https://www.tambonbanpong.go.th/p\($0)" }.joined(separator: "\n")
            let tooMany = try await staff.upload(item + "/evidence", fields: [("links", many)], files: [])
            #expect(tooMany.status == .unprocessableContent && staff.lastBody.contains("ใส่ลิงก์ได้ไม่เกิน 50 ลิงก์ต่อครั้ง"))
            // A forged token, or this person's token sent by someone else, holds nothing.
            _ = try await staff.get(item)
            let forged = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
            _ = try await staff.upload(item + "/evidence", fields: [("links", "htp:/broken"), ("held", forged)], files: [])
            #expect(!staff.lastBody.contains(#"data-testid="held-files""#))
            var officer2 = Browser(client)
            _ = try await officer2.signIn("officer")
            _ = try await officer2.get(item)
            _ = try await officer2.upload(item + "/evidence", fields: [("links", "htp:/broken"), ("held", token)], files: [])
            #expect(!officer2.lastBody.contains(#"data-testid="held-files""#), "a token is good only for the person it was made for")
            // Sent again with the link fixed: the held file goes into the new revision.
            _ = try await staff.get(item)
            let again = try await staff.upload(item + "/evidence", fields: [("links", "www.tambonbanpong.go.th/report"), ("explanation", "คำอธิบายที่พิมพ์ไว้ยาวๆ"),
                                                                         ("component", "1"), ("held", token)], files: [])
            #expect(again.status == .seeOther)
            let latest = try #require(try await repositories.evidence.revisions(assessmentID: world.assessment.id, itemID: "O13", logger: testLogger).last)
            #expect(latest.revision == 3 && latest.files.map(\.name) == ["scan.pdf"] && latest.links == ["https://www.tambonbanpong.go.th/report"])
            #expect(try await repositories.evidence.file(sha256: latest.files[0].sha256, logger: testLogger)?.bytes == pdf, "the bytes were kept")
            // The public page still shows the approved revision 2, not the newer draft.
            _ = try await citizen.get("/t/banpong/2566.json")
            let o13Now = try #require(try JSONParser.parse(citizen.lastBody)["items"]?.arrayValue?[12])
            #expect(o13Now["links"] == ["https://www.tambonbanpong.go.th/report-2565"])
            // The officer withdraws the published file with a reason: 404 publicly, still there for the agency and the assessor.
            _ = try await officer.get(item)
            #expect(officer.lastBody.contains("ถอนไฟล์นี้ออกจากหน้าสาธารณะ"))
            #expect(try await officer.post(item + "/withdraw", [("sha256", sha), ("reason", "")]).status == .unprocessableContent)
            #expect(officer.lastBody.contains("กรุณาระบุเหตุผลที่ถอนไฟล์"))
            _ = try await officer.get(item)
            #expect(try await staff.post(item + "/withdraw", [("sha256", sha), ("reason", "x")]).status == .forbidden, "division staff cannot withdraw")
            #expect(try await officer.post(item + "/withdraw", [("sha256", sha), ("reason", "มีข้อมูลส่วนบุคคลของประชาชน")]).status == .seeOther)
            #expect(try await citizen.get("/t/banpong/2566/files/\(sha)").status == .notFound)
            _ = try await citizen.get("/t/banpong/2566.json")
            #expect(try JSONParser.parse(citizen.lastBody)["items"]?.arrayValue?[12]["files"] == .array([]))
            #expect(try await officer.get("/agencies/banpong/2566/files/\(sha)").status == .ok, "the bytes stay for the agency and the assessor")
            let withdrawals = try await repositories.audit.entries(agencyID: world.banpong.id, limit: 50, logger: testLogger).filter { $0.action == "evidence-withdraw" }
            #expect(withdrawals.count == 1 && withdrawals[0].detail.contains("มีข้อมูลส่วนบุคคลของประชาชน"))

            // Another division's item: division staff may not add evidence.
            _ = try await staff.get("/agencies/banpong/2566/items/O19")
            #expect(!staff.lastBody.contains("/items/O19/evidence"))
            #expect(try await staff.upload("/agencies/banpong/2566/items/O19/evidence", fields: [("explanation", "x")], files: []).status == .forbidden)
            var viewer = Browser(client)
            _ = try await viewer.signIn("viewer")
            _ = try await viewer.get(item)
            #expect(try await viewer.upload(item + "/evidence", fields: [("explanation", "x")], files: []).status == .forbidden)
            #expect(try await viewer.post(item + "/assign", [("division", "")]).status == .forbidden)
            var stranger = Browser(client)
            _ = try await stranger.signIn("muang-officer")
            #expect(try await stranger.get(item).status == .notFound)
            #expect(try await stranger.get("/agencies/banpong/2566/files/\(sha)").status == .notFound)
            #expect(try await stranger.get("/agencies/muang/2566/files/\(sha)").status == .notFound, "a file is served only through the agency whose evidence names it")
        }
    }
}
