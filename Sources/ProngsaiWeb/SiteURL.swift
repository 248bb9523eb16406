import ProngsaiCore

/// Every URL of the site, built in one place: routes register `pattern`s, pages link with `path`.
public enum SiteURL: Sendable, Hashable {
    case home
    case login
    /// The second step of sign-in: the authenticator's code.
    case loginCode
    case logout
    case language(Language)
    case agencies
    case dashboard(agency: String, year: Int)
    case items(agency: String, year: Int)
    case item(agency: String, year: Int, item: String)
    case results(agency: String, year: Int)
    case whatIf(agency: String, year: Int)
    case history(agency: String, year: Int)
    case surveys(agency: String, year: Int)
    case surveyWindow(agency: String, year: Int, part: String)
    case surveyCodes(agency: String, year: Int, part: String)
    case surveyCodesCSV(agency: String, year: Int, part: String)
    case surveySlips(agency: String, year: Int, part: String)
    case surveyPoster(agency: String, year: Int, part: String)
    case surveyQR(agency: String, year: Int, part: String, format: String)
    case surveyEntry(agency: String, year: Int, part: String)
    case surveyImport(agency: String, year: Int, part: String)
    case responsesCSV(agency: String, year: Int)
    case scoreInput(agency: String, year: Int)
    case surveyStatus(agency: String, year: Int)
    case script(String)
    case itemPage(agency: String, year: Int, item: String)
    case itemEvidence(agency: String, year: Int, item: String)
    case itemAssign(agency: String, year: Int, item: String)
    case itemWorkflow(agency: String, year: Int, item: String)
    case itemWithdraw(agency: String, year: Int, item: String)
    case sendApproved(agency: String, year: Int)
    case itemsExport(agency: String, year: Int, format: String)
    case resultsImport(agency: String, year: Int)
    case resultsImportConfirm(agency: String, year: Int)
    case publishedItem(agency: String, year: Int)
    case evidenceFile(agency: String, year: Int, sha256: String)
    case myItems(agency: String, year: Int)
    case transparency(agency: String, year: Int)
    case transparencyJSON(agency: String, year: Int)
    case publicFile(agency: String, year: Int, sha256: String)
    case analysis(agency: String, year: Int)
    case analysisDraft(agency: String, year: Int)
    case analysisLastYear(agency: String, year: Int)
    case measures(agency: String, year: Int)
    case measure(agency: String, year: Int, id: String)
    case measureProgress(agency: String, year: Int, id: String)
    case documents(agency: String, year: Int)
    case documentsMemo(agency: String, year: Int)
    case documentsJob(agency: String, year: Int, job: String)
    case documentFile(agency: String, year: Int, job: String, name: String)
    case printView(agency: String, year: Int)
    case stylesheet
    case health
    /// The public survey form.
    case survey(code: String)
    case surveyThanks(code: String)
    case account
    case accountPassword
    case accountSessions
    case accountTwoFactor
    case invitation(token: String)
    case admin
    case adminAgencies
    case adminAgency(code: String)
    case adminAgenciesImport
    case adminUsers
    case adminUser(id: String)
    case adminFrameworks
    case adminFrameworkTemplate
    case divisions(agency: String)
    case division(agency: String, id: String)
    case people(agency: String)
    case person(agency: String, id: String)
    case newYear(agency: String)

    static let surveyPrefix = "/s/"

