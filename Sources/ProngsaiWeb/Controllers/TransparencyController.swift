import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The agency's public transparency page (no sign-in): O1–O43 in framework order with links to the
/// evidence, the EIT QR code, and the same as JSON, at stable URLs an agency can link from its site.
struct TransparencyController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration

    func register(on router: Router<AppRequestContext>) {
        // "/t/banpong/2566" and "/t/banpong/2566.json" share one route: the year segment says which.
        router.get(RouterPath(SiteURL.Pattern.transparency), use: page)
        router.get(RouterPath(SiteURL.Pattern.publicFile), use: file)
    }

    /// What the public sees of the agency's year (shared with the open API).
    typealias Loaded = PublicDataService.Transparency

    func load(_ context: AppRequestContext, year yearText: String) async throws -> Loaded {
        guard let code = context.parameters.get("agency"), let year = Int(yearText),
              let loaded = try await PublicDataService(repositories: repositories, catalog: catalog)
                  .transparency(agencyCode: code, year: year, today: configuration.today, logger: context.logger)
        else { throw AppError(.notFound, th: "ไม่พบหน้าการเปิดเผยข้อมูลนี้", en: "No transparency page here") }
        return loaded
    }

    func baseURL(_ request: Request) -> String { configuration.baseURL(for: request) }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let yearSegment = context.parameters.get("year") else { throw AppError.notFound }
        let json = yearSegment.hasSuffix(".json")
        let loaded = try await load(context, year: json ? String(yearSegment.dropLast(5)) : yearSegment)
        let base = baseURL(request)
        let latest = loaded.published
        let eitLink = loaded.eitWindow.map { base + SiteURL.survey(code: $0.publicCode).path }
        let code = loaded.agency.code
        let year = loaded.assessment.fiscalYear
        func fileURL(_ file: EvidenceFile) -> String { base + SiteURL.publicFile(agency: code, year: year, sha256: file.sha256).path }
        if json {
            var items: [JSONValue] = []
            for (_, checklist) in loaded.framework.checklistTools {
                for sub in checklist.subindicators {
                    for item in sub.items {
                        let revision = latest[item.id]
                        items.append(.object(JSONObject([
                            ("id", .string(item.id)), ("subindicator", .string(sub.id)),
                            ("title", .object(JSONObject([("th", .string(item.title.th)), ("en", .string(item.title.en))]))),
                            ("links", .array((revision?.links ?? []).map { .string($0) })),
                            ("files", .array((revision?.files ?? []).map { f in
                                .object(JSONObject([("name", .string(f.name)), ("url", .string(fileURL(f))), ("sha256", .string(f.sha256)), ("type", .string(f.contentType))]))
                            })),
                            ("explanation", revision.map { .string($0.explanation) } ?? .null),
                            ("updated", revision.map { .string($0.createdAt) } ?? .null),
                        ])))
                    }
                }
            }
            let document = JSONValue.object(JSONObject([
                ("agency", .object(JSONObject([("code", .string(code)), ("th", .string(loaded.agency.name.th)), ("en", .string(loaded.agency.name.en))]))),
                ("fiscalYear", .number(Decimal(year))), ("framework", .string(loaded.framework.id)),
                ("eitSurvey", eitLink.map { .string($0) } ?? .null),
                ("channels", .object(JSONObject([
                    ("report", .string(base + SiteURL.report(agency: code).path)), ("questions", .string(base + SiteURL.questions(agency: code).path)),
                    ("statistics", .string(base + SiteURL.reportStatistics(agency: code).path + "?year=\(year)")),
                    ("statisticsCSV", .string(base + SiteURL.reportStatisticsCSV(agency: code).path + "?year=\(year)")),
                ]))),
                ("items", .array(items)),
                ("measures", .array(loaded.measures.map { measure, rollup in
                    .object(JSONObject([
                        ("number", .number(Decimal(measure.number))), ("title", .string(measure.title)), ("period", .string(measure.periodLabel)),
                        ("start", .string(measure.start.iso)), ("end", .string(measure.end.iso)), ("responsible", .string(measure.responsible)),
                        ("indicators", .array(measure.indicators.map { .string($0) })), ("status", .string(measure.status.rawValue)),
                        ("progress", .number(Decimal(rollup.percent))), ("outcome", .string(measure.outcome)),
                    ]))
                })),
            ]))
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .init("Access-Control-Allow-Origin")!: "*", .cacheControl: "public, max-age=300"],
                            body: .init(byteBuffer: ByteBuffer(string: document.serialized())))
        }
        let model = TransparencyModel.make(loaded, latest: latest, eitLink: eitLink, fileURL: fileURL, jsonURL: SiteURL.transparencyJSON(agency: code, year: year).path, language: context.language)
        return try views.standalone("transparency", model: model, language: context.language)
    }

    /// A file is public while an approved revision names it and it is not withdrawn.
    func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let year = context.parameters.get("year"), let sha = context.parameters.get("sha") else { throw AppError.notFound }
        let loaded = try await load(context, year: year)
        guard let named = loaded.published.values.lazy.flatMap(\.files).first(where: { $0.sha256 == sha }),
            let stored = try await repositories.evidence.file(sha256: sha, logger: context.logger)
        else { throw AppError.notFound }
        let served = ServedFile.of(stored.bytes)
        return Response(status: .ok, headers: [.contentType: served.contentType, .contentDisposition: served.disposition(name: named.name),
                                               .init("X-Content-Type-Options")!: "nosniff", .init("Content-Security-Policy")!: "default-src 'none'; sandbox",
                                               .cacheControl: "public, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(bytes: stored.bytes)))
    }
}
