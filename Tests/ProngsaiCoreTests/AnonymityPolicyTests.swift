import Foundation
import ProngsaiCore
import Testing
import TestSupport

@Suite("the anonymity policy, decided once in Core from the framework file")
struct AnonymityPolicyTests {
    let ita = try! Fixtures.framework()

    @Test("the minimum comes from the framework file; a file without one gets 5; below 5 is refused with its path")
    func fromFramework() throws {
        #expect(ita.anonymity.minimumResponses == 5)
        #expect(ita.document["anonymity"]?["minimumResponses"]?.numberValue == 5, "framework export carries it")
        var document = ita.document.objectValue!
        document["anonymity"] = ["minimumResponses": 8]
        #expect(try FrameworkLoader.load(document: .object(document), source: "edited.json").anonymity.minimumResponses == 8)
        document["anonymity"] = nil
        #expect(try FrameworkLoader.load(document: .object(document), source: "edited.json").anonymity.minimumResponses == 5)
        for bad: JSONValue in [["minimumResponses": 3], ["minimumResponses": "five"], "5"] {
            document["anonymity"] = bad
            do {
                _ = try FrameworkLoader.load(document: .object(document), source: "edited.json")
                Issue.record("anonymity \(bad) loads")
            } catch {
                #expect(String(describing: error).contains("$.anonymity"))
            }
        }
    }

    @Test("gathering scores: a part with 1–4 responses feeds no figure; 5 do; a published score stands whatever the count", arguments: [1, 2, 3, 4, 5, 6])
    func gather(count: Int) throws {
        let responses = (0..<count).map { SurveyResponse(["i1a": .level(1 + $0 % 4), "i2": .level(4)]) }
        let gathered = AssessmentScoring.gather(framework: ita, results: [], items: [], tallies: ["iit": ResponseTally(responses)])
        if count < 5 {
            #expect(gathered.inputs.parts["iit"] == nil)
            #expect(gathered.withheld == ["iit"])
            #expect(gathered.missing.contains("iit"))
            #expect((try Scorer.partial(ita, gathered.inputs)).parts["iit"] == nil)
        } else {
            #expect(gathered.inputs.parts["iit"] == .tallied(ResponseTally(responses)))
            #expect(gathered.withheld.isEmpty)
        }
        let published = AssessmentScoring.gather(framework: ita, results: [StoredResult(key: "iit", score: 90, source: .published)], items: [], tallies: ["iit": ResponseTally(responses)])
        #expect(published.inputs.parts["iit"] == .score(90))
        #expect(published.withheld.isEmpty)
        #expect(AssessmentScoring.gather(framework: ita, results: [], items: [], tallies: [:]).withheld.isEmpty, "no answers: missing, not withheld")
    }

    @Test("release batches and visible answers follow the same minimum")
    func rule() {
        let policy = AnonymityPolicy(minimumResponses: 5)
        #expect(!policy.releasable(pending: 4) && policy.releasable(pending: 5))
        #expect(policy.visible([1, 2, 3, 4]).isEmpty && policy.visible([1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5])
        #expect(AnonymityPolicy(minimumResponses: 0).minimumResponses == 1)
    }

    @Test("a seeded generator repeats itself")
    func seeded() {
        var a = SplitMix64(seed: 7)
        var b = SplitMix64(seed: 7)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        #expect(Array(0..<50).shuffled(using: &a) != Array(0..<50))
    }
}

@Suite("numbers as text without String(format:)")
struct NumberTextTests {
    @Test("padding, hexadecimal and one decimal agree with the C formatter's output")
    func matchesFormat() {
        #expect(NumberText.padded(7, width: 2) == "07" && NumberText.padded(2566, width: 2) == "2566" && NumberText.padded(-5, width: 3) == "-005")
        #expect(NumberText.hex([0, 15, 16, 255]) == "000f10ff")
        #expect(NumberText.oneDecimal(12.34) == "12.3" && NumberText.oneDecimal(0.05) == "0.1" && NumberText.oneDecimal(-2.26) == "-2.3" && NumberText.oneDecimal(40) == "40.0")
        #expect(CivilDate(iso: "2023-03-05")!.iso == "2023-03-05")
        #expect(Decimal(string: "88.345")!.displayString == "88.35" && Decimal(string: "7.04")!.displayString == "7.04")
    }
}

@Suite("sample progress, decided in Core")
struct SampleProgressTests {
    let rule = try! Fixtures.framework().sampling

    @Test("responses against the framework's minimum sample: 10 %, at least 30, at most 400, everyone below 30")
    func progress() {
        let half = SampleProgress(responses: 15, population: 57, rule: rule)
        #expect(half.target == 30 && half.percent == 50 && !half.reached)
        #expect(SampleProgress(responses: 45, population: 57, rule: rule).percent == 100, "capped at 100")
        #expect(SampleProgress(responses: 12, population: 12, rule: rule).reached, "everyone, below 30")
        #expect(SampleProgress(responses: 0, population: 0, rule: rule).percent == 100, "nobody to ask")
        #expect(SampleProgress(responses: 3, population: nil, rule: rule).target == nil)
        #expect(SampleProgress(responses: 3, population: 50_000, rule: rule).target == 400)
    }
}
