import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport

@Suite("analysis, measures and documents over a real HTTP server", .serialized)
struct ImprovementWebTests {
    /// Adds a FY2565 assessment with published indicator scores: 4 and 8 below 85.
    static func addLastYear(_ world: SeededWorld, _ repositories: Repositories) async throws {
        let last = Assessment(agencyID: world.banpong.id, frameworkID: "ita-2566", fiscalYear: 2565)
        let actor = AuditActor(userID: nil, name: "test")
        try await repositories.assessments.create(last, by: actor, logger: testLogger)
        let scores: [(String, Decimal)] = [("1", 95), ("2", 90.5), ("3", 92), ("4", 80.25), ("5", 96), ("6", 88), ("7", 91), ("8", 79.5), ("9", 97), ("10", 99),
                                           ("9.4", 75)]
        for (id, score) in scores {
            let key = IndicatorScores.resultKey(id)
            try await repositories.assessments.setResult(last, key: key, to: StoredResult(key: key, score: score, source: .published), by: actor, logger: testLogger)
        }
        for (part, score) in [("iit", Decimal(93)), ("eit1", 90), ("eit2", 80), ("oit", 96)] {
            try await repositories.assessments.setResult(last, key: part, to: StoredResult(key: part, score: score, source: .published), by: actor, logger: testLogger)
        }
    }

    @Test("the analysis drafts weak points from last year's published indicator scores; the officer's text survives a redraft", arguments: TestEngine.available)
    func analysis(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var browser = Browser(client)
            _ = try await browser.signIn("officer")
            _ = try await browser.get("/agencies/banpong/2566/analysis")
            #expect(browser.lastBody.contains("ยังไม่มีผลการประเมินของปีก่อนหน้า"), "no earlier year: the page says how to add one")
            // The demo's reference guidance is shown for indicator 4.
            #expect(browser.lastBody.contains("สร้างแนวปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของทางราชการ"))

            // Last year's published scores typed in on the analysis page: a wrong figure saves nothing.
            let typo = try await browser.post("/agencies/banpong/2566/analysis/last-year", [("iit", "93"), ("ind:4", "101")])
            #expect(typo.status == .unprocessableContent)
            #expect(browser.lastBody.contains("กรุณากรอกตัวเลข 0–100"))
            #expect(try await repositories.assessments.find(agencyID: world.banpong.id, fiscalYear: 2565, logger: testLogger) == nil)
            let scores: [(String, String)] = [("1", "95"), ("2", "90.5"), ("3", "92"), ("4", "80.25"), ("5", "96"), ("6", "88"), ("7", "91"), ("8", "๗๙.๕"),
                                              ("9", "97"), ("10", "99")]
            let typed = try await browser.post("/agencies/banpong/2566/analysis/last-year",
                                               [("iit", "93"), ("eit1", "90"), ("eit2", "80"), ("oit", "96")] + scores.map { ("ind:\($0.0)", $0.1) })
            #expect(typed.status == .seeOther)
            let last = try #require(try await repositories.assessments.find(agencyID: world.banpong.id, fiscalYear: 2565, logger: testLogger))
            let stored = try await repositories.assessments.results(assessmentID: last.id, logger: testLogger)
            #expect(stored.first { $0.key == "ind:8" }?.score == Decimal(string: "79.5"), "Thai digits accepted")
            #expect(stored.first { $0.key == "iit" }?.source == .published)
            _ = try await browser.get("/agencies/banpong/2566/analysis")
            #expect(browser.lastBody.contains("ปีงบประมาณ 2565"))
            // 4 (80.25) and 8 (79.50) are below 85; 6 (88) is the third lowest.
            #expect(browser.lastBody.contains(">80.25<") && browser.lastBody.contains(">79.50<"))
            #expect(browser.lastBody.contains("<svg"), "year-over-year chart")
            #expect(browser.lastBody.contains("2565") && browser.lastBody.contains("2566"))

            // Save an edit: the note of indicator 1 and its progress.
            var form: [(String, String)] = []
            for id in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] {
                form.append(("guidance-\(id)", id == "1" ? "แนวทางที่แก้ไขแล้ว <b>" : "แนวทาง \(id)"))
                form.append(("responsible-\(id)", "สำนักปลัด"))
                form.append(("period-\(id)", "ต.ค.65 - ก.ย.66"))
                form.append(("progress-\(id)", id == "1" ? "done" : "in-progress"))
                form.append(("note-\(id)", ""))
            }
            form.append(("weak-1", "on"))
            let saved = try await browser.post("/agencies/banpong/2566/analysis", form)
            #expect(saved.status == .seeOther)
            var rows = try await repositories.improvement.analysis(assessmentID: world.assessment.id, logger: testLogger)
            #expect(rows.count == 10)
            #expect(rows.first { $0.indicatorID == "1" }?.guidance == "แนวทางที่แก้ไขแล้ว <b>")
            #expect(rows.first { $0.indicatorID == "1" }?.weak == true)
            #expect(rows.first { $0.indicatorID == "4" }?.weak == false)
            _ = try await browser.get("/agencies/banpong/2566/analysis")
            #expect(browser.lastBody.contains("แนวทางที่แก้ไขแล้ว &lt;b&gt;"), "escaped on the page")

