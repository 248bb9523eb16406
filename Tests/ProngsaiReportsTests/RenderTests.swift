import Foundation
import ProngsaiCore
import ProngsaiReports
import Testing
import TestSupport

@Suite("renderers")
struct RenderTests {
    @Test("bar charts: one bar per figure, scaled to 100, red under the pass mark, text escaped")
    func barChart() {
        let chart = BarChart(title: "คะแนน <ITA>", bars: [
            .init(label: "IIT", value: Fixtures.decimal("97.82")),
            .init(label: "EIT ส่วนที่ 2 & more", value: Fixtures.decimal("81.73")),
        ])
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
