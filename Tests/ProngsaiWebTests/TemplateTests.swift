import Foundation
import Mustache
import Testing

@testable import ProngsaiWeb

@Suite("templates: values prepared once, text escaped on bytes")
struct TemplateTests {
    struct Row { var name: String; var note: String?; var low: Bool; var count: Int; var score: Decimal }
    struct Page { var title: String; var rows: [Row]; var empty: [Row]; var missing: String?; var nested: Row?; var t: [String: String] }

    @Test("a model renders the same prepared as by reflection: keys, nil optionals that climb to the page, sections, arrays, numbers")
    func prepared() throws {
        let template = try MustacheTemplate(string: """
            {{title}}|{{#rows}}[{{name}} {{note}} {{title}} {{#low}}low{{/low}}{{^low}}ok{{/low}} {{count}} {{score}} {{t.x}}]{{/rows}}\
            |{{^empty}}none{{/empty}}|{{missing}}|{{#nested}}{{name}}{{/nested}}|{{nested.count}}
            """)
        let page = Page(title: "หน้า <1>", rows: [Row(name: "a&b", note: nil, low: true, count: 0, score: Decimal(string: "88.345")!),
                                                  Row(name: "ข", note: "n\"q'", low: false, count: 12, score: 5)],
                        empty: [], missing: nil, nested: Row(name: "in", note: nil, low: false, count: 7, score: 1), t: ["x": "ป้าย"])
        let direct = template.render(page)
        #expect(direct.contains("[a&amp;b  หน้า &lt;1&gt; low 0 88.345 ป้าย]"), "the reflection rendering the test compares with: \(direct)")
        #expect(template.render(TemplateValues.prepare(page)) == direct)
    }

    @Test("escaping: the five characters become entities on bytes, Thai and other text untouched, a < before a combining mark too")
    func escape() {
        let html = HTMLText()
        #expect(html.escapeText("ไม่มีอักขระพิเศษ") == "ไม่มีอักขระพิเศษ")
        #expect(html.escapeText(#"<script>alert("x")</script> & 'y'"#) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        #expect(html.escapeText("<\u{0301}img>") == "&lt;\u{0301}img&gt;")
        #expect(html.escapeText("") == "")
    }
}

@Suite("addresses: one case gives the route pattern and the path")
struct SiteURLTests {
    @Test("paths fill their case's pattern, parameters ending at / or .")
    func paths() {
        #expect(SiteURL.dashboard(agency: "banpong", year: 2566).path == "/agencies/banpong/2566")
        #expect(SiteURL.dashboard(agency: "banpong", year: 2566).pattern == "/agencies/:agency/:year")
        #expect(SiteURL.transparencyJSON(agency: "banpong", year: 2566).path == "/t/banpong/2566.json")
        #expect(SiteURL.surveyQR(agency: "a", year: 2567, part: "eit1", format: "png").path == "/agencies/a/2567/surveys/eit1/qr.png")
        #expect(SiteURL.Pattern.surveyQRSVG == "/agencies/:agency/:year/surveys/:part/qr.svg")
        #expect(SiteURL.script("live").path == "/static/live.js")
        #expect(SiteURL.language(.en).path == "/lang/en")
        #expect(SiteURL.measureProgress(agency: "a", year: 2566, id: "m-1").path == "/agencies/a/2566/measures/m-1/progress")
        #expect(SiteURL.Pattern.measureProgress == "/agencies/:agency/:year/measures/:measure/progress")
        #expect(SiteURL.home.path == "/" && SiteURL.health.path == "/healthz")
    }
}
