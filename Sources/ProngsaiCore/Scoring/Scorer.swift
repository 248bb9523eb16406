import Foundation
import Synchronization

/// Ordered figures keyed by id (tool, part, indicator …), in framework order.
public struct Figures: Sendable, Hashable, Sequence {
    public private(set) var entries: [(id: String, value: Decimal)] = []

    public init(_ entries: [(id: String, value: Decimal)] = []) { self.entries = entries }

    public subscript(id: String) -> Decimal? { entries.first { $0.id == id }?.value }

    public mutating func append(_ id: String, _ value: Decimal) { entries.append((id: id, value: value)) }

    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[(id: String, value: Decimal)]> { entries.makeIterator() }

    public static func == (lhs: Figures, rhs: Figures) -> Bool {
        lhs.entries.count == rhs.entries.count && zip(lhs.entries, rhs.entries).allSatisfy { $0.id == $1.id && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.id)
            hasher.combine(entry.value)
        }
    }
}

/// The full result of scoring one assessment; every figure at full precision.
public struct ScoreResult: Sendable, Hashable {
    public var frameworkID: String
    public var score: Decimal
    public var level: LevelRule
    public var tools: Figures
    /// Survey parts only.
    public var parts: Figures
    /// Keyed by survey part id (when given as responses) and checklist tool id (when given as items).
    public var indicators: [String: Figures]
    public var subindicators: [String: Figures]
    public var questions: [String: Figures]
    public var respondents: [String: Int]
}

/// The ITA scoring method (CONTRACT.md), a pure function of a framework and its inputs.
///
/// Every figure is derived in exact fractions (`Fraction`) and handed out as a `Decimal` only at the end,
/// so a figure whose exact value is x.xx5 is shown rounded up, never x.xx4999….
public enum Scorer {
    public static func score(_ framework: Framework, _ inputs: ScoreInputs) throws(ScoreInputError) -> ScoreResult {
        try validateKeys(framework, inputs)
        let exact = try self.exact(framework, inputs)
        var total = Fraction.zero
        for tool in framework.tools { total = total + exactly(tool.weight) * exact.tools[tool.id]! }
        let partial = exact.partial
        let level = Levels.evaluate(framework.levels, score: total.decimal(), gated: partial.gated)
        return ScoreResult(
            frameworkID: framework.id, score: total.decimal(), level: level, tools: partial.tools, parts: partial.parts,
            indicators: partial.indicators, subindicators: partial.subindicators, questions: partial.questions,
            respondents: partial.respondents)
    }

    /// The overall score and level with the tool and part figures, and nothing finer: what a round's
    /// thousands of agencies need. The figures are those of `score` when `complete` (score and level nil
    /// when the inputs do not score), else those of `partial` (score and level nil).
    public struct Headline: Sendable, Hashable {
        public var score: Decimal?
        public var levelID: String?
        /// Tool and survey-part figures by id.
        public var values: [String: Decimal] = [:]
    }

    public static func headline(_ framework: Framework, _ inputs: ScoreInputs, complete: Bool) -> Headline {
        guard let exact = try? exact(framework, inputs) else { return Headline() }
        var out = Headline()
        for entry in exact.tools.entries + exact.parts.entries { out.values[entry.id] = entry.value.decimal() }
        guard complete, (try? validateKeys(framework, inputs)) != nil else { return out }
        var total = Fraction.zero
        for tool in framework.tools {
            guard let value = exact.tools[tool.id] else { return out }
            total = total + exactly(tool.weight) * value
        }
        let score = total.decimal()
        out.score = score
        out.levelID = Levels.evaluate(framework.levels, score: score, gated: exact.gated.map { $0.decimal() }).id
        return out
    }

    /// The figures that can be computed from the inputs given so far: a tool is scored once all its
    /// parts are known. The dashboard shows these while some results are still missing.
    public struct Partial: Sendable {
        public var tools = Figures()
        public var parts = Figures()
        public var indicators: [String: Figures] = [:]
        public var subindicators: [String: Figures] = [:]
        public var questions: [String: Figures] = [:]
        public var respondents: [String: Int] = [:]
        /// Survey parts and checklist tools, checked against the level rules' minEveryPart.
        var gated: [Decimal] = []
        /// The same figures as exact fractions, for figures derived from them later.
        var exact: ExactPartial?
        public init() {}

