import Foundation
import ProngsaiCore

/// Everything the agency's ITA documents (report, memo, workbook, CSV, print view) are made from.
/// Gathered by the web layer from the database; the documents are pure functions of it.
public struct ReportInput: Sendable {
    /// One score line: "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)" 97.82.
    public struct ScoreLine: Sendable, Hashable {
        /// A tool id ("iit", "oit") or survey part id ("eit1").
        public var id: String
        public var name: String
        public var score: Decimal

        public init(id: String, name: String, score: Decimal) {
            self.id = id
            self.name = name
            self.score = score
        }
    }

    /// One OIT item row of the report's OIT table.
    public struct ItemRow: Sendable, Hashable {
        public var item: OITItem
        public var subindicatorID: String
        /// Responsible divisions' names, joined ("สำนักปลัด, กองคลัง").
        public var responsible: String
        public var progress: ItemProgress
        public var note: String
        /// nil until judged.
        public var passed: Bool?

        public init(item: OITItem, subindicatorID: String, responsible: String, progress: ItemProgress, note: String, passed: Bool?) {
            self.item = item
            self.subindicatorID = subindicatorID
            self.responsible = responsible
            self.progress = progress
            self.note = note
            self.passed = passed
        }
    }

    /// One measure with its roll-up and, once the next result is in, its effect.
    public struct MeasureRow: Sendable, Hashable {
        public var measure: Measure
        public var rollup: MeasureRollup
        public var updates: [MeasureUpdate]
        public var effects: [MeasureEffect]

        public init(measure: Measure, rollup: MeasureRollup, updates: [MeasureUpdate] = [], effects: [MeasureEffect] = []) {
            self.measure = measure
            self.rollup = rollup
            self.updates = updates
            self.effects = effects
        }
    }

    public var agency: Agency
    public var fiscalYear: FiscalYear
    public var framework: Framework
    /// The overall score and level name, when known.
    public var score: Decimal?
    public var levelName: String?
    /// Tool and part scores in the order documents list them (IIT, EIT part 1, EIT part 2, OIT).
    public var scoreLines: [ScoreLine]
    /// Indicator and sub-indicator scores of this year.
    public var indicatorScores: [String: Decimal]
    public var analysis: [AnalysisRow]
    /// The fiscal year the analysis rows' scores come from (last year), when Prongsai has it.
    public var analysisYear: Int?
    public var measures: [MeasureRow]
    public var items: [ItemRow]
    public var memo: MemoDetails?
    /// When the documents were made (shown in footers and the workbook).
    public var generatedOn: CivilDate

    public init(agency: Agency, fiscalYear: FiscalYear, framework: Framework, score: Decimal?, levelName: String?,
                scoreLines: [ScoreLine], indicatorScores: [String: Decimal], analysis: [AnalysisRow], measures: [MeasureRow],
                items: [ItemRow], memo: MemoDetails?, generatedOn: CivilDate, analysisYear: Int? = nil) {
        self.analysisYear = analysisYear
        self.agency = agency
        self.fiscalYear = fiscalYear
        self.framework = framework
        self.score = score
        self.levelName = levelName
        self.scoreLines = scoreLines
        self.indicatorScores = indicatorScores
        self.analysis = analysis
        self.measures = measures
        self.items = items
        self.memo = memo
        self.generatedOn = generatedOn
    }
}

extension ReportInput {
    /// Words naming another kind of local government in the text the agency wrote (item notes, the
    /// analysis, measures, the memo), each with where it is: text copied from another agency's report.
    public var foreignAgencyWords: [AgencyWords.Finding] {
        var texts: [(place: String, text: String)] = []
        for row in items where !row.note.isEmpty { texts.append((row.item.id, row.note)) }
        for row in analysis {
            texts.append(("ตัวชี้วัดที่ \(row.indicatorID)", [row.guidance, row.responsible, row.note].joined(separator: " ")))
        }
        for row in measures {
            let m = row.measure
            texts.append(("มาตรการที่ \(m.number)", [m.title, m.method, m.responsible, m.target, m.summary, m.outcome].joined(separator: " ")))
        }
        if let memo { texts.append(("บันทึกข้อความ", [memo.subject, memo.to, memo.intro].joined(separator: " "))) }
        return AgencyWords.foreign(in: texts, agencyType: agency.type)
    }
}
