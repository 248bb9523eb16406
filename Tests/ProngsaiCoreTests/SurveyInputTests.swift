import Foundation
import ProngsaiCore
import Testing
import TestSupport

@Suite("survey answers from forms and CSV")
struct SurveyInputTests {
    let ita = try! Fixtures.framework()

    @Test("form values become answers; Thai digits and มี/ไม่มี are understood")
    func read() {
        let questions = ita.surveyTools[0].survey.questions.filter { ["i1a", "i4", "i26a"].contains($0.id) }
        let (response, problems) = ResponseReader.read(["i1a": "๔", "i4": "ไม่มี", "i26a": "yes"], questions: questions, scales: ita.scales, requireAll: true)
        #expect(problems.isEmpty)
        #expect(response.answers == ["i1a": .level(4), "i4": .yesNo(false), "i26a": .yesNo(true)])
        let (_, bad) = ResponseReader.read(["i1a": "5", "i4": "maybe"], questions: questions, scales: ita.scales, requireAll: true)
        #expect(bad["i1a"] == .invalid("expected 1–4, not \"5\""))
        #expect(bad["i4"] == .invalid("expected yes or no, not \"maybe\""))
        #expect(bad["i26a"] == .missing)
    }

    @Test("stored answers round-trip through JSON")
    func json() throws {
        let response = SurveyResponse(["i1a": .level(3), "i4": .yesNo(true)])
        #expect(response.json.serialized(pretty: false) == #"{"i1a":3,"i4":"yes"}"#)
        #expect(SurveyResponse(json: try JSONParser.parse(#"{"i1a":3,"i4":"yes"}"#)) == response)
    }

    @Test("one-time codes: made from an unambiguous alphabet, typed any way")
    func codes() {
        let code = OneTimeCode.make()
        #expect(code.count == 9 && code.contains("-"))
        #expect(!code.contains("0") && !code.contains("O") && !code.contains("1") && !code.contains("I"))
        #expect(OneTimeCode.normalize("abcd efgh") == "ABCD-EFGH")
        #expect(OneTimeCode.normalize("ABCD-EFG") == nil)
        #expect(OneTimeCode.normalize("ABCD-EFG0") == nil)
    }

    @Test("CSV: quotes, commas, line breaks, BOM; writing guards against formulas")
    func csv() throws {
        let rows = try CSV.parse("\u{FEFF}a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n\r\n3,,\n")
        #expect(rows == [["a", "b", "c"], ["1", "x, \"y\"", "two\nlines"], ["3", "", ""]])
        #expect(throws: CSV.SyntaxError.self) { _ = try CSV.parse("a,\"b\nc") }
        #expect(throws: CSV.SyntaxError.self) { _ = try CSV.parse("a,\"b\"c") }
        let text = CSV.write([["รหัส", "=SUM(A1)", "x,y"]])
        #expect(text == "\u{FEFF}รหัส,'=SUM(A1),\"x,y\"\r\n")
    }

    @Test("live responses score a part when no published score is entered (five or more: the anonymity minimum)")
    func gather() throws {
        let responses = (1...5).map { SurveyResponse(["i1a": .level($0 % 4 + 1)]) }
        let published = AssessmentScoring.gather(framework: ita, results: [StoredResult(key: "iit", score: 90, source: .published)], items: [], tallies: ["iit": ResponseTally(responses)])
        #expect(published.inputs.parts["iit"] == .score(90))
        let live = AssessmentScoring.gather(framework: ita, results: [], items: [], tallies: ["iit": ResponseTally(responses)])
        #expect(live.inputs.parts["iit"] == .tallied(ResponseTally(responses)))
        #expect(live.missing == ["eit1", "eit2", "oit"])
    }
}
