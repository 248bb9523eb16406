import Foundation

/// How an assessment's result is analysed for the next year's improvement (O42). Read from the
/// framework file's `improvement` section; nothing here is year-specific.
public struct ImprovementPolicy: Sendable, Hashable {
    /// An indicator scoring below this is a weak point.
    public var weakBelow: Decimal = 85
    /// The lowest this many indicators are weak points too, whatever their score.
    public var lowest: Int = 3
    /// Default improvement guidance per indicator or sub-indicator id.
    public var guidance: [String: LocalizedText] = [:]

    public init() {}

    /// A score below the mark as shown (rounded half-up to 2 decimals, as the level rules compare).
    public func belowMark(_ score: Decimal) -> Bool { score.roundedForDisplay < weakBelow }
}

/// An indicator or sub-indicator of any tool, in framework order.
public struct IndicatorRef: Sendable, Hashable {
    public var id: String
    public var name: LocalizedText
    public var toolID: String
    /// The indicator a sub-indicator belongs to; nil for an indicator.
    public var parent: String?

    /// "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ" or "ตัวชี้วัดย่อยที่ 9.2 การบริหารงาน".
    public func label(_ language: Language) -> String {
        switch (language, parent) {
        case (.th, nil): "ตัวชี้วัดที่ \(id) \(name.th)"
        case (.th, _): "ตัวชี้วัดย่อยที่ \(id) \(name.th)"
        case (.en, nil): "Indicator \(id) \(name.en)"
        case (.en, _): "Sub-indicator \(id) \(name.en)"
        }
    }
}

extension Framework {
    static func indicatorIDs(_ tools: [Tool]) -> [String] { indicatorRefs(tools).map(\.id) }

    static func indicatorRefs(_ tools: [Tool]) -> [IndicatorRef] {
        var refs: [IndicatorRef] = []
        for tool in tools {
            switch tool.kind {
            case .survey(let survey):
                refs += survey.indicators.map { IndicatorRef(id: $0.id, name: $0.name, toolID: tool.id) }
            case .checklist(let checklist):
                for indicator in checklist.indicators {
                    refs.append(IndicatorRef(id: indicator.id, name: indicator.name, toolID: tool.id))
                    refs += indicator.subindicators.map { IndicatorRef(id: $0.id, name: $0.name, toolID: tool.id, parent: indicator.id) }
                }
            }
        }
        return refs
    }

    /// Every indicator and sub-indicator, in framework order.
    public var indicatorRefs: [IndicatorRef] { Self.indicatorRefs(tools) }

    public func indicatorRef(_ id: String) -> IndicatorRef? { indicatorRefs.first { $0.id == id } }
}

/// Per-indicator scores of one assessment.
public enum IndicatorScores {
    /// The result key under which a published indicator score is stored ("ind:4").
    public static func resultKey(_ indicatorID: String) -> String { "ind:\(indicatorID)" }

    /// A published indicator score wins; otherwise the figure computed from responses and items.
    /// A survey indicator is the mean of its parts' figures (as the tool is the mean of its parts).
    public static func resolve(framework: Framework, results: [StoredResult], partial: Scorer.Partial?) -> [String: Decimal] {
        var scores: [String: Decimal] = [:]
        let published = Dictionary(results.map { ($0.key, $0.score) }, uniquingKeysWith: { a, _ in a })
        for ref in framework.indicatorRefs {
            if let value = published[resultKey(ref.id)] {
                scores[ref.id] = value
                continue
            }
            guard let partial, let tool = framework.tool(ref.toolID) else { continue }
            switch tool.kind {
            case .survey(let survey):
                if let value = partial.indicator(ref.id, acrossParts: survey.parts) { scores[ref.id] = value }
            case .checklist:
                if ref.parent == nil {
                    scores[ref.id] = partial.indicators[tool.id]?[ref.id]
                } else {
                    scores[ref.id] = partial.subindicators[tool.id]?[ref.id]
                }
            }
        }
        return scores
    }
}

/// One row of the analysis of last year's result: an indicator, its score, whether it is a weak point
/// and what the agency will do about it. Drafted by Prongsai, edited by the officer.
public struct AnalysisRow: Sendable, Hashable {
    public var indicatorID: String
    public var score: Decimal?
    public var weak: Bool
    public var guidance: String
    public var responsible: String
    public var period: String
    public var progress: ItemProgress
    public var note: String

    public init(indicatorID: String, score: Decimal? = nil, weak: Bool = false, guidance: String = "", responsible: String = "",
                period: String = "", progress: ItemProgress = .notStarted, note: String = "") {
        self.indicatorID = indicatorID
        self.score = score
        self.weak = weak
        self.guidance = guidance
        self.responsible = responsible
        self.period = period
        self.progress = progress
        self.note = note
    }
}

