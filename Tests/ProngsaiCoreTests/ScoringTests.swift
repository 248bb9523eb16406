import Foundation
import ProngsaiCore
import Testing
import TestSupport

private let d = Fixtures.decimal

@Suite("ITA scoring method")
struct ScoringTests {
    let ita = try! Fixtures.framework()

    @Test("the reference case reproduces Ban Pong's published FY2566 figures")
    func referenceCase() throws {
        let result = try Scorer.score(ita, Fixtures.referenceInputs(ita))
        #expect(result.score == d("95.3495"))
        #expect(result.score.roundedForDisplay == d("95.35"))
        #expect(result.level.id == "pass")
        #expect(result.level.name.th == "ผ่าน")
        #expect(result.tools["eit"] == d("88.345"))
        #expect(result.tools["eit"]!.roundedForDisplay == d("88.35"))
        #expect(result.tools["oit"] == d("98.75"))
        #expect(result.subindicators["oit"]?["9.2"] == d("87.5"))
        #expect(result.subindicators["oit"]?["9.1"] == 100)
        #expect(result.indicators["oit"]?["9"] == d("97.5"))
        #expect(result.indicators["oit"]?["10"] == 100)
    }

    @Test("survey answers: reversed four-level, reversed and plain yes/no, unanswered questions left out")
    func handComputedSurvey() throws {
        let responses = [
            SurveyResponse(["i1a": .level(4), "i4": .yesNo(false), "i9": .level(1), "i26a": .yesNo(true)]),
            SurveyResponse(["i1a": .level(2), "i4": .yesNo(true), "i9": .level(4), "i26a": .yesNo(false)]),
        ]
        var inputs = Fixtures.referenceInputs(ita)
        inputs.parts["iit"] = .responses(responses)
        let result = try Scorer.score(ita, inputs)
        // i1a: (100 + 33.33) / 2; i4 reversed yes-no: no → 100, yes → 0; i9 reversed: 1 → 100, 4 → 0; i26a: yes → 100.
        #expect(result.questions["iit"]?["i1a"] == d("66.665"))
        #expect(result.questions["iit"]?["i4"] == 50)
        #expect(result.questions["iit"]?["i9"] == 50)
        #expect(result.questions["iit"]?["i26a"] == 50)
        #expect(result.questions["iit"]?["i2"] == nil)
        #expect(result.indicators["iit"]?["1"] == d("58.3325"))
        #expect(result.indicators["iit"]?["2"] == 50)
        #expect(result.indicators["iit"]?["3"] == nil, "an indicator no one answered is left out")
        #expect(result.indicators["iit"]?["5"] == 50)
        #expect(result.parts["iit"] == d("52.7775"))
        #expect(result.parts["iit"]!.roundedForDisplay == d("52.78"))
        #expect(result.respondents["iit"] == 2)
    }

    @Test("a made-up framework of another shape loads from a path and scores by its own rules")
    func otherFramework() throws {
        let mini = try FrameworkLoader.load(path: Fixtures.path("mini-framework.json"))
        #expect(mini.tools.map(\.id) == ["staff", "web"])
        let inputs = ScoreInputs(
            parts: ["staff": .responses([
                SurveyResponse(["q1": .level(5), "q2": .level(1), "q3": .yesNo(true), "q4": .yesNo(false)]),
                SurveyResponse(["q1": .level(3), "q2": .level(2), "q3": .yesNo(false)]),
            ])],
            checklists: ["web": .items(["W1": true, "W2": true, "W3": false])])
        let result = try Scorer.score(mini, inputs)
        // q1 (100+50)/2 = 75; q2 reversed on five points: 1 → 100, 2 → 75 → 87.5; A = 81.25; B = (50 + 100)/2 = 75.
        #expect(result.parts["staff"] == d("78.125"))
        #expect(result.subindicators["web"]?["W.2"] == 0)
        #expect(result.tools["web"] == 50)
        #expect(result.score == d("66.875"))
        #expect(result.score.roundedForDisplay == d("66.88"))
        #expect(result.level.id == "ok")

        let gold = try Scorer.score(mini, ScoreInputs(parts: ["staff": .score(95)], checklists: ["web": .score(85)]))
        #expect(gold.score == 91)
        #expect(gold.level.id == "gold")
        let notGold = try Scorer.score(mini, ScoreInputs(parts: ["staff": .score(100)], checklists: ["web": .score(d("79.99"))]))
        #expect(notGold.score.roundedForDisplay == d("92"))
        #expect(notGold.level.id == "ok", "gold needs every part at 80")
    }

    func level(iit: String, eit1: String, eit2: String, oit: String) throws -> (String, Decimal) {
        let r = try Scorer.score(ita, ScoreInputs(
            parts: ["iit": .score(d(iit)), "eit1": .score(d(eit1)), "eit2": .score(d(eit2))],
            checklists: ["oit": .score(d(oit))]))
        return (r.level.id, r.score.roundedForDisplay)
    }

