import Foundation

/// The two languages of the product: Thai first, English available.
public enum Language: String, Sendable, CaseIterable {
    case th, en
}

/// A text in Thai and English.
public struct LocalizedText: Sendable, Hashable {
    public var th: String
    public var en: String

    public init(th: String, en: String) {
        self.th = th
        self.en = en
    }

    public func text(_ language: Language) -> String {
        switch language {
        case .th: th.isEmpty ? en : th
        case .en: en.isEmpty ? th : en
        }
    }
}

/// One fiscal year's assessment scheme: tools, weights, scales, indicators, items and level rules.
///
/// Everything that changes from year to year is here, loaded from a framework file
/// (`Frameworks/ita-2566.json`); no scoring rule lives in code.
public struct Framework: Sendable {
    public var id: String
    public var fiscalYear: Int
    public var title: LocalizedText
    public var scales: [String: Scale]
    public var tools: [Tool]
    public var levels: [LevelRule]
    public var sampling: SamplingRule?
    /// Days the agency has to file a clarification (ขอชี้แจง) after the assessor's review.
    public var clarificationDays: Int
    /// The framework file as loaded; `framework export` prints it back.
    public var document: JSONValue
    /// How last year's result is analysed (O42): the weak-point rule and default guidance.
    public var improvement = ImprovementPolicy()
    /// How many answers a survey figure needs behind it, and the smallest release batch.
    public var anonymity = AnonymityPolicy()

    public var surveyTools: [(tool: Tool, survey: SurveyTool)] {
        tools.compactMap { tool in if case .survey(let s) = tool.kind { (tool, s) } else { nil } }
    }

    public var checklistTools: [(tool: Tool, checklist: ChecklistTool)] {
        tools.compactMap { tool in if case .checklist(let c) = tool.kind { (tool, c) } else { nil } }
    }

    /// Every survey part id, in framework order.
    public var partIDs: [String] { surveyTools.flatMap(\.survey.parts) }

    public func tool(_ id: String) -> Tool? { tools.first { $0.id == id } }

    /// The survey tool a part belongs to.
    public func surveyTool(forPart part: String) -> (tool: Tool, survey: SurveyTool)? {
        surveyTools.first { $0.survey.parts.contains(part) }
    }

    /// A tool's or survey part's short name as pages write it: "IIT", "EIT ส่วนที่ 1" ("EIT part 1").
    public func shortName(_ id: String, language: Language) -> String {
        if let (tool, survey) = surveyTool(forPart: id) {
            guard survey.parts.count > 1, let index = survey.parts.firstIndex(of: id) else { return tool.id.uppercased() }
            return tool.id.uppercased() + (language == .th ? " ส่วนที่ \(index + 1)" : " part \(index + 1)")
        }
        return (tool(id)?.id ?? id).uppercased()
    }

    public func level(_ id: String) -> LevelRule? { levels.first { $0.id == id } }

    /// The pass mark: the lowest score of a passing level (85 in FY2566); nil when no level passes.
    /// Pages, charts and documents draw their pass lines and "low" marks from this, never a literal.
    public var passMark: Decimal? { levels.filter(\.passing).map(\.minScore).min() }

    /// A figure that, as displayed, falls short of the pass mark.
    public func belowPassMark(_ value: Decimal) -> Bool {
        guard let passMark else { return false }
        return value.roundedForDisplay < passMark
    }
}

/// An answer scale: ordinal levels scored by points, or a yes/no pair.
public enum Scale: Sendable, Hashable {
    /// Answers are integers 1…points.count; answer k scores points[k-1] (points[count-k] when reversed).
    case ordinal(points: [Decimal], labels: [LocalizedText])
    /// Answers are "yes"/"no"; scores swap when reversed.
    case yesNo(yes: Decimal, no: Decimal, yesLabel: LocalizedText, noLabel: LocalizedText)
}

public struct Tool: Sendable {
    public enum Kind: Sendable {
        case survey(SurveyTool)
        case checklist(ChecklistTool)
    }

    public var id: String
    public var name: LocalizedText
    public var weight: Decimal
    public var kind: Kind

    public var isSurvey: Bool { if case .survey = kind { true } else { false } }
}

/// How a survey part's answers are collected.
public enum SurveyCollection: String, Sendable, Hashable, CaseIterable {
    /// By the agency, with a one-time code per respondent (staff surveys).
    case oneTimeCode = "one-time-code"
    /// By the agency, through a public link and QR (service users).
    case publicLink = "public-link"
    /// By the assessing body's staff, typed in from interviews or paper.
    case assessorEntry = "assessor-entry"
}

public struct SurveyTool: Sendable {
    public var parts: [String]
    public var partNames: [String: LocalizedText]
    /// Per part; a part not listed is collected through a public link.
    public var collection: [String: SurveyCollection] = [:]

    public func collection(of part: String) -> SurveyCollection { collection[part] ?? .publicLink }
    public var indicators: [SurveyIndicator]

