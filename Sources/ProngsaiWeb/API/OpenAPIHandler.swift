import Foundation
import Hummingbird
import Logging
import OpenAPIRuntime
import ProngsaiAPI
import ProngsaiCore
import ProngsaiStore

/// The open API (`Sources/ProngsaiAPI/openapi.yaml`), implemented over the same services as the pages: the
/// public reads map what `PublicDataService` computes for the public pages; the writes go through the
/// evidence and assessment services, with their audit entries, as the item and published-scores pages do.
///
/// Every constraint the document states is checked here too (the generated code checks types, required
/// fields, enums and unknown fields; not patterns, lengths or ranges), so a request the document refuses is
/// refused with 400 and one it allows is accepted.
struct OpenAPIHandler: APIProtocol {
    let repositories: Repositories
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration
    /// What the public reads come from: the read replica when there is one (docs/scale.md).
    var reader: Repositories { configuration.readRepositories ?? repositories }

    var data: PublicDataService { PublicDataService(repositories: reader, catalog: catalog) }

    /// The request being answered (set by `APIMiddleware`, which is always in front of these handlers).
    var current: APIMiddleware.Current {
        get throws {
            guard let current = APIMiddleware.current else { throw AppError(.internalServerError, th: "ระบบขัดข้อง", en: "No request context") }
            return current
        }
    }

    var logger: Logger { APIMiddleware.current?.context.logger ?? Logger(label: "prongsai-api") }

    // MARK: Public reads

    func getRoundResults(_ input: Operations.GetRoundResults.Input) async throws -> Operations.GetRoundResults.Output {
        try APIInput.check(input.path.round, APIInput.roundID, name: "round")
        let language: Language = input.query.lang == .en ? .en : .th
        guard let results = try await data.roundResults(id: input.path.round, language: language, logger: logger) else { throw APIErrors.noRound }
        func summary(_ s: RoundStatistics.Summary) -> Components.Schemas.RoundSummary {
            .init(agencies: s.agencies, scored: s.scored, average: APIInput.number(s.average), passed: s.passed, passRate: APIInput.number(s.passRate),
                  levels: .init(additionalProperties: Dictionary(s.levels.map { ($0.level.id, $0.count) }, uniquingKeysWith: { a, b in a + b })),
                  histogram: s.histogram, previousAverage: APIInput.number(s.previousAverage), sameAgenciesAverage: APIInput.number(s.sameAgenciesAverage))
        }
        func groups(_ list: [(name: String, summary: RoundStatistics.Summary)]) -> [String: Components.Schemas.RoundSummary] {
            Dictionary(list.map { ($0.name, summary($0.summary)) }, uniquingKeysWith: { a, _ in a })
        }
        let round = results.round
        return .ok(.init(body: .json(.init(
            round: .init(id: round.id, title: round.title, fiscalYear: round.fiscalYear, framework: round.frameworkID),
            nation: summary(results.nation),
            byType: .init(additionalProperties: groups(results.byType)),
            byProvince: .init(additionalProperties: groups(results.byProvince)),
            ranking: results.ranking.map { ranked in
                .init(rank: ranked.rank, code: ranked.entry.code, name: ranked.entry.name, score: APIInput.number(ranked.entry.score),
                      level: ranked.entry.level?.id, previous: APIInput.number(ranked.entry.previous),
                      change: ranked.entry.change.flatMap { Double($0.description) })
            }))))
    }

