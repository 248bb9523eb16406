import Foundation

/// Everything pages, documents and exports show about one assessment, decided once from its stored state:
/// the score and level, tool, part, indicator and sub-indicator figures, which parts are Prongsai's own
/// estimates, sample progress, the live survey figures the anonymity policy lets through, the readiness
/// projection and what-if outcomes. Callers only format these figures; they never score.
public struct AssessmentFigures: Sendable {
    public var framework: Framework
    /// The scoring inputs gathered from the stored state, with what is still missing.
    public var gathered: AssessmentScoring.Gathered
    /// The full result once nothing is missing.
    public var result: ScoreResult?
    /// Whatever can be scored so far.
    public var partial: Scorer.Partial
    /// Survey parts scored live from Prongsai's own answers (estimates, not published figures).
    public var estimatedParts: Set<String>
    /// Indicator and sub-indicator scores by id: a published indicator score wins, else the computed one.
    public var indicators: [String: Decimal]
    /// Answers against the minimum sample, per survey part.
    public var samples: [String: SampleProgress]
    /// Each survey part's figures from its own answers, whether or not a published score stands in for it,
    /// present only when the anonymity policy lets the answers feed figures.
    public var live: [String: LivePart]

    /// One survey part scored from the answers collected in Prongsai.
    public struct LivePart: Sendable {
        public var score: Decimal?
        /// Indicator figures of the part, in framework order.
        public var indicators: Figures
        public var respondents: Int
    }

    /// - Parameters:
    ///   - populations: the population entered for each survey part (for the minimum sample).
    public static func compute(framework: Framework, results: [StoredResult], items: [OITItemResult],
                               tallies: [String: ResponseTally] = [:], populations: [String: Int] = [:]) -> AssessmentFigures {
        let gathered = AssessmentScoring.gather(framework: framework, results: results, items: items, tallies: tallies)
        let partial = (try? Scorer.partial(framework, gathered.inputs)) ?? Scorer.Partial()
        let result = gathered.missing.isEmpty ? try? Scorer.score(framework, gathered.inputs) : nil
        let estimated = Set(framework.partIDs.filter { gathered.inputs.parts[$0]?.isFromAnswers == true })
        var samples: [String: SampleProgress] = [:]
        var live: [String: LivePart] = [:]
        for part in framework.partIDs {
            let collected = tallies[part] ?? ResponseTally()
            samples[part] = SampleProgress(responses: collected.respondents, population: populations[part], rule: framework.sampling)
            guard collected.respondents > 0, framework.anonymity.allowsFigures(responses: collected.respondents) else { continue }
            // A part scored from its answers is in `partial` already; only a part a published score stands in
            // for is scored again, from its own answers.
            let own: Scorer.Partial
            if gathered.inputs.parts[part]?.isFromAnswers == true {
                own = partial
            } else {
                guard let scored = try? Scorer.partial(framework, ScoreInputs(parts: [part: .tallied(collected)])) else { continue }
                own = scored
            }
            live[part] = LivePart(score: own.parts[part], indicators: own.indicators[part] ?? Figures(), respondents: collected.respondents)
        }
        return AssessmentFigures(
            framework: framework, gathered: gathered, result: result, partial: partial, estimatedParts: estimated,
            indicators: IndicatorScores.resolve(framework: framework, results: results, partial: partial),
            samples: samples, live: live)
    }

    /// The score, level, tool and part figures alone, equal to `compute`'s for the same state (a national
    /// recompute scores thousands of agencies and needs nothing finer).
    public static func headline(framework: Framework, results: [StoredResult], items: [OITItemResult],
                                tallies: [String: ResponseTally] = [:]) -> Scorer.Headline {
        let gathered = AssessmentScoring.gather(framework: framework, results: results, items: items, tallies: tallies)
        return Scorer.headline(framework, gathered.inputs, complete: gathered.missing.isEmpty)
    }

    /// A part's answers against its minimum sample (no answers, no target for a part not in the framework).
    public func sample(_ part: String) -> SampleProgress {
        samples[part] ?? SampleProgress(responses: 0, population: nil, rule: framework.sampling)
    }

    /// The overall score, once nothing is missing.
    public var score: Decimal? { result?.score }
    public var level: LevelRule? { result?.level }
    public var complete: Bool { result != nil }

    /// A tool's score, or a survey part's.
    public func value(_ id: String) -> Decimal? {
        result?.tools[id] ?? result?.parts[id] ?? partial.tools[id] ?? partial.parts[id]
    }

