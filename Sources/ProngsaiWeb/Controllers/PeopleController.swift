import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// An agency's own set-up, for its administrator and ITA officer: divisions, the people who work on the
/// ITA (an officer creates division staff only), and starting a new fiscal year.
struct PeopleController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration

    static let managers: Set<Role> = [.admin, .officer]

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.divisions), use: divisionsPage)
        router.post(RouterPath(SiteURL.Pattern.divisions), use: createDivision)
        router.post(RouterPath(SiteURL.Pattern.division), use: changeDivision)
        router.get(RouterPath(SiteURL.Pattern.people), use: peoplePage)
        router.post(RouterPath(SiteURL.Pattern.people), use: createPerson)
        router.post(RouterPath(SiteURL.Pattern.person), use: changePerson)
        router.get(RouterPath(SiteURL.Pattern.newYear), use: newYearPage)
        router.post(RouterPath(SiteURL.Pattern.newYear), use: startYear)
    }

    /// The agency in the path, for its administrator or officer; anyone else gets 404 (or 403 when they
    /// may see the agency but not manage it).
    func load(_ context: AppRequestContext) async throws -> Agency {
        guard let code = context.parameters.get("agency"), let agency = try await repositories.agencies.find(code: code, logger: context.logger),
            Access.canView(context, agencyID: agency.id)
        else { throw AppError.notFound }
        guard Access.has(context, agencyID: agency.id, anyOf: Self.managers) else { throw AppError.forbidden }
        return agency
    }

    struct Nav {
        var agencies: String
        var agency: String
        var divisions: String
        var people: String
        var newYear: String
    }

    func nav(_ agency: Agency, context: AppRequestContext) -> Nav {
        Nav(agencies: SiteURL.agencies.path, agency: agency.name.text(context.language), divisions: SiteURL.divisions(agency: agency.code).path,
            people: SiteURL.people(agency: agency.code).path, newYear: SiteURL.newYear(agency: agency.code).path)
    }

    // MARK: divisions

    struct DivisionRow {
        var id: String
        var code: String
        var nameTH: String
        var nameEN: String
        var active: Bool
        var action: String
    }

    struct DivisionsPage {
        var nav: Nav
        var rows: [DivisionRow]
        var action: String
        var code: String
        var nameTH: String
        var nameEN: String
        var errors: [String]
        var saved: Bool
    }

    func divisionsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await load(context)
        return try await renderDivisions(agency, code: "", nameTH: "", nameEN: "", errors: [], saved: request.uri.queryParameters.get("saved") != nil, context: context)
    }

    func renderDivisions(_ agency: Agency, code: String, nameTH: String, nameEN: String, errors: [String], saved: Bool, context: AppRequestContext) async throws -> Response {
        let rows = try await repositories.agencies.divisions(agencyID: agency.id, logger: context.logger).map {
            DivisionRow(id: $0.id, code: $0.code, nameTH: $0.name.th, nameEN: $0.name.en, active: $0.active, action: SiteURL.division(agency: agency.code, id: $0.id).path)
        }
        let model = DivisionsPage(nav: nav(agency, context: context), rows: rows, action: SiteURL.divisions(agency: agency.code).path,
                                  code: code, nameTH: nameTH, nameEN: nameEN, errors: errors, saved: saved)
        var response = try views.page("divisions", title: Strings.table["divisions"]!.text(context.language), model: model, context: context)
        if !errors.isEmpty { response.status = .unprocessableContent }
        return response
    }

    static func divisionProblems(code: String?, nameTH: String, language: Language) -> [String] {
        var out: [String] = []
        let th = language == .th
        if let code {
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
            if !(2...40).contains(code.count) || !code.allSatisfy(allowed.contains) {
                out.append(th ? "รหัสส่วนราชการยาว 2–40 ตัว ใช้ได้เฉพาะ a–z 0–9 และ - (เช่น palad, klang)" : "The code is 2–40 characters of a–z, 0–9 and - (e.g. palad)")
            }
        }
        if nameTH.isEmpty || nameTH.count > 200 { out.append(th ? "กรุณากรอกชื่อส่วนราชการ (ไม่เกิน 200 ตัวอักษร)" : "Enter the division's name (up to 200 characters)") }
        return out
    }

    func createDivision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await load(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let code = (form["code"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let nameTH = (form["name_th"] ?? "").trimmingCharacters(in: .whitespaces)
        let nameEN = (form["name_en"] ?? "").trimmingCharacters(in: .whitespaces)
        var errors = Self.divisionProblems(code: code, nameTH: nameTH, language: context.language)
        if errors.isEmpty {
            do {
                try await repositories.agencies.createDivision(
                    Division(agencyID: agency.id, code: code, name: LocalizedText(th: nameTH, en: nameEN.isEmpty ? nameTH : nameEN)), by: context.actor, logger: context.logger)
                return redirect(to: SiteURL.divisions(agency: agency.code).path + "?saved=1")
            } catch is DuplicateError {
                errors.append(context.language == .th ? "มีส่วนราชการรหัส \(code) อยู่แล้ว" : "A division with the code \(code) exists")
            }
        }
        return try await renderDivisions(agency, code: code, nameTH: nameTH, nameEN: nameEN, errors: errors, saved: false, context: context)
    }

    /// Rename, retire or bring back. A retired division keeps its items and history; it takes no new work.
    func changeDivision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await load(context)
        guard let id = context.parameters.get("division"),
            var division = try await repositories.agencies.divisions(agencyID: agency.id, logger: context.logger).first(where: { $0.id == id })
        else { throw AppError.notFound }
        var request = request
        let form = try await FormData.read(&request, context: context)
        switch form["action"] ?? "rename" {
        case "deactivate": division.active = false
        case "activate": division.active = true
        default:
            let nameTH = (form["name_th"] ?? "").trimmingCharacters(in: .whitespaces)
            let nameEN = (form["name_en"] ?? "").trimmingCharacters(in: .whitespaces)
            let errors = Self.divisionProblems(code: nil, nameTH: nameTH, language: context.language)
            guard errors.isEmpty else { return try await renderDivisions(agency, code: "", nameTH: "", nameEN: "", errors: errors, saved: false, context: context) }
            division.name = LocalizedText(th: nameTH, en: nameEN.isEmpty ? nameTH : nameEN)
        }
        try await repositories.agencies.updateDivision(division, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.divisions(agency: agency.code).path + "?saved=1")
    }

    // MARK: people

    struct PersonRow {
        var username: String
        var name: String
        var roles: String
        var active: Bool
        var action: String
        /// The signed-in person may deactivate this account or give it a new password.
        var manageable: Bool
    }

    struct PeoplePage {
        var nav: Nav
        var rows: [PersonRow]
        var form: AdminController.NewUserForm
        var created: AdminController.CreatedAccount?
        var error: String?
        var isAdmin: Bool
    }

    /// Roles this person may give in this agency: an administrator any agency role, an officer division staff only.
    func givable(_ context: AppRequestContext, agency: Agency) -> Set<Role> {
        Access.isSystemAdmin(context) ? [.officer, .division, .assessor, .viewer, .handler, .custodian] : [.division]
    }

    /// An officer manages only accounts whose every role is division staff of this agency.
    func canManage(_ grants: [RoleGrant], agency: Agency, context: AppRequestContext) -> Bool {
        if Access.isSystemAdmin(context) { return true }
        return !grants.isEmpty && grants.allSatisfy { $0.agencyID == agency.id && $0.role == .division }
    }

    func peoplePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await load(context)
        return try await renderPeople(agency, form: nil, created: nil, error: nil, context: context)
    }

    func renderPeople(_ agency: Agency, form: AdminController.NewUserForm?, created: AdminController.CreatedAccount?, error: String?,
                      context: AppRequestContext) async throws -> Response {
        let language = context.language
        let divisions = try await repositories.agencies.divisions(agencyID: agency.id, logger: context.logger)
        let divisionNames = Dictionary(divisions.map { ($0.id, $0.name.text(language)) }, uniquingKeysWith: { a, _ in a })
        let grants = Dictionary(grouping: try await repositories.users.allGrants(logger: context.logger), by: \.userID)
        var rows: [PersonRow] = []
        for user in try await repositories.users.all(logger: context.logger) {
            let own = (grants[user.id] ?? []).filter { $0.agencyID == agency.id }
            guard !own.isEmpty else { continue }
            rows.append(PersonRow(
                username: user.username, name: user.displayName,
                roles: own.map { $0.role.name.text(language) + ($0.divisionID.flatMap { divisionNames[$0] }.map { " (\($0))" } ?? "") }.joined(separator: ", "),
                active: user.active, action: SiteURL.person(agency: agency.code, id: user.id).path,
                manageable: canManage(grants[user.id] ?? [], agency: agency, context: context)))
        }
        var newForm = form ?? personForm(agency, divisions: divisions, context: context)
        newForm.action = SiteURL.people(agency: agency.code).path
        newForm.showAgency = false
        let model = PeoplePage(nav: nav(agency, context: context), rows: rows, form: newForm, created: created, error: error, isAdmin: Access.isSystemAdmin(context))
        var response = try views.page("people", title: Strings.table["people"]!.text(language), model: model, context: context)
        if !newForm.errors.isEmpty || error != nil { response.status = .unprocessableContent }
        return response
    }

    /// The new-person form: the roles this person may give, the agency's active divisions.
    func personForm(_ agency: Agency, divisions: [Division], username: String = "", displayName: String = "", role: Role? = nil, divisionID: String? = nil,
                    invite: Bool = false, errors: [String] = [], context: AppRequestContext) -> AdminController.NewUserForm {
        let language = context.language
        let chosen = role ?? .division
        return AdminController.NewUserForm(
            action: SiteURL.people(agency: agency.code).path, username: username, displayName: displayName, agencies: [],
            roles: Role.allCases.filter(givable(context, agency: agency).contains).map { AdminController.Choice(value: $0.rawValue, label: $0.name.text(language), selected: $0 == chosen) },
            divisions: divisions.filter(\.active).map { AdminController.Choice(value: $0.id, label: $0.name.text(language), selected: $0.id == divisionID) },
            errors: errors, invite: invite, showAgency: false)
    }

    func lookups(_ agency: Agency, context: AppRequestContext) async throws -> (agencies: [String: Agency], divisions: [String: Division]) {
        let divisions = try await repositories.agencies.divisions(agencyID: agency.id, logger: context.logger)
        return ([agency.id: agency], Dictionary(divisions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    func createPerson(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await load(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let role = Role(rawValue: form["role"] ?? "")
        let divisionID = (form["division"] ?? "").isEmpty ? nil : form["division"]
        let wanted = NewAccount(username: (form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
                                displayName: (form["display_name"] ?? "").trimmingCharacters(in: .whitespaces),
                                agencyID: agency.id, role: role, divisionID: divisionID, invite: form["method"] == "invite")
        let outcome = try await NewAccount.create(wanted, allowedRoles: givable(context, agency: agency), agencyScope: agency.id,
                                                  lookups: try await lookups(agency, context: context), repositories: repositories,
                                                  configuration: configuration, context: context)
        switch outcome {
        case .failure(let problems):
            let divisions = try await repositories.agencies.divisions(agencyID: agency.id, logger: context.logger)
            let newForm = personForm(agency, divisions: divisions, username: wanted.username, displayName: wanted.displayName, role: role, divisionID: divisionID,
                                     invite: wanted.invite, errors: problems.messages, context: context)
            return try await renderPeople(agency, form: newForm, created: nil, error: nil, context: context)
        case .success(let created):
            return try await renderPeople(agency, form: nil, created: created, error: nil, context: context)
        }
    }

    /// Deactivate, bring back, or issue a new temporary password or invitation link.
    func changePerson(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await load(context)
        guard let id = context.parameters.get("user"), let user = try await repositories.users.find(id: id, logger: context.logger) else { throw AppError.notFound }
        let grants = try await repositories.users.ownGrants(userID: user.id, logger: context.logger)
        // Someone with no role in this agency is not found here.
        guard grants.contains(where: { $0.agencyID == agency.id }) else { throw AppError.notFound }
        guard canManage(grants, agency: agency, context: context) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        do {
            switch form["action"] ?? "" {
            case "deactivate": try await repositories.users.setActive(userID: user.id, active: false, by: context.actor, logger: context.logger)
            case "activate": try await repositories.users.setActive(userID: user.id, active: true, by: context.actor, logger: context.logger)
            case "reset", "invite":
                let secret = try await NewAccount.issueSecret(for: user, invite: form["action"] == "invite", repositories: repositories,
                                                             configuration: configuration, context: context)
                return try await renderPeople(agency, form: nil, created: secret, error: nil, context: context)
            default: throw AppError.badInput(th: "ไม่รู้จักคำสั่งนี้", en: "Unknown action")
            }
        } catch is LastAdministratorError {
            return try await renderPeople(agency, form: nil, created: nil,
                                          error: context.language == .th ? "ระงับผู้ดูแลระบบคนสุดท้ายไม่ได้" : "The last administrator cannot be deactivated", context: context)
        }
        return redirect(to: SiteURL.people(agency: agency.code).path)
    }

    // MARK: a new fiscal year

    struct NewYearPage {
        var nav: Nav
        var action: String
        var year: String
        var frameworks: [AdminController.Choice]
        var hasFrameworks: Bool
        var previous: Int?
        var copyAssignments: Bool
        var copyResponsible: Bool
        var copyMeasures: Bool
        var openMeasures: Int
        var errors: [String]
        var existing: [AgencyController.YearLink]
        var frameworksURL: String
    }

    func newYearPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await load(context)
        return try await renderNewYear(agency, year: nil, frameworkID: nil, copy: ["assignments", "responsible", "measures"], errors: [], context: context)
    }

    func renderNewYear(_ agency: Agency, year: String?, frameworkID: String?, copy: Set<String>, errors: [String], context: AppRequestContext) async throws -> Response {
        let existing = try await repositories.assessments.all(agencyID: agency.id, logger: context.logger).sorted { $0.fiscalYear < $1.fiscalYear }
        let previous = existing.last
        let suggested = previous.map { $0.fiscalYear + 1 } ?? FiscalYear(containing: configuration.today).buddhistYear
        let entries = try await catalog.entries(logger: context.logger)
        let chosen = frameworkID ?? entries.first { $0.fiscalYear == suggested }?.id ?? entries.first?.id
        var openMeasures = 0
        if let previous {
            openMeasures = try await repositories.improvement.measures(assessmentID: previous.id, logger: context.logger)
                .filter { $0.status == .planned || $0.status == .inProgress }.count
        }
        let model = NewYearPage(
            nav: nav(agency, context: context), action: SiteURL.newYear(agency: agency.code).path, year: year ?? String(suggested),
            frameworks: entries.map { AdminController.Choice(value: $0.id, label: "\($0.title.text(context.language)) (\($0.id))", selected: $0.id == chosen) },
            hasFrameworks: !entries.isEmpty, previous: previous?.fiscalYear,
            copyAssignments: copy.contains("assignments"), copyResponsible: copy.contains("responsible"), copyMeasures: copy.contains("measures"),
            openMeasures: openMeasures, errors: errors,
            existing: existing.map { AgencyController.YearLink(year: $0.fiscalYear, url: SiteURL.dashboard(agency: agency.code, year: $0.fiscalYear).path) },
            frameworksURL: SiteURL.adminFrameworks.path)
        var response = try views.page("new-year", title: Strings.table["newYear"]!.text(context.language), model: model, context: context)
        if !errors.isEmpty { response.status = .unprocessableContent }
        return response
    }

    /// Creates the year's assessment with the chosen framework and copies forward what was chosen from the
    /// latest earlier year: item assignments and responsible divisions for items the new framework still
    /// has, and measures still planned or in progress.
    func startYear(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await load(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let th = context.language == .th
        let yearText = ThaiFormat.arabicDigits((form["year"] ?? "").trimmingCharacters(in: .whitespaces))
        let frameworkID = form["framework"] ?? ""
        let copy = Set(form.all("copy"))
        var errors: [String] = []
        let year = Int(yearText)
        if year == nil || !(2560...2700).contains(year ?? 0) { errors.append(th ? "ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2569" : "The fiscal year is a Buddhist-era year, e.g. 2569") }
        let framework = try await catalog.find(frameworkID)
        if framework == nil { errors.append(th ? "กรุณาเลือกกรอบการประเมิน" : "Choose a framework") }
        if let year, try await repositories.assessments.find(agencyID: agency.id, fiscalYear: year, logger: context.logger) != nil {
            errors.append(th ? "เริ่มปีงบประมาณ \(year) ไปแล้ว เปิดจากรายการปีด้านล่างได้เลย" : "Fiscal year \(year) is already started; open it from the list below")
        }
        guard errors.isEmpty, let year, let framework else {
            return try await renderNewYear(agency, year: yearText, frameworkID: frameworkID, copy: copy, errors: errors, context: context)
        }
        let assessment = Assessment(agencyID: agency.id, frameworkID: framework.id, fiscalYear: year)
        do {
            try await repositories.assessments.create(assessment, by: context.actor, logger: context.logger)
        } catch {
            // Two officers pressed at once: the second finds the year started.
            if try await repositories.assessments.find(agencyID: agency.id, fiscalYear: year, logger: context.logger) != nil {
                return try await renderNewYear(agency, year: yearText, frameworkID: frameworkID, copy: copy,
                                               errors: [th ? "เริ่มปีงบประมาณ \(year) ไปแล้ว" : "Fiscal year \(year) is already started"], context: context)
            }
            throw error
        }
        let earlier = try await repositories.assessments.all(agencyID: agency.id, logger: context.logger).filter { $0.fiscalYear < year }.max { $0.fiscalYear < $1.fiscalYear }
        if let earlier {
            let items = Set(framework.checklistTools.flatMap { $0.checklist.items.map(\.id) })
            let active = Set(try await repositories.agencies.divisions(agencyID: agency.id, logger: context.logger).filter(\.active).map(\.id))
            if copy.contains("responsible") {
                for item in try await repositories.assessments.items(assessmentID: earlier.id, logger: context.logger) where items.contains(item.itemID) {
                    let divisions = item.divisionIDs.filter(active.contains)
                    guard !divisions.isEmpty else { continue }
                    try await repositories.assessments.setItem(assessment, OITItemResult(itemID: item.itemID, passed: nil, divisionIDs: divisions),
                                                               by: context.actor, logger: context.logger)
                }
            }
            if copy.contains("assignments") {
                for assignment in try await repositories.evidence.assignments(assessmentID: earlier.id, logger: context.logger)
                where items.contains(assignment.itemID) && (assignment.divisionID.map(active.contains) ?? true) {
                    try await repositories.evidence.assign(ItemAssignment(itemID: assignment.itemID, divisionID: assignment.divisionID, assigneeID: assignment.assigneeID, dueOn: nil),
                                                          assessment: assessment, by: context.actor, logger: context.logger)
                }
            }
            if copy.contains("measures") {
                let fiscal = FiscalYear(year)
                for measure in try await repositories.improvement.measures(assessmentID: earlier.id, logger: context.logger)
                where measure.status == .planned || measure.status == .inProgress {
                    var next = measure
                    next.id = UUID().uuidString.lowercased()
                    next.assessmentID = assessment.id
                    next.start = fiscal.start
                    next.end = fiscal.end
                    next.items = measure.items.filter(items.contains)
                    try await repositories.improvement.saveMeasure(assessment, next, by: context.actor, logger: context.logger)
                }
            }
        }
        return redirect(to: SiteURL.dashboard(agency: agency.code, year: year).path)
    }
}