    func getTransparency(_ input: Operations.GetTransparency.Input) async throws -> Operations.GetTransparency.Output {
        let (code, year) = (input.path.agency, input.path.year)
        try APIInput.check(agency: code, year: year)
        guard let loaded = try await data.transparency(agencyCode: code, year: year, today: configuration.today, logger: logger) else {
            throw try await reader.agencies.find(code: code, logger: logger) == nil ? APIErrors.noAgency : APIErrors.noYear
        }
        let base = try current.baseURL
        var items: [Components.Schemas.TransparencyItem] = []
        for (_, checklist) in loaded.framework.checklistTools {
            for sub in checklist.subindicators {
                for item in sub.items {
                    let revision = loaded.published[item.id]
                    items.append(.init(
                        id: item.id, subindicator: sub.id, title: .init(th: item.title.th, en: item.title.en), published: revision != nil,
                        has: revision.map { !$0.links.isEmpty || !$0.files.isEmpty } ?? false, links: revision?.links ?? [],
                        files: (revision?.files ?? []).map { file in
                            .init(name: file.name, url: base + SiteURL.publicFile(agency: code, year: year, sha256: file.sha256).path, sha256: file.sha256,
                                  _type: file.contentType)
                        },
                        explanation: revision?.explanation, updated: revision?.createdAt))
                }
            }
        }
        return .ok(.init(body: .json(.init(
            agency: .init(code: code, th: loaded.agency.name.th, en: loaded.agency.name.en), fiscalYear: year, framework: loaded.framework.id,
            eitSurvey: loaded.eitWindow.map { base + SiteURL.survey(code: $0.publicCode).path },
            channels: .init(report: base + SiteURL.report(agency: code).path, questions: base + SiteURL.questions(agency: code).path,
                            statistics: base + SiteURL.reportStatistics(agency: code).path + "?year=\(year)",
                            statisticsCSV: base + SiteURL.reportStatisticsCSV(agency: code).path + "?year=\(year)"),
            items: items,
            measures: loaded.measures.map { measure, rollup in
                .init(number: measure.number, title: measure.title, period: measure.periodLabel, start: measure.start.iso, end: measure.end.iso,
                      responsible: measure.responsible, indicators: measure.indicators,
                      status: Components.Schemas.Measure.StatusPayload(rawValue: measure.status.rawValue) ?? .planned,
                      progress: max(0, min(100, rollup.percent)), outcome: measure.outcome)
            }))))
    }

    func getComplaintStatistics(_ input: Operations.GetComplaintStatistics.Input) async throws -> Operations.GetComplaintStatistics.Output {
        let (code, year) = (input.path.agency, input.path.year)
        try APIInput.check(agency: code, year: year)
        guard let (agency, stats) = try await PublicDataService.complaintStatistics(in: reader, agencyCode: code, year: year, logger: logger)
        else { throw APIErrors.noAgency }
        func cells(_ published: [ComplaintStatistics.Cell]) -> Components.Schemas.StatisticsCells {
            // In column order (as the CSV): received, in progress, concluded, forwarded, not accepted.
            .init(received: published[0].description, inProgress: published[1].description, concluded: published[2].description,
                  forwarded: published[3].description, notAccepted: published[4].description)
        }
        return .ok(.init(body: .json(.init(
            agency: .init(code: agency.code, th: agency.name.th, en: agency.name.en), fiscalYear: stats.fiscalYear.buddhistYear,
            rows: stats.rows.map { row in
                .init(month: NumberText.padded(row.month.year, width: 4) + "-" + NumberText.padded(row.month.month, width: 2),
                      category: Components.Schemas.StatisticsRow.CategoryPayload(rawValue: row.category.rawValue) ?? .other,
                      categoryName: .init(th: row.category.name.th, en: row.category.name.en), cells: cells(row.cells))
            },
            total: cells(stats.totalCells)))))
    }

    // MARK: The token's owner

