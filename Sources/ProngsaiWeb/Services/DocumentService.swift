import Foundation
import Logging
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The agency's documents as a use case: their data from the database (for the documents page, the print
/// view and the background job alike).
struct DocumentService: Sendable {
    let assessments: AssessmentService
    let repositories: Repositories
    let today: @Sendable () -> CivilDate

    func input(_ loaded: AssessmentController.Loaded, logger: Logger) async throws -> ReportInput {
        let language = Language.th
        let framework = loaded.framework
        let history = try await assessments.history(agencyID: loaded.agency.id, logger: logger)
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
        let measures = try await repositories.improvement.measures(assessmentID: loaded.assessment.id, logger: logger)
        let updates = try await repositories.improvement.updates(assessmentID: loaded.assessment.id, logger: logger)
        let rows = measures.map { measure in
            ReportInput.MeasureRow(
                measure: measure, rollup: MeasureRollup.of(measure, updates: updates, today: today()),
                updates: updates.filter { $0.measureID == measure.id },
                effects: current.map { MeasureEffect.of(measure, before: base?.indicators ?? [:], after: $0.indicators) } ?? [])
        }
        var analysis = try await repositories.improvement.analysis(assessmentID: loaded.assessment.id, logger: logger)
        for index in analysis.indices { analysis[index].score = base?.indicators[analysis[index].indicatorID] }
        return ReportInput(
            agency: loaded.agency, fiscalYear: FiscalYear(loaded.assessment.fiscalYear), framework: framework, score: current?.score,
            levelName: current?.level?.name.th, scoreLines: lines, indicatorScores: current?.indicators ?? [:], analysis: analysis,
            measures: rows, items: items, memo: try await repositories.improvement.memo(assessmentID: loaded.assessment.id, logger: logger),
            generatedOn: today(), analysisYear: base?.year)
    }
}

/// Runs document jobs from the database on whichever node claims them (`DocumentJobRunner.claimDue` under
/// a `PeriodicService`): a job is a row, so a node that dies leaves it to another, which starts it again once
/// the heartbeat is older than `staleAfter`; a job is tried `maxAttempts` times at most.
struct DocumentJobRunner: Sendable {
    let documents: DocumentService
    let repository: SQLImprovementRepository
    let converter: PDFConverter?
    let logger: Logger
    var clock: @Sendable () -> Date = { Date() }

    static let staleAfter: TimeInterval = 30
    static let heartbeat: Duration = .seconds(5)
    static let maxAttempts = 3

    /// Claims and runs jobs until none is waiting.
    func claimDue() async throws {
        while let claimed = try await repository.claimJob(now: clock(), staleBefore: clock().addingTimeInterval(-Self.staleAfter),
                                                          maxAttempts: Self.maxAttempts, logger: logger) {
            await run(claimed)
        }
    }

    func run(_ claimed: SQLImprovementRepository.ClaimedJob) async {
        var logger = logger
        logger[metadataKey: "job"] = .string(claimed.job.id)
        do {
            // The documents' data reads each year's figures itself (`input`), so not the answers here.
            guard let loaded = try await documents.assessments.load(assessmentID: claimed.job.assessmentID, responses: false, logger: logger) else {
                try await repository.updateJob(id: claimed.job.id, claim: claimed.claim, status: .failed, step: 0, message: "the assessment is gone", logger: logger)
                return
            }
            let plan = DocumentPlan(input: try await documents.input(loaded, logger: logger), converter: converter)
            // The heartbeat says this node is alive while a long step (LibreOffice) runs.
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [repository, logger] in
                    while !Task.isCancelled {
                        try await Task.sleep(for: Self.heartbeat)
                        _ = try? await repository.heartbeat(id: claimed.job.id, claim: claimed.claim, logger: logger)
                    }
                }
                await plan.run(claimed, repository: repository, logger: logger)
                group.cancelAll()
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("document job failed", metadata: ["error": .string(String(describing: error))])
            _ = try? await repository.updateJob(id: claimed.job.id, claim: claimed.claim, status: .failed, step: 0, message: String(describing: error), logger: logger)
        }
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

    var steps: [Step] {
        Self.steps(agencyCode: input.agency.code, fiscalYear: input.fiscalYear.buddhistYear, memo: input.memo != nil, pdf: converter != nil)
    }

    /// The files a job makes, in order; known before any document data is read (a new job shows its step
    /// count at once).
    static func steps(agencyCode: String, fiscalYear: Int, memo: Bool, pdf: Bool) -> [Step] {
        let prefix = "ita-\(agencyCode)-\(fiscalYear)"
        var steps = [Step(name: "\(prefix)-report.docx", contentType: Self.docx), Step(name: "\(prefix)-report.html", contentType: "text/html; charset=utf-8")]
        if memo {
            steps += [Step(name: "\(prefix)-memo.docx", contentType: Self.docx), Step(name: "\(prefix)-memo.html", contentType: "text/html; charset=utf-8")]
        }
        steps += [Step(name: "\(prefix)-workbook.xlsx", contentType: Self.xlsx), Step(name: "\(prefix)-measures.csv", contentType: "text/csv; charset=utf-8")]
        if pdf {
            steps.append(Step(name: "\(prefix)-report.pdf", contentType: "application/pdf"))
            if memo { steps.append(Step(name: "\(prefix)-memo.pdf", contentType: "application/pdf")) }
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

    /// Makes each document in turn under the claim, recording progress after each; a failure stops the job
    /// with its reason. Stops quietly when another node has taken the job over (this one was thought dead).
    func run(_ claimed: SQLImprovementRepository.ClaimedJob, repository: SQLImprovementRepository, logger: Logger) async {
        let jobID = claimed.job.id
        var made: [String: Data] = [:]
        do {
            // A job started before (its node died) begins again from nothing.
            if claimed.attempts > 1 { try await repository.clearFiles(jobID: jobID, logger: logger) }
            guard try await repository.updateJob(id: jobID, claim: claimed.claim, status: .running, step: 0, steps: steps.count,
                                                 message: steps.first?.name ?? "", logger: logger) else { return }
            for (index, step) in steps.enumerated() {
                let data = try await make(step, made: made)
                made[step.name] = data
                guard try await repository.addFile(jobID: jobID, claim: claimed.claim, name: step.name, contentType: step.contentType, data: data, logger: logger)
                else { logger.notice("document job taken over by another node"); return }
                let next = index + 1 < steps.count ? steps[index + 1].name : ""
                try await repository.updateJob(id: jobID, claim: claimed.claim, status: index + 1 == steps.count ? .done : .running, step: index + 1,
                                               message: next, logger: logger)
                logger.info("document made", metadata: ["file": .string(step.name), "bytes": .stringConvertible(data.count)])
            }
        } catch {
            logger.error("document job failed", metadata: ["error": .string(String(describing: error))])
            _ = try? await repository.updateJob(id: jobID, claim: claimed.claim, status: .failed, step: made.count, message: String(describing: error), logger: logger)
        }
    }
}
