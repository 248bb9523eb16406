import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The assessment of one agency for one fiscal year: dashboard, OIT items, published scores, what-if.
struct AssessmentController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.dashboard), use: dashboard)
        router.get(RouterPath(SiteURL.Pattern.items), use: items)
        router.post(RouterPath(SiteURL.Pattern.item), use: updateItem)
        router.get(RouterPath(SiteURL.Pattern.results), use: resultsPage)
        router.post(RouterPath(SiteURL.Pattern.results), use: saveResults)
        router.get(RouterPath(SiteURL.Pattern.whatIf), use: whatIf)
        router.get(RouterPath(SiteURL.Pattern.history), use: history)
    }

    /// Everything a page of this controller needs, loaded after the access check.
    struct Loaded {
        var agency: Agency
        var assessment: Assessment
        var framework: Framework
        var results: [StoredResult]
        /// Each item as it scores: the published result where there is one, else the assessor's judgement.
        var items: [OITItemResult]
        /// Items as the assessor's workflow left them (progress, note, divisions and the judgement alone).
        var judged: [OITItemResult]
        /// Results the assessing body published, with their sources.
        var published: [PublishedItemResult]
        var divisions: [Division]
        /// Released survey answers counted, by part (empty when the page shows no survey figure).
        var tallies: [String: ResponseTally]
        /// Where figures of a state already seen are kept.
        var figuresCache: FiguresCache

        /// Every figure the pages show, decided in Core; `windows` give the populations for sample progress.
        func figures(windows: [SurveyWindow] = []) -> AssessmentFigures {
            figuresCache.figures(framework: framework, results: results, items: items, tallies: tallies,
                                 populations: Dictionary(windows.compactMap { w in w.population.map { (w.partID, $0) } }, uniquingKeysWith: { a, _ in a }))
        }

    }

    /// Resolves the agency and year from the path and checks the user may see them. An agency the user
    /// has no grant for answers 404, so its existence is not revealed.
    func load(_ context: AppRequestContext, responses: Bool = true) async throws -> Loaded {
        guard let code = context.parameters.get("agency"), let yearText = context.parameters.get("year"), let year = Int(yearText),
            let agency = try await repositories.agencies.find(code: code, logger: context.logger)
        else { throw AppError.notFound }
        guard Access.canView(context, agencyID: agency.id) else { throw AppError.notFound }
        guard let assessment = try await repositories.assessments.find(agencyID: agency.id, fiscalYear: year, logger: context.logger) else {
            throw AppError.notFound
        }
        return try await service.load(agency: agency, assessment: assessment, responses: responses, logger: context.logger)
    }

    var service: AssessmentService { AssessmentService(repositories: repositories, catalog: catalog) }

    // MARK: dashboard

    func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await load(context)
        let windows = try await repositories.surveys.windows(assessmentID: loaded.assessment.id, logger: context.logger)
        let daily = try await repositories.surveys.dailyCounts(assessmentID: loaded.assessment.id, logger: context.logger)
        let assignments = try await repositories.evidence.assignments(assessmentID: loaded.assessment.id, logger: context.logger)
        let readiness = Readiness.compute(
            framework: loaded.framework, items: loaded.items,
            revisions: try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: nil, logger: context.logger),
            reviews: try await repositories.evidence.reviews(assessmentID: loaded.assessment.id, logger: context.logger),
            assignments: assignments,
            snapshots: try await repositories.evidenceStore.snapshots(assessmentID: loaded.assessment.id, logger: context.logger),
            today: configuration.today)
        let figures = loaded.figures(windows: windows)
        let measures = try await repositories.improvement.measures(assessmentID: loaded.assessment.id, logger: context.logger)
        let updates = try await repositories.improvement.updates(assessmentID: loaded.assessment.id, logger: context.logger)
        let job = try await repositories.improvement.latestJob(assessmentID: loaded.assessment.id, logger: context.logger)
        let steps = NextSteps.compute(
            figures: figures, windows: windows, readiness: readiness, assignments: assignments,
            measures: measures.map { ($0, MeasureRollup.of($0, updates: updates, today: configuration.today)) },
            documentsMade: job.map { $0.status != .failed } ?? false, today: configuration.today)
        var model = DashboardModel.make(loaded, figures: figures, windows: windows, daily: daily, today: configuration.today, context: context)
        model.readiness = ReadinessModel.make(loaded, figures: figures, readiness: readiness, context: context)
        model.next = NextStepsModel.make(loaded, figures: figures, steps: steps, today: configuration.today, language: context.language)
        let rules = try await ComplaintController.deadlines(loaded.agency.id, settings: repositories.settings)
        let overdue = try await ComplaintRepository.cases(in: repositories.database, agencyID: loaded.agency.id, logger: context.logger)
            .filter { $0.due(rules).map { $0 < configuration.today } ?? false }.count
        if overdue > 0 {
            model.overdueComplaints = .init(count: overdue, url: ComplaintController.holds(context, .handler, agencyID: loaded.agency.id)
                ? SiteURL.complaints(agency: loaded.agency.code).path : nil)
        }
        return try views.page("dashboard", title: model.agencyName + " " + String(loaded.assessment.fiscalYear), model: model, context: context)
    }

    // MARK: OIT items

    static let itemEditors: Set<Role> = [.admin, .officer, .assessor]

    func items(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await load(context)
        let canEdit = Access.has(context, agencyID: loaded.agency.id, anyOf: Self.itemEditors)
        let saved = request.uri.queryParameters.get("saved")
        let reviews = try await repositories.evidence.reviews(assessmentID: loaded.assessment.id, logger: context.logger)
        var model = ItemsModel.make(loaded, canEdit: canEdit, saved: saved, reviews: reviews, context: context)
        if let sent = request.uri.queryParameters.get("sent").flatMap({ Int($0) }) {
            model.sentMessage = context.language == .th ? "ส่งข้อที่อนุมัติแล้วให้ผู้ประเมิน \(sent) ข้อ" : "\(sent) approved items sent to the assessor"
        }
        return try views.page("items", title: Strings.table["oitItems"]!.text(context.language), model: model, context: context)
    }

    /// Progress only. An item's result changes through the assessor's workflow (judge, clarification,
    /// confirm) or as a published result with its source on the published-results page, never here.
    func updateItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.itemEditors) else { throw AppError.forbidden }
        guard let itemID = context.parameters.get("item"),
            loaded.framework.checklistTools.contains(where: { $0.checklist.item(itemID) != nil })
        else { throw AppError.notFound }
        var request = request
        let form = try await FormData.read(&request, context: context)
        if let result = form["result"], !result.isEmpty {
            throw AppError.badInput(
                th: "ผลรายข้อเปลี่ยนได้สองทางเท่านั้น: ผู้ประเมินตรวจตามขั้นตอนในหน้าของข้อนั้น หรือบันทึกผลที่ประกาศพร้อมที่มาในหน้าคะแนนที่ประกาศ",
                en: "An item's result changes only through the assessor's review on the item's page, or as a published result with its source on the published-scores page")
        }
        var item = loaded.judged.first { $0.itemID == itemID } ?? OITItemResult(itemID: itemID, passed: nil)
        guard let progressText = form["progress"], let progress = ItemProgress(rawValue: progressText) else {
            throw AppError.badInput(th: "สถานะความก้าวหน้าไม่ถูกต้อง", en: "unknown progress \(form["progress"] ?? "")")
        }
        item.progress = progress
        try await repositories.assessments.setItem(loaded.assessment, item, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.items(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=\(itemID)#\(itemID)")
    }

    // MARK: published scores

    static let resultEditors: Set<Role> = [.admin, .officer]

    func resultsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await load(context)
        let canEdit = Access.has(context, agencyID: loaded.agency.id, anyOf: Self.resultEditors)
        let model = ResultsModel.make(loaded, canEdit: canEdit, entered: nil, errors: [:], saved: request.uri.queryParameters.get("saved") != nil, context: context)
        return try views.page("results", title: Strings.table["publishedScores"]!.text(context.language), model: model, context: context)
    }

    func saveResults(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.resultEditors) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let keys = ResultsModel.keys(loaded.framework) + ResultsModel.indicatorKeys(loaded.framework)
        let (parsed, entered, errors) = ScoreEntry.parse(form, keys: keys, language: context.language)
        guard errors.isEmpty else {
            // Nothing is saved when any field is wrong; every entered value is shown again.
            var response = try views.page(
                "results", title: Strings.table["publishedScores"]!.text(context.language),
                model: ResultsModel.make(loaded, canEdit: true, entered: entered, errors: errors, saved: false, context: context), context: context)
            response.status = .unprocessableContent
            return response
        }
        try await service.storePublished(parsed, keys: keys, in: loaded.assessment, current: loaded.results, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.results(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=1")
    }

    // MARK: history (the audit log)

    static let historyReaders: Set<Role> = [.admin, .officer, .assessor]

    func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.historyReaders) else { throw AppError.forbidden }
        let entries = try await repositories.audit.entries(agencyID: loaded.agency.id, limit: 500, logger: context.logger)
        let model = HistoryModel.make(loaded, entries: entries, context: context)
        return try views.page("history", title: Strings.table["history"]!.text(context.language), model: model, context: context)
    }

    // MARK: what-if

    func whatIf(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await load(context)
        let query = request.uri.queryParameters
        let submitted = query.get("run") != nil
        let figures = loaded.figures()
        let gathered = figures.gathered
        var changes: [WhatIfChange] = []
        var errors: [String] = []
        if submitted {
            let passing = Set(query.getAll("pass"))
            for (tool, checklist) in loaded.framework.checklistTools {
                guard case .items(let current)? = gathered.inputs.checklists[tool.id] else { continue }
                for item in checklist.items {
                    let wanted = passing.contains(item.id)
                    if wanted != current[item.id] { changes.append(wanted ? .pass(item: item.id) : .fail(item: item.id)) }
                }
            }
            for key in ResultsModel.keys(loaded.framework) {
                guard let text = query.get("score-\(key)").map({ $0.trimmingCharacters(in: .whitespaces) }), !text.isEmpty else { continue }
                guard let value = ScoreEntry.parse(text) else {
                    errors.append(key)
                    continue
                }
                let current = gathered.givenScore(key)
                if current != value { changes.append(.score(key: key, value: value)) }
            }
        }
        let model = try WhatIfModel.make(loaded, figures: figures, changes: changes, badKeys: errors, submitted: submitted, context: context)
        var response = try views.page("whatif", title: Strings.table["whatIf"]!.text(context.language), model: model, context: context)
        if !errors.isEmpty { response.status = .unprocessableContent }
        return response
    }
}

/// A score typed by a person: 0–100 with at most two decimals, Thai or Arabic digits.
enum ScoreEntry {
    /// Reads score fields: a value, nil for an empty field (which clears it), or an error message.
    static func parse(_ form: FormData, keys: [String], language: Language) -> (parsed: [String: Decimal?], entered: [String: String], errors: [String: String]) {
        var parsed: [String: Decimal?] = [:]
        var errors: [String: String] = [:]
        var entered: [String: String] = [:]
        for key in keys {
            let text = (form[key] ?? "").trimmingCharacters(in: .whitespaces)
            entered[key] = text
            if text.isEmpty {
                parsed[key] = .some(nil)
            } else if let value = parse(text) {
                parsed[key] = value
            } else {
                errors[key] = language == .th ? "กรุณากรอกตัวเลข 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง" : "Enter a number from 0 to 100 with at most 2 decimals"
            }
        }
        return (parsed, entered, errors)
    }

    static func parse(_ text: String) -> Decimal? { PublishedScoresSheet.score(text) }
}
