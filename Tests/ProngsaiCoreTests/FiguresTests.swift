import Foundation
import ProngsaiCore
import Testing
import TestSupport

@Suite("assessment figures and topic headings")
struct FiguresTests {
    static func published(_ framework: Framework) -> [StoredResult] {
        [StoredResult(key: "iit", score: Fixtures.decimal("97.82"), source: .published),
         StoredResult(key: "eit1", score: Fixtures.decimal("94.96"), source: .published),
         StoredResult(key: "eit2", score: Fixtures.decimal("81.73"), source: .published)]
    }

    static func items(_ framework: Framework, failing: Set<String>) -> [OITItemResult] {
        framework.checklistTools[0].checklist.items.map { OITItemResult(itemID: $0.id, passed: !failing.contains($0.id)) }
    }

    /// Every question of a part answered at `level` (yes-no questions "yes").
    static func responses(_ framework: Framework, part: String, count: Int, level: Int) throws -> [SurveyResponse] {
        let survey = try #require(framework.surveyTool(forPart: part)).survey
        var answers: [String: Answer] = [:]
        for question in survey.questions {
            if case .yesNo? = framework.scales[question.scale] { answers[question.id] = .yesNo(true) } else { answers[question.id] = .level(level) }
        }
        return Array(repeating: SurveyResponse(answers), count: count)
    }

    @Test("the reference case: 95.35 ผ่าน, every line, indicator and mark from one function")
    func reference() throws {
        let framework = try Fixtures.framework()
        let figures = AssessmentFigures.compute(framework: framework, results: Self.published(framework), items: Self.items(framework, failing: ["O13"]))
        #expect(figures.complete)
        #expect(figures.score?.displayString == "95.35")
        #expect(figures.level?.name.th == "ผ่าน")
        #expect(figures.lines.map(\.id) == ["iit", "eit1", "eit2", "oit"])
        #expect(figures.lines.map { $0.score.displayString } == ["97.82", "94.96", "81.73", "98.75"])
        #expect(figures.lines.map(\.partNumber) == [nil, 1, 2, nil])
        #expect(figures.value("eit")?.displayString == "88.35")
        #expect(figures.estimatedParts.isEmpty)
        #expect(figures.belowPassMark(Fixtures.decimal("81.73")) && !figures.belowPassMark(Fixtures.decimal("84.995")))
        #expect(figures.checklist("oit", subindicator: "9.2")?.displayString == "87.50")
        #expect(figures.indicators["9.2"]?.displayString == "87.50")
        let input = try #require(figures.scoreInput(responses: [:])?.objectValue?["results"]?.objectValue)
        #expect(input["oit"]?.objectValue?["failed"] == .array(["O13"]))
        #expect(input["eit2"]?.objectValue?["score"] == .number(Fixtures.decimal("81.73")))
        // The what-if goes through the same figures: passing O13 lifts the ITA to 95.85.
        let outcome = try #require(try figures.whatIf([.pass(item: "O13")]))
        #expect(outcome.after.score.displayString == "95.85")
    }

    @Test("live answers: estimates past the anonymity minimum, nothing below it, samples against the population")
    func live() throws {
        let framework = try Fixtures.framework()
        var responses = ["eit1": try Self.responses(framework, part: "eit1", count: 6, level: 4),
                         "iit": try Self.responses(framework, part: "iit", count: 4, level: 4)]
        let results = [StoredResult(key: "eit2", score: Fixtures.decimal("81.73"), source: .published)]
        var figures = AssessmentFigures.compute(framework: framework, results: results, items: [], tallies: responses.mapValues(ResponseTally.init), populations: ["eit1": 100])
        #expect(figures.estimatedParts == ["eit1"])
        #expect(figures.live["eit1"]?.respondents == 6)
        #expect(figures.live["iit"] == nil, "4 answers are below the minimum of 5")
        #expect(figures.gathered.withheld == ["iit"])
        #expect(figures.value("iit") == nil && figures.value("eit1") != nil)
        #expect(!figures.complete && figures.scoreInput(responses: responses) == nil)
        #expect(figures.isEstimated(tool: try #require(framework.tool("eit"))))
        #expect(figures.lines.first { $0.id == "eit1" }?.estimated == true)
        let sample = figures.sample("eit1")
        #expect(sample.responses == 6 && sample.target != nil && !sample.reached)
        #expect(figures.sample("iit").target == nil)
        // A published score stands in for the part, but its own answers still show (live) to the officer.
        responses["eit2"] = try Self.responses(framework, part: "eit2", count: 5, level: 1)
        figures = AssessmentFigures.compute(framework: framework, results: results, items: [], tallies: responses.mapValues(ResponseTally.init))
        #expect(figures.value("eit2") == Fixtures.decimal("81.73"))
        #expect(!figures.estimatedParts.contains("eit2"))
        #expect(figures.live["eit2"]?.score != nil && figures.live["eit2"]?.score != Fixtures.decimal("81.73"))
    }

