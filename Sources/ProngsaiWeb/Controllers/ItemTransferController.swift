import Crypto
import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The OIT item list out (CSV and XLSX, with statuses and evidence links) and the assessing body's
/// published item results in (CSV: item id, pass/fail, reason), with a preview before anything is saved.
struct ItemTransferController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration
    let assessments: AssessmentController

    /// Published results are recorded by the agency (its officer) or an admin; assessors judge through
    /// the review workflow instead.
    static let importers: Set<Role> = [.admin, .officer]

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.itemsCSV), use: csv)
        router.get(RouterPath(SiteURL.Pattern.itemsXLSX), use: xlsx)
        router.get(RouterPath(SiteURL.Pattern.resultsImport), use: importPage)
        router.post(RouterPath(SiteURL.Pattern.resultsImport), use: preview)
        router.post(RouterPath(SiteURL.Pattern.resultsImportConfirm), use: confirm)
        router.post(RouterPath(SiteURL.Pattern.publishedItem), use: recordOne)
    }

    func table(_ loaded: AssessmentController.Loaded, base: String, context: AppRequestContext) async throws -> [[XLSXWriter.Cell]] {
        let th = context.language == .th
        let revisions = try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: nil, logger: context.logger)
        let reviews = Dictionary(try await repositories.evidence.reviews(assessmentID: loaded.assessment.id, logger: context.logger).map { ($0.itemID, $0) }, uniquingKeysWith: { a, _ in a })
        let assignments = Dictionary(try await repositories.evidence.assignments(assessmentID: loaded.assessment.id, logger: context.logger).map { ($0.itemID, $0) }, uniquingKeysWith: { a, _ in a })
        let latest = EvidenceRevision.latestByItem(revisions)
        let divisions = Dictionary(loaded.divisions.map { ($0.id, $0.name.text(context.language)) }, uniquingKeysWith: { a, _ in a })
        let results = Dictionary(loaded.items.map { ($0.itemID, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [[XLSXWriter.Cell]] = [(th
            ? ["ข้อ", "ข้อมูล", "ตัวชี้วัดย่อย", "ผู้รับผิดชอบ", "กำหนดส่ง", "สถานะ", "ผลการประเมิน", "เหตุผล", "องค์ประกอบครบ", "ลิงก์หลักฐาน", "ไฟล์", "ที่มาของผล", "มี/ไม่มี", "คำอธิบายเพิ่มเติม"]
            : ["Item", "Title", "Sub-indicator", "Division", "Due", "Status", "Result", "Reason", "Components present", "Evidence links", "Files", "Result source", "Has/has not", "Explanation"]).map { .text($0) }]
        let published = Dictionary(loaded.published.map { ($0.itemID, $0) }, uniquingKeysWith: { a, _ in a })
        for (_, checklist) in loaded.framework.checklistTools {
            for sub in checklist.subindicators {
                for item in sub.items {
                    let revision = latest[item.id]
                    let passed = results[item.id]?.passed
                    rows.append([
                        .text(item.id), .text(item.title.text(context.language)), .text(sub.id),
                        .text(assignments[item.id]?.divisionID.flatMap { divisions[$0] } ?? ""),
                        .text(assignments[item.id]?.dueOn?.iso ?? ""),
                        .text((reviews[item.id]?.status ?? .notStarted).name.text(context.language)),
                        .text(passed == true ? (th ? "ผ่าน" : "pass") : passed == false ? (th ? "ไม่ผ่าน" : "fail") : ""),
                        .text(published[item.id]?.reason ?? reviews[item.id]?.reason ?? ""),
                        .text("\(Set(revision?.components ?? []).intersection(item.components.indices).count)/\(item.components.count)"),
                        .text((revision?.links ?? []).joined(separator: "\n")),
                        .text((revision?.files ?? []).map { base + SiteURL.publicFile(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, sha256: $0.sha256).path }.joined(separator: "\n")),
                        .text(published[item.id].map { (th ? "ผลที่ประกาศ: " : "published: ") + $0.source.text(context.language) }
                            ?? (passed != nil ? (th ? "ผลการตรวจของผู้ประเมิน" : "assessor's judgement") : "")),
                        // What the national system asks per item: has it or not, the links above, an explanation.
                        .text((revision.map { !$0.links.isEmpty || !$0.files.isEmpty } ?? false) ? (th ? "มี" : "has") : (th ? "ไม่มี" : "has not")),
                        .text(revision?.explanation ?? ""),
                    ])
                }
            }
        }
        return rows
    }

    func baseURL(_ request: Request) -> String { configuration.baseURL(for: request) }

    func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        let rows = try await table(loaded, base: baseURL(request), context: context).map { $0.map { cell -> String in
            switch cell {
            case .text(let t): t
            case .number(let n): n.jsonLiteral
            }
        } }
        return SurveyAdminController.download(CSV.write(rows), type: "text/csv; charset=utf-8", filename: "\(loaded.agency.code)-\(loaded.assessment.fiscalYear)-oit.csv")
    }

    func xlsx(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        let rows = try await table(loaded, base: baseURL(request), context: context)
        let data = try XLSXWriter(sheets: [.init(name: "OIT \(loaded.assessment.fiscalYear)", rows: rows, widths: [6, 40, 8, 18, 12, 18, 10, 30, 10, 45, 45, 20, 8, 45])]).data()
        return Response(status: .ok, headers: [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                               .contentDisposition: "attachment; filename=\"\(loaded.agency.code)-\(loaded.assessment.fiscalYear)-oit.xlsx\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: [UInt8](data))))
    }

    // MARK: import

    struct ParsedRow {
        var line: Int
        var item: String
        var title: String
        var passed: Bool?
        var reason: String
        var error: String?
    }

    static func parse(_ text: String, framework: Framework, language: Language) -> (rows: [ParsedRow], errors: [String]) {
        let th = language == .th
        let rows: [[String]]
        do { rows = try CSV.parse(text) } catch {
            return ([], [th ? "ไฟล์ CSV ไม่ถูกต้อง: บรรทัด \(error.line)" : error.description])
        }
        guard !rows.isEmpty else { return ([], [th ? "ไฟล์ว่าง" : "The file is empty"]) }
        let items = Dictionary(uniqueKeysWithValues: framework.checklistTools.flatMap(\.checklist.items).map { ($0.id.uppercased(), $0) })
        var parsed: [ParsedRow] = []
        var seen = Set<String>()
        let body = ["item", "ข้อ"].contains(rows[0].first?.trimmingCharacters(in: .whitespaces).lowercased() ?? "") ? Array(rows.dropFirst()) : rows
        let offset = body.count == rows.count ? 1 : 2
        for (index, row) in body.enumerated() {
            parsed.append(parseRow(row, line: index + offset, items: items, seen: &seen, language: language))
        }
        return (parsed, [])
    }

    /// One row of a published-results sheet: item, result, reason. `seen` holds the items read so far
    /// (a second row for one item is an error).
    static func parseRow(_ row: [String], line: Int, items: [String: OITItem], seen: inout Set<String>, language: Language) -> ParsedRow {
        let th = language == .th
        var id = (row.first ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        // The report's own numbering writes 013 for O13.
        if id.hasPrefix("0"), let n = Int(id) { id = "O\(n)" }
        let resultText = (row.count > 1 ? row[1] : "").trimmingCharacters(in: .whitespaces).lowercased()
        let reason = row.count > 2 ? row[2].trimmingCharacters(in: .whitespaces) : ""
        var entry = ParsedRow(line: line, item: id, title: items[id]?.title.text(language) ?? "", passed: nil, reason: reason)
        switch resultText {
        case "pass", "ผ่าน", "1", "yes", "true": entry.passed = true
        case "fail", "ไม่ผ่าน", "0", "no", "false": entry.passed = false
        default: entry.error = th ? "ผลต้องเป็น ผ่าน/ไม่ผ่าน (pass/fail) ไม่ใช่ \"\(resultText)\"" : "the result must be pass or fail, not \"\(resultText)\""
        }
        if items[id] == nil { entry.error = th ? "ไม่มีข้อ \"\(id)\" ในกรอบการประเมิน" : "no item \"\(id)\" in the framework" }
        else if !seen.insert(id).inserted { entry.error = th ? "ข้อ \(id) ซ้ำ" : "\(id) appears twice" }
        else if entry.passed == false && reason.isEmpty && entry.error == nil { entry.error = th ? "ข้อที่ไม่ผ่านต้องมีเหตุผล" : "a failed item needs a reason" }
        return entry
    }

    struct PreviewModel {
        struct Row {
            var line: Int
            var item: String
            var title: String
            var result: String
            var reason: String
            var error: String?
        }
        var nav: AssessmentNav
        var agencyName: String
        var action: String
        var confirmAction: String
        var rows: [Row]
        var hasRows: Bool
        var errors: [String]
        var hasErrors: Bool
        var canConfirm: Bool
        var csv: String
        var filename: String
        var badCount: Int
        var hasBad: Bool
    }

    func render(_ loaded: AssessmentController.Loaded, csv: String?, filename: String = "results.csv", context: AppRequestContext) throws -> Response {
        let th = context.language == .th
        var rows: [PreviewModel.Row] = []
        var errors: [String] = []
        if let csv {
            let parsed = Self.parse(csv, framework: loaded.framework, language: context.language)
            errors = parsed.errors
            rows = parsed.rows.map { PreviewModel.Row(line: $0.line, item: $0.item, title: $0.title,
                                                      result: $0.passed == true ? (th ? "ผ่าน" : "Pass") : $0.passed == false ? (th ? "ไม่ผ่าน" : "Fail") : "–",
                                                      reason: $0.reason, error: $0.error) }
        }
        let bad = rows.filter { $0.error != nil }.count
        let code = loaded.agency.code
        let year = loaded.assessment.fiscalYear
        let model = PreviewModel(
            nav: AssessmentNav(loaded, current: .items, context: context), agencyName: loaded.agency.name.text(context.language),
            action: SiteURL.resultsImport(agency: code, year: year).path, confirmAction: SiteURL.resultsImportConfirm(agency: code, year: year).path,
            rows: rows, hasRows: !rows.isEmpty, errors: errors, hasErrors: !errors.isEmpty || bad > 0,
            canConfirm: errors.isEmpty && bad == 0 && !rows.isEmpty, csv: csv ?? "", filename: filename, badCount: bad, hasBad: bad > 0)
        var response = try views.page("import", title: Strings.table["importResults"]!.text(context.language), model: model, context: context)
        if csv != nil && !model.canConfirm { response.status = .unprocessableContent }
        return response
    }

    func importPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.importers) else { throw AppError.forbidden }
        return try render(loaded, csv: nil, context: context)
    }

    func preview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.importers) else { throw AppError.forbidden }
        var request = request
        let form = try await MultipartForm.read(&request, context: context)
        guard let file = form["file"], !file.data.isEmpty else {
            throw AppError.badInput(th: "กรุณาเลือกไฟล์ CSV", en: "Choose a CSV file")
        }
        guard let text = String(validating: file.data, as: UTF8.self) else {
            throw AppError.badInput(th: "ไฟล์ต้องเป็น CSV แบบ UTF-8", en: "The file must be UTF-8 CSV")
        }
        return try render(loaded, csv: text, filename: file.filename ?? "results.csv", context: context)
    }

    /// Applies the previewed file: every row or none, each as a published result whose source is the file.
    func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.importers) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let parsed = Self.parse(form["csv"] ?? "", framework: loaded.framework, language: context.language)
        guard parsed.errors.isEmpty, !parsed.rows.isEmpty, parsed.rows.allSatisfy({ $0.error == nil }) else {
            return try render(loaded, csv: form["csv"] ?? "", filename: form["filename"] ?? "results.csv", context: context)
        }
        // The file is the source: its name and the SHA-256 of the text applied.
        let csv = form["csv"] ?? ""
        let name = String((form["filename"] ?? "").filter { !$0.isNewline }.prefix(200))
        let source = PublishedSource.file(name: name.isEmpty ? "results.csv" : name, sha256: NumberText.hex(SHA256.hash(data: Data(csv.utf8))))
        let results = parsed.rows.map { PublishedItemResult(itemID: $0.item, passed: $0.passed ?? false, reason: $0.reason, source: source) }
        try await repositories.assessments.recordPublished(results, assessment: loaded.assessment, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.items(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?imported=\(parsed.rows.count)")
    }

    /// One published result typed in from the assessing body's announcement, with its address.
    func recordOne(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.importers) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        guard let itemID = form["item"], loaded.framework.checklistTools.contains(where: { $0.checklist.item(itemID) != nil }) else {
            throw AppError.badInput(th: "กรุณาเลือกข้อ OIT", en: "Choose an OIT item")
        }
        let passed: Bool
        switch form["result"] {
        case "pass": passed = true
        case "fail": passed = false
        default: throw AppError.badInput(th: "ผลต้องเป็น ผ่าน หรือ ไม่ผ่าน", en: "The result must be pass or fail")
        }
        let link = (form["source"] ?? "").trimmingCharacters(in: .whitespaces)
        let source: PublishedSource? = link.isEmpty ? nil : .url(link)
        if let problem = PublishedItemResult.problem(source: source) {
            throw AppError(.unprocessableContent, th: problem.th, en: problem.en)
        }
        let result = PublishedItemResult(itemID: itemID, passed: passed, reason: (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), source: source!)
        try await repositories.assessments.recordPublished([result], assessment: loaded.assessment, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.results(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=\(itemID)#published-items")
    }
}
