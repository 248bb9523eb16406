import Foundation

/// What the ITA officer should do next, built from the assessment's state: the dashboard's dated checklist.
/// Pages only word and link the steps; which steps there are, their dates and their order are decided here.
public struct NextStep: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A survey part has no link and window yet.
        case surveyNotSetUp(part: String)
        /// A survey part's window opens later.
        case surveyNotOpen(part: String)
        /// A survey part is short of its minimum sample (the window open or closed).
        case sampleShort(part: String, responses: Int, target: Int)
        /// A survey part has no population entered, so its minimum sample is unknown.
        case populationMissing(part: String)
        /// A part the assessing body collects (typed in by its assessors) has no result yet.
        case awaitingAssessor(part: String, responses: Int)
        case itemOverdue(item: String, divisions: [String])
        case itemDueSoon(item: String, divisions: [String])
        case deadLink(item: String, url: String)
        case changedLink(item: String, url: String)
        case missingComponents(item: String, missing: Int)
        /// OIT items with no evidence at all, counted in one line.
        case itemsWithoutEvidence(count: Int)
        case measureOverdue(number: Int, title: String)
        /// A measure whose reported progress trails the share of its period already gone by.
        case measureBehind(number: Int, title: String, percent: Int, expected: Int)
        /// The agency's documents (report, memo, O43 sheet) were never made for this year.
        case documentsNotMade
    }

    public var kind: Kind
    /// The date the step is about: a due date, a window's opening or closing, a measure's end.
    public var date: CivilDate?
    /// Past its date, or blocking the result: shown first.
    public var urgent: Bool

    public init(kind: Kind, date: CivilDate?, urgent: Bool) {
        self.kind = kind
        self.date = date
        self.urgent = urgent
    }
}

public enum NextSteps {
    /// Measures count as behind when the share of their period gone by exceeds the reported progress by
    /// more than this many percentage points.
    public static let behindMargin = 25