            // Redraft: weak flags from the 2565 scores, the written guidance kept.
            let redraft = try await browser.post("/agencies/banpong/2566/analysis/draft", [])
            #expect(redraft.status == .seeOther)
            rows = try await repositories.improvement.analysis(assessmentID: world.assessment.id, logger: testLogger)
            #expect(Set(rows.filter(\.weak).map(\.indicatorID)) == ["4", "8", "6"])
            #expect(rows.first { $0.indicatorID == "1" }?.guidance == "แนวทางที่แก้ไขแล้ว <b>")

            // A bad progress value is a clear error, nothing saved.
            _ = try await browser.get("/agencies/banpong/2566/analysis")
            let bad = try await browser.post("/agencies/banpong/2566/analysis", [("progress-1", "finished")])
            #expect(bad.status == .badRequest)
            #expect(browser.lastBody.contains("สถานะความก้าวหน้าไม่ถูกต้อง"))
            #expect(try await repositories.improvement.analysis(assessmentID: world.assessment.id, logger: testLogger).count == 10)

            // Only the officer and the admin change the analysis; division staff and viewers read it; another agency sees nothing.
            for username in ["palad", "viewer"] {
                var reader = Browser(client)
                _ = try await reader.signIn(username)
                #expect(try await reader.get("/agencies/banpong/2566/analysis").status == .ok)
                #expect(!reader.lastBody.contains(#"action="/agencies/banpong/2566/analysis""#), "no edit form for \(username)")
                #expect(try await reader.post("/agencies/banpong/2566/analysis", [("progress-1", "done")]).status == .forbidden)
                #expect(try await reader.post("/agencies/banpong/2566/analysis/draft", []).status == .forbidden)
                #expect(try await reader.post("/agencies/banpong/2566/analysis/last-year", [("iit", "50")]).status == .forbidden)
            }
            var other = Browser(client)
            _ = try await other.signIn("muang-officer")
            #expect(try await other.get("/agencies/banpong/2566/analysis").status == .notFound)
            _ = try await other.get("/agencies/muang/2566/analysis")
            #expect(try await other.post("/agencies/banpong/2566/analysis/last-year", [("iit", "50")]).status == .notFound)
            #expect(try await repositories.assessments.results(assessmentID: last.id, logger: testLogger).first { $0.key == "iit" }?.score == 93)
        }
    }

    @Test("measures: add with validation, monthly progress, roll-ups, overdue and the effect on linked indicators", arguments: TestEngine.available)
    func measures(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var browser = Browser(client)
            _ = try await browser.signIn("officer")
            _ = try await browser.get("/agencies/banpong/2566/measures")
            #expect(browser.lastBody.contains("มาตรการกำกับดูแลและตรวจสอบการใช้ทรัพย์สินของราชการ"))
            #expect(browser.lastBody.contains("ต.ค.65 - ก.ย.66"))
            #expect(browser.lastBody.contains(#"data-testid="overall">100%"#), "the reference measures are all done")

            // Wrong input: every problem listed, nothing saved.
            let wrong = try await browser.post("/agencies/banpong/2566/measures", [
                ("number", "x"), ("title", ""), ("start", "2023-03-01"), ("end", "2022-01-01"), ("indicator", "99"), ("items", "O99"), ("status", "planned"),
            ])
            #expect(wrong.status == .unprocessableContent)
            for message in ["ลำดับต้องเป็นจำนวนเต็ม", "กรุณากรอกชื่อมาตรการ", "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น", "ไม่พบตัวชี้วัด 99", "ไม่พบข้อ OIT O99"] {
                #expect(browser.lastBody.contains(message), "\(message)")
            }
            #expect(try await repositories.improvement.measures(assessmentID: world.assessment.id, logger: testLogger).count == 3)

            // A measure whose period ended before today (15 March 2023) and is not done: overdue.
            let added = try await browser.post("/agencies/banpong/2566/measures", [
                ("number", "4"), ("title", "มาตรการทดสอบ No Gift"), ("method", "ประชุมชี้แจง"), ("start", "2022-10-01"), ("end", "2023-02-28"),
                ("responsible", "สำนักปลัด"), ("indicator", "4"), ("indicator", "9.4"), ("items", "o32, O33"), ("target", "บุคลากรร้อยละ 100"),
                ("status", "planned"), ("summary", ""), ("outcome", ""),
            ])
            #expect(added.status == .seeOther)
            let measures = try await repositories.improvement.measures(assessmentID: world.assessment.id, logger: testLogger)
            let measure = try #require(measures.first { $0.number == 4 })
            #expect(measure.indicators == ["4", "9.4"] && measure.items == ["O32", "O33"])
            _ = try await browser.get("/agencies/banpong/2566/history")
            #expect(browser.lastBody.contains("เพิ่มมาตรการ มาตรการทดสอบ No Gift (วางแผนแล้ว)"), "the history says it in plain Thai")
            _ = try await browser.get("/agencies/banpong/2566/measures")
            #expect(browser.lastBody.contains(#"data-testid="overdue-count">1<"#))
            #expect(browser.lastBody.contains(#"<tr class="overdue" data-testid="measure-4">"#))
            #expect(browser.lastBody.contains(#"data-testid="overall">75%"#), "(100+100+100+0)/4")

            // Monthly progress: bad input refused, good input recorded; the measure is now under way.
            let page = "/agencies/banpong/2566/measures/\(measure.id)"
            _ = try await browser.get(page)
            let badProgress = try await browser.post(page + "/progress", [("month", "2023-13"), ("percent", "150"), ("evidence", "javascript:alert(1)")])
            #expect(badProgress.status == .unprocessableContent)
            #expect(browser.lastBody.contains("กรุณาเลือกเดือนที่รายงาน") && browser.lastBody.contains("ความก้าวหน้าต้องเป็นจำนวนเต็ม 0–100"))
            #expect(browser.lastBody.contains("ลิงก์หลักฐานต้องขึ้นต้นด้วย"))
            let progress = try await browser.post(page + "/progress", [("month", "2023-02"), ("percent", "๖๐"), ("note", "ประชุมแล้ว 2 ครั้ง"), ("evidence", "https://example.go.th/nogift")])
            #expect(progress.status == .seeOther)
            _ = try await browser.get(page)
            #expect(browser.lastBody.contains(#"data-testid="percent">60%"#))
            #expect(browser.lastBody.contains("ก.พ. 2566") && browser.lastBody.contains("ประชุมแล้ว 2 ครั้ง"))
            #expect(try await repositories.improvement.measure(id: measure.id, logger: testLogger)?.status == .inProgress)

            // Evidence files with the monthly report: checked by content, stored once, served to the agency only.
            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)
            _ = try await browser.get(page)
            let notPDF = try await browser.upload(page + "/progress", fields: [("month", "2023-03"), ("percent", "70")],
                                                  files: [("file", "minutes.pdf", Array("<html>not a pdf</html>".utf8))])
            #expect(notPDF.status == .unprocessableContent)
            #expect(browser.lastBody.contains("ไม่ใช่ PDF, DOCX, XLSX หรือรูปภาพ"))
            let withFile = try await browser.upload(page + "/progress", fields: [("month", "2023-03"), ("percent", "70"), ("note", "รายงานการประชุม")],
                                                    files: [("file", "minutes 03.pdf", pdf)])
            #expect(withFile.status == .seeOther)
            let latest = try #require(try await repositories.improvement.updates(assessmentID: world.assessment.id, logger: testLogger).last)
            #expect(latest.files.map(\.name) == ["minutes 03.pdf"] && latest.percent == 70)
            _ = try await browser.get(page)
            let fileURL = "/agencies/banpong/2566/files/\(latest.files[0].sha256)"
            #expect(browser.lastBody.contains(fileURL))
            let download = try await browser.get(fileURL)
            #expect(download.status == .ok && Array(buffer: download.body) == pdf)

            // The effect: FY2565 published 4 = 80.25 and 9.4 = 75; FY2566 9.4 is computed from the items (100).
            try await Self.addLastYear(world, repositories)
            _ = try await browser.get("/agencies/banpong/2566/measures")
            #expect(browser.lastBody.contains("75.00 → 100.00"))
            #expect(browser.lastBody.contains("+25.00"))

            // Division staff report progress but do not create or edit measures; viewers do neither.
            var palad = Browser(client)
            _ = try await palad.signIn("palad")
            _ = try await palad.get(page)
            #expect(try await palad.post(page + "/progress", [("month", "2023-03"), ("percent", "80")]).status == .seeOther)
            #expect(try await palad.post(page, [("number", "4"), ("title", "x"), ("start", "2023-01-01"), ("end", "2023-02-01"), ("status", "done")]).status == .forbidden)
            #expect(try await palad.post("/agencies/banpong/2566/measures", [("title", "x")]).status == .forbidden)
            var viewer = Browser(client)
            _ = try await viewer.signIn("viewer")
            _ = try await viewer.get(page)
            #expect(viewer.lastBody.contains("มาตรการทดสอบ No Gift"))
            #expect(!viewer.lastBody.contains(#"name="percent""#), "no progress form for a viewer")
            #expect(try await viewer.post(page + "/progress", [("month", "2023-03"), ("percent", "90")]).status == .forbidden)
            #expect(try await viewer.post("/agencies/banpong/2566/analysis", []).status == .forbidden)
            // Another agency's officer sees nothing of it.
            var other = Browser(client)
            _ = try await other.signIn("muang-officer")
            #expect(try await other.get(page).status == .notFound)
            #expect(try await other.get("/agencies/banpong/2566/measures").status == .notFound)
            #expect(try await other.get("/agencies/muang/2566/files/\(latest.files[0].sha256)").status == .notFound, "not through another agency")
            // A measure id from the path that is not this assessment's answers 404.
            #expect(try await browser.get("/agencies/banpong/2566/measures/not-a-measure").status == .notFound)
        }
    }

    @Test("documents: memo details, a background job with progress, downloads and the print view; no LibreOffice, a hint", arguments: TestEngine.available)
    func documents(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var browser = Browser(client)
            _ = try await browser.signIn("officer")
            _ = try await browser.get("/agencies/banpong/2566/documents")
            #expect(browser.lastBody.contains("libreoffice-writer-nogui"), "how to get PDFs")
            #expect(browser.lastBody.contains("๑๘ กันยายน ๒๕๖๖"), "the demo memo's date, Buddhist era, Thai digits")

            let badMemo = try await browser.post("/agencies/banpong/2566/documents/memo", [("date", "2023-02-30"), ("subject", ""), ("to", ""), ("authorName", "")])
            #expect(badMemo.status == .unprocessableContent)
            #expect(browser.lastBody.contains("กรุณาระบุวันที่ของบันทึกข้อความให้ถูกต้อง"))
            #expect(try await repositories.improvement.memo(assessmentID: world.assessment.id, logger: testLogger)?.number == "ชร. ๗๗๖๐๑ / -")

            let started = try await browser.post("/agencies/banpong/2566/documents", [])
            #expect(started.status == .seeOther)
            let job = try #require(try await repositories.improvement.latestJob(assessmentID: world.assessment.id, logger: testLogger))
            #expect(job.steps == 6, "report and memo as DOCX and HTML, the workbook and the CSV; no PDF without LibreOffice")
            var status: JSONValue = .null
            for _ in 0..<200 {
                let response = try await browser.get("/agencies/banpong/2566/documents/jobs/\(job.id)")
                #expect(response.status == .ok)
                status = try JSONParser.parse(browser.lastBody)
                if status["status"]?.stringValue == "done" || status["status"]?.stringValue == "failed" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status["status"]?.stringValue == "done", "\(status)")
            let files = (status["files"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(files.sorted() == ["ita-banpong-2566-measures.csv", "ita-banpong-2566-memo.docx", "ita-banpong-2566-memo.html",
                                       "ita-banpong-2566-report.docx", "ita-banpong-2566-report.html", "ita-banpong-2566-workbook.xlsx"])
            let docx = try await browser.get("/agencies/banpong/2566/documents/jobs/\(job.id)/ita-banpong-2566-report.docx")
            #expect(docx.status == .ok)
            #expect(docx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            #expect(docx.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(Array(docx.body.readableBytesView.prefix(2)) == [0x50, 0x4B], "a zip")
            _ = try await browser.get("/agencies/banpong/2566/documents")
            #expect(browser.lastBody.contains("เสร็จแล้ว") && browser.lastBody.contains("ita-banpong-2566-workbook.xlsx"))

            // The print view is a standalone page with the reference content.
            let print = try await browser.get("/agencies/banpong/2566/documents/print")
            #expect(print.status == .ok)
            #expect(browser.lastBody.contains("95.35") && browser.lastBody.contains("☑"))
            #expect(browser.lastBody.contains("มาตรการเปิดโอกาสให้ประชาชนมีส่วนร่วม"))

            // Viewers may read and download; only the officer and admin make documents.
            var viewer = Browser(client)
            _ = try await viewer.signIn("viewer")
            #expect(try await viewer.get("/agencies/banpong/2566/documents/jobs/\(job.id)/ita-banpong-2566-memo.docx").status == .ok)
            _ = try await viewer.get("/agencies/banpong/2566/documents")
            #expect(try await viewer.post("/agencies/banpong/2566/documents", []).status == .forbidden)
            #expect(try await viewer.post("/agencies/banpong/2566/documents/memo", [("date", "2023-09-18")]).status == .forbidden)
            var other = Browser(client)
            _ = try await other.signIn("muang-officer")
            #expect(try await other.get("/agencies/banpong/2566/documents/jobs/\(job.id)/ita-banpong-2566-memo.docx").status == .notFound)
            #expect(try await other.get("/agencies/banpong/2566/documents/print").status == .notFound)
            #expect(try await other.get("/agencies/banpong/2566/documents").status == .notFound)
            // Another assessment's path cannot reach this job's files.
            #expect(try await other.get("/agencies/muang/2566/documents/jobs/\(job.id)/ita-banpong-2566-memo.docx").status == .notFound)
        }
    }
}
