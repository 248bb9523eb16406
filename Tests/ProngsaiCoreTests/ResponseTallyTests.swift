import Foundation
import ProngsaiCore
import Testing
import TestSupport

@Suite("answers counted score as the answers listed")
struct ResponseTallyTests {
    let ita = try! Fixtures.framework()

    /// Random answers to some of a part's questions (a question left out now and then), from a fixed seed.
    func randomResponses(part: String, count: Int, seed: UInt64) throws -> [SurveyResponse] {
        let survey = try #require(ita.surveyTool(forPart: part)).survey
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var answers: [String: Answer] = [:]
            for question in survey.questions where Int.random(in: 0..<10, using: &random) > 0 {
                switch ita.scales[question.scale] {
                case .yesNo?: answers[question.id] = .yesNo(Bool.random(using: &random))
                case .ordinal(let points, _)?: answers[question.id] = .level(Int.random(in: 1...points.count, using: &random))
                case nil: break
                }
            }
            return SurveyResponse(answers)
        }
    }

    @Test("a tally scores every part, indicator and question exactly as its answers do (200 random sets), and two batches add up", arguments: ["iit", "eit1", "eit2"])
    func equal(part: String) throws {
        for seed in UInt64(1)...200 {
            let count = Int(seed % 37) + 1
            let responses = try randomResponses(part: part, count: count, seed: seed)
            let listed = try Scorer.partial(ita, ScoreInputs(parts: [part: .responses(responses)]))
            let counted = try Scorer.partial(ita, ScoreInputs(parts: [part: .tallied(ResponseTally(responses))]))
            #expect(listed.parts == counted.parts && listed.indicators == counted.indicators && listed.questions == counted.questions, "seed \(seed)")
            #expect(counted.respondents[part] == count)
            let split = count / 2
            #expect(ResponseTally(responses[..<split]) + ResponseTally(responses[split...]) == ResponseTally(responses))
        }
    }

    @Test("a stored tally reads back, and a tally that does not fit the part is refused with the question named")
    func storage() throws {
        let responses = try randomResponses(part: "iit", count: 30, seed: 7)
        let tally = ResponseTally(responses)
        let read = tally.entries.compactMap { entry in Answer(storageText: entry.answer.storageText).map { (entry.question, $0, entry.count) } }
        #expect(read.count == tally.entries.count)
        #expect(ResponseTally(respondents: tally.respondents, counts: read) == tally)
        #expect(tally.answered("i1a") == responses.filter { $0.answers["i1a"] != nil }.count)
        let unknown = ResponseTally([SurveyResponse(["zz9": .level(2)])])
        #expect(throws: ScoreInputError(path: "results.iit.responses.zz9", message: "unknown question id for part iit")) {
            try Scorer.partial(ita, ScoreInputs(parts: ["iit": .tallied(unknown)]))
        }
        let outOfRange = ResponseTally([SurveyResponse(["i1a": .level(9)])])
        #expect(throws: ScoreInputError.self) { try Scorer.partial(ita, ScoreInputs(parts: ["iit": .tallied(outOfRange)])) }
        #expect(throws: ScoreInputError.self) { try Scorer.partial(ita, ScoreInputs(parts: ["iit": .tallied(ResponseTally())])) }
    }
}
