import Foundation
import ProngsaiCore
import ProngsaiReports

struct DashboardModel {
    var agencyName: String
    var agencyPlace: String
    var fiscalYear: Int
    var period: String
    var frameworkTitle: String
    var nav: AssessmentNav
    var complete: Bool
    var score: String
    var levelName: String
    var levelClass: String
    var missing: [String]
    var unjudgedCount: Int
    var tools: [FigureRow]
    var indicators: [FigureRow]
    var toolChart: String
    var indicatorChart: String
    var subindicatorChart: String
    var samples: [SampleRow]
    var hasSamples: Bool
    var dailyChart: String?
    var surveysURL: String
    var statusURL: String
    var readiness: ReadinessModel?
    var next: NextStepsModel?
    /// Complaint cases past their guideline deadline (a count, no content); the link for the agency's handlers.
    var overdueComplaints: OverdueComplaints?

    struct OverdueComplaints {
        var count: Int
        var url: String?
    }
    /// "เกณฑ์ผ่าน N คะแนน", N from the framework's passing levels.
    var passMark: String?
    /// Said when some figure is Prongsai's estimate from its own survey, not a published result.
    var estimateNote: String?

    static func make(_ loaded: AssessmentController.Loaded, figures: AssessmentFigures, windows: [SurveyWindow], daily: [String: [(day: CivilDate, count: Int)]],
                     today: CivilDate, context: AppRequestContext) -> DashboardModel {
        let language = context.language
        let framework = loaded.framework
        let gathered = figures.gathered
        let result = figures.result
        var tools: [FigureRow] = []
        var toolBars: [BarChart.Bar] = []
        var indicators: [FigureRow] = []
        var indicatorBars: [BarChart.Bar] = []
        var subBars: [BarChart.Bar] = []
        // Parts scored from Prongsai's own survey answers are estimates, not the published figures.
        let estimated = figures.estimatedParts
        let estimateMark = language == .th ? " (ประมาณการ)" : " (estimate)"
        let publishedMark = language == .th ? " (ผลที่ประกาศ)" : " (published)"
        func mark(_ id: String, estimated: Bool) -> String { estimated ? estimateMark : figures.isPublished(id) ? publishedMark : "" }
        for tool in framework.tools {
            let value = figures.value(tool.id)
            tools.append(FigureRow(id: tool.id.uppercased(), name: tool.name.text(language) + mark(tool.id, estimated: figures.isEstimated(tool: tool)), value: value?.displayString ?? "–",
                                   weight: "\(tool.weight)", indent: false, low: value.map(figures.belowPassMark) ?? false))
            if let value { toolBars.append(.init(label: tool.id.uppercased(), value: value, low: figures.belowPassMark(value))) }
            if case .survey(let survey) = tool.kind, survey.parts.count > 1 {
                for part in survey.parts {
                    let v = figures.value(part)
                    tools.append(FigureRow(id: framework.shortName(part, language: language), name: survey.partName(part).text(language) + mark(part, estimated: estimated.contains(part)), value: v?.displayString ?? "–",
                                           weight: nil, indent: true, low: v.map(figures.belowPassMark) ?? false))
                    if let v { toolBars.append(.init(label: framework.shortName(part, language: language), value: v, low: figures.belowPassMark(v))) }
                }
            }
            if case .checklist(let checklist) = tool.kind {
                for indicator in checklist.indicators {
                    guard let v = figures.checklist(tool.id, indicator: indicator.id) else { continue }
                    indicators.append(FigureRow(id: indicator.id, name: indicator.name.text(language), value: v.displayString, weight: nil, indent: false, low: figures.belowPassMark(v)))
                    indicatorBars.append(.init(label: "\(indicator.id) \(indicator.name.text(language))", value: v, low: figures.belowPassMark(v)))
                    for sub in indicator.subindicators {
                        guard let sv = figures.checklist(tool.id, subindicator: sub.id) else { continue }
                        indicators.append(FigureRow(id: sub.id, name: sub.name.text(language), value: sv.displayString, weight: nil, indent: true, low: figures.belowPassMark(sv)))
                        subBars.append(.init(label: "\(sub.id) \(sub.name.text(language))", value: sv, low: figures.belowPassMark(sv)))
                    }
                }
            }
        }
        let missingNames = gathered.missing.map { key -> String in
            if let (_, survey) = framework.surveyTool(forPart: key) { return survey.partName(key).text(language) }
            return framework.tool(key)?.name.text(language) ?? key
        }
        let strings = Strings.labels(language)
        let samples = SampleRow.rows(loaded, figures: figures, windows: windows, today: today, language: language)
        var totals: [CivilDate: Int] = [:]
        for (_, days) in daily { for entry in days { totals[entry.day, default: 0] += entry.count } }
        let perDay = totals.sorted { $0.key < $1.key }
        return DashboardModel(
            agencyName: loaded.agency.name.text(language),
            agencyPlace: language == .th ? "อ.\(loaded.agency.district) จ.\(loaded.agency.province)" : "\(loaded.agency.district), \(loaded.agency.province)",
            fiscalYear: loaded.assessment.fiscalYear,
            period: language == .th ? FiscalYear(loaded.assessment.fiscalYear).longPeriod : Self.englishPeriod(FiscalYear(loaded.assessment.fiscalYear)),
            frameworkTitle: framework.title.text(language),
            nav: AssessmentNav(loaded, current: .dashboard, context: context),
            complete: result != nil,
            score: result?.score.displayString ?? "–",
            levelName: result.map { language == .th ? $0.level.name.th : "\($0.level.name.en) (\($0.level.name.th))" } ?? "–",
            levelClass: result.map { $0.level.passing ? "good" : "bad" } ?? "none",
            missing: missingNames,
            unjudgedCount: figures.unjudgedCount,
            tools: tools, indicators: indicators,
            toolChart: BarChart(title: strings["tools"]!, bars: toolBars, threshold: figures.passMark).svg(),
            indicatorChart: indicatorBars.isEmpty ? "" : BarChart(title: strings["indicators"]!, bars: indicatorBars, threshold: figures.passMark).svg(),
            subindicatorChart: subBars.isEmpty ? "" : BarChart(title: strings["subindicators"]!, bars: subBars, threshold: figures.passMark).svg(),
            samples: samples, hasSamples: !samples.isEmpty,
            dailyChart: perDay.isEmpty ? nil : DailyChart(title: language == .th ? "จำนวนผู้ตอบรายวัน (ทุกส่วน)" : "Responses per day (all parts)",
                                                          days: perDay.suffix(31).map { (language == .th ? "\($0.key.day) \(ThaiFormat.shortMonthNames[$0.key.month - 1])" : "\($0.key.day)/\($0.key.month)", $0.value) }).svg(),
            surveysURL: SiteURL.surveys(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path,
            statusURL: SiteURL.surveyStatus(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path,
            readiness: nil, next: nil,
            passMark: figures.passMark.map { language == .th ? "เกณฑ์ผ่าน \($0) คะแนน" : "Pass mark \($0)" },
            estimateNote: estimated.isEmpty ? nil : (language == .th
                ? "ประมาณการ: บางส่วนคำนวณจากคำตอบในแบบสำรวจของโปร่งใส ไม่ใช่ผลที่ประกาศ เมื่อมีผลที่ประกาศ ให้บันทึกในหน้าคะแนนที่ประกาศ"
                : "Estimate: some parts are scored from the answers Prongsai's own survey collected, not the published results. Enter the published results when they are out."))
    }

    static func englishPeriod(_ year: FiscalYear) -> String {
        "\(ThaiFormat.englishDate(year.start)) – \(ThaiFormat.englishDate(year.end))"
    }
}