    /// - Parameters:
    ///   - documentsMade: whether the agency's documents were generated for this assessment.
    public static func compute(figures: AssessmentFigures, windows: [SurveyWindow], readiness: Readiness, assignments: [ItemAssignment],
                               measures: [(Measure, MeasureRollup)], documentsMade: Bool, today: CivilDate) -> [NextStep] {
        var steps: [NextStep] = []
        let framework = figures.framework
        // Surveys: only parts no published score stands in for need Prongsai's own survey.
        for (_, survey) in framework.surveyTools {
          for part in survey.parts where !figures.isPublished(part) {
            if survey.collection(of: part) == .assessorEntry {
                steps.append(NextStep(kind: .awaitingAssessor(part: part, responses: figures.sample(part).responses), date: nil, urgent: false))
                continue
            }
            let window = windows.first { $0.partID == part }
            guard let window else {
                steps.append(NextStep(kind: .surveyNotSetUp(part: part), date: nil, urgent: true))
                continue
            }
            let sample = figures.sample(part)
            switch window.state(on: today) {
            case .notYetOpen:
                steps.append(NextStep(kind: .surveyNotOpen(part: part), date: window.opensOn, urgent: false))
            case .open, .closed:
                if let target = sample.target {
                    if !sample.reached {
                        steps.append(NextStep(kind: .sampleShort(part: part, responses: sample.responses, target: target),
                                              date: window.closesOn, urgent: window.state(on: today) == .closed || window.closesOn <= today.adding(days: 7)))
                    }
                } else {
                    steps.append(NextStep(kind: .populationMissing(part: part), date: window.closesOn, urgent: false))
                }
            }
          }
        }
        // OIT items: dates from the assignments, divisions named by the caller.
        var divisions: [String: [String]] = [:]
        for a in assignments { if let d = a.divisionID, !(divisions[a.itemID]?.contains(d) ?? false) { divisions[a.itemID, default: []].append(d) } }
        var withoutEvidence = 0
        for item in readiness.atRisk {
            for risk in item.risks {
                switch risk {
                case .overdue(let date):
                    steps.append(NextStep(kind: .itemOverdue(item: item.id, divisions: divisions[item.id] ?? []), date: date, urgent: true))
                case .dueSoon(let date):
                    steps.append(NextStep(kind: .itemDueSoon(item: item.id, divisions: divisions[item.id] ?? []), date: date, urgent: false))
                case .deadLink(let url):
                    steps.append(NextStep(kind: .deadLink(item: item.id, url: url), date: nil, urgent: true))
                case .changedLink(let url):
                    steps.append(NextStep(kind: .changedLink(item: item.id, url: url), date: nil, urgent: false))
                case .missingComponents(let count):
                    let due = assignments.first { $0.itemID == item.id && $0.dueOn != nil }?.dueOn
                    steps.append(NextStep(kind: .missingComponents(item: item.id, missing: count), date: due, urgent: false))
                case .noEvidence:
                    withoutEvidence += 1
                }
            }
        }
        if withoutEvidence > 0 { steps.append(NextStep(kind: .itemsWithoutEvidence(count: withoutEvidence), date: nil, urgent: false)) }
        for (measure, rollup) in measures where measure.status != .done && measure.status != .cancelled {
            if rollup.overdue {
                steps.append(NextStep(kind: .measureOverdue(number: measure.number, title: measure.title), date: measure.end, urgent: true))
            } else if let expected = expectedPercent(measure, today: today), expected - rollup.percent > behindMargin {
                steps.append(NextStep(kind: .measureBehind(number: measure.number, title: measure.title, percent: rollup.percent, expected: expected),
                                      date: measure.end, urgent: false))
            }
        }
        if !documentsMade { steps.append(NextStep(kind: .documentsNotMade, date: nil, urgent: false)) }
        // Urgent first, then by date (undated last), keeping the order above among equals.
        return steps.enumerated().sorted { a, b in
            if a.element.urgent != b.element.urgent { return a.element.urgent }
            switch (a.element.date, b.element.date) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The share of a measure's period gone by on `today`, 0–100 (rounded down); nil before it starts.
    static func expectedPercent(_ measure: Measure, today: CivilDate) -> Int? {
        guard today >= measure.start else { return nil }
        let total = measure.start.days(to: measure.end) + 1
        guard total > 0 else { return nil }
        let gone = min(total, measure.start.days(to: today) + 1)
        return gone * 100 / total
    }
}

/// Why an assessment has its level, and what the next level up needs.
public struct LevelGap: Sendable, Hashable {
    public struct Short: Sendable, Hashable {
        /// A survey part or checklist tool id, or nil for the overall score.
        public var id: String?
        public var value: Decimal
        public var needed: Decimal
    }

    public var level: LevelRule
    /// The next level up.
    public var next: LevelRule
    /// What the next level needs of the overall score, and of every part when it sets a floor.
    public var scoreNeeded: Decimal { next.minScore }
    public var everyPartNeeded: Decimal? { next.minEveryPart }
    /// Every figure short of what the next level needs, in framework order (the overall score first).
    public var short: [Short]
}

extension AssessmentFigures {
    /// The figures that keep the assessment from the next level up; nil without a result or at the top.
    public var levelGap: LevelGap? {
        guard let result, let index = framework.levels.firstIndex(where: { $0.id == result.level.id }), index > 0 else { return nil }
        let next = framework.levels[index - 1]
        var short: [LevelGap.Short] = []
        if result.score.roundedForDisplay < next.minScore {
            short.append(.init(id: nil, value: result.score, needed: next.minScore))
        }
        if let floor = next.minEveryPart {
            for tool in framework.tools {
                switch tool.kind {
                case .survey(let survey):
                    for part in survey.parts {
                        if let v = result.parts[part], v.roundedForDisplay < floor { short.append(.init(id: part, value: v, needed: floor)) }
                    }
                case .checklist:
                    if let v = result.tools[tool.id], v.roundedForDisplay < floor { short.append(.init(id: tool.id, value: v, needed: floor)) }
                }
            }
        }
        return LevelGap(level: result.level, next: next, short: short)
    }
}
