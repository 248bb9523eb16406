import Foundation
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

struct MeasuresModel {
    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var action: String
    var canEdit: Bool
    var saved: String?
    var rows: [MeasureRowModel]
    var hasRows: Bool
    var overall: Int?
    var done: Int
    var inProgress: Int
    var overdue: Int
    var baseYear: Int?
    var form: MeasureFormModel
    var errors: [String]
    var hasErrors: Bool

    static func make(_ loaded: AssessmentController.Loaded, measures: [Measure], updates: [MeasureUpdate], before: ImprovementController.YearFigures?,
                     after: ImprovementController.YearFigures?, today: CivilDate, canEdit: Bool, form: MeasureForm, errors: [String], saved: String?,
                     context: AppRequestContext) -> MeasuresModel {
        let language = context.language
        let rollups = measures.map { ($0, MeasureRollup.of($0, updates: updates, today: today)) }
        let rows = rollups.map { measure, rollup in
            ImprovementText.row(measure, rollup: rollup,
                                effects: ImprovementText.effects(measure, before: before, after: after, framework: loaded.framework, language: language),
                                loaded: loaded, language: language)
        }
        return MeasuresModel(
            agencyName: loaded.agency.name.text(language), fiscalYear: loaded.assessment.fiscalYear,
            nav: AssessmentNav(loaded, current: .measures, context: context),
            action: SiteURL.measures(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path, canEdit: canEdit, saved: saved,
            rows: rows, hasRows: !rows.isEmpty, overall: MeasureRollup.overall(rollups),
            done: measures.filter { $0.status == .done }.count, inProgress: measures.filter { $0.status == .inProgress }.count,
            overdue: rollups.filter { $0.1.overdue }.count, baseYear: before?.year,
            form: MeasureFormModel(form, framework: loaded.framework, language: language), errors: errors, hasErrors: !errors.isEmpty)
    }
}
