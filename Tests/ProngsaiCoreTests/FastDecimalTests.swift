import Foundation
@testable import ProngsaiCore
import Testing
import TestSupport

@Suite("figures as decimals: the arithmetic path equals the text path; a round's headline equals the full figures")
struct FastDecimalTests {
    @Test("200,000 fractions (score-like and arbitrary, terminating and repeating, near the 38-digit edge) give the same Decimal both ways")
    func sameDecimal() {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for round in 0..<200_000 {
            let n: UInt64, d: UInt64
            switch round % 4 {
            case 0: (n, d) = (UInt64.random(in: 0...10_000_000, using: &generator), UInt64.random(in: 1...600, using: &generator) * 100)
            case 1: (n, d) = (UInt64.random(in: 0...UInt64(1) << 40, using: &generator), UInt64.random(in: 1...UInt64(1) << 40, using: &generator))
            case 2: (n, d) = (UInt64.random(in: 0...UInt64.max / 2, using: &generator), UInt64.random(in: 1...1_000, using: &generator))
            default: (n, d) = (UInt64.random(in: 0...1_000, using: &generator), UInt64.random(in: 1...(UInt64(1) << 58), using: &generator))
            }
            let fraction = Fraction(Natural(n), Natural(d))
            for places in [30, 2, 0] {
                let fast = fraction.decimal(places: places)
                let text = fraction.decimalByText(places: places)
                guard fast == text, fast.description == text.description else {
                    Issue.record("\(n)/\(d) at \(places) places: \(fast) ≠ \(text)")
                    return
                }
                checked += 1
            }
        }
        #expect(checked == 600_000)
        #expect(Fraction(Natural(1), Natural(3)).decimal().description == "0." + String(repeating: "3", count: 30))
        #expect(Fraction(Natural(10889), Natural(200)).decimal().description == "54.445")
    }

    @Test("the headline (score, level, tools, parts) equals the full figures for 2,000 random states: complete, incomplete, answers below the anonymity minimum")
    func headline() throws {
        let framework = try #require(try BuiltinFrameworks.all().first { $0.id == "ita-2566" })
        let items = framework.checklistTools.flatMap { $0.checklist.items.map(\.id) }
        var generator = SystemRandomNumberGenerator()
        var complete = 0
        for _ in 0..<2_000 {
            var results: [StoredResult] = []
            var tallies: [String: ResponseTally] = [:]
            for part in framework.partIDs {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: results.append(StoredResult(key: part, score: Decimal(Int.random(in: 0...10_000, using: &generator)) / 100, source: .published))
                case 1, 2:
                    let questions = framework.surveyTool(forPart: part)!.survey.questions
                    tallies[part] = ResponseTally((0..<Int.random(in: 1...12, using: &generator)).map { _ in
                        SurveyResponse(Dictionary(uniqueKeysWithValues: questions.compactMap { q -> (String, Answer)? in
                            guard Bool.random(using: &generator) || Bool.random(using: &generator) else { return nil }
                            if case .yesNo? = framework.scales[q.scale] { return (q.id, .yesNo(Bool.random(using: &generator))) }
                            return (q.id, .level(Int.random(in: 1...4, using: &generator)))
                        }))
                    })
                default: break
                }
            }
            var judged: [OITItemResult] = []
            let open = Int.random(in: 0..<3, using: &generator) == 0
            for item in items where !(open && item == items.last) {
                judged.append(OITItemResult(itemID: item, passed: Int.random(in: 0..<8, using: &generator) > 0))
            }
            if Bool.random(using: &generator) { results.append(StoredResult(key: "oit", score: Decimal(Int.random(in: 5_000...10_000, using: &generator)) / 100, source: .published)) }
            let full = AssessmentFigures.compute(framework: framework, results: results, items: judged, tallies: tallies)
            let headline = AssessmentFigures.headline(framework: framework, results: results, items: judged, tallies: tallies)
            var values: [String: Decimal] = [:]
            for id in framework.tools.map(\.id) + framework.partIDs { if let value = full.value(id) { values[id] = value } }
            #expect(headline.score == full.score && headline.levelID == full.level?.id && headline.values == values)
            if full.score != nil { complete += 1 }
        }
        #expect(complete > 100)
    }

    @Test("natural numbers across the 64-bit edge: 20,000 random sums, products and divisions agree with each other and with known powers")
    func naturals() {
        var generator = SystemRandomNumberGenerator()
        func random() -> Natural {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: return Natural(UInt64.random(in: 0...1_000, using: &generator))
            case 1: return Natural(UInt64.random(in: UInt64.max - 1_000...UInt64.max, using: &generator))
            case 2: return Natural(UInt64.random(in: 0...UInt64.max, using: &generator)) * Natural(UInt64.random(in: 1...UInt64.max, using: &generator))
            default: return Natural(UInt64.random(in: 1...UInt64.max, using: &generator)) * Natural(UInt64.random(in: 1...UInt64.max, using: &generator))
                * Natural(UInt64.random(in: 1...UInt64.max, using: &generator))
            }
        }
        for _ in 0..<20_000 {
            let a = random(), b = random()
            #expect((a + b) - b == a)
            #expect(a + b == b + a && a * b == b * a)
            #expect((a < b) == (b > a) && (a == b) == !(a < b || b < a))
            if !b.isZero {
                let (q, r) = a.quotientAndRemainder(dividingBy: b)
                #expect(q * b + r == a && r < b)
                #expect((a * b).quotientAndRemainder(dividingBy: b) == (a, Natural(0)))
            }
            #expect(Natural(digits: a.description) == a)
        }
        #expect(Natural(UInt64.max) + Natural(1) == Natural.power(of: 2, 64))
        #expect(Natural.power(of: 2, 64).description == "18446744073709551616")
        #expect(Natural.power(of: 2, 128).description == "340282366920938463463374607431768211456")
        #expect(Natural.power(of: 2, 64) - Natural(1) == Natural(UInt64.max))
        #expect(Natural.power(of: 2, 64).hashValue == (Natural(UInt64.max) + Natural(1)).hashValue)
    }
}