    /// The live token of the request, else 401.
    func client() throws -> APIClient {
        switch try current.context.api {
        case .client(let client): return client
        case .none: throw APIErrors.noToken
        case .refused: throw APIErrors.badToken
        }
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let client = try client()
        var agencies: [Components.Schemas.Me.AgenciesPayloadPayload] = []
        for id in client.token.agencyIDs {
            guard let agency = try await repositories.agencies.find(id: id, logger: logger) else { continue }
            agencies.append(.init(code: agency.code, name: .init(th: agency.name.th, en: agency.name.en), canWrite: client.mayWrite(for: id)))
        }
        return .ok(.init(body: .json(.init(
            username: client.user.username, displayName: client.user.displayName,
            token: .init(name: client.token.name, hint: client.token.hint, created: StoredTime.now(client.token.createdAt),
                         lastUsed: client.token.lastUsedOn?.iso),
            agencies: agencies.sorted { $0.code < $1.code }))))
    }

    /// The agency and year a write names, after checking the token may act for the agency: an unknown agency
    /// or year is 404; an agency the token does not name, or where its owner is no longer the officer, 403.
    func writable(_ client: APIClient, code: String, year: Int) async throws -> AssessmentController.Loaded {
        guard let agency = try await repositories.agencies.find(code: code, logger: logger) else { throw APIErrors.noAgency }
        guard client.token.agencyIDs.contains(agency.id) else { throw APIErrors.notInScope }
        guard client.isOfficer(of: agency.id) else { throw APIErrors.notOfficer }
        guard let assessment = try await repositories.assessments.find(agencyID: agency.id, fiscalYear: year, logger: logger) else { throw APIErrors.noYear }
        return try await AssessmentService(repositories: repositories, catalog: catalog).load(agency: agency, assessment: assessment, responses: false, logger: logger)
    }

    // MARK: Writes

    func putItemAnswer(_ input: Operations.PutItemAnswer.Input) async throws -> Operations.PutItemAnswer.Output {
        let client = try client()
        let (code, year, itemID) = (input.path.agency, input.path.year, input.path.item)
        try APIInput.check(agency: code, year: year)
        try APIInput.check(itemID, APIInput.itemID, name: "item")
        guard case .json(let body) = input.body else { throw APIInput.notJSON }
        guard body.links.count <= APIInput.maxLinks else {
            throw APIErrors.invalid("links", th: "ใส่ลิงก์ได้ไม่เกิน \(APIInput.maxLinks) ลิงก์", en: "at most \(APIInput.maxLinks) links")
        }
        for link in body.links {
            try APIInput.check(link, APIInput.webLink, name: "links", maxLength: APIInput.maxLinkLength)
        }
        guard body.explanation.unicodeScalars.count <= EvidenceService.maxExplanation else {
            throw APIErrors.invalid("explanation", th: "ยาวเกิน \(EvidenceService.maxExplanation) ตัวอักษร", en: "longer than \(EvidenceService.maxExplanation) characters")
        }
        let components = body.components
        guard components.count <= APIInput.maxComponents, components.allSatisfy({ (0...APIInput.maxComponent).contains($0) }) else {
            throw APIErrors.invalid("components", th: "ต้องเป็นเลขลำดับ 0–\(APIInput.maxComponent) ไม่เกิน \(APIInput.maxComponents) รายการ",
                                    en: "positions 0–\(APIInput.maxComponent), at most \(APIInput.maxComponents)")
        }
        let loaded = try await writable(client, code: code, year: year)
        guard let (_, checklist) = loaded.framework.checklistTools.first(where: { $0.checklist.item(itemID) != nil }),
              let item = checklist.item(itemID)
        else { throw APIErrors.noItem }
        // The same reading and bounds as the item page's form (a link as typed; the pattern above already
        // holds every link to one the page accepts).
        let draft = EvidenceService.draft(explanation: body.explanation,
                                          links: body.links.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: "\n"),
                                          components: components, item: item)
        if let problem = draft.problems.first { throw AppError(.badRequest, th: problem.th, en: problem.en) }
        let service = EvidenceService(repositories: repositories)
        // The API sends no files: the files of the previous revision stay with the item.
        let previous = try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: item.id, logger: logger).last?.files ?? []
        let stored = try await service.addRevision(draft, files: [], held: [], kept: Set(previous.map(\.sha256)), item: item, assessment: loaded.assessment,
                                                   by: client.actor, logger: logger)
        return .ok(.init(body: .json(.init(
            item: item.id, revision: stored.revision, has: !stored.links.isEmpty || !stored.files.isEmpty, links: stored.links,
            explanation: stored.explanation, components: stored.components, files: stored.files.count))))
    }

    func putScore(_ input: Operations.PutScore.Input) async throws -> Operations.PutScore.Output {
        let client = try client()
        let (code, year, key) = (input.path.agency, input.path.year, input.path.key)
        try APIInput.check(agency: code, year: year)
        try APIInput.check(key, APIInput.scoreKey, name: "key")
        guard case .json(let body) = input.body else { throw APIInput.notJSON }
        try APIInput.check(body.score, APIInput.score, name: "score")
        // The published-scores page's reading of a typed score (0–100, at most two decimals).
        guard let value = ScoreEntry.parse(body.score.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw APIErrors.invalid("score", th: "ต้องเป็นตัวเลข 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง", en: "a number from 0 to 100 with at most 2 decimals")
        }
        let loaded = try await writable(client, code: code, year: year)
        let keys = ResultsModel.keys(loaded.framework) + ResultsModel.indicatorKeys(loaded.framework)
        guard keys.contains(key) else { throw APIErrors.noScore }
        try await AssessmentService(repositories: repositories, catalog: catalog)
            .storePublished([key: value], keys: [key], in: loaded.assessment, current: loaded.results, by: client.actor, logger: logger)
        return .ok(.init(body: .json(.init(key: key, score: "\(value)", source: .published))))
    }
}

