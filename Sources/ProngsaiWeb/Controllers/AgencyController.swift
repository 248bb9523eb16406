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
        var code: String
        var name: String
        var type: String
        var province: String
        var district: String
        var years: [YearLink]
        /// Set-up links for the agency's administrator and officer.
        var manage: Manage?
    }

    struct Manage {
        var divisions: String
        var people: String
        var newYear: String
    }

    struct YearLink {
        var year: Int
        var url: String
    }

    struct Page {
        var agencies: [AgencyRow]
        var empty: Bool
        var isAdmin: Bool
        var adminAgencies: String
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var rows: [AgencyRow] = []
        for agency in try await repositories.agencies.all(logger: context.logger) where Access.canView(context, agencyID: agency.id) {
            let years = try await repositories.assessments.all(agencyID: agency.id, logger: context.logger)
            rows.append(AgencyRow(
                code: agency.code, name: agency.name.text(context.language), type: agency.type, province: agency.province, district: agency.district,
                years: years.sorted { $0.fiscalYear < $1.fiscalYear }.map { YearLink(year: $0.fiscalYear, url: SiteURL.dashboard(agency: agency.code, year: $0.fiscalYear).path) },
                manage: Access.has(context, agencyID: agency.id, anyOf: PeopleController.managers)
                    ? Manage(divisions: SiteURL.divisions(agency: agency.code).path, people: SiteURL.people(agency: agency.code).path,
                             newYear: SiteURL.newYear(agency: agency.code).path) : nil))
        }
        let model = Page(agencies: rows, empty: rows.isEmpty, isAdmin: Access.isSystemAdmin(context), adminAgencies: SiteURL.adminAgencies.path)
        return try views.page("agencies", title: Strings.table["agencies"]!.text(context.language), model: model, context: context)
    }
}