        /// A survey indicator across the parts it is asked in: the mean of the parts' figures, computed
        /// exactly; nil unless every part has it.
        public func indicator(_ id: String, acrossParts parts: [String]) -> Decimal? {
            guard let exact, !parts.isEmpty else { return nil }
            let values = parts.compactMap { exact.indicators[$0]?[id] }
            guard values.count == parts.count else { return nil }
            return Fraction.mean(values).decimal()
        }
    }

    public static func partial(_ framework: Framework, _ inputs: ScoreInputs) throws(ScoreInputError) -> Partial {
        try exact(framework, inputs).partial
    }

    /// Figures in exact fractions, in framework order.
    struct ExactFigures {
        var entries: [(id: String, value: Fraction)] = []
        subscript(id: String) -> Fraction? { entries.first { $0.id == id }?.value }
        mutating func append(_ id: String, _ value: Fraction) { entries.append((id, value)) }
        var values: [Fraction] { entries.map(\.value) }
        var decimals: Figures { Figures(entries.map { (id: $0.id, value: $0.value.decimal()) }) }
    }

    struct ExactPartial {
        var tools = ExactFigures()
        var parts = ExactFigures()
        var indicators: [String: ExactFigures] = [:]
        var subindicators: [String: ExactFigures] = [:]
        var questions: [String: ExactFigures] = [:]
        var respondents: [String: Int] = [:]
        var gated: [Fraction] = []

        var partial: Partial {
            var out = Partial()
            out.tools = tools.decimals
            out.parts = parts.decimals
            out.indicators = indicators.mapValues(\.decimals)
            out.subindicators = subindicators.mapValues(\.decimals)
            out.questions = questions.mapValues(\.decimals)
            out.respondents = respondents
            out.gated = gated.map { $0.decimal() }
            out.exact = self
            return out
        }
    }

