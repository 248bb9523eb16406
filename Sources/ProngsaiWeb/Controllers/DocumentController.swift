import Foundation
import Hummingbird
import Logging
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The agency's documents: the memo's details, background generation of every document with its
/// progress, downloads, and the HTML print view.
struct DocumentController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration
    let assessments: AssessmentController
    let improvement: ImprovementController

    static let makers: Set<Role> = [.admin, .officer]

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.documents), use: page)
        router.post(RouterPath(SiteURL.Pattern.documents), use: start)
        router.post(RouterPath(SiteURL.Pattern.documentsMemo), use: saveMemo)
        router.get(RouterPath(SiteURL.Pattern.documentsJob), use: status)
        router.get(RouterPath(SiteURL.Pattern.documentFile), use: download)
        router.get(RouterPath(SiteURL.Pattern.printView), use: printView)
    }

    // MARK: the documents' data

    func input(_ loaded: AssessmentController.Loaded, context: AppRequestContext) async throws -> ReportInput {
        let language = Language.th
        let framework = loaded.framework
        let history = try await improvement.history(loaded, context: context)
        let current = history.first { $0.year == loaded.assessment.fiscalYear }
        let base = ImprovementController.baseYear(history, before: loaded.assessment.fiscalYear)
        let lines = (current?.figures.lines ?? []).compactMap { line -> ReportInput.ScoreLine? in
            guard let tool = framework.tool(line.toolID) else { return nil }
            let name = (line.partNumber.map { "\(tool.name.text(language)) ส่วนที่ \($0)" } ?? tool.name.text(language))
                // A figure from Prongsai's own survey answers is an estimate, and the document says so.
                + (line.estimated ? " (ประมาณการจากแบบสำรวจของหน่วยงาน)" : "")
            return ReportInput.ScoreLine(id: line.id, name: name, score: line.score)
        }
        let divisions = Dictionary(loaded.divisions.map { ($0.id, $0.name.th) }, uniquingKeysWith: { a, _ in a })
        let stored = Dictionary(loaded.items.map { ($0.itemID, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [ReportInput.ItemRow] = []
        for (_, checklist) in framework.checklistTools {
            for sub in checklist.subindicators {
                for item in sub.items {
                    let result = stored[item.id]
                    items.append(.init(item: item, subindicatorID: sub.id,
                                       responsible: (result?.divisionIDs ?? []).compactMap { divisions[$0] }.joined(separator: ", "),
                                       progress: result?.progress ?? .notStarted, note: result?.note ?? "", passed: result?.passed))
                }
            }
        }
        let measures = try await repositories.improvement.measures(assessmentID: loaded.assessment.id, logger: context.logger)
        let updates = try await repositories.improvement.updates(assessmentID: loaded.assessment.id, logger: context.logger)
        let rows = measures.map { measure in
            ReportInput.MeasureRow(
                measure: measure, rollup: MeasureRollup.of(measure, updates: updates, today: configuration.today),
                updates: updates.filter { $0.measureID == measure.id },
                effects: current.map { MeasureEffect.of(measure, before: base?.indicators ?? [:], after: $0.indicators) } ?? [])
        }
        var analysis = try await repositories.improvement.analysis(assessmentID: loaded.assessment.id, logger: context.logger)
        for index in analysis.indices { analysis[index].score = base?.indicators[analysis[index].indicatorID] }
        return ReportInput(
            agency: loaded.agency, fiscalYear: FiscalYear(loaded.assessment.fiscalYear), framework: framework, score: current?.score,
            levelName: current?.level?.name.th, scoreLines: lines, indicatorScores: current?.indicators ?? [:], analysis: analysis,
            measures: rows, items: items, memo: try await repositories.improvement.memo(assessmentID: loaded.assessment.id, logger: context.logger),
            generatedOn: configuration.today, analysisYear: base?.year)
    }

    // MARK: page

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        return try await render(loaded, memoForm: nil, errors: [], saved: request.uri.queryParameters.get("saved") != nil, context: context)
    }

    func render(_ loaded: AssessmentController.Loaded, memoForm: MemoForm?, errors: [String], saved: Bool, context: AppRequestContext) async throws -> Response {
        let job = try await repositories.improvement.latestJob(assessmentID: loaded.assessment.id, logger: context.logger)
        var files: [DocumentFileInfo] = []
        if let job { files = try await repositories.improvement.files(jobID: job.id, logger: context.logger) }
        let memo = try await repositories.improvement.memo(assessmentID: loaded.assessment.id, logger: context.logger)
        var model = DocumentsModel.make(
            loaded, job: job.map(Self.settled), files: files, memo: memoForm ?? MemoForm(memo, loaded: loaded),
            canMake: Access.has(context, agencyID: loaded.agency.id, anyOf: Self.makers), hasPDF: configuration.officeCommand != nil,
            errors: errors, saved: saved, context: context)
        // Text copied from another kind of agency's report ("เทศบาล" in an อบต. report) is flagged before signing.
        let th = context.language == .th
        model.foreignWords = try await input(loaded, context: context).foreignAgencyWords.map { f in
            th ? "\(f.place): “…\(f.excerpt)…” มีคำว่า “\(f.word)” ซึ่งไม่ใช่ประเภทของหน่วยงานนี้ (\(loaded.agency.type))"
               : "\(f.place): “…\(f.excerpt)…” says “\(f.word)”, which is not this agency's type (\(loaded.agency.type))"
        }
        var response = try views.page("documents", title: Strings.table["documents"]!.text(context.language), model: model, context: context)
        if !errors.isEmpty { response.status = .unprocessableContent }
        return response
    }

    /// A job that has not moved for five minutes died with its node (each step records progress, and
    /// LibreOffice is stopped after three); show it as failed so a new one can start.
    static func settled(_ job: DocumentJob) -> DocumentJob {
        guard !job.isFinished, let updated = StoredTime.parse(job.updatedAt), Date().timeIntervalSince(updated) > 300 else { return job }
        var job = job
        job.status = .failed
        job.message = "the job stopped without finishing (its server was restarted)"
        return job
    }

    func saveMemo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.makers) else { throw AppError.forbidden }
        var request = request
        let form = MemoForm(try await FormData.read(&request, context: context))
        switch form.details(language: context.language) {
        case .failure(let problems):
            return try await render(loaded, memoForm: form, errors: problems.messages, saved: false, context: context)
        case .success(let memo):
            try await repositories.improvement.saveMemo(loaded.assessment, memo, by: context.actor, logger: context.logger)
            return redirect(to: SiteURL.documents(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=1")
        }
    }

    // MARK: the background job

    func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.makers) else { throw AppError.forbidden }
        var request = request
        _ = try await FormData.read(&request, context: context)
        // A second press while a job runs shows that job instead of starting another.
        if let running = try await repositories.improvement.latestJob(assessmentID: loaded.assessment.id, logger: context.logger).map(Self.settled),
           !running.isFinished {
            return redirect(to: SiteURL.documents(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path)
        }
        let input = try await input(loaded, context: context)
        let plan = DocumentPlan(input: input, converter: configuration.officeCommand.map { PDFConverter(command: $0) })
        let job = try await repositories.improvement.createJob(assessmentID: loaded.assessment.id, steps: plan.steps.count, by: context.actor, logger: context.logger)
        try await repositories.improvement.pruneJobs(assessmentID: loaded.assessment.id, keep: 5, logger: context.logger)
        let repository = repositories.improvement
        var logger = context.logger
        logger[metadataKey: "job"] = .string(job.id)
        Task.detached {
            await plan.run(jobID: job.id, repository: repository, logger: logger)
        }
        return redirect(to: SiteURL.documents(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path)
    }

    /// The job's state as JSON (for scripts and tests).
    func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard let id = context.parameters.get("job"), let job = try await repositories.improvement.job(id: id, logger: context.logger).map(Self.settled),
              job.assessmentID == loaded.assessment.id
        else { throw AppError.notFound }
        let files = try await repositories.improvement.files(jobID: job.id, logger: context.logger)
        let json: JSONValue = [
            "id": .string(job.id), "status": .string(job.status.rawValue), "step": .number(Decimal(job.step)), "steps": .number(Decimal(job.steps)),
            "message": .string(job.message),
            "files": .array(files.map { file in
                ["name": .string(file.name), "contentType": .string(file.contentType), "size": .number(Decimal(file.size)),
                 "url": .string(SiteURL.documentFile(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, job: job.id, name: file.name).path)]
            }),
        ]
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: .init(string: json.serialized(pretty: false))))
    }

    func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard let id = context.parameters.get("job"), let name = context.parameters.get("name"),
              let job = try await repositories.improvement.job(id: id, logger: context.logger), job.assessmentID == loaded.assessment.id,
              let (info, data) = try await repositories.improvement.file(jobID: id, name: name, logger: context.logger)
        else { throw AppError.notFound }
        let inline = info.contentType.hasPrefix("text/html") || info.contentType == "application/pdf"
        return Response(
            status: .ok,
            headers: [.contentType: info.contentType, .cacheControl: "private, no-store", .init("X-Content-Type-Options")!: "nosniff",
                      .contentDisposition: (inline ? "inline" : "attachment") + "; filename=\"\(name)\"",
                      .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; img-src data:"],
            body: .init(byteBuffer: .init(data: data)))
    }

    func printView(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        let html = ITAReport.html(try await input(loaded, context: context))
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff",
                      .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; img-src data:"],
            body: .init(byteBuffer: .init(string: html)))
    }
}

