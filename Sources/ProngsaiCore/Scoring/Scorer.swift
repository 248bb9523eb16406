import Foundation

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
public enum Scorer {
    public static func score(_ framework: Framework, _ inputs: ScoreInputs) throws(ScoreInputError) -> ScoreResult {
        try validateKeys(framework, inputs)
        let partial = try self.partial(framework, inputs)
        var total = Decimal(0)
        for tool in framework.tools { total += tool.weight * partial.tools[tool.id]! }
        let level = Levels.evaluate(framework.levels, score: total, gated: partial.gated)
        return ScoreResult(
            frameworkID: framework.id, score: total, level: level, tools: partial.tools, parts: partial.parts,
            indicators: partial.indicators, subindicators: partial.subindicators, questions: partial.questions,
            respondents: partial.respondents)
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
        public init() {}
    }

    public static func partial(_ framework: Framework, _ inputs: ScoreInputs) throws(ScoreInputError) -> Partial {
        var out = Partial()
        for tool in framework.tools {
            switch tool.kind {
            case .survey(let survey):
                var partScores: [Decimal] = []
                for part in survey.parts {
                    guard let input = inputs.parts[part] else { continue }
                    let partScore: Decimal
                    switch input {
                    case .score(let published):
                        partScore = try checkedPublished(published, path: "results.\(part).score")
                    case .responses(let responses):
                        let detail = try scoreResponses(responses, survey: survey, scales: framework.scales, part: part)
                        partScore = detail.part
                        out.indicators[part] = detail.indicators
                        out.questions[part] = detail.questions
                        out.respondents[part] = responses.count
                    }
                    out.parts.append(part, partScore)
                    partScores.append(partScore)
                    out.gated.append(partScore)
                }
                if partScores.count == survey.parts.count { out.tools.append(tool.id, mean(partScores)) }
            case .checklist(let checklist):
                guard let input = inputs.checklists[tool.id] else { continue }
                let toolScore: Decimal
                switch input {
                case .score(let published):
                    toolScore = try checkedPublished(published, path: "results.\(tool.id).score")
                case .items(let passed):
                    try validateItems(passed, checklist: checklist, tool: tool.id)
                    var indicatorFigures = Figures()
                    var subFigures = Figures()
                    for indicator in checklist.indicators {
                        var subScores: [Decimal] = []
                        for sub in indicator.subindicators {
                            let subScore = mean(sub.items.map { passed[$0.id] == true ? Decimal(100) : Decimal(0) })
                            subFigures.append(sub.id, subScore)
                            subScores.append(subScore)
                        }
                        indicatorFigures.append(indicator.id, mean(subScores))
                    }
                    out.indicators[tool.id] = indicatorFigures
                    out.subindicators[tool.id] = subFigures
                    toolScore = mean(indicatorFigures.map(\.value))
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
        var part: Decimal
        var indicators: Figures
        var questions: Figures
    }

    static func scoreResponses(_ responses: [SurveyResponse], survey: SurveyTool, scales: [String: Scale], part: String) throws(ScoreInputError) -> ResponseDetail {
        guard !responses.isEmpty else {
            throw ScoreInputError(path: "results.\(part).responses", message: "is empty; give at least one response or a published score")
        }
        let known = Set(survey.questions.map(\.id))
        var sums: [String: Decimal] = [:]
        var counts: [String: Int] = [:]
        for (index, response) in responses.enumerated() {
            for (questionID, _) in response.answers where !known.contains(questionID) {
                throw ScoreInputError(path: "results.\(part).responses[\(index)].\(questionID)", message: "unknown question id for part \(part)")
            }
            for question in survey.questions {
                guard let answer = response.answers[question.id] else { continue }
                switch points(answer, for: question, scales: scales) {
                case .success(let value):
                    sums[question.id, default: 0] += value
                    counts[question.id, default: 0] += 1
                case .failure(let error):
                    throw ScoreInputError(path: "results.\(part).responses[\(index)].\(question.id)", message: error.message)
                }
            }
        }
        var questionFigures = Figures()
        var indicatorFigures = Figures()
        for indicator in survey.indicators {
            var questionScores: [Decimal] = []
            for question in indicator.questions {
                // A question no one answered is left out (CONTRACT.md).
                guard let count = counts[question.id], count > 0 else { continue }
                let value = sums[question.id]! / Decimal(count)
                questionFigures.append(question.id, value)
                questionScores.append(value)
            }
            if !questionScores.isEmpty { indicatorFigures.append(indicator.id, mean(questionScores)) }
        }
        guard !indicatorFigures.isEmpty else {
            throw ScoreInputError(path: "results.\(part).responses", message: "no question of part \(part) was answered")
        }
        return ResponseDetail(part: mean(indicatorFigures.map(\.value)), indicators: indicatorFigures, questions: questionFigures)
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

    static func mean(_ values: [Decimal]) -> Decimal {
        guard !values.isEmpty else { return 0 }
        return values.reduce(0, +) / Decimal(values.count)
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