/// The constraints `openapi.yaml` states that the generated code does not check, written once here; a test
/// reads the document and checks each pattern is the one it states.
enum APIInput {
    static let roundID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    static let agencyCode = "^[a-z0-9][a-z0-9-]{1,39}$"
    static let itemID = "^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$"
    static let scoreKey = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$"
    static let score = #"^(100(\.00?)?|[0-9]{1,2}(\.[0-9]{1,2})?)$"#
    static let webLink = #"^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(/[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?$"#
    static let years = 2500...2700
    static let maxLinks = EvidenceService.maxLinks
    static let maxLinkLength = 2000
    static let maxComponents = 100
    static let maxComponent = 99

    static let notJSON = AppError(.unsupportedMediaType, th: "ส่งข้อมูลเป็น JSON (Content-Type: application/json)", en: "Send JSON (Content-Type: application/json)")

    /// The text matches the document's pattern (the same regular-expression reading as JSON Schema's: a
    /// search, `$` also before a final line break) and is no longer than `maxLength` characters.
    static func check(_ text: String, _ pattern: String, name: String, maxLength: Int? = nil) throws {
        if let maxLength, text.unicodeScalars.count > maxLength {
            throw APIErrors.invalid(name, th: "ยาวเกิน \(maxLength) ตัวอักษร", en: "longer than \(maxLength) characters")
        }
        guard text.range(of: pattern, options: .regularExpression) != nil else {
            throw APIErrors.invalid(name, th: "รูปแบบไม่ถูกต้อง (ดู openapi.yaml)", en: "not in the form openapi.yaml gives")
        }
    }

    /// An agency code and fiscal year in the document's form.
    static func check(agency code: String, year: Int) throws {
        try check(code, agencyCode, name: "agency")
        guard years.contains(year) else {
            throw APIErrors.invalid("year", th: "ปีงบประมาณ พ.ศ. \(years.lowerBound)–\(years.upperBound)", en: "a Buddhist-era fiscal year, \(years.lowerBound)–\(years.upperBound)")
        }
    }

    /// A figure as published (rounded half-up to two places), as a JSON number.
    static func number(_ value: Decimal?) -> Double? {
        value.flatMap { Double($0.roundedForDisplay.description) }
    }
}