public enum AnalysisDraft {
    /// Indicators (not sub-indicators) that are weak points: below the policy's mark, or among the
    /// lowest `policy.lowest` scored indicators.
    public static func weakPoints(framework: Framework, scores: [String: Decimal]) -> Set<String> {
        let policy = framework.improvement
        let scored = framework.indicatorRefs.filter { $0.parent == nil }.compactMap { ref in scores[ref.id].map { (ref.id, $0) } }
        var weak = Set(scored.filter { policy.belowMark($0.1) }.map(\.0))
        // Ties at the cut-off are all included: two indicators with the same score are equally weak.
        let sorted = scored.map(\.1).sorted()
        if policy.lowest > 0, !sorted.isEmpty {
            let cutoff = sorted[min(policy.lowest, sorted.count) - 1]
            weak.formUnion(scored.filter { $0.1 <= cutoff }.map(\.0))
        }
        return weak
    }

    /// A first draft: one row per indicator with its score, the weak-point flag and the framework's
    /// default guidance, for the whole fiscal year's period.
    public static func draft(framework: Framework, scores: [String: Decimal], fiscalYear: FiscalYear) -> [AnalysisRow] {
        let weak = weakPoints(framework: framework, scores: scores)
        return framework.indicatorRefs.filter { $0.parent == nil }.map { ref in
            AnalysisRow(
                indicatorID: ref.id, score: scores[ref.id], weak: weak.contains(ref.id),
                guidance: framework.improvement.guidance[ref.id]?.th ?? "", responsible: "",
                period: fiscalYear.shortPeriod, progress: .notStarted, note: "")
        }
    }

    /// Keeps what the officer wrote and refreshes only the scores and weak flags from a new result.
    public static func refresh(_ rows: [AnalysisRow], framework: Framework, scores: [String: Decimal], fiscalYear: FiscalYear) -> [AnalysisRow] {
        let existing = Dictionary(rows.map { ($0.indicatorID, $0) }, uniquingKeysWith: { a, _ in a })
        return draft(framework: framework, scores: scores, fiscalYear: fiscalYear).map { fresh in
            guard var row = existing[fresh.indicatorID] else { return fresh }
            row.score = fresh.score
            row.weak = fresh.weak
            return row
        }
    }
}

public enum MeasureStatus: String, Sendable, Hashable, CaseIterable {
    case planned
    case inProgress = "in-progress"
    case done
    case cancelled

    /// The status once progress is reported: a planned measure that reports progress is under way; any
    /// other status stands.
    public var afterProgressReport: MeasureStatus { self == .planned ? .inProgress : self }

    public var name: LocalizedText {
        switch self {
        case .planned: LocalizedText(th: "วางแผนแล้ว", en: "Planned")
        case .inProgress: LocalizedText(th: "อยู่ระหว่างดำเนินการ", en: "In progress")
        case .done: LocalizedText(th: "ดำเนินการแล้ว", en: "Done")
        case .cancelled: LocalizedText(th: "ยกเลิก", en: "Cancelled")
        }
    }
}

/// An integrity measure (มาตรการ) the agency carries out during a fiscal year (O42/O43).
public struct Measure: Sendable, Hashable, Identifiable {
    public var id: String
    public var assessmentID: String
    public var number: Int
    public var title: String
    /// วิธีการดำเนินการ
    public var method: String
    public var start: CivilDate
    public var end: CivilDate
    public var responsible: String
    /// Linked indicator and sub-indicator ids ("4", "9.4").
    public var indicators: [String]
    /// Linked OIT item ids.
    public var items: [String]
    public var target: String
    public var status: MeasureStatus
    /// สรุปผลการดำเนินการ
    public var summary: String
    /// ผลลัพธ์หรือความสำเร็จในการดำเนินการ
    public var outcome: String

    public init(id: String = UUID().uuidString.lowercased(), assessmentID: String, number: Int, title: String, method: String = "",
                start: CivilDate, end: CivilDate, responsible: String = "", indicators: [String] = [], items: [String] = [],
                target: String = "", status: MeasureStatus = .planned, summary: String = "", outcome: String = "") {
        self.id = id
        self.assessmentID = assessmentID
        self.number = number
        self.title = title
        self.method = method
        self.start = start
        self.end = end
        self.responsible = responsible
        self.indicators = indicators
        self.items = items
        self.target = target
        self.status = status
        self.summary = summary
        self.outcome = outcome
    }

    /// "ต.ค.65 - ก.ย.66", as Thai reports write a period.
    public var periodLabel: String { MeasurePeriod.label(start, end) }
}