/// The documents one job makes, in order, and how.
struct DocumentPlan: Sendable {
    struct Step: Sendable {
        var name: String
        var contentType: String
    }

    let input: ReportInput
    let converter: PDFConverter?

    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    var prefix: String { "ita-\(input.agency.code)-\(input.fiscalYear.buddhistYear)" }

    var steps: [Step] {
        var steps = [Step(name: "\(prefix)-report.docx", contentType: Self.docx), Step(name: "\(prefix)-report.html", contentType: "text/html; charset=utf-8")]
        if input.memo != nil {
            steps += [Step(name: "\(prefix)-memo.docx", contentType: Self.docx), Step(name: "\(prefix)-memo.html", contentType: "text/html; charset=utf-8")]
        }
        steps += [Step(name: "\(prefix)-workbook.xlsx", contentType: Self.xlsx), Step(name: "\(prefix)-measures.csv", contentType: "text/csv; charset=utf-8")]
        if converter != nil {
            steps.append(Step(name: "\(prefix)-report.pdf", contentType: "application/pdf"))
            if input.memo != nil { steps.append(Step(name: "\(prefix)-memo.pdf", contentType: "application/pdf")) }
        }
        return steps
    }

    func make(_ step: Step, made: [String: Data]) async throws -> Data {
        let name = step.name
        if name.hasSuffix("-report.docx") { return try ITAReport.docx(input) }
        if name.hasSuffix("-report.html") { return Data(ITAReport.html(input).utf8) }
        if name.hasSuffix("-memo.docx") { return try MemoDocument.docx(input) }
        if name.hasSuffix("-memo.html") { return Data(MemoDocument.html(input).utf8) }
        if name.hasSuffix(".xlsx") { return try ReportWorkbook.xlsx(input) }
        if name.hasSuffix(".csv") { return Data(ReportWorkbook.measuresCSV(input).utf8) }
        if name.hasSuffix(".pdf"), let converter {
            let source = String(name.dropLast(4)) + ".docx"
            guard let docx = made[source] else { throw PDFConverter.Failure.noOutput }
            return try await converter.pdf(fromDOCX: docx, name: String(name.dropLast(4)))
        }
        throw PDFConverter.Failure.noOutput
    }

    /// Makes each document in turn, recording progress after each; a failure stops the job with its reason.
    func run(jobID: String, repository: SQLImprovementRepository, logger: Logger) async {
        var made: [String: Data] = [:]
        do {
            try await repository.updateJob(id: jobID, status: .running, step: 0, message: steps.first?.name ?? "", logger: logger)
            for (index, step) in steps.enumerated() {
                let data = try await make(step, made: made)
                made[step.name] = data
                try await repository.addFile(jobID: jobID, name: step.name, contentType: step.contentType, data: data, logger: logger)
                let next = index + 1 < steps.count ? steps[index + 1].name : ""
                try await repository.updateJob(id: jobID, status: index + 1 == steps.count ? .done : .running, step: index + 1, message: next, logger: logger)
                logger.info("document made", metadata: ["file": .string(step.name), "bytes": .stringConvertible(data.count)])
            }
        } catch {
            logger.error("document job failed", metadata: ["error": .string(String(describing: error))])
            try? await repository.updateJob(id: jobID, status: .failed, step: made.count, message: String(describing: error), logger: logger)
        }
    }
}