    /// A framework number or published score as an exact fraction (the loader and `checkedPublished`
    /// keep them within 0–100).
    static func exactly(_ value: Decimal) -> Fraction {
        // Framework numbers and published scores repeat across thousands of agencies: read each once.
        if let known = exactCache.withLock({ $0[value] }) { return known }
        let exact = Fraction(exactly: value) ?? .zero
        exactCache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[value] = exact
        }
        return exact
    }

    private static let exactCache = Mutex<[Decimal: Fraction]>([:])

    static func exact(_ framework: Framework, _ inputs: ScoreInputs) throws(ScoreInputError) -> ExactPartial {
        var out = ExactPartial()
        for tool in framework.tools {
            switch tool.kind {
            case .survey(let survey):
                var partScores: [Fraction] = []
                for part in survey.parts {
                    guard let input = inputs.parts[part] else { continue }
                    let partScore: Fraction
                    if case .score(let published) = input {
                        partScore = exactly(try checkedPublished(published, path: "results.\(part).score"))
                    } else {
                        let tally = try counted(input, survey: survey, scales: framework.scales, part: part)
                        let detail = try scoreTally(tally, survey: survey, scales: framework.scales, part: part)
                        partScore = detail.part
                        out.indicators[part] = detail.indicators
                        out.questions[part] = detail.questions
                        out.respondents[part] = tally.respondents
                    }
                    out.parts.append(part, partScore)
                    partScores.append(partScore)
                    out.gated.append(partScore)
                }
                if partScores.count == survey.parts.count { out.tools.append(tool.id, Fraction.mean(partScores)) }
            case .checklist(let checklist):
                guard let input = inputs.checklists[tool.id] else { continue }
                let toolScore: Fraction
                switch input {
                case .score(let published):
                    toolScore = exactly(try checkedPublished(published, path: "results.\(tool.id).score"))
                case .items(let passed):
                    try validateItems(passed, checklist: checklist, tool: tool.id)
                    var indicatorFigures = ExactFigures()
                    var subFigures = ExactFigures()
                    for indicator in checklist.indicators {
                        var subScores: [Fraction] = []
                        for sub in indicator.subindicators {
                            let subScore = Fraction.mean(sub.items.map { passed[$0.id] == true ? Fraction(100) : Fraction.zero })
                            subFigures.append(sub.id, subScore)
                            subScores.append(subScore)
                        }
                        indicatorFigures.append(indicator.id, Fraction.mean(subScores))
                    }
                    out.indicators[tool.id] = indicatorFigures
                    out.subindicators[tool.id] = subFigures
                    toolScore = Fraction.mean(indicatorFigures.values)
                }
                out.gated.append(toolScore)
                out.tools.append(tool.id, toolScore)
            }
        }
        return out
    }

    /// The points one answer scores on a question, or a reason it does not fit.
    public static func points(_ answer: Answer, for question: Question, scales: [String: Scale]) -> Result<Decimal, ScoreInputError> {
        guard let scale = scales[question.scale] else {
            return .failure(ScoreInputError(path: question.id, message: "unknown scale \(question.scale)"))
        }
        switch (scale, answer) {
        case (.ordinal(let points, _), .level(let level)):
            guard (1...points.count).contains(level) else {
                return .failure(ScoreInputError(path: question.id, message: "answer \(level) is out of range; expected an integer 1–\(points.count)"))
            }
            return .success(question.reverse ? points[points.count - level] : points[level - 1])
        case (.yesNo(let yes, let no, _, _), .yesNo(let said)):
            return .success(said != question.reverse ? yes : no)
        case (.ordinal(let points, _), .yesNo):
            return .failure(ScoreInputError(path: question.id, message: "expected an integer 1–\(points.count), not \"yes\"/\"no\""))
        case (.yesNo, .level):
            return .failure(ScoreInputError(path: question.id, message: "expected \"yes\" or \"no\", not a number"))
        }
    }

    struct ResponseDetail {
        var part: Fraction
        var indicators: ExactFigures
        var questions: ExactFigures
    }

    /// A part's answers counted: listed answers are first checked one by one (so an error names the
    /// respondent), a count is taken as it is (`scoreTally` checks it).
    static func counted(_ input: PartInput, survey: SurveyTool, scales: [String: Scale], part: String) throws(ScoreInputError) -> ResponseTally {
        let responses: [SurveyResponse]
        switch input {
        case .tallied(let tally): return tally
        case .score: return ResponseTally()
        case .responses(let listed): responses = listed
        }
        guard !responses.isEmpty else {
            throw ScoreInputError(path: "results.\(part).responses", message: "is empty; give at least one response or a published score")
        }
        let questions = Dictionary(survey.questions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, response) in responses.enumerated() {
            for (questionID, answer) in response.answers.sorted(by: { $0.key < $1.key }) {
                guard let question = questions[questionID] else {
                    throw ScoreInputError(path: "results.\(part).responses[\(index)].\(questionID)", message: "unknown question id for part \(part)")
                }
                if case .failure(let error) = points(answer, for: question, scales: scales) {
                    throw ScoreInputError(path: "results.\(part).responses[\(index)].\(questionID)", message: error.message)
                }
            }
        }
        return ResponseTally(responses)
    }

    /// A question's score is the mean of its answers' points: each answer's points times how many gave it,
    /// summed exactly, over how many answered. A question no one answered is left out (CONTRACT.md).
    static func scoreTally(_ tally: ResponseTally, survey: SurveyTool, scales: [String: Scale], part: String) throws(ScoreInputError) -> ResponseDetail {
        guard tally.respondents > 0 else {
            throw ScoreInputError(path: "results.\(part).responses", message: "is empty; give at least one response or a published score")
        }
        let known = Set(survey.questions.map(\.id))
        for questionID in tally.counts.keys.sorted() where !known.contains(questionID) {
            throw ScoreInputError(path: "results.\(part).responses.\(questionID)", message: "unknown question id for part \(part)")
        }
        var questionFigures = ExactFigures()
        var indicatorFigures = ExactFigures()
        var pointFractions: [Decimal: Fraction] = [:]
        for indicator in survey.indicators {
            var questionScores: [Fraction] = []
            for question in indicator.questions {
                guard let answers = tally.counts[question.id] else { continue }
                var sum = Fraction.zero
                var count = 0
                // In a fixed order (the first bad answer names the error); the exact sum does not depend on it.
                for (answer, times) in answers.sorted(by: { $0.key.order < $1.key.order }) where times > 0 {
                    let value: Decimal
                    switch points(answer, for: question, scales: scales) {
                    case .success(let points): value = points
                    case .failure(let error): throw ScoreInputError(path: "results.\(part).responses.\(question.id)", message: error.message)
                    }
                    let exact = pointFractions[value] ?? exactly(value)
                    pointFractions[value] = exact
                    sum = sum + exact * times
                    count += times
                }
                guard count > 0 else { continue }
                let value = sum / count
                questionFigures.append(question.id, value)
                questionScores.append(value)
            }
            if !questionScores.isEmpty { indicatorFigures.append(indicator.id, Fraction.mean(questionScores)) }
        }
        guard !indicatorFigures.entries.isEmpty else {
            throw ScoreInputError(path: "results.\(part).responses", message: "no question of part \(part) was answered")
        }
        return ResponseDetail(part: Fraction.mean(indicatorFigures.values), indicators: indicatorFigures, questions: questionFigures)
    }

    static func validateKeys(_ framework: Framework, _ inputs: ScoreInputs) throws(ScoreInputError) {
        let partIDs = framework.partIDs
        let checklistIDs = framework.checklistTools.map(\.tool.id)
        for part in partIDs where inputs.parts[part] == nil {
            throw ScoreInputError(path: "results.\(part)", message: "is missing; every survey part of \(framework.id) needs a score or responses")
        }
        for tool in checklistIDs where inputs.checklists[tool] == nil {
            throw ScoreInputError(path: "results.\(tool)", message: "is missing; every checklist tool of \(framework.id) needs a score, failed or items")
        }
        for key in inputs.parts.keys.sorted() where !partIDs.contains(key) {
            throw ScoreInputError(path: "results.\(key)", message: "unknown survey part for \(framework.id) (expected: \(partIDs.joined(separator: ", ")))")
        }
        for key in inputs.checklists.keys.sorted() where !checklistIDs.contains(key) {
            throw ScoreInputError(path: "results.\(key)", message: "unknown checklist tool for \(framework.id) (expected: \(checklistIDs.joined(separator: ", ")))")
        }
    }

    static func validateItems(_ passed: [String: Bool], checklist: ChecklistTool, tool: String) throws(ScoreInputError) {
        let known = checklist.items.map(\.id)
        for id in passed.keys.sorted() where !known.contains(id) {
            throw ScoreInputError(path: "results.\(tool).items.\(id)", message: "unknown item id for \(tool)")
        }
        for id in known where passed[id] == nil {
            throw ScoreInputError(path: "results.\(tool).items.\(id)", message: "is missing; items must list every item of \(tool)")
        }
    }

    static func checkedPublished(_ value: Decimal, path: String) throws(ScoreInputError) -> Decimal {
        guard value >= 0 && value <= 100 else {
            throw ScoreInputError(path: path, message: "must be between 0 and 100, not \(value)")
        }
        return value
    }

}

