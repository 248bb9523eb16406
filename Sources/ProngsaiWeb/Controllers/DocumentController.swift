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

    /// No route here shows a figure from `loaded.responses`: the documents' data reads each year's figures
    /// itself, so every route loads without the year's answers (the job poll included).
    var documents: DocumentService {
        DocumentService(assessments: assessments.service, repositories: repositories, today: { [configuration] in configuration.today })
    }

    func input(_ loaded: AssessmentController.Loaded, context: AppRequestContext) async throws -> ReportInput {
        try await documents.input(loaded, logger: context.logger)
    }

    // MARK: page

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context, responses: false)
        return try await render(loaded, memoForm: nil, errors: [], saved: request.uri.queryParameters.get("saved") != nil, context: context)
    }

    func render(_ loaded: AssessmentController.Loaded, memoForm: MemoForm?, errors: [String], saved: Bool, context: AppRequestContext) async throws -> Response {
        let job = try await repositories.improvement.latestJob(assessmentID: loaded.assessment.id, logger: context.logger)
        var files: [DocumentFileInfo] = []
        if let job { files = try await repositories.improvement.files(jobID: job.id, logger: context.logger) }
        let memo = try await repositories.improvement.memo(assessmentID: loaded.assessment.id, logger: context.logger)
        var model = DocumentsModel.make(
            loaded, job: job, files: files, memo: memoForm ?? MemoForm(memo, loaded: loaded),
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

    func saveMemo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context, responses: false)
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
        let loaded = try await assessments.load(context, responses: false)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.makers) else { throw AppError.forbidden }
        var request = request
        _ = try await FormData.read(&request, context: context)
        // A second press while a job runs shows that job instead of starting another.
        if let running = try await repositories.improvement.latestJob(assessmentID: loaded.assessment.id, logger: context.logger),
           !running.isFinished {
            return redirect(to: SiteURL.documents(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path)
        }
        // The documents' data is read by the node that runs the job; here only how many files it will make.
        let memo = try await repositories.improvement.memo(assessmentID: loaded.assessment.id, logger: context.logger)
        let steps = DocumentPlan.steps(agencyCode: loaded.agency.code, fiscalYear: loaded.assessment.fiscalYear, memo: memo != nil,
                                       pdf: configuration.officeCommand != nil)
        _ = try await repositories.improvement.createJob(assessmentID: loaded.assessment.id, steps: steps.count, by: context.actor, logger: context.logger)
        try await repositories.improvement.pruneJobs(assessmentID: loaded.assessment.id, keep: 5, logger: context.logger)
        // Queued: any app node's runner claims it (DocumentJobRunner), so it survives this node.
        return redirect(to: SiteURL.documents(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path)
    }

    /// The job's state as JSON (for scripts and tests).
    func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context, responses: false)
        guard let id = context.parameters.get("job"), let job = try await repositories.improvement.job(id: id, logger: context.logger),
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
        let loaded = try await assessments.load(context, responses: false)
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
        let loaded = try await assessments.load(context, responses: false)
        let html = ITAReport.html(try await input(loaded, context: context))
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff",
                      .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; img-src data:"],
            body: .init(byteBuffer: .init(string: html)))
    }
}
