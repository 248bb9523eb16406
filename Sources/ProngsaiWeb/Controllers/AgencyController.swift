import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// The agency list.
struct AgencyController {
    let repositories: Repositories
    let views: Views
    /// For the handler's count of overdue cases.
    let complaints: ComplaintRepository?
    let clock: @Sendable () -> Date

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
        var integrity: Integrity?
    }

    struct Manage {
        var divisions: String
        var people: String
        var newYear: String
    }

    /// The integrity channels this person works in here.
    struct Integrity {
        var complaints: String?
        var overdue: Int
        var anyOverdue: Bool
        var requests: String?
        var questions: String?
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
        /// An assessor's queue across their agencies.
        var queueURL: String?
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var rows: [AgencyRow] = []
        let today = CivilDate.today(clock())
        for agency in try await repositories.agencies.all(logger: context.logger) where Access.canView(context, agencyID: agency.id) {
            let years = try await repositories.assessments.all(agencyID: agency.id, logger: context.logger)
            let handler = ComplaintController.holds(context, .handler, agencyID: agency.id)
            var overdue = 0
            if handler, let complaints {
                let rules = try await ComplaintController.deadlines(agency.id, settings: repositories.settings)
                overdue = try await complaints.cases(agencyID: agency.id, logger: context.logger).filter { $0.due(rules).map { $0 < today } ?? false }.count
            }
            let custodian = ComplaintController.holds(context, .custodian, agencyID: agency.id)
            let answers = Access.has(context, agencyID: agency.id, anyOf: QuestionController.answerers)
            let integrity = handler || custodian || answers
                ? Integrity(complaints: handler ? SiteURL.complaints(agency: agency.code).path : nil, overdue: overdue, anyOverdue: overdue > 0,
                            requests: custodian ? SiteURL.identityRequests(agency: agency.code).path : nil,
                            questions: answers ? SiteURL.questionsAdmin(agency: agency.code).path : nil) : nil
            rows.append(AgencyRow(
                code: agency.code, name: agency.name.text(context.language), type: agency.type, province: agency.province, district: agency.district,
                years: years.sorted { $0.fiscalYear < $1.fiscalYear }.map { YearLink(year: $0.fiscalYear, url: SiteURL.dashboard(agency: agency.code, year: $0.fiscalYear).path) },
                manage: Access.has(context, agencyID: agency.id, anyOf: PeopleController.managers)
                    ? Manage(divisions: SiteURL.divisions(agency: agency.code).path, people: SiteURL.people(agency: agency.code).path,
                             newYear: SiteURL.newYear(agency: agency.code).path) : nil,
                integrity: integrity))
        }
        let model = Page(agencies: rows, empty: rows.isEmpty, isAdmin: Access.isSystemAdmin(context), adminAgencies: SiteURL.adminAgencies.path,
                         queueURL: context.grants.contains { $0.role == .assessor && $0.agencyID != nil } ? SiteURL.assessorQueue.path : nil)
        return try views.page("agencies", title: Strings.table["agencies"]!.text(context.language), model: model, context: context)
    }
}