    public var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .loginCode: "/login/code"
        case .logout: "/logout"
        case .language(let language): "/lang/\(language.rawValue)"
        case .agencies: "/agencies"
        case .dashboard(let agency, let year): "/agencies/\(agency)/\(year)"
        case .items(let agency, let year): "/agencies/\(agency)/\(year)/items"
        case .item(let agency, let year, let item): "/agencies/\(agency)/\(year)/items/\(item)"
        case .results(let agency, let year): "/agencies/\(agency)/\(year)/results"
        case .whatIf(let agency, let year): "/agencies/\(agency)/\(year)/what-if"
        case .history(let agency, let year): "/agencies/\(agency)/\(year)/history"
        case .surveys(let agency, let year): "/agencies/\(agency)/\(year)/surveys"
        case .surveyWindow(let agency, let year, let part): "/agencies/\(agency)/\(year)/surveys/\(part)"
        case .surveyCodes(let agency, let year, let part): "/agencies/\(agency)/\(year)/surveys/\(part)/codes"
        case .surveyCodesCSV(let agency, let year, let part): "/agencies/\(agency)/\(year)/surveys/\(part)/codes.csv"
        case .surveySlips(let agency, let year, let part): "/agencies/\(agency)/\(year)/surveys/\(part)/slips"
        case .surveyPoster(let agency, let year, let part): "/agencies/\(agency)/\(year)/surveys/\(part)/poster"
        case .surveyQR(let agency, let year, let part, let format): "/agencies/\(agency)/\(year)/surveys/\(part)/qr.\(format)"
        case .surveyEntry(let agency, let year, let part): "/agencies/\(agency)/\(year)/surveys/\(part)/entry"
        case .surveyImport(let agency, let year, let part): "/agencies/\(agency)/\(year)/surveys/\(part)/import"
        case .responsesCSV(let agency, let year): "/agencies/\(agency)/\(year)/responses.csv"
        case .scoreInput(let agency, let year): "/agencies/\(agency)/\(year)/score-input.json"
        case .surveyStatus(let agency, let year): "/agencies/\(agency)/\(year)/surveys.json"
        case .script(let name): "/static/\(name).js"
        case .itemPage(let agency, let year, let item): "/agencies/\(agency)/\(year)/items/\(item)"
        case .itemEvidence(let agency, let year, let item): "/agencies/\(agency)/\(year)/items/\(item)/evidence"
        case .itemAssign(let agency, let year, let item): "/agencies/\(agency)/\(year)/items/\(item)/assign"
        case .itemWorkflow(let agency, let year, let item): "/agencies/\(agency)/\(year)/items/\(item)/workflow"
        case .itemWithdraw(let agency, let year, let item): "/agencies/\(agency)/\(year)/items/\(item)/withdraw"
        case .sendApproved(let agency, let year): "/agencies/\(agency)/\(year)/send-approved"
        case .itemsExport(let agency, let year, let format): "/agencies/\(agency)/\(year)/items.\(format)"
        case .resultsImport(let agency, let year): "/agencies/\(agency)/\(year)/item-results/import"
        case .resultsImportConfirm(let agency, let year): "/agencies/\(agency)/\(year)/item-results/import/confirm"
        case .publishedItem(let agency, let year): "/agencies/\(agency)/\(year)/item-results"
        case .evidenceFile(let agency, let year, let sha256): "/agencies/\(agency)/\(year)/files/\(sha256)"
        case .myItems(let agency, let year): "/agencies/\(agency)/\(year)/my-items"
        case .transparency(let agency, let year): "/t/\(agency)/\(year)"
        case .transparencyJSON(let agency, let year): "/t/\(agency)/\(year).json"
        case .publicFile(let agency, let year, let sha256): "/t/\(agency)/\(year)/files/\(sha256)"
        case .analysis(let agency, let year): "/agencies/\(agency)/\(year)/analysis"
        case .analysisDraft(let agency, let year): "/agencies/\(agency)/\(year)/analysis/draft"
        case .analysisLastYear(let agency, let year): "/agencies/\(agency)/\(year)/analysis/last-year"
        case .measures(let agency, let year): "/agencies/\(agency)/\(year)/measures"
        case .measure(let agency, let year, let id): "/agencies/\(agency)/\(year)/measures/\(id)"
        case .measureProgress(let agency, let year, let id): "/agencies/\(agency)/\(year)/measures/\(id)/progress"
        case .documents(let agency, let year): "/agencies/\(agency)/\(year)/documents"
        case .documentsMemo(let agency, let year): "/agencies/\(agency)/\(year)/documents/memo"
        case .documentsJob(let agency, let year, let job): "/agencies/\(agency)/\(year)/documents/jobs/\(job)"
        case .documentFile(let agency, let year, let job, let name): "/agencies/\(agency)/\(year)/documents/jobs/\(job)/\(name)"
        case .printView(let agency, let year): "/agencies/\(agency)/\(year)/documents/print"
        case .stylesheet: "/static/app.css"
        case .health: "/healthz"
        case .survey(let code): "/s/\(code)"
        case .surveyThanks(let code): "/s/\(code)/thanks"
        case .account: "/account"
        case .accountPassword: "/account/password"
        case .accountSessions: "/account/sessions"
        case .accountTwoFactor: "/account/two-factor"
        case .invitation(let token): "/invite/\(token)"
        case .admin: "/admin"
        case .adminAgencies: "/admin/agencies"
        case .adminAgency(let code): "/admin/agencies/\(code)"
        case .adminAgenciesImport: "/admin/agencies-import"
        case .adminUsers: "/admin/users"
        case .adminUser(let id): "/admin/users/\(id)"
        case .adminFrameworks: "/admin/frameworks"
        case .adminFrameworkTemplate: "/admin/frameworks/oit-template.csv"
        case .divisions(let agency): "/agencies/\(agency)/divisions"
        case .division(let agency, let id): "/agencies/\(agency)/divisions/\(id)"
        case .people(let agency): "/agencies/\(agency)/people"
        case .person(let agency, let id): "/agencies/\(agency)/people/\(id)"
        case .newYear(let agency): "/agencies/\(agency)/new-year"
        }
    }

    /// Fixed links templates use, as `{{u.name}}`.
    static let common: [String: String] = [
        "home": SiteURL.home.path, "agencies": SiteURL.agencies.path, "login": SiteURL.login.path, "loginCode": SiteURL.loginCode.path,
        "twoFactor": SiteURL.accountTwoFactor.path,
        "account": SiteURL.account.path, "admin": SiteURL.admin.path,
        "liveScript": SiteURL.script("live").path, "entryScript": SiteURL.script("entry").path,
    ]

    /// Route patterns, with `:name` parameters.
    enum Pattern {
        static let language = "/lang/:lang"
        static let dashboard = "/agencies/:agency/:year"
        static let items = "/agencies/:agency/:year/items"
        static let item = "/agencies/:agency/:year/items/:item"
        static let results = "/agencies/:agency/:year/results"
        static let whatIf = "/agencies/:agency/:year/what-if"
        static let history = "/agencies/:agency/:year/history"
        static let surveys = "/agencies/:agency/:year/surveys"
        static let surveyWindow = "/agencies/:agency/:year/surveys/:part"
        static let surveyCodes = "/agencies/:agency/:year/surveys/:part/codes"
        static let surveyCodesCSV = "/agencies/:agency/:year/surveys/:part/codes.csv"
        static let surveySlips = "/agencies/:agency/:year/surveys/:part/slips"
        static let surveyPoster = "/agencies/:agency/:year/surveys/:part/poster"
        static let surveyQRSVG = "/agencies/:agency/:year/surveys/:part/qr.svg"
        static let surveyQRPNG = "/agencies/:agency/:year/surveys/:part/qr.png"
        static let surveyEntry = "/agencies/:agency/:year/surveys/:part/entry"
        static let surveyImport = "/agencies/:agency/:year/surveys/:part/import"
        static let responsesCSV = "/agencies/:agency/:year/responses.csv"
        static let scoreInput = "/agencies/:agency/:year/score-input.json"
        static let surveyStatus = "/agencies/:agency/:year/surveys.json"
        static let itemEvidence = "/agencies/:agency/:year/items/:item/evidence"
        static let itemAssign = "/agencies/:agency/:year/items/:item/assign"
        static let itemWorkflow = "/agencies/:agency/:year/items/:item/workflow"
        static let itemWithdraw = "/agencies/:agency/:year/items/:item/withdraw"
        static let sendApproved = "/agencies/:agency/:year/send-approved"
        static let itemsCSV = "/agencies/:agency/:year/items.csv"
        static let itemsXLSX = "/agencies/:agency/:year/items.xlsx"
        static let resultsImport = "/agencies/:agency/:year/item-results/import"
        static let resultsImportConfirm = "/agencies/:agency/:year/item-results/import/confirm"
        static let publishedItem = "/agencies/:agency/:year/item-results"
        static let evidenceFile = "/agencies/:agency/:year/files/:sha"
        static let myItems = "/agencies/:agency/:year/my-items"
        static let analysis = "/agencies/:agency/:year/analysis"
        static let analysisDraft = "/agencies/:agency/:year/analysis/draft"
        static let analysisLastYear = "/agencies/:agency/:year/analysis/last-year"
        static let measures = "/agencies/:agency/:year/measures"
        static let measure = "/agencies/:agency/:year/measures/:measure"
        static let measureProgress = "/agencies/:agency/:year/measures/:measure/progress"
        static let documents = "/agencies/:agency/:year/documents"
        static let documentsMemo = "/agencies/:agency/:year/documents/memo"
        static let documentsJob = "/agencies/:agency/:year/documents/jobs/:job"
        static let documentFile = "/agencies/:agency/:year/documents/jobs/:job/:name"
        static let printView = "/agencies/:agency/:year/documents/print"
        static let transparency = "/t/:agency/:year"
        static let publicFile = "/t/:agency/:year/files/:sha"
        static let survey = "/s/:code"
        static let surveyThanks = "/s/:code/thanks"
        static let invitation = "/invite/:token"
        static let adminAgency = "/admin/agencies/:code"
        static let adminUser = "/admin/users/:user"
        static let divisions = "/agencies/:agency/divisions"
        static let division = "/agencies/:agency/divisions/:division"
        static let people = "/agencies/:agency/people"
        static let person = "/agencies/:agency/people/:user"
        static let newYear = "/agencies/:agency/new-year"
    }
}