/// The level rules of a framework, applied to rounded figures.
public enum Levels {
    /// The first rule whose thresholds the rounded score (and, where the rule asks, every rounded
    /// gated figure) reach. Thresholds compare the figures as displayed (CONTRACT.md).
    public static func evaluate(_ rules: [LevelRule], score: Decimal, gated: [Decimal]) -> LevelRule {
        let shown = score.roundedForDisplay
        let shownGated = gated.map(\.roundedForDisplay)
        for rule in rules {
            guard shown >= rule.minScore else { continue }
            if let floor = rule.minEveryPart, shownGated.contains(where: { $0 < floor }) { continue }
            return rule
        }
        // The loader guarantees a catch-all last rule; keep a safe answer anyway.
        return rules[rules.count - 1]
    }
}

extension Decimal {
    /// Rounded half-up to 2 decimals on the decimal value: 88.345 → 88.35 (CONTRACT.md).
    public var roundedForDisplay: Decimal { rounded(scale: 2) }

    /// The change from `before` as the reader sees it: the difference of the two displayed figures, so
    /// 88.345 → 88.35 and 88.354 → 88.35 show no change.
    public func displayedChange(from before: Decimal) -> Decimal { roundedForDisplay - before.roundedForDisplay }

    public func rounded(scale: Int) -> Decimal {
        var value = self
        var result = Decimal()
        // .plain rounds half away from zero: half-up for the non-negative figures of the ITA.
        NSDecimalRound(&result, &value, scale, .plain)
        return result
    }

    /// "95.35", "87.50", "100.00": two decimals, for tables and pages.
    public var displayString: String {
        let rounded = roundedForDisplay
        let negative = rounded < 0
        let cents = (negative ? -rounded : rounded) * 100
        let whole = NSDecimalNumber(decimal: cents.rounded0).int64Value
        return (negative ? "-" : "") + "\(whole / 100)." + NumberText.padded(whole % 100, width: 2)
    }
}
