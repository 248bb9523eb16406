import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// The agency list.
struct AgencyController {
    let repositories: Repositories
    let views: Views

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.agencies.path), use: list)
    }

    struct AgencyRow {
        var name: String
        var type: String
        var province: String
        var district: String
        var years: [YearLink]
    }

    struct YearLink {
        var year: Int
        var url: String
    }

    struct Page {
        var agencies: [AgencyRow]
        var empty: Bool
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var rows: [AgencyRow] = []
        for agency in try await repositories.agencies.all(logger: context.logger) where Access.canView(context, agencyID: agency.id) {
            let years = try await repositories.assessments.all(agencyID: agency.id, logger: context.logger)
            rows.append(AgencyRow(
                name: agency.name.text(context.language), type: agency.type, province: agency.province, district: agency.district,
                years: years.map { YearLink(year: $0.fiscalYear, url: SiteURL.dashboard(agency: agency.code, year: $0.fiscalYear).path) }))
        }
        return try views.page("agencies", title: Strings.table["agencies"]!.text(context.language), model: Page(agencies: rows, empty: rows.isEmpty), context: context)
    }
}
