import Foundation
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

struct Choice {
    var value: String
    var label: String
    var selected: Bool
}

enum ImprovementText {
    static func effects(_ measure: Measure, before: ImprovementController.YearFigures?, after: ImprovementController.YearFigures?,
                        framework: Framework, language: Language) -> [EffectModel] {
        guard let after else { return [] }
        // Only indicators with a figure this year say anything about the measure's effect.
        return MeasureEffect.of(measure, before: before?.indicators ?? [:], after: after.indicators).compactMap { effect in
            guard let value = effect.after else { return nil }
            let change = effect.change
            return EffectModel(
                label: framework.indicatorRef(effect.indicatorID)?.label(language) ?? effect.indicatorID,
                before: effect.before?.displayString, after: value.displayString,
                change: change.map { ($0 > 0 ? "+" : "") + $0.displayString },
                changeClass: change.map { $0 > 0 ? "up" : ($0 < 0 ? "down" : "same") } ?? "")
        }
    }

    static func row(_ measure: Measure, rollup: MeasureRollup, effects: [EffectModel], loaded: AssessmentController.Loaded, language: Language) -> MeasureRowModel {
        MeasureRowModel(
            url: SiteURL.measure(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, id: measure.id).path,
            number: measure.number, title: measure.title,
            period: language == .th ? measure.periodLabel : MeasurePeriod.englishLabel(measure.start, measure.end), responsible: measure.responsible,
            indicators: measure.indicators.map { loaded.framework.indicatorRef($0)?.label(language) ?? $0 }.joined(separator: ", "),
            items: measure.items.joined(separator: ", "), status: measure.status.name.text(language), statusClass: measure.status.rawValue,
            percent: rollup.percent, overdue: rollup.overdue, latest: rollup.latest.map { "\($0.monthLabel): \($0.percent)%" } ?? "",
            effects: effects)
    }
}

struct EffectModel {
    var label: String
    var before: String?
    var after: String
    var change: String?
    var changeClass: String
}

struct MeasureRowModel {
    var url: String
    var number: Int
    var title: String
    var period: String
    var responsible: String
    var indicators: String
    var items: String
    var status: String
    var statusClass: String
    var percent: Int
    var overdue: Bool
    var latest: String
    var effects: [EffectModel]
}
