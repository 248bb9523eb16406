import Foundation
import Logging
import ProngsaiCore
import ProngsaiStore

/// The improvement use cases (O42 analysis, O43 measures): the analysis rows from a form, the weak points
/// redrawn from last year's scores, a month's progress on a measure. Controllers parse and render.
struct ImprovementService: Sendable {
    let repositories: Repositories

    /// The analysis rows of every indicator, from the form's fields (`field("guidance-1")` …).
    static func analysisRows(framework: Framework, field: (String) -> String?) throws -> [AnalysisRow] {
        var rows: [AnalysisRow] = []
        for ref in framework.indicatorRefs where ref.parent == nil {
            let id = ref.id
            let progressText = field("progress-\(id)") ?? ItemProgress.notStarted.rawValue
            guard let progress = ItemProgress(rawValue: progressText) else {
                throw AppError.badInput(th: "สถานะความก้าวหน้าไม่ถูกต้อง", en: "unknown progress \(progressText) for indicator \(id)")
            }
            let fields = ["guidance", "responsible", "period", "note"].map { (field("\($0)-\(id)") ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            guard fields.allSatisfy({ $0.count <= 5000 }) else {
                throw AppError.badInput(th: "ข้อความยาวเกิน 5,000 ตัวอักษร", en: "a field of indicator \(id) is longer than 5000 characters")
            }
            rows.append(AnalysisRow(indicatorID: id, weak: field("weak-\(id)") == "on", guidance: fields[0], responsible: fields[1],
                                    period: fields[2], progress: progress, note: fields[3]))
        }
        return rows
    }

    /// Redraws the weak-point flags of a stored analysis from `scores` (a year's indicator figures), keeping
    /// what the officer wrote; nothing to do before an analysis exists.
    func refreshAnalysis(_ loaded: AssessmentController.Loaded, scores: [String: Decimal], by actor: AuditActor, logger: Logger) async throws {
        let stored = try await repositories.improvement.analysis(assessmentID: loaded.assessment.id, logger: logger)
        guard !stored.isEmpty else { return }
        let rows = AnalysisDraft.refresh(stored, framework: loaded.framework, scores: scores, fiscalYear: FiscalYear(loaded.assessment.fiscalYear))
        try await repositories.improvement.saveAnalysis(loaded.assessment, rows: rows, by: actor, logger: logger)
    }

    /// A month's progress on a measure, as typed.
    struct Progress: Sendable {
        var month: String
        var percent: String
        var note: String
        var evidence: String
    }

    /// Checks and stores a progress report with its files; a planned measure that reports progress is under
    /// way. Returns the problems instead when the report does not hold (nothing stored).
    func reportProgress(_ typed: Progress, files: [(name: String, kind: FileKind, bytes: [UInt8])], fileProblems: [String], measure: Measure,
                        assessment: Assessment, at time: Date, by actor: AuditActor, language: Language, logger: Logger) async throws -> [String] {
        var problems = fileProblems
        let month = MeasureUpdate.month(typed.month.trimmingCharacters(in: .whitespaces))
        if month == nil { problems.append(LocalizedText(th: "กรุณาเลือกเดือนที่รายงาน", en: "Choose the month reported on").text(language)) }
        let percent = TypedValue.wholeNumber(ThaiFormat.arabicDigits(typed.percent.trimmingCharacters(in: .whitespaces))).flatMap { (0...100).contains($0) ? $0 : nil }
        if percent == nil { problems.append(LocalizedText(th: "ความก้าวหน้าต้องเป็นจำนวนเต็ม 0–100", en: "Progress must be a whole number from 0 to 100").text(language)) }
        let note = typed.note.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 5000 { problems.append(LocalizedText(th: "บันทึกยาวเกิน 5,000 ตัวอักษร", en: "The note is longer than 5000 characters").text(language)) }
        let evidence = typed.evidence.trimmingCharacters(in: .whitespaces)
        if !evidence.isEmpty, WebLink.url(evidence) == nil || evidence.count > 2000 {
            problems.append(LocalizedText(th: "ลิงก์หลักฐานต้องขึ้นต้นด้วย http:// หรือ https://", en: "The evidence link must start with http:// or https://").text(language))
        }
        guard problems.isEmpty, let month, let percent else { return problems }
        var stored: [EvidenceFile] = []
        for file in files {
            let sha = try await repositories.evidenceStore.storeBlob(file.bytes, contentType: file.kind.contentType)
            stored.append(EvidenceFile(sha256: sha, name: FileKind.safeName(file.name), contentType: file.kind.contentType, size: file.bytes.count))
        }
        let update = MeasureUpdate(measureID: measure.id, month: month, percent: percent, note: note, evidenceURL: evidence, files: stored,
                                   createdBy: actor.name, createdAt: time)
        try await repositories.improvement.addUpdate(assessment, update, by: actor, logger: logger)
        if measure.status.afterProgressReport != measure.status {
            var measure = measure
            measure.status = measure.status.afterProgressReport
            try await repositories.improvement.saveMeasure(assessment, measure, by: actor, logger: logger)
        }
        return []
    }
}