public enum MeasurePeriod {
    public static func monthLabel(_ date: CivilDate) -> String {
        ThaiFormat.shortMonthNames[date.month - 1] + NumberText.padded(ThaiFormat.buddhistYear(date.year) % 100, width: 2)
    }

    public static func label(_ start: CivilDate, _ end: CivilDate) -> String { "\(monthLabel(start)) - \(monthLabel(end))" }

    /// "Oct 2022 – Sep 2023".
    public static func englishLabel(_ start: CivilDate, _ end: CivilDate) -> String {
        func month(_ d: CivilDate) -> String { "\(ThaiFormat.englishMonthNames[d.month - 1].prefix(3)) \(d.year)" }
        return "\(month(start)) – \(month(end))"
    }
}

/// A monthly progress report on a measure.
public struct MeasureUpdate: Sendable, Hashable, Identifiable {
    public var id: String
    public var measureID: String
    /// The month reported on, as "2023-03".
    public var month: String
    /// 0–100.
    public var percent: Int
    public var note: String
    public var evidenceURL: String
    /// Evidence files, kept in the same content-addressed store as OIT evidence.
    public var files: [EvidenceFile]
    public var createdBy: String
    public var createdAt: Date

    public init(id: String = UUID().uuidString.lowercased(), measureID: String, month: String, percent: Int, note: String = "",
                evidenceURL: String = "", files: [EvidenceFile] = [], createdBy: String, createdAt: Date) {
        self.id = id
        self.measureID = measureID
        self.month = month
        self.percent = percent
        self.note = note
        self.evidenceURL = evidenceURL
        self.files = files
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// "มี.ค. 2566" for "2023-03".
    public var monthLabel: String {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (1...12).contains(parts[1]) else { return month }
        return "\(ThaiFormat.shortMonthNames[parts[1] - 1]) \(ThaiFormat.buddhistYear(parts[0]))"
    }

    /// A month as "YYYY-MM" from a form, or nil.
    public static func month(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              y >= 1900, y <= 2200, (1...12).contains(m) else { return nil }
        return text
    }
}

/// Where a measure stands.
public struct MeasureRollup: Sendable, Hashable {
    public var percent: Int
    public var latest: MeasureUpdate?
    public var overdue: Bool

    /// Progress is the latest month's figure (a done measure is 100); a measure is overdue when its
    /// period has ended and it is neither done nor cancelled.
    public static func of(_ measure: Measure, updates: [MeasureUpdate], today: CivilDate) -> MeasureRollup {
        let latest = updates.filter { $0.measureID == measure.id }.max { ($0.month, $0.createdAt) < ($1.month, $1.createdAt) }
        let percent = measure.status == .done ? 100 : (latest?.percent ?? 0)
        let overdue = today > measure.end && measure.status != .done && measure.status != .cancelled
        return MeasureRollup(percent: percent, latest: latest, overdue: overdue)
    }

    /// The mean progress of the measures that are not cancelled, as a whole percentage (half up).
    public static func overall(_ rollups: [(Measure, MeasureRollup)]) -> Int? {
        let counted = rollups.filter { $0.0.status != .cancelled }
        guard !counted.isEmpty else { return nil }
        let sum = counted.reduce(0) { $0 + $1.1.percent }
        return (sum * 2 + counted.count) / (counted.count * 2)
    }
}

/// The change in one linked indicator between the year a measure answers and the year it ran.
public struct MeasureEffect: Sendable, Hashable {
    public var indicatorID: String
    public var before: Decimal?
    public var after: Decimal?

    public var change: Decimal? {
        guard let before, let after else { return nil }
        return after - before
    }

    public static func of(_ measure: Measure, before: [String: Decimal], after: [String: Decimal]) -> [MeasureEffect] {
        measure.indicators.map { MeasureEffect(indicatorID: $0, before: before[$0], after: after[$0]) }
    }
}

/// The details of the memo (บันทึกข้อความ) that reports the result to the executives.
public struct MemoDetails: Sendable, Hashable {
    public struct Signer: Sendable, Hashable {
        /// The comment heading above the signature ("ความเห็นหัวหน้าสำนักปลัด"); empty for the author.
        public var title: String
        public var name: String
        public var position: String

        public init(title: String = "", name: String, position: String) {
            self.title = title
            self.name = name
            self.position = position
        }
    }

    public var division: String
    public var number: String
    public var date: CivilDate
    public var to: String
    public var subject: String
    /// The opening paragraph; empty gives the standard wording.
    public var intro: String
    public var author: Signer
    public var signers: [Signer]

    public init(division: String, number: String, date: CivilDate, to: String, subject: String, intro: String = "",
                author: Signer, signers: [Signer]) {
        self.division = division
        self.number = number
        self.date = date
        self.to = to
        self.subject = subject
        self.intro = intro
        self.author = author
        self.signers = signers
    }
}