    @Test("a measure that reports progress is under way; other statuses stand")
    func measureStatus() {
        #expect(MeasureStatus.planned.afterProgressReport == .inProgress)
        for status in [MeasureStatus.inProgress, .done, .cancelled] { #expect(status.afterProgressReport == status) }
    }

    @Test("FY2566 carries the reference report's topic headings, each printed before its first item")
    func topics() throws {
        let checklist = try Fixtures.framework().checklistTools[0].checklist
        let subs = Dictionary(uniqueKeysWithValues: checklist.subindicators.map { ($0.id, $0) })
        let expected: [(String, String, String)] = [
            ("9.2", "O11", "การดำเนินงาน"), ("9.3", "O19", "การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ"), ("9.4", "O23", "การบริหารทรัพยากรบุคคล"),
            ("9.5", "O27", "การจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"), ("10.1", "O31", "นโยบาย No Gift Policy"),
            ("10.2", "O39", "มาตรการเสริมสร้างมาตรฐานทางจริยธรรม"),
        ]
        for (sub, first, name) in expected {
            let s = try #require(subs[sub])
            #expect(s.topicStarting(at: first)?.name.th == name)
            #expect(s.items.dropFirst().allSatisfy { s.topicStarting(at: $0.id) == nil })
        }
        #expect(subs["9.1"]?.topics.isEmpty == true)
        #expect(subs["9.1"]?.topic(of: "O1") == nil)
        #expect(subs["10.2"]?.topic(of: "O42")?.name.th == "มาตรการเสริมสร้างมาตรฐานทางจริยธรรม")
    }

    @Test("a question's own answer labels: read from the file, checked against its scale")
    func answerLabels() throws {
        let ita = try Fixtures.framework()
        let e4 = try #require(ita.surveyTool(forPart: "eit1")?.survey.questions.first { $0.id == "e4" })
        #expect(e4.answerLabels["yes"]?.th == "เคย" && e4.answerLabels["no"]?.th == "ไม่เคย")
        var root = try #require(ita.document.objectValue)
        var tools = try #require(root["tools"]?.arrayValue)
        var eit = try #require(tools[1].objectValue)
        var indicators = try #require(eit["indicators"]?.arrayValue)
        var first = try #require(indicators[0].objectValue)
        var questions = try #require(first["questions"]?.arrayValue)
        var question = try #require(questions[0].objectValue)
        question["answerLabels"] = .object(JSONObject([("maybe", .string("อาจจะ"))]))
        questions[0] = .object(question)
        first["questions"] = .array(questions)
        indicators[0] = .object(first)
        eit["indicators"] = .array(indicators)
        tools[1] = .object(eit)
        root["tools"] = .array(tools)
        #expect(throws: FrameworkError.self) { try FrameworkLoader.load(document: .object(root), source: "labels") }
    }

    @Test("a topic naming another sub-indicator's item, or an item twice, is refused with its path")
    func badTopics() throws {
        let text = """
            {"id": "t", "fiscalYear": 2570, "title": "t", "scales": {"two": {"points": [0, 100]}},
             "tools": [{"id": "oit", "kind": "checklist", "weight": 1,
               "indicators": [{"id": "9", "name": "x", "subindicators": [
                 {"id": "9.1", "name": "a", "items": [{"id": "O1", "title": "a"}, {"id": "O2", "title": "b"}],
                  "topics": [{"name": "one", "items": ["O1", "O3"]}, {"name": "two", "items": ["O1"]}, "three"]},
                 {"id": "9.2", "name": "b", "items": [{"id": "O3", "title": "c"}]}]}]}],
             "levels": [{"id": "pass", "minScore": 0}]}
            """
        do {
            _ = try FrameworkLoader.load(data: Data(text.utf8), source: "topics.json")
            Issue.record("a framework with bad topics loaded")
        } catch {
            let all = error.description
            let paths = error.problems.map(\.path)
            #expect(paths.contains("$.tools[0].indicators[0].subindicators[0].topics[0].items[1]") && all.contains("\"O3\" is not an item of sub-indicator 9.1"))
            #expect(paths.contains("$.tools[0].indicators[0].subindicators[0].topics[1].items[0]") && all.contains("already under the topic"))
            #expect(paths.contains("$.tools[0].indicators[0].subindicators[0].topics[2]"))
            #expect(error.problems.count == 3, "\(all)")
        }
    }
}

@Suite("link checks and sizes in Thai")
struct LinkCheckTextTests {
    static func snapshot(status: Int?, error: String? = nil, size: Int = 613, changed: Bool = false) -> EvidenceSnapshot {
        EvidenceSnapshot(itemID: "O1", url: "https://x.go.th", fetchedAt: "2023-03-15T05:00:00Z", status: status, contentType: "text/html", sha256: nil,
                         size: size, error: error, changed: changed)
    }