    /// A checklist indicator or sub-indicator as computed from items (nil until the tool is scored).
    public func checklist(_ toolID: String, subindicator id: String) -> Decimal? { partial.subindicators[toolID]?[id] }
    public func checklist(_ toolID: String, indicator id: String) -> Decimal? { partial.indicators[toolID]?[id] }

    /// Whether a tool's figure rests, in part, on Prongsai's own survey answers.
    public func isEstimated(tool: Tool) -> Bool {
        if case .survey(let survey) = tool.kind { return survey.parts.contains(where: estimatedParts.contains) }
        return false
    }

    /// Whether a tool's or part's figure is the score the assessing body published (entered on the
    /// published-scores page), not computed by Prongsai. A survey tool is published when all its parts are.
    public func isPublished(_ id: String) -> Bool {
        if gathered.givenScore(id) != nil { return true }
        if let tool = framework.tool(id), case .survey(let survey) = tool.kind {
            return survey.parts.allSatisfy { gathered.givenScore($0) != nil }
        }
        return false
    }

    /// Figures below the framework's pass mark are flagged on every page and chart.
    public func belowPassMark(_ value: Decimal) -> Bool { framework.belowPassMark(value) }
    public var passMark: Decimal? { framework.passMark }

    /// Answers still unjudged, across checklist tools.
    public var unjudgedCount: Int { gathered.unjudged.values.reduce(0) { $0 + $1.count } }

    /// One score line as documents and exports list them: a tool, or each part of a survey tool with parts.
    public struct Line: Sendable, Hashable {
        public var id: String
        public var toolID: String
        /// 1-based part number within its tool, nil for a whole tool.
        public var partNumber: Int?
        public var score: Decimal
        public var estimated: Bool
    }

    /// Tool and part lines in framework order (IIT, EIT part 1, EIT part 2, OIT), those that have a figure.
    public var lines: [Line] {
        var out: [Line] = []
        for tool in framework.tools {
            if case .survey(let survey) = tool.kind, survey.parts.count > 1 {
                for (index, part) in survey.parts.enumerated() {
                    if let value = value(part) {
                        out.append(Line(id: part, toolID: tool.id, partNumber: index + 1, score: value, estimated: estimatedParts.contains(part)))
                    }
                }
            } else if let value = value(tool.id) {
                out.append(Line(id: tool.id, toolID: tool.id, partNumber: nil, score: value, estimated: isEstimated(tool: tool)))
            }
        }
        return out
    }

    /// What the OIT, and the ITA where every other part is known, would score if the items were judged as
    /// they stand.
    public func projection(_ readiness: Readiness) -> Readiness.Projection {
        readiness.projection(framework: framework, gathered: gathered)
    }

    /// The document `prongsai score` reads (CONTRACT.md): each part's published score, else its responses
    /// (only parts the anonymity policy lets feed figures; `responses` are the part's stored answers, which
    /// the figures hold only counted), and each checklist's failed items or score. Nil while some part is missing.
    public func scoreInput(responses: [String: [SurveyResponse]]) -> JSONValue? {
        guard gathered.missing.isEmpty else { return nil }
        var results = JSONObject()
        for part in framework.partIDs {
            switch gathered.inputs.parts[part] {
            case .score(let value)?: results[part] = ["score": .number(value)]
            case .responses(let list)?: results[part] = ["responses": .array(list.map(\.json))]
            case .tallied?: results[part] = ["responses": .array((responses[part] ?? []).map(\.json))]
            case nil: return nil
            }
        }
        for (tool, _) in framework.checklistTools {
            switch gathered.inputs.checklists[tool.id] {
            case .score(let value)?: results[tool.id] = ["score": .number(value)]
            case .items(let passed)?: results[tool.id] = ["failed": .array(passed.filter { !$0.value }.keys.sorted().map { .string($0) })]
            case nil: return nil
            }
        }
        return .object(JSONObject([("framework", .string(framework.id)), ("results", .object(results))]))
    }

    /// The outcome of hypothetical changes; nil while some part is missing.
    public func whatIf(_ changes: [WhatIfChange]) throws(ScoreInputError) -> WhatIfOutcome? {
        guard gathered.missing.isEmpty else { return nil }
        return try WhatIf.evaluate(changes, inputs: gathered.inputs, framework: framework)
    }
}