    @Test("level boundaries of FY2566", arguments: [
        ("84.99", "84.99", "84.99", "84.99", "improve", "84.99"),
        ("85", "85", "85", "85", "good", "85"),
        ("94.99", "94.99", "94.99", "94.99", "good", "94.99"),
        ("95", "95", "95", "95", "excellent", "95"),
        ("95", "95", "95", "94.99", "good", "95"),       // 94.996 shows 95.00, but OIT is under 95
        ("95", "95", "84.99", "95", "pass", "93.5"),      // a part under 85
        ("84.995", "84.995", "84.995", "84.995", "good", "85"), // thresholds compare rounded figures
        ("69.99", "69.99", "69.99", "69.99", "urgent", "69.99"),
        ("70", "70", "70", "70", "improve", "70"),
        ("0", "0", "0", "0", "urgent", "0"),
        ("100", "100", "100", "100", "excellent", "100"),
    ])
    func boundaries(iit: String, eit1: String, eit2: String, oit: String, expected: String, shown: String) throws {
        let (id, score) = try level(iit: iit, eit1: eit1, eit2: eit2, oit: oit)
        #expect(id == expected)
        #expect(score == d(shown))
    }

    @Test("half-up rounding on the decimal value", arguments: [
        ("88.345", "88.35"), ("2.675", "2.68"), ("0.005", "0.01"), ("95.3495", "95.35"), ("81.724999", "81.72"), ("100", "100"),
    ])
    func rounding(value: String, shown: String) {
        #expect(d(value).roundedForDisplay == d(shown))
    }

    @Test("display strings keep two decimals")
    func displayString() {
        #expect(d("87.5").displayString == "87.50")
        #expect(d("95.3495").displayString == "95.35")
        #expect(Decimal(100).displayString == "100.00")
        #expect(d("-0.5").displayString == "-0.50")
    }

    @Test("what-if: fixing O13 and raising EIT part 2")
    func whatIf() throws {
        let base = Fixtures.referenceInputs(ita)
        let fixO13 = try WhatIf.evaluate([try WhatIfChange(parsing: "pass:O13")], inputs: base, framework: ita)
        #expect(fixO13.after.tools["oit"] == 100)
        #expect(fixO13.after.score.roundedForDisplay == d("95.85"))
        #expect(fixO13.after.level.id == "pass", "EIT part 2 is still under 85")
        #expect(!fixO13.levelChanged)
        let eit2 = try WhatIf.evaluate([try WhatIfChange(parsing: "eit2=86")], inputs: base, framework: ita)
        #expect(eit2.after.tools["eit"] == d("90.48"))
        #expect(eit2.after.score.roundedForDisplay == d("95.99"))
        #expect(eit2.after.level.id == "good")
        #expect(eit2.levelChanged)
        let failO1 = try WhatIf.evaluate([.fail(item: "O1")], inputs: base, framework: ita)
        #expect(failO1.after.subindicators["oit"]?["9.1"] == 90)
    }

    @Test("what-if rejects what does not fit", arguments: ["pass:O99", "frobnicate:O1", "eit3=80", "eit2=101", "eit2=abc", "nothing"])
    func whatIfErrors(text: String) throws {
        #expect(throws: ScoreInputError.self) {
            let change = try WhatIfChange(parsing: text)
            _ = try WhatIf.evaluate([change], inputs: Fixtures.referenceInputs(ita), framework: ita)
        }
    }

    @Test("item changes need the checklist given item by item")
    func whatIfNeedsItems() throws {
        var inputs = Fixtures.referenceInputs(ita)
        inputs.checklists["oit"] = .score(d("98.75"))
        #expect(throws: ScoreInputError.self) { _ = try WhatIf.evaluate([.pass(item: "O13")], inputs: inputs, framework: ita) }
    }

    @Test("partial figures while a part is missing")
    func partial() throws {
        var inputs = Fixtures.referenceInputs(ita)
        inputs.parts["eit2"] = nil
        let partial = try Scorer.partial(ita, inputs)
        #expect(partial.tools["iit"] == d("97.82"))
        #expect(partial.tools["eit"] == nil)
        #expect(partial.tools["oit"] == d("98.75"))
        #expect(throws: ScoreInputError.self) { _ = try Scorer.score(ita, inputs) }
    }

    @Test("minimum sample rule from the framework")
    func sampling() throws {
        let rule = try #require(ita.sampling)
        #expect(rule.minimumSample(population: 12) == 12)
        #expect(rule.minimumSample(population: 30) == 30)
        #expect(rule.minimumSample(population: 57) == 30)
        #expect(rule.minimumSample(population: 301) == 31)
        #expect(rule.minimumSample(population: 10_000) == 400)
    }
}