    public var questions: [Question] { indicators.flatMap(\.questions) }

    public func partName(_ part: String) -> LocalizedText {
        partNames[part] ?? LocalizedText(th: part, en: part)
    }
}

public struct SurveyIndicator: Sendable {
    public var id: String
    public var name: LocalizedText
    public var questions: [Question]
}

public struct Question: Sendable, Hashable {
    public var id: String
    /// Sub-items of one printed question (i1a, i1b) share a group ("i1").
    public var group: String?
    public var text: LocalizedText
    public var scale: String
    public var reverse: Bool
    /// Answer labels of this question where the scale's own do not read well ("เคย / ไม่เคย" for "ท่านเคย…
    /// หรือไม่"), keyed by answer ("yes", "no", or "1"…"4").
    public var answerLabels: [String: LocalizedText] = [:]

    /// The label of an answer: the question's own, else the scale's.
    public func label(_ answer: String, scaleLabel: LocalizedText) -> LocalizedText { answerLabels[answer] ?? scaleLabel }
}

public struct ChecklistTool: Sendable {
    public var indicators: [ChecklistIndicator]

    public var subindicators: [SubIndicator] { indicators.flatMap(\.subindicators) }
    public var items: [OITItem] { subindicators.flatMap(\.items) }

    public func item(_ id: String) -> OITItem? { items.first { $0.id == id } }

    /// The sub-indicator an item belongs to.
    public func subindicator(ofItem id: String) -> SubIndicator? {
        subindicators.first { $0.items.contains { $0.id == id } }
    }
}

public struct ChecklistIndicator: Sendable {
    public var id: String
    public var name: LocalizedText
    public var subindicators: [SubIndicator]
}

public struct SubIndicator: Sendable {
    public var id: String
    public var name: LocalizedText
    public var items: [OITItem]
    /// Topic headings that group the items, as the assessing body's list prints them ("การจัดซื้อจัดจ้าง
    /// หรือการจัดหาพัสดุ"). Each names its items explicitly; items under no heading have none.
    public var topics: [Topic] = []

    public init(id: String, name: LocalizedText, items: [OITItem], topics: [Topic] = []) {
        self.id = id
        self.name = name
        self.items = items
        self.topics = topics
    }

    /// The topic an item is listed under, if any.
    public func topic(of itemID: String) -> Topic? { topics.first { $0.items.contains(itemID) } }

    /// The topic whose heading is printed just before this item: the item is the first of its topic.
    public func topicStarting(at itemID: String) -> Topic? {
        topics.first { topic in items.first(where: { topic.items.contains($0.id) })?.id == itemID }
    }
}

/// A topic heading within a sub-indicator, with the items it covers.
public struct Topic: Sendable, Hashable {
    public var name: LocalizedText
    public var items: [String]

    public init(name: LocalizedText, items: [String]) {
        self.name = name
        self.items = items
    }
}

/// One public-disclosure item (O1–O43 in FY2566) with its required components (องค์ประกอบด้านข้อมูล).
public struct OITItem: Sendable, Hashable {
    public var id: String
    public var title: LocalizedText
    public var components: [String]
}

/// A grade rule. Rules are tried in order; the first whose conditions hold gives the level.
public struct LevelRule: Sendable, Hashable {
    public var id: String
    public var name: LocalizedText
    /// The overall score (rounded for display) must reach this.
    public var minScore: Decimal
    /// When set, every survey part and every checklist tool (rounded) must reach this too.
    public var minEveryPart: Decimal?
    /// The level counts as passing the assessment (ผ่าน and above in FY2566).
    public var passing: Bool = false
}

/// The minimum survey sample: a percentage of the population, clamped; everyone when fewer than the minimum.
public struct SamplingRule: Sendable, Hashable {
    public var percent: Decimal
    public var minimum: Int
    public var maximum: Int

    public func minimumSample(population: Int) -> Int {
        guard population > 0 else { return 0 }
        if population <= minimum { return population }
        var share = Decimal(population) * percent / 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &share, 0, .up)
        let wanted = NSDecimalNumber(decimal: rounded).intValue
        return min(population, max(minimum, min(maximum, wanted)))
    }
}

/// A survey part's answers against the framework's minimum sample: what the survey page, the dashboard
/// and the live status show, decided here once.
public struct SampleProgress: Sendable, Hashable {
    public var responses: Int
    /// The minimum sample; nil until the population is entered (or when the framework has no rule).
    public var target: Int?
    /// Percent of the target reached, 0–100, rounded down.
    public var percent: Int
    public var reached: Bool

    public init(responses: Int, population: Int?, rule: SamplingRule?) {
        self.responses = responses
        target = population.flatMap { population in rule.map { $0.minimumSample(population: population) } }
        percent = target.map { $0 == 0 ? 100 : min(100, responses * 100 / $0) } ?? 0
        reached = target.map { responses >= $0 } ?? false
    }
}
