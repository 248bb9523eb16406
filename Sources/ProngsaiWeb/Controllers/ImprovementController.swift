import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The improvement cycle: the analysis of last year's result (O42), the measures and their monthly
/// progress (O43), and the agency's documents.
struct ImprovementController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration
    let assessments: AssessmentController

    var service: ImprovementService { ImprovementService(repositories: repositories) }

    /// Who writes the analysis and the measures.
    static let editors: Set<Role> = [.admin, .officer]
    /// Who reports monthly progress on a measure (division staff carry measures out).
    static let reporters: Set<Role> = [.admin, .officer, .division]

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.analysis), use: analysisPage)
        router.post(RouterPath(SiteURL.Pattern.analysis), use: saveAnalysis)
        router.post(RouterPath(SiteURL.Pattern.analysisDraft), use: redraft)
        router.post(RouterPath(SiteURL.Pattern.analysisLastYear), use: saveLastYear)
        router.get(RouterPath(SiteURL.Pattern.measures), use: measuresPage)
        router.post(RouterPath(SiteURL.Pattern.measures), use: createMeasure)
        router.get(RouterPath(SiteURL.Pattern.measure), use: measurePage)
        router.post(RouterPath(SiteURL.Pattern.measure), use: saveMeasure)
        router.post(RouterPath(SiteURL.Pattern.measureProgress), use: addProgress)
    }

    // MARK: scores across years

    /// One assessment's figures, decided in Core, with its year.
    struct YearFigures {
        var year: Int
        var figures: AssessmentFigures
        var score: Decimal? { figures.score }
        var level: LevelRule? { figures.level }
        var indicators: [String: Decimal] { figures.indicators }
        /// A tool's or survey part's score.
        func value(_ id: String) -> Decimal? { figures.value(id) }
    }

    /// Every assessment of the agency with its figures, oldest first.
    func history(_ loaded: AssessmentController.Loaded, context: AppRequestContext) async throws -> [YearFigures] {
        try await assessments.service.history(agencyID: loaded.agency.id, logger: context.logger)
    }

    /// The year the analysis looks back on: the latest earlier assessment of the agency.
    static func baseYear(_ history: [YearFigures], before year: Int) -> YearFigures? {
        history.filter { $0.year < year }.max { $0.year < $1.year }
    }

    // MARK: analysis (O42)

    func analysisPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        return try await renderAnalysis(loaded, saved: request.uri.queryParameters.get("saved") != nil, context: context)
    }

    func renderAnalysis(_ loaded: AssessmentController.Loaded, saved: Bool, entered: [String: String]? = nil, errors: [String: String] = [:],
                        context: AppRequestContext) async throws -> Response {
        let history = try await history(loaded, context: context)
        let base = Self.baseYear(history, before: loaded.assessment.fiscalYear)
        let stored = try await repositories.improvement.analysis(assessmentID: loaded.assessment.id, logger: context.logger)
        let year = FiscalYear(loaded.assessment.fiscalYear)
        let scores = base?.indicators ?? [:]
        let rows = stored.isEmpty
            ? AnalysisDraft.draft(framework: loaded.framework, scores: scores, fiscalYear: year)
            : AnalysisDraft.draft(framework: loaded.framework, scores: scores, fiscalYear: year).map { fresh in
                stored.first { $0.indicatorID == fresh.indicatorID }.map { row in
                    var row = row
                    row.score = fresh.score
                    return row
                } ?? AnalysisRow(indicatorID: fresh.indicatorID, score: fresh.score, weak: false, period: fresh.period)
            }
        let canEdit = Access.has(context, agencyID: loaded.agency.id, anyOf: Self.editors)
        var model = AnalysisModel.make(loaded, rows: rows, isDraft: stored.isEmpty, base: base, history: history, canEdit: canEdit, saved: saved, context: context)
        // Last year's published scores can be typed in here; they are kept on last year's assessment.
        var lastResults: [StoredResult] = []
        if let last = try await repositories.assessments.find(agencyID: loaded.agency.id, fiscalYear: loaded.assessment.fiscalYear - 1, logger: context.logger) {
            lastResults = try await repositories.assessments.results(assessmentID: last.id, logger: context.logger)
        }
        let fields = ResultsModel.fields(loaded.framework, results: lastResults, entered: entered, errors: errors, language: context.language)
        model.lastYearFields = fields.tools + fields.indicators
        model.lastYearErrors = !errors.isEmpty
        var response = try views.page("analysis", title: Strings.table["analysis"]!.text(context.language), model: model, context: context)
        if !errors.isEmpty { response.status = .unprocessableContent }
        return response
    }

    /// Records last year's published scores (tools, parts and indicators) on last year's assessment,
    /// adding that assessment when Prongsai has none, then refreshes the weak points.
    func saveLastYear(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.editors) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let keys = ResultsModel.keys(loaded.framework) + ResultsModel.indicatorKeys(loaded.framework)
        let (parsed, entered, errors) = ScoreEntry.parse(form, keys: keys, language: context.language)
        guard errors.isEmpty else { return try await renderAnalysis(loaded, saved: false, entered: entered, errors: errors, context: context) }
        let year = loaded.assessment.fiscalYear - 1
        let last: Assessment
        if let existing = try await repositories.assessments.find(agencyID: loaded.agency.id, fiscalYear: year, logger: context.logger) {
            last = existing
        } else {
            guard parsed.values.contains(where: { $0 != nil }) else {
                throw AppError.badInput(th: "กรุณากรอกคะแนนอย่างน้อยหนึ่งช่อง", en: "enter at least one score")
            }
            last = Assessment(agencyID: loaded.agency.id, frameworkID: loaded.assessment.frameworkID, fiscalYear: year)
            try await repositories.assessments.create(last, by: context.actor, logger: context.logger)
        }
        let current = try await repositories.assessments.results(assessmentID: last.id, logger: context.logger)
        try await assessments.service.storePublished(parsed, keys: keys, in: last, current: current, by: context.actor, logger: context.logger)
        try await service.refreshAnalysis(loaded, scores: try await assessments.service.figures(of: last, logger: context.logger).indicators,
                                          by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.analysis(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=1")
    }

    func saveAnalysis(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.editors) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let rows = try ImprovementService.analysisRows(framework: loaded.framework) { form[$0] }
        try await repositories.improvement.saveAnalysis(loaded.assessment, rows: rows, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.analysis(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=1")
    }

    /// Refreshes the weak-point flags from last year's scores, keeping what the officer wrote.
    func redraft(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.editors) else { throw AppError.forbidden }
        var request = request
        _ = try await FormData.read(&request, context: context)
        let history = try await history(loaded, context: context)
        let scores = Self.baseYear(history, before: loaded.assessment.fiscalYear)?.indicators ?? [:]
        try await service.refreshAnalysis(loaded, scores: scores, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.analysis(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=1")
    }

    // MARK: measures (O43)

    func measuresPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        return try await renderMeasures(loaded, form: nil, errors: [], saved: request.uri.queryParameters.get("saved"), context: context)
    }

    func renderMeasures(_ loaded: AssessmentController.Loaded, form: MeasureForm?, errors: [String], saved: String?, context: AppRequestContext) async throws -> Response {
        let measures = try await repositories.improvement.measures(assessmentID: loaded.assessment.id, logger: context.logger)
        let updates = try await repositories.improvement.updates(assessmentID: loaded.assessment.id, logger: context.logger)
        let history = try await history(loaded, context: context)
        let base = Self.baseYear(history, before: loaded.assessment.fiscalYear)
        let current = history.first { $0.year == loaded.assessment.fiscalYear }
        let canEdit = Access.has(context, agencyID: loaded.agency.id, anyOf: Self.editors)
        let nextNumber = (measures.map(\.number).max() ?? 0) + 1
        let model = MeasuresModel.make(
            loaded, measures: measures, updates: updates, before: base, after: current, today: configuration.today, canEdit: canEdit,
            form: form ?? MeasureForm.blank(number: nextNumber, year: FiscalYear(loaded.assessment.fiscalYear)), errors: errors, saved: saved,
            context: context)
        var response = try views.page("measures", title: Strings.table["measures"]!.text(context.language), model: model, context: context)
        if !errors.isEmpty { response.status = .unprocessableContent }
        return response
    }

    func createMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.editors) else { throw AppError.forbidden }
        var request = request
        let data = try await FormData.read(&request, context: context)
        let form = MeasureForm(data)
        switch form.measure(assessmentID: loaded.assessment.id, id: nil, framework: loaded.framework, language: context.language) {
        case .failure(let problems):
            return try await renderMeasures(loaded, form: form, errors: problems.messages, saved: nil, context: context)
        case .success(let measure):
            try await repositories.improvement.saveMeasure(loaded.assessment, measure, by: context.actor, logger: context.logger)
            return redirect(to: SiteURL.measures(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=\(measure.number)")
        }
    }

    func loadMeasure(_ loaded: AssessmentController.Loaded, context: AppRequestContext) async throws -> Measure {
        guard let id = context.parameters.get("measure"),
            let measure = try await repositories.improvement.measure(id: id, logger: context.logger),
            measure.assessmentID == loaded.assessment.id
        else { throw AppError.notFound }
        return measure
    }

    func measurePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        let measure = try await loadMeasure(loaded, context: context)
        return try await renderMeasure(loaded, measure: measure, form: nil, errors: [], progressErrors: [], saved: request.uri.queryParameters.get("saved"), context: context)
    }

    func renderMeasure(_ loaded: AssessmentController.Loaded, measure: Measure, form: MeasureForm?, errors: [String], progressErrors: [String],
                       saved: String?, context: AppRequestContext) async throws -> Response {
        let updates = try await repositories.improvement.updates(assessmentID: loaded.assessment.id, logger: context.logger).filter { $0.measureID == measure.id }
        let model = MeasureModel.make(
            loaded, measure: measure, updates: updates, today: configuration.today,
            canEdit: Access.has(context, agencyID: loaded.agency.id, anyOf: Self.editors),
            canReport: Access.has(context, agencyID: loaded.agency.id, anyOf: Self.reporters),
            form: form ?? MeasureForm(measure), errors: errors, progressErrors: progressErrors, saved: saved,
            maxFileBytes: configuration.maxEvidenceBytes, context: context)
        var response = try views.page("measure", title: measure.title, model: model, context: context)
        if !errors.isEmpty || !progressErrors.isEmpty { response.status = .unprocessableContent }
        return response
    }

    func saveMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.editors) else { throw AppError.forbidden }
        let existing = try await loadMeasure(loaded, context: context)
        var request = request
        let form = MeasureForm(try await FormData.read(&request, context: context))
        switch form.measure(assessmentID: loaded.assessment.id, id: existing.id, framework: loaded.framework, language: context.language) {
        case .failure(let problems):
            return try await renderMeasure(loaded, measure: existing, form: form, errors: problems.messages, progressErrors: [], saved: nil, context: context)
        case .success(let measure):
            try await repositories.improvement.saveMeasure(loaded.assessment, measure, by: context.actor, logger: context.logger)
            return redirect(to: SiteURL.measure(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, id: measure.id).path + "?saved=measure")
        }
    }

    func addProgress(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.reporters) else { throw AppError.forbidden }
        let measure = try await loadMeasure(loaded, context: context)
        var request = request
        // The form is multipart when it carries files; scripts may post it urlencoded without any.
        var field: (String) -> String
        var files: [(name: String, kind: FileKind, bytes: [UInt8])] = []
        var fileProblems: [String] = []
        if request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true {
            let form = try await MultipartForm.read(&request, context: context, limit: configuration.maxEvidenceBytes + 65_536)
            field = { form[$0]?.text ?? "" }
            (files, fileProblems) = form.evidenceFiles(maxBytes: configuration.maxEvidenceBytes, language: context.language)
        } else {
            let form = try await FormData.read(&request, context: context)
            field = { form[$0] ?? "" }
        }
        let problems = try await service.reportProgress(
            ImprovementService.Progress(month: field("month"), percent: field("percent"), note: field("note"), evidence: field("evidence")),
            files: files, fileProblems: fileProblems, measure: measure, assessment: loaded.assessment, at: configuration.clock(), by: context.actor,
            language: context.language, logger: context.logger)
        guard problems.isEmpty else {
            return try await renderMeasure(loaded, measure: measure, form: nil, errors: [], progressErrors: problems, saved: nil, context: context)
        }
        return redirect(to: SiteURL.measure(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, id: measure.id).path + "?saved=progress")
    }
}

