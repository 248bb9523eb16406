import Foundation
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

struct MeasureModel {
    struct FileLink {
        var name: String
        var url: String
    }

    struct UpdateRow {
        var month: String
        var percent: Int
        var note: String
        var evidence: String
        var files: [FileLink]
        var by: String
    }

    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var measures: String
    var action: String
    var progressAction: String
    var canEdit: Bool
    var canReport: Bool
    var saved: String?
    var row: MeasureRowModel
    var updates: [UpdateRow]
    var hasUpdates: Bool
    var form: MeasureFormModel
    var errors: [String]
    var hasErrors: Bool
    var progressErrors: [String]
    var hasProgressErrors: Bool
    var thisMonth: String
    var maxFileMB: Int

    static func make(_ loaded: AssessmentController.Loaded, measure: Measure, updates: [MeasureUpdate], today: CivilDate, canEdit: Bool, canReport: Bool,
                     form: MeasureForm, errors: [String], progressErrors: [String], saved: String?, maxFileBytes: Int, context: AppRequestContext) -> MeasureModel {
        let language = context.language
        let code = loaded.agency.code, year = loaded.assessment.fiscalYear
        let rollup = MeasureRollup.of(measure, updates: updates, today: today)
        return MeasureModel(
            agencyName: loaded.agency.name.text(language), fiscalYear: year, nav: AssessmentNav(loaded, current: .measures, context: context),
            measures: SiteURL.measures(agency: code, year: year).path, action: SiteURL.measure(agency: code, year: year, id: measure.id).path,
            progressAction: SiteURL.measureProgress(agency: code, year: year, id: measure.id).path, canEdit: canEdit, canReport: canReport,
            saved: saved, row: ImprovementText.row(measure, rollup: rollup, effects: [], loaded: loaded, language: language),
            updates: updates.reversed().map { update in
                UpdateRow(month: update.monthLabel, percent: update.percent, note: update.note, evidence: update.evidenceURL,
                          files: update.files.map { FileLink(name: $0.name, url: SiteURL.evidenceFile(agency: code, year: year, sha256: $0.sha256).path) },
                          by: update.createdBy)
            },
            hasUpdates: !updates.isEmpty, form: MeasureFormModel(form, framework: loaded.framework, language: language), errors: errors,
            hasErrors: !errors.isEmpty, progressErrors: progressErrors, hasProgressErrors: !progressErrors.isEmpty,
            thisMonth: String(today.iso.prefix(7)), maxFileMB: maxFileBytes / 1_048_576)
    }
}
