import Foundation
import ProngsaiCore
import Testing
import TestSupport

/// The ITA method computed independently, in Python's exact `fractions`, from the framework document and
/// the inputs; it prints every figure rounded half-up to two places, as CONTRACT.md says.
let independentScorer = #"""
import json, sys
from fractions import Fraction as F

def half_up(x):
    units = (x * 100 * 2 + 1) // 2          # floor(100x + 1/2), exactly
    return f"{units // 100}.{units % 100:02d}"

def mean(xs):
    return sum(xs, F(0)) / len(xs)

out = []
frameworks = json.loads(sys.stdin.readline())
for line in sys.stdin:
    case = json.loads(line)
    fw, results = frameworks[case["framework"]], case["results"]
    scales = {}
    for sid, s in fw["scales"].items():
        p = s["points"]
        scales[sid] = [F(str(v)) for v in p] if isinstance(p, list) else {"yes": F(str(p["yes"])), "no": F(str(p["no"]))}
    figures, tools = {}, {}
    for tool in fw["tools"]:
        if tool["kind"] == "survey":
            parts = []
            for part in tool["parts"]:
                given = results[part]
                if "score" in given:
                    value = F(str(given["score"]))
                else:
                    indicators = []
                    for ind in tool["indicators"]:
                        qs = []
                        for q in ind["questions"]:
                            pts = []
                            for r in given["responses"]:
                                a = r.get(q["id"])
                                if a is None:
                                    continue
                                scale = scales[q["scale"]]
                                if isinstance(scale, list):
                                    pts.append(scale[len(scale) - a] if q.get("reverse") else scale[a - 1])
                                else:
                                    said = a == "yes"
                                    pts.append(scale["yes"] if said != q.get("reverse", False) else scale["no"])
                            if pts:
                                qs.append(mean(pts))
                                figures[f"q.{part}.{q['id']}"] = half_up(mean(pts))
                        if qs:
                            indicators.append(mean(qs))
                            figures[f"i.{part}.{ind['id']}"] = half_up(mean(qs))
                    value = mean(indicators)
                parts.append(value)
                figures[f"p.{part}"] = half_up(value)
            tools[tool["id"]] = mean(parts)
        else:
            given = results[tool["id"]]
            if "score" in given:
                tools[tool["id"]] = F(str(given["score"]))
            else:
                failed = set(given["failed"])
                inds = []
                for ind in tool["indicators"]:
                    subs = []
                    for sub in ind["subindicators"]:
                        v = mean([F(0) if it["id"] in failed else F(100) for it in sub["items"]])
                        subs.append(v)
                        figures[f"s.{tool['id']}.{sub['id']}"] = half_up(v)
                    inds.append(mean(subs))
                    figures[f"i.{tool['id']}.{ind['id']}"] = half_up(mean(subs))
                tools[tool["id"]] = mean(inds)
        figures[f"t.{tool['id']}"] = half_up(tools[tool["id"]])
    figures["score"] = half_up(sum((F(str(t["weight"])) * tools[t["id"]] for t in fw["tools"]), F(0)))
    out.append(figures)
