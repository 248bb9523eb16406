import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// System administration: agencies (one by one or from a CSV sheet) and every user account.
/// Only system administrators; everyone else gets 404, so the pages' existence is not revealed.
struct AdminController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.admin.path), use: hub)
        router.get(RouterPath(SiteURL.adminAgencies.path), use: agencies)
        router.post(RouterPath(SiteURL.adminAgencies.path), use: createAgency)
        router.get(RouterPath(SiteURL.Pattern.adminAgency), use: agencyPage)
        router.post(RouterPath(SiteURL.Pattern.adminAgency), use: saveAgency)
        router.get(RouterPath(SiteURL.adminAgenciesImport.path), use: importPage)
        router.post(RouterPath(SiteURL.adminAgenciesImport.path), use: importAgencies)
        router.get(RouterPath(SiteURL.adminUsers.path), use: users)
        router.post(RouterPath(SiteURL.adminUsers.path), use: createUser)
        router.get(RouterPath(SiteURL.Pattern.adminUser), use: userPage)
        router.post(RouterPath(SiteURL.Pattern.adminUser), use: changeUser)
    }

    func requireAdmin(_ context: AppRequestContext) throws {
        guard Access.isSystemAdmin(context) else { throw AppError.notFound }
    }

    struct Hub {
        var agencies: String
        var users: String
        var frameworks: String
        var rounds: String = SiteURL.adminRounds.path
        var agencyCount: Int
        var userCount: Int
    }

    func hub(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        let model = Hub(agencies: SiteURL.adminAgencies.path, users: SiteURL.adminUsers.path, frameworks: SiteURL.adminFrameworks.path,
                        agencyCount: try await repositories.agencies.all(logger: context.logger).count,
                        userCount: try await repositories.users.all(logger: context.logger).count)
        return try views.page("admin", title: Strings.table["administration"]!.text(context.language), model: model, context: context)
    }

    // MARK: agencies

    struct Field {
        var name: String
        var label: String
        var value: String
        var error: String?
        var required: Bool
        var readonly: Bool = false
    }

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct AgencyForm {
        var fields: [Field]
        var types: [Choice]
        var typeError: String?
        var action: String
        var editing: Bool
    }

    static func agencyForm(_ input: AgencyInput, problems: [String: LocalizedText], action: String, editing: Bool, language: Language) -> AgencyForm {
        let th = language == .th
        func field(_ name: String, _ label: String, _ value: String, required: Bool = false) -> Field {
            Field(name: name, label: label, value: value, error: problems[name]?.text(language), required: required, readonly: editing && name == "code")
        }
        return AgencyForm(
            fields: [
                field("code", th ? "รหัสหน่วยงาน (ใช้ในลิงก์ เช่น banpong)" : "Code (used in links, e.g. banpong)", input.code, required: true),
                field("name_th", th ? "ชื่อหน่วยงาน (ไทย)" : "Name (Thai)", input.nameTH, required: true),
                field("name_en", th ? "ชื่อหน่วยงาน (อังกฤษ)" : "Name (English)", input.nameEN),
                field("short_th", th ? "ชื่อย่อ (ไทย)" : "Short name (Thai)", input.shortTH),
                field("province", th ? "จังหวัด" : "Province", input.province, required: true),
                field("district", th ? "อำเภอ/เขต" : "District", input.district),
                field("ministry", th ? "กระทรวง/หน่วยงานต้นสังกัด" : "Ministry or parent body", input.ministry),
                field("website", th ? "เว็บไซต์หลัก" : "Main website", input.website),
            ],
            types: AgencyInput.types.map { Choice(value: $0, label: $0, selected: $0 == input.type) },
            typeError: problems["type"]?.text(language), action: action, editing: editing)
    }

    static func agencyInput(_ form: FormData) -> AgencyInput {
        AgencyInput(code: form["code"] ?? "", nameTH: form["name_th"] ?? "", nameEN: form["name_en"] ?? "", shortTH: form["short_th"] ?? "",
                    type: form["type"] ?? "", province: form["province"] ?? "", district: form["district"] ?? "", website: form["website"] ?? "", ministry: form["ministry"] ?? "")
    }

    struct AgencyRow {
        var code: String
        var name: String
        var type: String
        var province: String
        var edit: String
        var divisions: String
        var people: String
    }

    struct AgenciesPage {
        var rows: [AgencyRow]
        var form: AgencyForm
        var importURL: String
        var created: String?
        var hasErrors: Bool
    }

    func agencies(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        return try await renderAgencies(AgencyInput(type: "อบต."), problems: [:], created: request.uri.queryParameters.get("created"), context: context)
    }

    func renderAgencies(_ input: AgencyInput, problems: [String: LocalizedText], created: String?, context: AppRequestContext) async throws -> Response {
        let rows = try await repositories.agencies.all(logger: context.logger).map { agency in
            AgencyRow(code: agency.code, name: agency.name.text(context.language), type: agency.type, province: agency.province,
                      edit: SiteURL.adminAgency(code: agency.code).path, divisions: SiteURL.divisions(agency: agency.code).path,
                      people: SiteURL.people(agency: agency.code).path)
        }
        let model = AgenciesPage(rows: rows, form: Self.agencyForm(input, problems: problems, action: SiteURL.adminAgencies.path, editing: false, language: context.language),
                                 importURL: SiteURL.adminAgenciesImport.path, created: created, hasErrors: !problems.isEmpty)
        var response = try views.page("admin-agencies", title: Strings.table["agencies"]!.text(context.language), model: model, context: context)
        if !problems.isEmpty { response.status = .unprocessableContent }
        return response
    }

    func createAgency(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        var request = request
        let input = Self.agencyInput(try await FormData.read(&request, context: context))
        var problems = input.problems()
        if problems.isEmpty {
            do {
                try await repositories.agencies.create(input.agency(), by: context.actor, logger: context.logger)
                return redirect(to: SiteURL.adminAgencies.path + "?created=" + input.code)
            } catch is DuplicateError {
                problems["code"] = LocalizedText(th: "มีหน่วยงานรหัส \(input.code) อยู่แล้ว", en: "An agency with the code \(input.code) exists")
            }
        }
        return try await renderAgencies(input, problems: problems, created: nil, context: context)
    }

    struct AgencyPage {
        var name: String
        var form: AgencyForm
        var saved: Bool
        var back: String
    }

    func loadAgency(_ context: AppRequestContext) async throws -> Agency {
        guard let code = context.parameters.get("code"), let agency = try await repositories.agencies.find(code: code, logger: context.logger) else {
            throw AppError.notFound
        }
        return agency
    }

    func agencyPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        let agency = try await loadAgency(context)
        return try renderAgency(agency, input: AgencyInput(agency), problems: [:], saved: request.uri.queryParameters.get("saved") != nil, context: context)
    }

    func renderAgency(_ agency: Agency, input: AgencyInput, problems: [String: LocalizedText], saved: Bool, context: AppRequestContext) throws -> Response {
        let model = AgencyPage(name: agency.name.text(context.language),
                               form: Self.agencyForm(input, problems: problems, action: SiteURL.adminAgency(code: agency.code).path, editing: true, language: context.language),
                               saved: saved, back: SiteURL.adminAgencies.path)
        var response = try views.page("admin-agency", title: agency.name.text(context.language), model: model, context: context)
        if !problems.isEmpty { response.status = .unprocessableContent }
        return response
    }

    func saveAgency(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        let agency = try await loadAgency(context)
        var request = request
        var input = Self.agencyInput(try await FormData.read(&request, context: context))
        input.code = agency.code
        input.shortEN = agency.shortName.en
        let problems = input.problems()
        guard problems.isEmpty else { return try renderAgency(agency, input: input, problems: problems, saved: false, context: context) }
        try await repositories.agencies.update(input.agency(id: agency.id), by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.adminAgency(code: agency.code).path + "?saved=1")
    }

    // MARK: agencies from a sheet

    struct ImportRow {
        var line: Int
        var code: String
        var name: String
        var type: String
        var province: String
        var problems: [String]
        var ok: Bool
    }

    struct ImportPage {
        var action: String
        var csv: String
        var rows: [ImportRow]
        var hasRows: Bool
        var canConfirm: Bool
        var errorCount: Int
        var error: String?
        var columns: String
        var done: Int?
    }

    func importPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        let done = request.uri.queryParameters.get("done").flatMap { Int($0) }
        return try renderImport(csv: "", rows: [], error: nil, done: done, context: context)
    }

    func renderImport(csv: String, rows: [ImportRow], error: String?, done: Int?, context: AppRequestContext) throws -> Response {
        let bad = rows.filter { !$0.ok }.count
        let model = ImportPage(action: SiteURL.adminAgenciesImport.path, csv: csv, rows: rows, hasRows: !rows.isEmpty, canConfirm: !rows.isEmpty && bad == 0 && error == nil,
                               errorCount: bad, error: error, columns: AgencyInput.columns.joined(separator: ","), done: done)
        var response = try views.page("admin-import", title: context.language == .th ? "นำเข้าหน่วยงานจากไฟล์ CSV" : "Import agencies from CSV", model: model, context: context)
        if bad > 0 || error != nil { response.status = .unprocessableContent }
        return response
    }

    /// Reads the sheet, checks every row (fields, duplicate codes in the sheet and in the database) and
    /// shows a preview; with `confirm` and no problem, creates every agency in one transaction.
    func importAgencies(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        var request = request
        var text: String
        var confirm = false
        if (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data") {
            let form = try await MultipartForm.read(&request, context: context, limit: 2_097_152)
            text = form["file"]?.text ?? ""
            if text.isEmpty { text = form["csv"]?.text ?? "" }
        } else {
            let form = try await FormData.read(&request, context: context)
            text = form["csv"] ?? ""
            confirm = form["confirm"] == "1"
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let th = context.language == .th
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try renderImport(csv: "", rows: [], error: th ? "ยังไม่ได้เลือกไฟล์หรือวางข้อมูล" : "Choose a file or paste the sheet", done: nil, context: context)
        }
        let table: [[String]]
        do { table = try CSV.parse(text) } catch {
            return try renderImport(csv: text, rows: [], error: (th ? "อ่านไฟล์ CSV ไม่ได้: " : "Cannot read the CSV: ") + "\(error)", done: nil, context: context)
        }
        var body = table.filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        var firstLine = 1
        if let header = body.first, header.first?.lowercased().trimmingCharacters(in: .whitespaces) == "code" {
            body.removeFirst()
            firstLine = 2
        }
        guard body.count <= 10_000 else {
            return try renderImport(csv: "", rows: [], error: th ? "ไฟล์มีเกิน 10,000 แถว" : "More than 10,000 rows", done: nil, context: context)
        }
        let existing = Set(try await repositories.agencies.all(logger: context.logger).map(\.code))
        var seen: [String: Int] = [:]
        var rows: [ImportRow] = []
        var inputs: [AgencyInput] = []
        for (index, cells) in body.enumerated() {
            let line = index + firstLine
            let input = AgencyInput(row: cells)
            var problems = input.problems().sorted { $0.key < $1.key }.map { $0.value.text(context.language) }
            if existing.contains(input.code) { problems.append(th ? "มีหน่วยงานรหัส \(input.code) อยู่แล้ว" : "An agency with the code \(input.code) exists") }
            if let first = seen[input.code] { problems.append(th ? "รหัสซ้ำกับแถวที่ \(first)" : "The same code as row \(first)") } else { seen[input.code] = line }
            rows.append(ImportRow(line: line, code: input.code, name: input.nameTH, type: input.type, province: input.province, problems: problems, ok: problems.isEmpty))
            inputs.append(input)
        }
        guard confirm, rows.allSatisfy(\.ok), !rows.isEmpty else { return try renderImport(csv: text, rows: rows, error: nil, done: nil, context: context) }
        do {
            try await repositories.agencies.createAll(inputs.map { $0.agency() }, by: context.actor, logger: context.logger)
        } catch let duplicate as DuplicateError {
            // Another administrator created one of the codes between preview and confirm: nothing was created.
            return try renderImport(csv: text, rows: rows, error: th ? "มีหน่วยงานรหัส \(duplicate.value) อยู่แล้ว ไม่ได้นำเข้าแถวใดเลย" : "The code \(duplicate.value) exists; nothing was imported",
                                    done: nil, context: context)
        }
        return redirect(to: SiteURL.adminAgenciesImport.path + "?done=\(inputs.count)")
    }

    // MARK: users

    struct UserRow {
        var username: String
        var name: String
        var roles: String
        var active: Bool
        var url: String
    }

    struct UsersPage {
        var rows: [UserRow]
        var form: NewUserForm
        var created: CreatedAccount?
    }

    /// The account just made, with its one-time secret (a temporary password or an invitation link).
    struct CreatedAccount {
        var username: String
        var password: String?
        var link: String?
    }

    struct NewUserForm {
        var action: String
        var username: String
        var displayName: String
        var agencies: [Choice]
        var roles: [Choice]
        var divisions: [Choice]
        var errors: [String]
        var invite: Bool
        var showAgency: Bool = true
    }

    func grantLabel(_ grant: RoleGrant, agencies: [String: Agency], divisions: [String: Division], language: Language) -> String {
        var text = grant.role.name.text(language)
        if let id = grant.agencyID, let agency = agencies[id] { text += " · " + agency.shortName.text(language) }
        if grant.agencyID == nil { text += language == .th ? " · ทั้งระบบ" : " · system-wide" }
        if let id = grant.divisionID, let division = divisions[id] { text += " (" + division.name.text(language) + ")" }
        return text
    }

    func lookups(_ context: AppRequestContext) async throws -> (agencies: [String: Agency], divisions: [String: Division]) {
        let agencies = try await repositories.agencies.all(logger: context.logger)
        var divisions: [String: Division] = [:]
        for agency in agencies { for d in try await repositories.agencies.divisions(agencyID: agency.id, logger: context.logger) { divisions[d.id] = d } }
        return (Dictionary(agencies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }), divisions)
    }

    func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        return try await renderUsers(form: nil, created: nil, context: context)
    }

    func newUserForm(username: String = "", displayName: String = "", agencyID: String? = nil, role: Role? = nil, divisionID: String? = nil,
                     invite: Bool = false, errors: [String] = [], lookups: (agencies: [String: Agency], divisions: [String: Division]),
                     context: AppRequestContext) -> NewUserForm {
        let language = context.language
        let agencyChoices = [Choice(value: "", label: language == .th ? "— ทั้งระบบ (ผู้ดูแลระบบ) —" : "— system-wide (administrator) —", selected: agencyID == nil)]
            + lookups.agencies.values.sorted { $0.name.th < $1.name.th }.map { Choice(value: $0.id, label: $0.name.text(language), selected: $0.id == agencyID) }
        let divisionChoices = [Choice(value: "", label: "—", selected: divisionID == nil)]
            + lookups.divisions.values.filter(\.active).sorted { ($0.agencyID, $0.code) < ($1.agencyID, $1.code) }.map { d in
                Choice(value: d.id, label: (lookups.agencies[d.agencyID]?.shortName.text(language) ?? "") + " · " + d.name.text(language), selected: d.id == divisionID)
            }
        return NewUserForm(action: SiteURL.adminUsers.path, username: username, displayName: displayName, agencies: agencyChoices,
                           roles: Role.allCases.map { Choice(value: $0.rawValue, label: $0.name.text(language), selected: $0 == (role ?? .officer)) },
                           divisions: divisionChoices, errors: errors, invite: invite)
    }

    func renderUsers(form: NewUserForm?, created: CreatedAccount?, context: AppRequestContext) async throws -> Response {
        let lookups = try await lookups(context)
        let grants = Dictionary(grouping: try await repositories.users.allGrants(logger: context.logger), by: \.userID)
        let rows = try await repositories.users.all(logger: context.logger).map { user in
            UserRow(username: user.username, name: user.displayName,
                    roles: (grants[user.id] ?? []).map { grantLabel($0, agencies: lookups.agencies, divisions: lookups.divisions, language: context.language) }.joined(separator: ", "),
                    active: user.active, url: SiteURL.adminUser(id: user.id).path)
        }
        let model = UsersPage(rows: rows, form: form ?? newUserForm(lookups: lookups, context: context), created: created)
        var response = try views.page("admin-users", title: Strings.table["people"]!.text(context.language), model: model, context: context)
        if !(form?.errors.isEmpty ?? true) { response.status = .unprocessableContent }
        if created != nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    func createUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let lookups = try await lookups(context)
        let agencyID = (form["agency"] ?? "").isEmpty ? nil : form["agency"]
        let divisionID = (form["division"] ?? "").isEmpty ? nil : form["division"]
        let role = Role(rawValue: form["role"] ?? "")
        let wanted = NewAccount(username: (form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
                                 displayName: (form["display_name"] ?? "").trimmingCharacters(in: .whitespaces),
                                 agencyID: agencyID, role: role, divisionID: divisionID, invite: form["method"] == "invite")
        let outcome = try await NewAccount.create(wanted, allowedRoles: Set(Role.allCases), agencyScope: nil, lookups: lookups,
                                                  repositories: repositories, configuration: configuration, context: context)
        switch outcome {
        case .failure(let problems):
            return try await renderUsers(form: newUserForm(username: wanted.username, displayName: wanted.displayName, agencyID: agencyID, role: role,
                                                           divisionID: divisionID, invite: wanted.invite, errors: problems.messages, lookups: lookups, context: context),
                                         created: nil, context: context)
        case .success(let created):
            return try await renderUsers(form: nil, created: created, context: context)
        }
    }

    struct UserPage {
        var username: String
        var name: String
        var active: Bool
        var grants: [GrantRow]
        var action: String
        var addForm: NewUserForm
        var error: String?
        var secret: CreatedAccount?
        var back: String
        var saved: Bool
        var twoFactorOn: Bool
    }

    struct GrantRow {
        var label: String
        var key: String
    }

    func loadUser(_ context: AppRequestContext) async throws -> User {
        guard let id = context.parameters.get("user"), let user = try await repositories.users.find(id: id, logger: context.logger) else {
            throw AppError.notFound
        }
        return user
    }

    func userPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        let user = try await loadUser(context)
        return try await renderUser(user, error: nil, secret: nil, saved: request.uri.queryParameters.get("saved") != nil, context: context)
    }

    static func grantKey(_ grant: RoleGrant) -> String { [grant.agencyID ?? "-", grant.role.rawValue, grant.divisionID ?? "-"].joined(separator: "|") }

    func renderUser(_ user: User, error: String?, secret: CreatedAccount?, saved: Bool, context: AppRequestContext) async throws -> Response {
        let lookups = try await lookups(context)
        let grants = try await repositories.users.ownGrants(userID: user.id, logger: context.logger)
        var form = newUserForm(lookups: lookups, context: context)
        form.action = SiteURL.adminUser(id: user.id).path
        let model = UserPage(
            username: user.username, name: user.displayName, active: user.active,
            grants: grants.map { GrantRow(label: grantLabel($0, agencies: lookups.agencies, divisions: lookups.divisions, language: context.language), key: Self.grantKey($0)) },
            action: SiteURL.adminUser(id: user.id).path, addForm: form, error: error, secret: secret, back: SiteURL.adminUsers.path, saved: saved,
            twoFactorOn: user.twoFactorEnabled)
        var response = try views.page("admin-user", title: user.displayName, model: model, context: context)
        if error != nil { response.status = .unprocessableContent }
        return response
    }

    /// One form per action: add-role, remove-role, deactivate, activate, reset (temporary password), invite.
    func changeUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        let user = try await loadUser(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let th = context.language == .th
        let lastAdmin = th ? "ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน จึงถอดสิทธิ์หรือระงับผู้ดูแลระบบคนสุดท้ายไม่ได้"
            : "There must be at least one active administrator: the last one cannot be removed or demoted"
        do {
            switch form["action"] ?? "" {
            case "add-role":
                guard let role = Role(rawValue: form["role"] ?? "") else { return try await renderUser(user, error: th ? "กรุณาเลือกบทบาท" : "Choose a role", secret: nil, saved: false, context: context) }
                let agencyID = (form["agency"] ?? "").isEmpty ? nil : form["agency"]
                let divisionID = (form["division"] ?? "").isEmpty ? nil : form["division"]
                let lookups = try await lookups(context)
                if let problem = NewAccount.grantProblem(role: role, agencyID: agencyID, divisionID: divisionID, lookups: lookups) {
                    return try await renderUser(user, error: problem.text(context.language), secret: nil, saved: false, context: context)
                }
                let current = try await repositories.users.ownGrants(userID: user.id, logger: context.logger).filter { $0.agencyID == agencyID }
                let grant = RoleGrant(userID: user.id, agencyID: agencyID, role: role, divisionID: role == .division ? divisionID : nil)
                try await repositories.users.replaceGrants(userID: user.id, scope: [agencyID], with: current.filter { Self.grantKey($0) != Self.grantKey(grant) } + [grant],
                                                           by: context.actor, logger: context.logger)
            case "remove-role":
                let key = form["grant"] ?? ""
                let all = try await repositories.users.ownGrants(userID: user.id, logger: context.logger)
                guard let grant = all.first(where: { Self.grantKey($0) == key }) else { throw AppError.notFound }
                try await repositories.users.replaceGrants(userID: user.id, scope: [grant.agencyID],
                                                           with: all.filter { $0.agencyID == grant.agencyID && Self.grantKey($0) != key },
                                                           by: context.actor, logger: context.logger)
            case "deactivate":
                try await repositories.users.setActive(userID: user.id, active: false, by: context.actor, logger: context.logger)
            case "activate":
                try await repositories.users.setActive(userID: user.id, active: true, by: context.actor, logger: context.logger)
            case "reset-two-factor":
                // A lost phone: the person enrols again at their next sign-in (the audit log names who reset it).
                try await repositories.users.disableTwoFactor(userID: user.id, by: context.actor, logger: context.logger)
            case "reset", "invite":
                let secret = try await NewAccount.issueSecret(for: user, invite: form["action"] == "invite", repositories: repositories,
                                                             configuration: configuration, context: context)
                let fresh = try await repositories.users.find(id: user.id, logger: context.logger) ?? user
                return try await renderUser(fresh, error: nil, secret: secret, saved: false, context: context)
            default:
                throw AppError.badInput(th: "ไม่รู้จักคำสั่งนี้", en: "Unknown action")
            }
        } catch is LastAdministratorError {
            return try await renderUser(user, error: lastAdmin, secret: nil, saved: false, context: context)
        }
        return redirect(to: SiteURL.adminUser(id: user.id).path + "?saved=1")
    }
}