    @Test("the fetcher's reasons and HTTP statuses read as Thai sentences; sizes in ไบต์")
    func messages() {
        #expect(LinkCheckText.describe(Self.snapshot(status: nil, error: "the address nowhere.go.th does not resolve")).th == "ใช้งานไม่ได้: ไม่พบเว็บไซต์ nowhere.go.th")
        #expect(LinkCheckText.describe(Self.snapshot(status: nil, error: "could not connect to x.go.th: refused")).th == "ใช้งานไม่ได้: เชื่อมต่อเว็บไซต์ x.go.th ไม่ได้")
        #expect(LinkCheckText.describe(Self.snapshot(status: 404)).th == "ใช้งานไม่ได้: ไม่พบหน้านี้ (HTTP 404)")
        #expect(LinkCheckText.describe(Self.snapshot(status: 200)).th == "ใช้งานได้ (613 ไบต์)")
        #expect(LinkCheckText.describe(Self.snapshot(status: 200, size: 2048, changed: true)).th == "เนื้อหาเปลี่ยนไปจากครั้งก่อน (2.0 กิโลไบต์)")
        #expect(ThaiFormat.byteSize(5 * 1_048_576) == "5.0 เมกะไบต์" && ThaiFormat.byteSize(1, thai: false) == "1 byte")
    }
}

@Suite("public addresses")
struct PublicAddressTests {
    @Test("loopback and private-network hosts are private; public names and addresses are not", arguments: [
        ("http://127.0.0.1:8080/s/abc", true), ("http://localhost:8080", true), ("http://10.1.2.3", true), ("http://192.168.1.20", true),
        ("http://172.20.0.5:8080", true), ("http://[::1]:8080/", true), ("http://server.local", true), ("http://100.80.1.1", true),
        ("https://ita.example.go.th", false), ("http://203.150.1.10", false), ("http://172.32.0.1", false), ("https://banpong.go.th/s/x", false),
    ])
    func privacy(url: String, expected: Bool) {
        #expect(PublicAddress.isPrivate(url) == expected, "\(url)")
    }
}

@Suite("links as people type them")
struct WebLinkTests {
    @Test("a bare domain gets https://; real links stay; anything else is refused", arguments: [
        ("banpong.go.th/ita", "https://banpong.go.th/ita"), ("www.tambonbanpong.go.th", "https://www.tambonbanpong.go.th"),
        ("http://x.go.th/a", "http://x.go.th/a"), ("https://x.go.th", "https://x.go.th"),
    ])
    func fixed(typed: String, expected: String) { #expect(WebLink.normalized(typed) == expected) }

    @Test("not web links", arguments: ["javascript:alert(1)", "htp:/broken", "ftp://x.go.th", "เว็บไซต์", "localhost", "a b.go.th", "/relative/path", ".go.th"])
    func refused(typed: String) { #expect(WebLink.normalized(typed) == nil, "\(typed)") }
}

@Suite("numbers and dates as typed")
struct TypedValueTests {
    @Test("whole numbers with Thai digits and thousands separators")
    func numbers() {
        #expect(TypedValue.wholeNumber("1,200") == 1200)
        #expect(TypedValue.wholeNumber("๑,๒๐๐") == 1200)
        #expect(TypedValue.wholeNumber(" 57 ") == 57)
        for bad in ["", "-3", "1.5", "12a", "๑๒ คน"] { #expect(TypedValue.wholeNumber(bad) == nil, "\(bad)") }
    }

    @Test("dates from pickers, Buddhist-era ISO and Thai writing")
    func dates() {
        let first = CivilDate(iso: "2024-12-01")
        #expect(TypedValue.date("2024-12-01") == first)
        #expect(TypedValue.date("2567-12-01") == first)
        #expect(TypedValue.date("1 ธ.ค. 2567") == first)
        #expect(TypedValue.date("๑ ธันวาคม ๒๕๖๗") == first)
        #expect(TypedValue.date("1/12/2567") == first)
        for bad in ["31 ก.พ. 2567", "1 xyz 2567", "tomorrow", "1/13/2567"] { #expect(TypedValue.date(bad) == nil, "\(bad)") }
    }
}