/// A measure as typed into its form; validated into a `Measure`.
struct MeasureForm {
    var number: String
    var title: String
    var method: String
    var start: String
    var end: String
    var responsible: String
    var indicators: [String]
    var items: String
    var target: String
    var status: String
    var summary: String
    var outcome: String

    struct Problems: Error { var messages: [String] }

    static func blank(number: Int, year: FiscalYear) -> MeasureForm {
        MeasureForm(number: String(number), title: "", method: "", start: year.start.iso, end: year.end.iso, responsible: "", indicators: [],
                    items: "", target: "", status: MeasureStatus.planned.rawValue, summary: "", outcome: "")
    }

    init(number: String, title: String, method: String, start: String, end: String, responsible: String, indicators: [String], items: String,
         target: String, status: String, summary: String, outcome: String) {
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

    init(_ measure: Measure) {
        self.init(number: String(measure.number), title: measure.title, method: measure.method, start: measure.start.iso, end: measure.end.iso,
                  responsible: measure.responsible, indicators: measure.indicators, items: measure.items.joined(separator: ", "),
                  target: measure.target, status: measure.status.rawValue, summary: measure.summary, outcome: measure.outcome)
    }

    init(_ form: FormData) {
        func text(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        self.init(number: ThaiFormat.arabicDigits(text("number")), title: text("title"), method: text("method"), start: text("start"), end: text("end"),
                  responsible: text("responsible"), indicators: form.all("indicator"), items: text("items"), target: text("target"),
                  status: text("status"), summary: text("summary"), outcome: text("outcome"))
    }

    func measure(assessmentID: String, id: String?, framework: Framework, language: Language) -> Result<Measure, Problems> {
        let th = language == .th
        var problems: [String] = []
        let number = TypedValue.wholeNumber(number).flatMap { $0 >= 1 && $0 <= 999 ? $0 : nil }
        if number == nil { problems.append(th ? "ลำดับต้องเป็นจำนวนเต็ม 1–999" : "Number must be a whole number from 1 to 999") }
        if title.isEmpty { problems.append(th ? "กรุณากรอกชื่อมาตรการ" : "Enter the measure's title") }
        for (name, value) in [("title", title), ("method", method), ("responsible", responsible), ("target", target), ("summary", summary), ("outcome", outcome)]
        where value.count > 5000 {
            problems.append(th ? "ข้อความในช่อง \(name) ยาวเกิน 5,000 ตัวอักษร" : "\(name) is longer than 5000 characters")
        }
        let startDate = TypedValue.date(start), endDate = TypedValue.date(end)
        if startDate == nil || endDate == nil {
            problems.append(th ? "กรุณาระบุวันเริ่มต้นและวันสิ้นสุดให้ถูกต้อง" : "Enter valid start and end dates")
        } else if let startDate, let endDate, endDate < startDate {
            problems.append(th ? "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น" : "The end date is before the start date")
        }
        let known = Set(framework.indicatorRefs.map(\.id))
        let unknownIndicators = indicators.filter { !known.contains($0) }
        if !unknownIndicators.isEmpty {
            problems.append(th ? "ไม่พบตัวชี้วัด \(unknownIndicators.joined(separator: ", "))" : "Unknown indicators \(unknownIndicators.joined(separator: ", "))")
        }
        let itemIDs = items.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        let knownItems = Set(framework.checklistTools.flatMap { $0.checklist.items.map(\.id) })
        let unknownItems = itemIDs.filter { !knownItems.contains($0) }
        if !unknownItems.isEmpty {
            problems.append(th ? "ไม่พบข้อ OIT \(unknownItems.joined(separator: ", "))" : "Unknown OIT items \(unknownItems.joined(separator: ", "))")
        }
        let status = MeasureStatus(rawValue: self.status)
        if status == nil { problems.append(th ? "สถานะไม่ถูกต้อง" : "Unknown status") }
        guard problems.isEmpty, let number, let startDate, let endDate, let status else { return .failure(Problems(messages: problems)) }
        var seen = Set<String>()
        return .success(Measure(
            id: id ?? UUID().uuidString.lowercased(), assessmentID: assessmentID, number: number, title: title, method: method, start: startDate,
            end: endDate, responsible: responsible, indicators: framework.indicatorRefs.map(\.id).filter { indicators.contains($0) },
            items: itemIDs.filter { seen.insert($0).inserted }, target: target, status: status, summary: summary, outcome: outcome))
    }
}
