import Foundation
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

struct AnalysisModel {
    struct Row {
        var id: String
        var label: String
        var tool: String
        var score: String
        var low: Bool
        var weak: Bool
        var guidance: String
        var responsible: String
        var period: String
        var note: String
        var progress: [Choice]
    }

    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var action: String
    var draftAction: String
    var canEdit: Bool
    var saved: Bool
    var isDraft: Bool
    var baseYear: Int?
    var hasBase: Bool
    var rows: [Row]
    var weakList: String
    var developList: String
    var weakBelow: String
    var lowest: Int
    var toolChart: String?
    var indicatorChart: String?
    var lastYear: Int
    var lastYearAction: String
    var lastYearFields: [ResultsModel.Field] = []
    var lastYearErrors = false

    static func make(_ loaded: AssessmentController.Loaded, rows: [AnalysisRow], isDraft: Bool, base: ImprovementController.YearFigures?,
                     history: [ImprovementController.YearFigures], canEdit: Bool, saved: Bool, context: AppRequestContext) -> AnalysisModel {
        let language = context.language
        let framework = loaded.framework
        let code = loaded.agency.code, year = loaded.assessment.fiscalYear
        let out = rows.compactMap { row -> Row? in
            guard let ref = framework.indicatorRef(row.indicatorID) else { return nil }
            return Row(
                id: ref.id, label: ref.label(language), tool: framework.tool(ref.toolID)?.name.text(language) ?? ref.toolID,
                score: row.score?.displayString ?? "—", low: row.score.map(framework.improvement.belowMark) ?? false,
                weak: row.weak, guidance: row.guidance, responsible: row.responsible, period: row.period, note: row.note,
                progress: ItemProgress.allCases.map { Choice(value: $0.rawValue, label: $0.name.text(language), selected: $0 == row.progress) })
        }
        let years = history.filter { $0.score != nil || !$0.figures.lines.isEmpty || !$0.indicators.isEmpty }.map(\.year)
        var toolChart: String?
        var indicatorChart: String?
        if !years.isEmpty {
            let shown = history.filter { years.contains($0.year) }
            var toolRows = [YearChart.Row(label: "ITA", values: shown.map(\.score))]
            for tool in framework.tools {
                // Tool names share their first words; the chart shows the short name ("IIT").
                toolRows.append(YearChart.Row(label: tool.id.uppercased(), values: shown.map { $0.value(tool.id) }))
                if case .survey(let survey) = tool.kind, survey.parts.count > 1 {
                    for (index, part) in survey.parts.enumerated() {
                        let label = language == .th ? "\(tool.id.uppercased()) ส่วนที่ \(index + 1)" : "\(tool.id.uppercased()) part \(index + 1)"
                        toolRows.append(YearChart.Row(label: label, values: shown.map { $0.value(part) }))
                    }
                }
            }
            toolChart = YearChart(title: language == .th ? "คะแนนรายเครื่องมือเทียบรายปี" : "Scores by tool, year over year", years: years, rows: toolRows, threshold: framework.passMark).svg()
            let indicatorRows = framework.indicatorRefs.filter { $0.parent == nil }.map { ref in
                YearChart.Row(label: ref.label(language), values: shown.map { $0.indicators[ref.id] })
            }
            indicatorChart = YearChart(title: language == .th ? "คะแนนรายตัวชี้วัดเทียบรายปี" : "Scores by indicator, year over year", years: years, rows: indicatorRows, threshold: framework.passMark).svg()
        }
        return AnalysisModel(
            agencyName: loaded.agency.name.text(language), fiscalYear: year, nav: AssessmentNav(loaded, current: .analysis, context: context),
            action: SiteURL.analysis(agency: code, year: year).path, draftAction: SiteURL.analysisDraft(agency: code, year: year).path,
            canEdit: canEdit, saved: saved, isDraft: isDraft, baseYear: base?.year, hasBase: base != nil, rows: out,
            weakList: out.filter(\.weak).map(\.label).joined(separator: ", "), developList: out.filter { !$0.weak }.map(\.label).joined(separator: ", "),
            weakBelow: "\(framework.improvement.weakBelow)", lowest: framework.improvement.lowest,
            toolChart: toolChart, indicatorChart: indicatorChart, lastYear: year - 1,
            lastYearAction: SiteURL.analysisLastYear(agency: code, year: year).path)
    }
}
