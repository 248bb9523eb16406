import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ProngsaiCore
import ProngsaiReports
import Testing
import TestSupport
import ZIPFoundation

@Suite("agency documents: report, memo, workbook")
struct DocumentTests {
    /// Ban Pong's FY2566 case (the reference report), cut down to two measures and four analysis rows.
    static func input(memo withMemo: Bool = true) throws -> ReportInput {
        let framework = try Fixtures.framework()
        let start = try #require(CivilDate(year: 2022, month: 10, day: 1))
        let end = try #require(CivilDate(year: 2023, month: 9, day: 30))
        let march = try #require(CivilDate(year: 2023, month: 3, day: 31))
        let today = try #require(CivilDate(year: 2023, month: 9, day: 18))
        let agency = Agency(code: "banpong", name: LocalizedText(th: "องค์การบริหารส่วนตำบลบ้านโป่ง", en: "Ban Pong SAO"),
                            shortName: LocalizedText(th: "อบต.บ้านโป่ง", en: "Ban Pong"), type: "อบต.", province: "เชียงราย",
                            district: "เวียงป่าเป้า")
        let first = Measure(assessmentID: "a", number: 1, title: "มาตรการเสริมสร้างความซื่อสัตย์สุจริต <script>alert(1)</script>",
                            method: "1. จัดทำคู่มือ\n2. จัดโครงการส่งเสริมคุณธรรม", start: start, end: end, responsible: "สำนักปลัด",
                            indicators: ["4"], items: ["O23"], status: .done, summary: "จัดทำคู่มือแล้ว", outcome: "จัดโครงการเมื่อวันที่ 25 สิงหาคม 2566")
        let second = Measure(assessmentID: "a", number: 2, title: "มาตรการเปิดโอกาสให้ประชาชนมีส่วนร่วม", start: start, end: march,
                             responsible: "สำนักปลัด", indicators: ["8"], status: .inProgress)
        let update = MeasureUpdate(measureID: second.id, month: "2023-03", percent: 40, createdBy: "officer", createdAt: Date(timeIntervalSince1970: 0))
        let measures = [
            ReportInput.MeasureRow(measure: first, rollup: .of(first, updates: [], today: today),
                                   effects: MeasureEffect.of(first, before: ["4": Fixtures.decimal("85")], after: ["4": Fixtures.decimal("90")])),
            ReportInput.MeasureRow(measure: second, rollup: .of(second, updates: [update], today: today), updates: [update]),
        ]
        let analysis = [
            AnalysisRow(indicatorID: "1", score: Fixtures.decimal("97.5"), guidance: "ปฏิบัติงานด้วยความโปร่งใส", responsible: "ทุกส่วนราชการ",
                        period: "ต.ค. 65 ถึง ก.ย. 66", progress: .done, note: "จัดทำผังขั้นตอนการให้บริการ\nปฐมนิเทศเจ้าหน้าที่"),
            AnalysisRow(indicatorID: "4", score: Fixtures.decimal("85"), weak: true, guidance: "สร้างแนวปฏิบัติ", responsible: "กองคลัง",
                        period: "ต.ค. 65 ถึง ก.ย. 66", progress: .notStarted),
            AnalysisRow(indicatorID: "8", score: Fixtures.decimal("81.73"), weak: true, guidance: "ปรับปรุงการให้บริการ",
                        responsible: "สำนักปลัด", period: "ต.ค. 65 ถึง ก.ย. 66", progress: .inProgress),
            AnalysisRow(indicatorID: "9", score: Fixtures.decimal("98.75"), guidance: "เผยแพร่ข้อมูลให้ครบ", progress: .done),
        ]
        let checklist = try #require(framework.checklistTools.first?.checklist)
        let items = checklist.subindicators.flatMap { sub in
            sub.items.map { item in
                ReportInput.ItemRow(item: item, subindicatorID: sub.id, responsible: "สำนักปลัด", progress: item.id == "O13" ? .notStarted : .done,
                                    note: "เปิดเผยข้อมูลบนเว็บไซต์หลักของหน่วยงาน", passed: item.id != "O13")
            }
        }
        let memo = MemoDetails(
            division: "สำนักปลัด", number: "ชร. ๗๗๖๐๑ / -", date: today, to: "นายกองค์การบริหารส่วนตำบลบ้านโป่ง",
            subject: "รายงานผลการประเมินระดับคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปี พ.ศ. 2566",
            author: .init(name: "นางสาวอังคณา สุวรรณอุบล", position: "นักทรัพยากรบุคคลชำนาญการ"),
            signers: [.init(title: "ความเห็นหัวหน้าสำนักปลัด", name: "นางอิทธิยา จอมมงคล", position: "หัวหน้าสำนักปลัด")])
        let lines = [
            ReportInput.ScoreLine(id: "iit", name: "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)", score: Fixtures.decimal("97.82")),
            ReportInput.ScoreLine(id: "eit1", name: "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT) ส่วนที่ 1", score: Fixtures.decimal("94.96")),
            ReportInput.ScoreLine(id: "eit2", name: "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT) ส่วนที่ 2", score: Fixtures.decimal("81.73")),
            ReportInput.ScoreLine(id: "oit", name: "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)", score: Fixtures.decimal("98.75")),
        ]
        return ReportInput(agency: agency, fiscalYear: FiscalYear(2566), framework: framework, score: Fixtures.decimal("95.3456"),
                           levelName: "ผ่าน", scoreLines: lines, indicatorScores: ["1": Fixtures.decimal("97.5"), "9.1": Fixtures.decimal("100")],
                           analysis: analysis, measures: measures, items: items, memo: withMemo ? memo : nil, generatedOn: today)
    }

