import Foundation
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

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