/// Creating an account, for the administrator's page and an officer's people page alike.
struct NewAccount {
    var username: String
    var displayName: String
    var agencyID: String?
    var role: Role?
    var divisionID: String?
    /// An invitation link instead of a temporary password.
    var invite: Bool

    struct Problems: Error {
        var messages: [String]
    }

    /// Why a grant cannot be given: an administrator is system-wide, every other role belongs to an
    /// agency, and division staff to one of its active divisions.
    static func grantProblem(role: Role, agencyID: String?, divisionID: String?,
                             lookups: (agencies: [String: Agency], divisions: [String: Division])) -> LocalizedText? {
        if role == .admin, agencyID != nil {
            return LocalizedText(th: "ผู้ดูแลระบบเป็นสิทธิ์ทั้งระบบ ไม่ต้องเลือกหน่วยงาน", en: "An administrator is system-wide: choose no agency")
        }
        if role != .admin {
            guard let agencyID, lookups.agencies[agencyID] != nil else {
                return LocalizedText(th: "กรุณาเลือกหน่วยงานของบทบาทนี้", en: "Choose the agency for this role")
            }
            if role == .division {
                guard let divisionID, let division = lookups.divisions[divisionID], division.agencyID == agencyID, division.active else {
                    return LocalizedText(th: "เจ้าหน้าที่ส่วนราชการต้องเลือกส่วนราชการของหน่วยงานนั้น", en: "Division staff need one of the agency's active divisions")
                }
            }
        }
        return nil
    }