    /// One part of a zip package, as text.
    static func part(_ name: String, of data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive[name], "\(name) is missing")
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        return try #require(String(data: bytes, encoding: .utf8))
    }

    /// Parses the XML; returns the root element's name.
    static func parse(_ xml: String) throws -> String? {
        try XMLDocument(data: Data(xml.utf8), options: []).rootElement()?.name
    }

    @Test("the report is a DOCX in TH Sarabun New with the reference's tables")
    func reportDOCX() throws {
        let docx = try ITAReport.docx(try Self.input())
        for name in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml", "word/fontTable.xml",
                     "word/settings.xml", "word/footer1.xml", "docProps/core.xml", "docProps/app.xml"] {
            #expect(try Self.parse(try Self.part(name, of: docx)) != nil, "\(name) parses")
        }
        let document = try Self.part("word/document.xml", of: docx)
        #expect(try Self.parse(document) == "w:document")
        #expect(document.contains(#"w:cs="TH Sarabun New""#))
        #expect(document.contains(#"w:bidi="th-TH""#))
        #expect(document.contains("รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ 2566"))
        #expect(document.contains("องค์การบริหารส่วนตำบลบ้านโป่ง อำเภอเวียงป่าเป้า จังหวัดเชียงราย"))
        #expect(document.contains("โดยภาพรวมได้คะแนน 95.35 อยู่ในระดับ ผ่าน"))
        #expect(document.contains("ประเด็นการประเมิน IIT"))
        #expect(document.contains("ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"))
        #expect(document.contains("ตัวชี้วัดย่อยที่ 9.1"))
        #expect(document.contains(">O10</w:t>"), "item O10 is numbered as the text refers to it")
        // Topic headings from the framework, each after its sub-indicator's title and before its first item.
        for (sub, topic, first) in [("9.2", "การดำเนินงาน", ">O11<"), ("9.3", "การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ", ">O19<"),
                                    ("10.1", "นโยบาย No Gift Policy", ">O31<"), ("10.2", "มาตรการเสริมสร้างมาตรฐานทางจริยธรรม", ">O39<")] {
            let subAt = try #require(document.range(of: "ตัวชี้วัดย่อยที่ \(sub) "), "sub-indicator \(sub)")
            let topicAt = try #require(document.range(of: ">\(topic)</w:t>"), "topic \(topic)")
            let itemAt = try #require(document.range(of: first), "item \(first)")
            #expect(subAt.upperBound < topicAt.lowerBound && topicAt.upperBound < itemAt.lowerBound, "\(topic) sits between \(sub) and \(first)")
        }
        #expect(document.contains(#"<w:pStyle w:val="Heading3"/>"#))
        #expect(document.contains("☑ ดำเนินการ"))
        #expect(document.contains("☑ ยังไม่ได้ดำเนินการ"), "indicator 4 has not started")
        #expect(document.contains("ตัวชี้วัดที่ 4: 85.00 → 90.00 (+5.00)"))
        #expect(document.contains("&lt;script&gt;"))
        #expect(document.contains("<w:tblHeader/>"))
        #expect(document.contains(#"w:orient="landscape""#), "the measures table is on a landscape page")
        let fonts = try Self.part("word/fontTable.xml", of: docx)
        #expect(fonts.contains(#"<w:altName w:val="Sarabun"/>"#))
        let styles = try Self.part("word/styles.xml", of: docx)
        #expect(styles.contains(#"w:cs="TH Sarabun New""#) && styles.contains(#"<w:szCs w:val="32"/>"#))
    }

    @Test("the memo writes every number in Thai digits")
    func memoDOCX() throws {
        let docx = try MemoDocument.docx(try Self.input())
        let document = try Self.part("word/document.xml", of: docx)
        #expect(try Self.parse(document) == "w:document")
        #expect(document.contains("บันทึกข้อความ"))
        #expect(document.contains("๑๘ กันยายน ๒๕๖๖"))
        #expect(document.contains("มีคะแนน ๙๕.๓๕ คะแนน อยู่ในระดับ ผ่าน"))
        #expect(document.contains(">๙๗.๘๒<"))
        #expect(document.contains("ส่วนที่ ๑"))
        #expect(document.contains("(นางอิทธิยา จอมมงคล)"))
        #expect(!document.contains("95.35"))
        let withoutMemo = try Self.input(memo: false)
        #expect(throws: ReportDocumentError.memoDetailsMissing) { try MemoDocument.docx(withoutMemo) }
        #expect(MemoDocument.html(withoutMemo).contains("ยังไม่ได้กรอกรายละเอียดบันทึกข้อความ"))
    }

    @Test("the print views are standalone A4 pages with every text escaped")
    func printHTML() throws {
        let input = try Self.input()
        for html in [ITAReport.html(input), MemoDocument.html(input)] {
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains(#"<html lang="th">"#) && html.contains(#"<meta charset="utf-8">"#))
            #expect(html.contains("@page { size: A4; margin: 2cm }"))
            #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        }
        let report = ITAReport.html(input)
        #expect(report.contains("มาตรการเสริมสร้างความซื่อสัตย์สุจริต &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(report.contains("ตัวชี้วัดย่อยที่ 9.1"))
        #expect(report.range(of: #"<h4[^>]*>(<b>)?การจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ(</b>)?</h4>"#, options: .regularExpression) != nil)
        #expect(MemoDocument.html(input).contains("๑๘ กันยายน ๒๕๖๖"))
    }

    @Test("the workbook's four sheets parse and keep scores as numbers")
    func workbook() throws {
        let xlsx = try ReportWorkbook.xlsx(try Self.input())
        let workbook = try Self.part("xl/workbook.xml", of: xlsx)
        for name in ["คะแนน", "ข้อ OIT", "มาตรการ", "การวิเคราะห์"] {
            #expect(workbook.contains(#"name="\#(name)""#))
        }
        var sheets: [String] = []
        for index in 1...4 {
            let sheet = try Self.part("xl/worksheets/sheet\(index).xml", of: xlsx)
            #expect(try Self.parse(sheet) == "worksheet")
            sheets.append(sheet)
        }
        #expect(sheets[0].contains("<v>95.3456</v>"), "full precision, not the display figure")
        #expect(sheets[1].contains("ไม่ผ่าน"))
        #expect(sheets[2].contains("&lt;script&gt;"))
    }

    @Test("the measures CSV has a BOM, CRLF line ends and one row per measure")
    func measuresCSV() throws {
        let csv = ReportWorkbook.measuresCSV(try Self.input())
        #expect(csv.hasPrefix("\u{FEFF}ลำดับ,มาตรการ,"))
        #expect(csv.contains("\r\n"))
        let rows = try CSV.parse(csv)
        #expect(rows.count == 3)
        #expect(rows[1][9] == "100" && rows[2][9] == "40" && rows[2][10] == "ใช่")
    }
}
