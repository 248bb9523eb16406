import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// The administrator's frameworks page: every framework (built in and imported), upload of a framework
/// file, and a new framework made from another with its OIT list from a sheet (XLSX or CSV).
struct FrameworkAdminController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.adminFrameworks.path), use: page)
        router.post(RouterPath(SiteURL.adminFrameworks.path), use: upload)
        router.get(RouterPath(SiteURL.adminFrameworkTemplate.path), use: template)
    }

    /// Administrators, and ITA officers (an agency running Prongsai alone imports its year's framework
    /// itself). Importing only adds a choice: a stored framework never changes.
    static func canImport(_ context: AppRequestContext) -> Bool {
        Access.isSystemAdmin(context) || context.grants.contains { $0.role == .officer }
    }

    struct Row {
        var id: String
        var year: Int
        var title: String
        var kind: String
        var uses: Int
    }

    struct Page {
        var rows: [Row]
        var action: String
        var templateURL: String
        var bases: [AdminController.Choice]
        var errors: [String]
        var imported: String?
        var newID: String
        var newYear: String
        var columns: String
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard Self.canImport(context) else { throw AppError.notFound }
        return try await render(errors: [], imported: request.uri.queryParameters.get("imported"), newID: "", newYear: "", context: context)
    }

    func render(errors: [String], imported: String?, newID: String, newYear: String, context: AppRequestContext) async throws -> Response {
        let th = context.language == .th
        let entries = try await catalog.entries(logger: context.logger)
        var rows: [Row] = []
        for entry in entries {
            rows.append(Row(id: entry.id, year: entry.fiscalYear, title: entry.title.text(context.language),
                            kind: entry.builtIn ? (th ? "มากับระบบ" : "built in") : (th ? "นำเข้า" : "imported"),
                            uses: try await repositories.frameworks.uses(id: entry.id, logger: context.logger)))
        }
        let model = Page(rows: rows, action: SiteURL.adminFrameworks.path, templateURL: SiteURL.adminFrameworkTemplate.path,
                         bases: entries.map { AdminController.Choice(value: $0.id, label: $0.id, selected: false) }, errors: errors, imported: imported,
                         newID: newID, newYear: newYear, columns: OITSheet.columns.joined(separator: ", "))
        var response = try views.page("admin-frameworks", title: Strings.table["frameworks"]!.text(context.language), model: model, context: context)
        if !errors.isEmpty { response.status = .unprocessableContent }
        return response
    }

    /// `kind=file`: a framework file. `kind=sheet`: a copy of `base` as `id`/`year` with the sheet's OIT list.
    func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard Self.canImport(context) else { throw AppError.notFound }
        var request = request
        let form = try await MultipartForm.read(&request, context: context, limit: 8_388_608)
        let th = context.language == .th
        let kind = form["kind"]?.text ?? "file"
        let newID = (form["id"]?.text ?? "").trimmingCharacters(in: .whitespaces)
        let newYear = ThaiFormat.arabicDigits((form["year"]?.text ?? "").trimmingCharacters(in: .whitespaces))
        guard let file = form["file"], !file.data.isEmpty else {
            return try await render(errors: [th ? "ยังไม่ได้เลือกไฟล์" : "Choose a file"], imported: nil, newID: newID, newYear: newYear, context: context)
        }
        do {
            let data: Data
            if kind == "sheet" {
                guard let base = try await catalog.find(form["base"]?.text ?? "") else {
                    return try await render(errors: [th ? "กรุณาเลือกกรอบการประเมินตั้งต้น" : "Choose the framework to start from"], imported: nil, newID: newID, newYear: newYear, context: context)
                }
                guard !newID.isEmpty, !newID.contains(where: { $0.isWhitespace || $0 == "/" }), let year = Int(newYear), (2500...2800).contains(year) else {
                    return try await render(errors: [th ? "กรุณากรอกรหัสกรอบใหม่ (เช่น ita-2570) และปีงบประมาณ พ.ศ." : "Enter the new id (e.g. ita-2570) and the Buddhist-era fiscal year"],
                                            imported: nil, newID: newID, newYear: newYear, context: context)
                }
                let (_, document) = try FrameworkImport.applySheet(Data(file.data), to: FrameworkImport.newDocument(from: base, id: newID, fiscalYear: year),
                                                                  source: file.filename ?? "sheet")
                data = Data((document.serialized() + "\n").utf8)
            } else {
                data = Data(file.data)
            }
            let framework = try await FrameworkImport.store(data, source: file.filename ?? "upload", catalog: catalog, repositories: repositories,
                                                            actor: context.actor, logger: context.logger)
            return redirect(to: SiteURL.adminFrameworks.path + "?imported=" + framework.id)
        } catch let failure as FrameworkImport.Failure {
            return try await render(errors: failure.lines(context.language), imported: nil, newID: newID, newYear: newYear, context: context)
        }
    }

    func template(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard Self.canImport(context) else { throw AppError.notFound }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"oit-sheet-template.csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: CSV.write(OITSheet.template()))))
    }
}
