import Foundation
import ProngsaiCore
import Testing
import TestSupport

@Suite("score input documents")
struct ScoreInputTests {
    let ita = try! Fixtures.framework()

    func inputs(_ json: String) throws(ScoreInputError) -> ScoreInputs {
        let document = try! JSONParser.parse(json)
        return try ScoreRequest.parse(document).inputs(for: ita)
    }

    func error(_ results: String) -> ScoreInputError? {
        do {
            let inputs = try inputs(#"{"framework": "ita-2566", "results": \#(results)}"#)
            _ = try Scorer.score(ita, inputs)
            return nil
        } catch {
            return error
        }
    }

    let base = #""eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"failed": ["O13"]}"#

    @Test("the CONTRACT.md example input scores")
    func contractExample() throws {
        let parsed = try inputs(#"{"framework": "ita-2566", "results": {"iit": {"responses": [{"i1a": 4, "i2": 3, "i4": "no", "i5": null}]}, \#(base)}}"#)
        let result = try Scorer.score(ita, parsed)
        #expect(result.respondents["iit"] == 1)
        #expect(result.questions["iit"]?["i2"] == Fixtures.decimal("66.67"))
        #expect(result.questions["iit"]?["i5"] == nil, "null is not answered")
    }

    @Test("each class of bad input names the field, respondent and question", arguments: [
        (#"{"eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"failed": []}}"#, "results.iit", "missing"),
        (#"{"iit": {"score": 97.82}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"failed": []}, "eit3": {"score": 1}}"#, "results.eit3", "unknown"),
        (#"{"iit": {"responses": [{"i1a": 4}, {"i999": 2}]}, BASE}"#, "results.iit.responses[1].i999", "unknown question"),
        (#"{"iit": {"responses": [{"i1a": 4}, {"i1a": 2}, {"i1a": 5}]}, BASE}"#, "results.iit.responses[2].i1a", "out of range"),
        (#"{"iit": {"responses": [{"i1a": 0}]}, BASE}"#, "results.iit.responses[0].i1a", "out of range"),
        (#"{"iit": {"responses": [{"i1a": 2.5}]}, BASE}"#, "results.iit.responses[0].i1a", "whole number"),
        (#"{"iit": {"responses": [{"i1a": "yes"}]}, BASE}"#, "results.iit.responses[0].i1a", "expected an integer"),
        (#"{"iit": {"responses": [{"i4": 3}]}, BASE}"#, "results.iit.responses[0].i4", "expected \"yes\""),
        (#"{"iit": {"responses": [{"i4": "maybe"}]}, BASE}"#, "results.iit.responses[0].i4", "not \"maybe\""),
        (#"{"iit": {"responses": [{"i4": true}]}, BASE}"#, "results.iit.responses[0].i4", "boolean"),
        (#"{"iit": {"responses": []}, BASE}"#, "results.iit.responses", "empty"),
        (#"{"iit": {"responses": [{}]}, BASE}"#, "results.iit.responses", "no question"),
        (#"{"iit": {"responses": [3]}, BASE}"#, "results.iit.responses[0]", "must be an object"),
        (#"{"iit": {"score": 100.01}, BASE}"#, "results.iit.score", "between 0 and 100"),
        (#"{"iit": {"score": "97"}, BASE}"#, "results.iit.score", "must be a number"),
        (#"{"iit": {"score": 97, "responses": []}, BASE}"#, "results.iit", "exactly one"),
        (#"{"iit": {"score": 97.82}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"failed": ["O44"]}}"#, "results.oit.failed[0]", "unknown item"),
        (#"{"iit": {"score": 97.82}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"items": {"O1": true}}}"#, "results.oit.items.O2", "missing"),
        (#"{"iit": {"score": 97.82}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"items": {"O1": "yes"}}}"#, "results.oit.items.O1", "true or false"),
        (#"{"iit": {"score": 97.82}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"items": {"X1": true}}}"#, "results.oit.items.X1", "unknown item"),
        (#"{"iit": {"score": 97.82}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": "98"}"#, "results.oit", "must be an object"),
    ])
    func badInput(results: String, path: String, fragment: String) throws {
        let error = try #require(self.error(results.replacingOccurrences(of: "BASE", with: base)))
        #expect(error.path == path)
        #expect(error.message.contains(fragment), "\(error)")
    }

    @Test("envelope errors")
    func envelope() throws {
        #expect(throws: ScoreInputError.self) { _ = try ScoreRequest.parse(try JSONParser.parse("[]")) }
        #expect(throws: ScoreInputError.self) { _ = try ScoreRequest.parse(try JSONParser.parse(#"{"results": {}}"#)) }
        #expect(throws: ScoreInputError.self) { _ = try ScoreRequest.parse(try JSONParser.parse(#"{"framework": "ita-2566", "frameworkFile": "x", "results": {}}"#)) }
        #expect(throws: ScoreInputError.self) { _ = try ScoreRequest.parse(try JSONParser.parse(#"{"framework": "ita-2566", "results": []}"#)) }
        #expect(throws: ScoreInputError.self) { _ = try ScoreRequest.parse(try JSONParser.parse(#"{"framework": 2566, "results": {}}"#)) }
    }
}

@Suite("framework files")
struct FrameworkTests {
    @Test("the FY2566 framework holds the whole ITA")
    func ita2566() throws {
        let ita = try Fixtures.framework()
        #expect(ita.fiscalYear == 2566)
        #expect(ita.tools.map(\.id) == ["iit", "eit", "oit"])
        #expect(ita.tools.map(\.weight) == [Fixtures.decimal("0.3"), Fixtures.decimal("0.3"), Fixtures.decimal("0.4")])
        #expect(ita.partIDs == ["iit", "eit1", "eit2"])
        let iit = ita.surveyTools[0].survey
        #expect(iit.indicators.map(\.id) == ["1", "2", "3", "4", "5"])
        let iitGroups = Set(iit.questions.map { $0.group ?? $0.id })
        #expect(iitGroups.count == 30, "i1–i30 with sub-items")
        #expect(iit.questions.first { $0.id == "i4" }?.reverse == true)
        #expect(iit.questions.first { $0.id == "i26a" }?.scale == "yes-no")
        #expect(iit.questions.first { $0.id == "i26a" }?.reverse == false)
        let eit = ita.surveyTools[1].survey
        #expect(eit.indicators.map(\.id) == ["6", "7", "8"])
        #expect(eit.questions.map(\.id) == (1...15).map { "e\($0)" })
        let oit = ita.checklistTools[0].checklist
        #expect(oit.items.map(\.id) == (1...43).map { "O\($0)" })
        #expect(oit.subindicators.map(\.id) == ["9.1", "9.2", "9.3", "9.4", "9.5", "10.1", "10.2"])
        #expect(oit.subindicators.map(\.items.count) == [10, 8, 4, 4, 4, 8, 5])
        for item in oit.items {
            #expect(!item.components.isEmpty, "\(item.id) has components")
            for component in item.components {
                #expect(!component.contains("<") && !component.hasPrefix("-"), "\(item.id): \(component)")
            }
            #expect(!item.title.th.isEmpty)
        }
        #expect(oit.item("O13")?.components.contains("ระบุปัญหาอุปสรรค ข้อเสนอแนะ") == true)
        #expect(ita.levels.map(\.id) == ["excellent", "good", "pass", "improve", "urgent"])
        #expect(ita.clarificationDays == 15)
    }

    @Test("every problem of a broken file is reported with its JSON path")
    func brokenFramework() throws {
        let text = """
            {"id": "", "fiscalYear": 2570.5,
             "scales": {"four": {"points": [0, 50, 101]}},
             "tools": [
               {"id": "a", "kind": "survey", "weight": 0.5, "parts": ["a"],
                "indicators": [{"id": "1", "questions": [{"id": "q1", "scale": "five"}, {"id": "q1", "scale": "four"}]}]},
               {"id": "a", "kind": "checklist", "weight": 0.4, "items": [{"id": "X"}],
                "indicators": [{"id": "9", "subindicators": [{"id": "9.1", "items": [{"id": "O1"}, {"id": "O1"}]}]}]},
               {"id": "c", "kind": "poll", "weight": 0.2}
             ],
             "levels": [{"id": "low", "minScore": 50}, {"id": "high", "minScore": 90}]}
            """
        do {
            _ = try FrameworkLoader.load(data: Data(text.utf8), source: "broken.json")
            Issue.record("a broken framework loaded")
        } catch {
            let paths = error.problems.map(\.path)
            let all = error.description
            #expect(paths.contains("$.id"))
            #expect(paths.contains("$.fiscalYear"))
            #expect(paths.contains("$.scales.four.points[2]"))
            #expect(paths.contains("$.tools[0].indicators[0].questions[0].scale") && all.contains("unknown scale \"five\""))
            #expect(paths.contains("$.tools[0].indicators[0].questions[1].id") && all.contains("duplicate question id \"q1\""))
            #expect(paths.contains("$.tools[1].id") && all.contains("duplicate tool id \"a\""))
            #expect(paths.contains("$.tools[1].items") && all.contains("no sub-indicator"))
            #expect(paths.contains("$.tools[1].indicators[0].subindicators[0].items[1].id"))
            #expect(paths.contains("$.tools[2].kind") && all.contains("unknown tool kind \"poll\""))
            #expect(paths.contains("$.tools") && all.contains("must add up to 1, not 1.1"))
            #expect(paths.contains("$.levels[1].minScore"))
            #expect(paths.contains("$.levels[1]") && all.contains("catch every score"))
            #expect(error.problems.count >= 12)
        }
    }

    @Test("syntax errors give line and column")
    func syntaxError() {
        do {
            _ = try FrameworkLoader.load(data: Data("{\n  \"id\": \"x\",\n  oops\n}".utf8), source: "bad.json")
            Issue.record("loaded")
        } catch {
            #expect(error.description.contains("line 3, column 3"))
        }
    }

    @Test("an exported framework loads back identically, and an edited one scores with no code change")
    func roundTrip() throws {
        let ita = try Fixtures.framework()
        let text = ita.document.serialized()
        let again = try FrameworkLoader.load(data: Data(text.utf8), source: "export")
        #expect(again.document == ita.document)
        // Next year's framework: other weights.
        var root = try #require(ita.document.objectValue)
        var tools = try #require(root["tools"]?.arrayValue)
        for (i, weight) in ["0.25", "0.25", "0.5"].enumerated() {
            var tool = try #require(tools[i].objectValue)
            tool["weight"] = .number(Fixtures.decimal(weight))
            tools[i] = .object(tool)
        }
        root["tools"] = .array(tools)
        root["id"] = "ita-2567"
        let edited = try FrameworkLoader.load(document: .object(root), source: "edited")
        let result = try Scorer.score(edited, Fixtures.referenceInputs(edited))
        // 0.25·97.82 + 0.25·88.345 + 0.5·98.75 = 95.91625
        #expect(result.score == Fixtures.decimal("95.91625"))
    }
}

@Suite("Thai formatting")
struct ThaiFormatTests {
    @Test func digits() {
        #expect(ThaiFormat.thaiDigits("95.35") == "๙๕.๓๕")
        #expect(ThaiFormat.arabicDigits("๙๕.๓๕") == "95.35")
    }

    @Test func dates() throws {
        let date = try #require(CivilDate(iso: "2023-09-18"))
        #expect(ThaiFormat.longDate(date, thaiDigits: true) == "๑๘ กันยายน ๒๕๖๖")
        #expect(ThaiFormat.longDate(date) == "18 กันยายน 2566")
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "2024-02-29") != nil)
    }

    @Test func fiscalYear() throws {
        #expect(FiscalYear(containing: CivilDate(year: 2022, month: 10, day: 1)!).buddhistYear == 2566)
        #expect(FiscalYear(containing: CivilDate(year: 2023, month: 9, day: 30)!).buddhistYear == 2566)
        #expect(FiscalYear(containing: CivilDate(year: 2023, month: 10, day: 1)!).buddhistYear == 2567)
        let fy = FiscalYear(2566)
        #expect(fy.start.iso == "2022-10-01")
        #expect(fy.end.iso == "2023-09-30")
        #expect(fy.shortPeriod == "ต.ค.65 - ก.ย.66")
        #expect(fy.longPeriod == "1 ตุลาคม 2565 – 30 กันยายน 2566")
    }
}

@Suite("JSON")
struct JSONTests {
    @Test func exactNumbers() throws {
        let value = try JSONParser.parse(#"{"a": 0.3, "b": 33.33, "c": -1e2, "d": "ไทย\u0e01"}"#)
        #expect(value["a"]?.numberValue == Fixtures.decimal("0.3"))
        #expect(value["c"]?.numberValue == -100)
        #expect(value["d"]?.stringValue == "ไทยก")
        #expect(value.serialized(pretty: false) == #"{"a":0.3,"b":33.33,"c":-100,"d":"ไทยก"}"#)
    }

    @Test("malformed JSON is refused", arguments: ["", "{", #"{"a": 01}"#, #"{"a": 1,}"#, #"{"a": 1, "a": 2}"#, "[1 2]", #""\x""#, "tru", "1 2", String(repeating: "[", count: 300)])
    func malformed(text: String) {
        #expect(throws: JSONSyntaxError.self) { _ = try JSONParser.parse(text) }
    }
}
