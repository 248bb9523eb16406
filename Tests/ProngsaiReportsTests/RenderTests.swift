import Foundation
import ProngsaiCore
import ProngsaiReports
import Testing
import TestSupport

@Suite("renderers")
struct RenderTests {
    @Test("bar charts: one bar per figure, scaled to 100, red when Core says low, text escaped")
    func barChart() throws {
        let framework = try Fixtures.framework()
        let chart = BarChart(title: "คะแนน <ITA>", bars: [
            .init(label: "IIT", value: Fixtures.decimal("97.82"), low: framework.belowPassMark(Fixtures.decimal("97.82"))),
            .init(label: "EIT ส่วนที่ 2 & more", value: Fixtures.decimal("81.73"), low: framework.belowPassMark(Fixtures.decimal("81.73"))),
        ], threshold: framework.passMark)
        let svg = chart.svg()
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("aria-label=\"คะแนน &lt;ITA&gt;\""))
        #expect(svg.contains("EIT ส่วนที่ 2 &amp; more"))
        #expect(svg.contains(">97.82<"))
        #expect(svg.contains(">81.73<"))
        // 340px of bar area: 97.82% → 332.6px, 81.73% → 277.9px.
        #expect(svg.contains("width=\"332.6\" height=\"20\" fill=\"#1b7f5a\""))
        #expect(svg.contains("width=\"277.9\" height=\"20\" fill=\"#c0392b\""))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 4)
        // Another framework's pass mark: 81.73 is above 80, so green, and the line is drawn at 80.
        let eighty = BarChart(title: "x", bars: [.init(label: "EIT", value: Fixtures.decimal("81.73"), low: false)], threshold: 80).svg()
        #expect(eighty.contains("fill=\"#1b7f5a\"") && !eighty.contains("fill=\"#c0392b\""))
        #expect(eighty.contains(">80<"))
    }

    @Test("year-over-year charts: a bar per year, a missing figure is a dash and no bar, legend and pass mark")
    func yearChart() {
        let chart = YearChart(title: "ตัวชี้วัด <ปี>", years: [2565, 2566], rows: [
            .init(label: "ตัวชี้วัดที่ 4", values: [Fixtures.decimal("80.25"), Fixtures.decimal("97.5")]),
            .init(label: "ตัวชี้วัดที่ 8 & อื่น", values: [nil, 90]),
        ], threshold: 85)
        let svg = chart.svg()
        #expect(svg.contains("aria-label=\"ตัวชี้วัด &lt;ปี&gt;\""))
        #expect(svg.contains(">2565<") && svg.contains(">2566<"))
        #expect(svg.contains(">80.25<") && svg.contains(">97.50<") && svg.contains(">90.00<"))
        #expect(svg.contains("2565: —, 2566: 90.00"), "the missing year is named, not drawn as zero")
        #expect(svg.contains("ตัวชี้วัดที่ 8 &amp; อื่น"))
        // 2 legend boxes + 4 backgrounds + 3 bars (one figure missing).
        #expect(svg.components(separatedBy: "<rect").count - 1 == 9)
        #expect(svg.contains("stroke-dasharray"))
    }

    @Test("text tables align Thai by display width")
    func textTable() {
        #expect(TextTable.displayWidth("ผ่าน") == 3, "the vowel mark takes no column")
        #expect(TextTable.displayWidth("ที่") == 1)
        var table = TextTable(rightAligned: [1])
        table.add("ข้อมูลพื้นฐาน", "100.00")
        table.add("IIT", "97.82")
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.map(TextTable.displayWidth).allSatisfy { $0 == TextTable.displayWidth(lines[0]) })
    }

    @Test("the score table names the level in Thai and English")
    func scoreText() throws {
        let ita = try Fixtures.framework()
        let result = try Scorer.score(ita, Fixtures.referenceInputs(ita))
        let th = ScoreText.render(result, framework: ita, language: .th)
        #expect(th.contains("ระดับผลการประเมิน: ผ่าน (Pass)"))
        #expect(th.contains("9.2"))
        #expect(th.contains("87.50"))
        let en = ScoreText.render(result, framework: ita, language: .en)
        #expect(en.contains("Level: Pass (ผ่าน)"))
    }
}
