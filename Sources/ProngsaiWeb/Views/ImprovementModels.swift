import Foundation
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

struct Choice {
    var value: String
    var label: String
    var selected: Bool
}

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

struct MeasureFormModel {
    var number: String
    var title: String
    var method: String
    var start: String
    var end: String
    var responsible: String
    var items: String
    var target: String
    var summary: String
    var outcome: String
    var statuses: [Choice]
    var indicators: [Choice]

    init(_ form: MeasureForm, framework: Framework, language: Language) {
        number = form.number
        title = form.title
        method = form.method
        start = form.start
        end = form.end
        responsible = form.responsible
        items = form.items
        target = form.target
        summary = form.summary
        outcome = form.outcome
        statuses = MeasureStatus.allCases.map { Choice(value: $0.rawValue, label: $0.name.text(language), selected: $0.rawValue == form.status) }
        indicators = framework.indicatorRefs.map { Choice(value: $0.id, label: $0.label(language), selected: form.indicators.contains($0.id)) }
    }
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

struct EffectModel {
    var label: String
    var before: String?
    var after: String
    var change: String?
    var changeClass: String
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

/// The memo's details as typed into its form.
struct MemoForm {
    struct SignerField {
        var index: Int
        var title: String
        var name: String
        var position: String
    }

    var division: String
    var number: String
    var date: String
    var to: String
    var subject: String
    var intro: String
    var authorName: String
    var authorPosition: String
    var signers: [SignerField]

    struct Problems: Error { var messages: [String] }

    static let signerRows = 4

    init(_ memo: MemoDetails?, loaded: AssessmentController.Loaded) {
        let year = FiscalYear(loaded.assessment.fiscalYear)
        division = memo?.division ?? ""
        number = memo?.number ?? ""
        date = memo?.date.iso ?? year.end.iso
        to = memo?.to ?? ""
        subject = memo?.subject ?? "รายงานผลการประเมินระดับคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปี พ.ศ. \(ThaiFormat.thaiDigits(String(year.buddhistYear)))"
        intro = memo?.intro ?? ""
        authorName = memo?.author.name ?? ""
        authorPosition = memo?.author.position ?? ""
        let existing = memo?.signers ?? []
        signers = (0..<max(Self.signerRows, existing.count)).map { i in
            SignerField(index: i, title: i < existing.count ? existing[i].title : "", name: i < existing.count ? existing[i].name : "",
                        position: i < existing.count ? existing[i].position : "")
        }
    }

    init(_ form: FormData) {
        func text(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        division = text("division")
        number = text("number")
        date = text("date")
        to = text("to")
        subject = text("subject")
        intro = text("intro")
        authorName = text("authorName")
        authorPosition = text("authorPosition")
        signers = (0..<Self.signerRows).map { i in
            SignerField(index: i, title: text("signerTitle\(i)"), name: text("signerName\(i)"), position: text("signerPosition\(i)"))
        }
    }

    func details(language: Language) -> Result<MemoDetails, Problems> {
        let th = language == .th
        var problems: [String] = []
        let civil = CivilDate(iso: date)
        if civil == nil { problems.append(th ? "กรุณาระบุวันที่ของบันทึกข้อความให้ถูกต้อง" : "Enter a valid memo date") }
        if subject.isEmpty { problems.append(th ? "กรุณากรอกเรื่อง" : "Enter the subject") }
        if to.isEmpty { problems.append(th ? "กรุณากรอกผู้รับ (เรียน)" : "Enter who the memo is to") }
        if authorName.isEmpty { problems.append(th ? "กรุณากรอกชื่อผู้รายงาน" : "Enter the author's name") }
        let all = [division, number, to, subject, authorName, authorPosition] + signers.flatMap { [$0.title, $0.name, $0.position] }
        if all.contains(where: { $0.count > 500 }) || intro.count > 5000 {
            problems.append(th ? "ข้อความยาวเกินกำหนด" : "A field is too long")
        }
        guard problems.isEmpty, let civil else { return .failure(Problems(messages: problems)) }
        return .success(MemoDetails(
            division: division, number: number, date: civil, to: to, subject: subject, intro: intro,
            author: .init(name: authorName, position: authorPosition),
            signers: signers.filter { !$0.name.isEmpty }.map { .init(title: $0.title, name: $0.name, position: $0.position) }))
    }
}

struct DocumentsModel {
    struct FileRow {
        var name: String
        var label: String
        var url: String
        var size: String
        var kind: String
    }