json.dump(out, sys.stdout)
"""#

/// Runs the independent scorer: a first line with the framework documents, then one case a line, each
/// naming its framework by index.
func scoreIndependently(frameworks: [String], _ lines: [String]) throws -> [[String: String]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", independentScorer]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    // Write and read at once: a large input would otherwise fill both pipes.
    let text = "[" + frameworks.joined(separator: ",") + "]\n" + lines.joined(separator: "\n") + "\n"
    let writer = Thread { input.fileHandleForWriting.write(Data(text.utf8)); try? input.fileHandleForWriting.close() }
    writer.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let parsed = try JSONParser.parse(String(decoding: data, as: UTF8.self))
    return (parsed.arrayValue ?? []).map { figures in
        Dictionary(uniqueKeysWithValues: (figures.objectValue?.members ?? []).map { ($0.key, $0.value.stringValue ?? "") })
    }
}

/// Our figures, keyed as the independent scorer keys them.
func ourFigures(_ result: ScoreResult, framework: Framework) -> [String: String] {
    var out: [String: String] = ["score": result.score.displayString]
    for entry in result.tools { out["t.\(entry.id)"] = entry.value.displayString }
    for entry in result.parts { out["p.\(entry.id)"] = entry.value.displayString }
    for (key, figures) in result.indicators { for entry in figures { out["i.\(key).\(entry.id)"] = entry.value.displayString } }
    for (key, figures) in result.subindicators { for entry in figures { out["s.\(key).\(entry.id)"] = entry.value.displayString } }
    for (key, figures) in result.questions { for entry in figures { out["q.\(key).\(entry.id)"] = entry.value.displayString } }
    return out
}

@Suite("exact scoring: rational figures, rounded half-up only for display")
struct ExactScoringTests {
    let ita = try! Fixtures.framework()

    @Test("the issue's EIT part 2: indicator 7 is exactly 10889/200 = 54.445 and prints 54.45")
    func halfCent() throws {
        let text = #"""
        {"framework":"ita-2566","results":{"iit":{"score":90},"eit1":{"score":90},"oit":{"failed":[]},"eit2":{"responses":[
         {"e1":null,"e2":4,"e3":2,"e4":"no","e5":null,"e6":3,"e7":3,"e8":"no","e9":3,"e10":"yes","e11":3,"e12":3,"e13":1,"e14":1,"e15":4},
         {"e1":4,"e2":3,"e3":2,"e4":"yes","e5":3,"e6":3,"e7":4,"e8":"no","e9":2,"e10":"no","e11":4,"e12":3,"e13":1,"e14":2,"e15":3},
         {"e1":4,"e2":2,"e3":4,"e4":"no","e5":3,"e6":4,"e7":2,"e8":"no","e9":3,"e10":"yes","e11":1,"e12":2,"e13":2,"e14":4,"e15":4},
         {"e1":2,"e2":null,"e3":4,"e4":"no","e5":4,"e6":4,"e7":3,"e8":"no","e9":4,"e10":"yes","e11":null,"e12":1,"e13":null,"e14":1,"e15":4},
         {"e1":4,"e2":4,"e3":1,"e4":"no","e5":1,"e6":4,"e7":2,"e8":"yes","e9":3,"e10":"no","e11":4,"e12":3,"e13":4,"e14":3,"e15":4},
         {"e1":1,"e2":2,"e3":4,"e4":"no","e5":4,"e6":4,"e7":1,"e8":"no","e9":3,"e10":"no","e11":4,"e12":1,"e13":1,"e14":4,"e15":2}]}}}
        """#
        let request = try ScoreRequest.parse(try JSONParser.parse(text))
        let result = try Scorer.score(ita, try request.inputs(for: ita))
        let seven = try #require(result.indicators["eit2"]?["7"])
        #expect(seven == Decimal(string: "54.445")!, "exact: \(seven)")
        #expect(seven.displayString == "54.45")
        let independent = try scoreIndependently(frameworks: [ita.document.serialized(pretty: false)],
                                                  [#"{"framework": 0, "results": \#(try JSONParser.parse(text)["results"]!.serialized(pretty: false))}"#])
        #expect(independent.first?["i.eit2.7"] == "54.45")
        #expect(independent.first == ourFigures(result, framework: ita))
    }

    @Test("fractions: exact decimals in and out, lowest terms, half-up rounding on the exact value")
    func fractions() {
        let third = Fraction(1) / 3
        #expect(third + third + third == Fraction(1))
        #expect(Fraction(exactly: Decimal(string: "33.33")!) == Fraction(Natural(3333), Natural(100)))
        #expect(Fraction(Natural(10889), Natural(200)).decimal() == Decimal(string: "54.445")!)
        #expect(Fraction(Natural(10889), Natural(200)).roundedHalfUp(places: 2) == Decimal(string: "54.45")!)
        #expect((Fraction(Natural(2), Natural(3))).decimal(places: 4) == Decimal(string: "0.6666")!)
        let big = Natural.power(of: 10, 40) + Natural(7)
        #expect(big.description == "1" + String(repeating: "0", count: 39) + "7")
        #expect((big * big).quotientAndRemainder(dividingBy: big) == (big, Natural(0)))
        #expect(Natural.gcd(Natural(462), Natural(1071)) == Natural(21))
        #expect(Fraction(exactly: Decimal(-1)) == nil)
    }

    /// Thousands of random assessments, with edited weights and scale points, scored by Prongsai and by the
    /// independent exact computation: every figure prints the same.
    @Test("property: 3,000 random assessments print exactly what an independent exact computation prints")
    func property() throws {
        var random = SplitMix64(seed: 20_251_202)
        let base = ita.document.objectValue!
        var lines: [String] = []
        var ours: [[String: String]] = []
        let oitItems = ita.checklistTools[0].checklist.items.map(\.id)
        func twoPlaces(_ range: ClosedRange<Int>) -> Decimal { Decimal(Int.random(in: range, using: &random)) / 100 }
        // Edited frameworks: weights that add up to 1, other scale points (a pool, as loading is slow).
        var variants: [(document: String, framework: Framework)] = []
        for variant in 0..<60 {
            var document = base
            var a = Int.random(in: 1...98, using: &random)
            var b = Int.random(in: 1...(99 - a), using: &random)
            if variant % 10 == 0 { (a, b) = (30, 30) }
            let weights = [Decimal(a) / 100, Decimal(b) / 100, Decimal(100 - a - b) / 100]
            var tools = document["tools"]!.arrayValue!
            for index in tools.indices {
                var tool = tools[index].objectValue!
                tool["weight"] = .number(weights[index])
                tools[index] = .object(tool)
            }
            document["tools"] = .array(tools)
            if variant % 3 != 0 {
                let points = (0..<4).map { _ in twoPlaces(0...10_000) }.sorted()
                var scales = document["scales"]!.objectValue!
                var four = scales["four-level"]!.objectValue!
                four["points"] = .array(points.map { .number($0) })
                scales["four-level"] = .object(four)
                var yesNo = scales["yes-no"]!.objectValue!
                yesNo["points"] = ["yes": .number(twoPlaces(0...10_000)), "no": .number(twoPlaces(0...10_000))]
                scales["yes-no"] = .object(yesNo)
                document["scales"] = .object(scales)
            }
            variants.append((JSONValue.object(document).serialized(pretty: false), try FrameworkLoader.load(document: .object(document), source: "variant \(variant)")))
        }
        for _ in 0..<3_000 {
            let pick = Int.random(in: 0..<variants.count, using: &random)
            let framework = variants[pick].framework

            // Random inputs: published scores or responses with gaps, failed items or an OIT score.
            var results = JSONObject()
            for (_, survey) in framework.surveyTools {
                for part in survey.parts {
                    if Int.random(in: 0..<4, using: &random) == 0 {
                        results[part] = ["score": .number(twoPlaces(0...10_000))]
                        continue
                    }
                    let count = Int.random(in: 1...9, using: &random)
                    var responses: [JSONValue] = []
                    for _ in 0..<count {
                        var answers = JSONObject()
                        for question in survey.questions {
                            if Int.random(in: 0..<5, using: &random) == 0 { answers[question.id] = .null; continue }
                            answers[question.id] = question.scale == "yes-no"
                                ? .string(Bool.random(using: &random) ? "yes" : "no")
                                : .number(Decimal(Int.random(in: 1...4, using: &random)))
                        }
                        responses.append(.object(answers))
                    }
                    // At least one answer somewhere, as the contract asks.
                    if var first = responses[0].objectValue, let question = survey.questions.first {
                        first[question.id] = question.scale == "yes-no" ? .string("yes") : .number(2)
                        responses[0] = .object(first)
                    }
                    results[part] = ["responses": .array(responses)]
                }
            }
            if Int.random(in: 0..<5, using: &random) == 0 {
                results["oit"] = ["score": .number(twoPlaces(0...10_000))]
            } else {
                results["oit"] = ["failed": .array(oitItems.filter { _ in Int.random(in: 0..<6, using: &random) == 0 }.map { .string($0) })]
            }
            let request = JSONValue.object(JSONObject([("framework", .string(framework.id)), ("results", .object(results))]))
            let result = try Scorer.score(framework, try ScoreRequest.parse(request).inputs(for: framework))
            ours.append(ourFigures(result, framework: framework))
            lines.append(#"{"framework": \#(pick), "results": \#(JSONValue.object(results).serialized(pretty: false))}"#)
        }
        let theirs = try scoreIndependently(frameworks: variants.map(\.document), lines)
        #expect(theirs.count == ours.count)
        var mismatches = 0
        for (index, (mine, exact)) in zip(ours, theirs).enumerated() where mine != exact {
            mismatches += 1
            if mismatches <= 5 {
                let differing = exact.keys.filter { mine[$0] != exact[$0] }.sorted().prefix(5).map { "\($0): ours \(mine[$0] ?? "–"), exact \(exact[$0]!)" }
                Issue.record("case \(index): \(differing.joined(separator: "; "))")
            }
        }
        #expect(mismatches == 0)
        #expect(ours.map(\.count).reduce(0, +) > 100_000, "many figures were compared")
    }
}