    /// Checks and creates the account; returns its one-time secret to show.
    static func create(_ request: NewAccount, allowedRoles: Set<Role>, agencyScope: String?,
                       lookups: (agencies: [String: Agency], divisions: [String: Division]),
                       repositories: Repositories, configuration: AppConfiguration, context: AppRequestContext) async throws -> Result<AdminController.CreatedAccount, Problems> {
        var problems: [String] = []
        let language = context.language
        if let problem = Accounts.usernameProblem(request.username) { problems.append(problem.text(language)) }
        if request.displayName.isEmpty || request.displayName.count > 200 {
            problems.append(language == .th ? "กรุณากรอกชื่อ-นามสกุล (ไม่เกิน 200 ตัวอักษร)" : "Enter the full name (up to 200 characters)")
        }
        guard let role = request.role, allowedRoles.contains(role) else {
            problems.append(language == .th ? "ท่านให้บทบาทนี้ไม่ได้" : "You cannot give this role")
            return .failure(Problems(messages: problems))
        }
        if let agencyScope, request.agencyID != agencyScope {
            problems.append(language == .th ? "สร้างผู้ใช้ได้เฉพาะในหน่วยงานของท่าน" : "You can create users only in your own agency")
        }
        if let problem = grantProblem(role: role, agencyID: request.agencyID, divisionID: request.divisionID, lookups: lookups) {
            problems.append(problem.text(language))
        }
        if problems.isEmpty, try await repositories.users.find(username: request.username, logger: context.logger) != nil {
            problems.append(language == .th ? "มีชื่อผู้ใช้ \(request.username) อยู่แล้ว" : "The username \(request.username) is taken")
        }
        guard problems.isEmpty else { return .failure(Problems(messages: problems)) }
        let temporary = PasswordPolicy.generate()
        // An invited user has an unusable random password until the link sets one.
        let user = User(username: request.username, displayName: request.displayName,
                        passwordHash: try await Accounts.hash(request.invite ? PasswordPolicy.generate() + PasswordPolicy.generate() : temporary),
                        mustChangePassword: !request.invite)
        let grant = RoleGrant(userID: user.id, agencyID: role == .admin ? nil : request.agencyID, role: role, divisionID: role == .division ? request.divisionID : nil)
        do {
            try await repositories.users.create(user, grants: [grant], by: context.actor, logger: context.logger)
        } catch is DuplicateError {
            return .failure(Problems(messages: [language == .th ? "มีชื่อผู้ใช้ \(request.username) อยู่แล้ว" : "The username \(request.username) is taken"]))
        }
        if request.invite {
            return .success(try await issueSecret(for: user, invite: true, repositories: repositories, configuration: configuration, context: context))
        }
        return .success(AdminController.CreatedAccount(username: user.username, password: temporary, link: nil))
    }

    /// A new temporary password (the user must change it at sign-in; every session ends) or a new
    /// invitation link valid 72 hours.
    static func issueSecret(for user: User, invite: Bool, repositories: Repositories, configuration: AppConfiguration,
                            context: AppRequestContext) async throws -> AdminController.CreatedAccount {
        if invite {
            let token = SessionMiddleware.randomToken()
            try await repositories.users.createInvitation(userID: user.id, tokenHash: SessionMiddleware.hash(token),
                                                          expiresAt: configuration.clock().addingTimeInterval(AccountController.invitationLifetime),
                                                          by: context.actor, logger: context.logger)
            let base = configuration.publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
            return AdminController.CreatedAccount(username: user.username, password: nil, link: base + SiteURL.invitation(token: token).path)
        }
        let temporary = PasswordPolicy.generate()
        try await repositories.users.setPassword(userID: user.id, passwordHash: try await Accounts.hash(temporary), mustChange: true, keeping: nil,
                                                 by: context.actor, logger: context.logger)
        return AdminController.CreatedAccount(username: user.username, password: temporary, link: nil)
    }
}