    /// What each made file is, by the part of its name after the agency and year.
    static func label(_ name: String, language: Language) -> String {
        let th = language == .th
        if name.contains("-report.") { return th ? "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใส" : "ITA report" }
        if name.contains("-memo.") { return th ? "บันทึกข้อความรายงานผลการประเมิน" : "Memo to the executives" }
        if name.contains("-workbook.") { return th ? "สมุดงานคะแนน ข้อ OIT และมาตรการ" : "Workbook of scores, items and measures" }
        if name.contains("-measures.") { return th ? "ตารางมาตรการ" : "Measures table" }
        return name
    }

    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var action: String
    var memoAction: String
    var printURL: String
    var canMake: Bool
    var hasPDF: Bool
    var saved: Bool
    var errors: [String]
    var hasErrors: Bool
    var memo: MemoForm
    var memoDateLabel: String
    var hasJob: Bool
    var running: Bool
    var failed: Bool
    var jobStatus: String
    var jobStep: Int
    var jobSteps: Int
    var jobPercent: Int
    var jobMessage: String
    var jobURL: String
    /// The page's own address, for the refresh without JavaScript (no fragment, so it really reloads).
    var pageURL: String = ""
    /// Other agency types' words found in the agency's own text, to fix before the documents are signed.
    var foreignWords: [String] = [] { didSet { hasForeignWords = !foreignWords.isEmpty } }
    var hasForeignWords = false
    var jobBy: String
    var files: [FileRow]

    static func make(_ loaded: AssessmentController.Loaded, job: DocumentJob?, files: [DocumentFileInfo], memo: MemoForm, canMake: Bool, hasPDF: Bool,
                     errors: [String], saved: Bool, context: AppRequestContext) -> DocumentsModel {
        let t = Strings.labels(context.language)
        let code = loaded.agency.code, year = loaded.assessment.fiscalYear
        let status: String = switch job?.status {
        case .queued?: t["jobQueued"]!
        case .running?: t["jobRunning"]!
        case .done?: t["jobDone"]!
        case .failed?: t["jobFailed"]!
        case nil: ""
        }
        var percent = 0
        if let job { percent = job.steps == 0 ? 100 : job.step * 100 / job.steps }
        let rows: [FileRow] = files.map { file in
            let url = job.map { SiteURL.documentFile(agency: code, year: year, job: $0.id, name: file.name).path } ?? ""
            let size = file.size >= 1024 ? "\(file.size / 1024) KB" : "\(file.size) B"
            return FileRow(name: file.name, label: label(file.name, language: context.language), url: url, size: size,
                           kind: String(file.name.split(separator: ".").last ?? "").uppercased())
        }
        let dateLabel = CivilDate(iso: memo.date).map { ThaiFormat.longDate($0, thaiDigits: true) } ?? ""
        let jobURL = job.map { SiteURL.documentsJob(agency: code, year: year, job: $0.id).path } ?? ""
        return DocumentsModel(
            agencyName: loaded.agency.name.text(context.language), fiscalYear: year, nav: AssessmentNav(loaded, current: .documents, context: context),
            action: SiteURL.documents(agency: code, year: year).path, memoAction: SiteURL.documentsMemo(agency: code, year: year).path,
            printURL: SiteURL.printView(agency: code, year: year).path, canMake: canMake, hasPDF: hasPDF, saved: saved, errors: errors,
            hasErrors: !errors.isEmpty, memo: memo, memoDateLabel: dateLabel,
            hasJob: job != nil, running: !(job?.isFinished ?? true), failed: job?.status == .failed, jobStatus: status,
            jobStep: job?.step ?? 0, jobSteps: job?.steps ?? 0, jobPercent: percent, jobMessage: job?.message ?? "",
            jobURL: jobURL, pageURL: SiteURL.documents(agency: code, year: year).path, jobBy: job?.createdBy ?? "", files: rows)
    }
}
