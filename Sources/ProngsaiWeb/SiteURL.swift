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
    /// The signed-in person's API tokens (issue 16), and revoking one.
    case accountTokens
    case accountTokenRevoke(id: String)
    /// The open API's description, served as the repository holds it.
    case apiDocument
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
    /// The public corruption-complaint channel (O28) and its pages.
    case report(agency: String)
    case reportReceipt(agency: String)
    case reportFollow(agency: String)
    case reportStatistics(agency: String)
    case reportStatisticsCSV(agency: String)
    /// The public questions and answers (O8).
    case questions(agency: String)
    case complaints(agency: String)
    case complaintDeadlines(agency: String)
    case complaint(agency: String, id: String)
    case complaintStep(agency: String, id: String)
    case complaintReply(agency: String, id: String)
    case complaintIdentity(agency: String, id: String)
    case complaintFile(agency: String, id: String, file: String)
    case identityRequests(agency: String)
    case identityRequest(agency: String, id: String)
    case questionsAdmin(agency: String)
    case questionAdmin(agency: String, id: String)
    /// An assessing body's rounds and assessor teams; an assessor's queue across agencies.
    case adminRounds
    case adminRound(id: String)
    case adminRoundAgencies(id: String)
    case adminRoundTeams(id: String)
    case adminTeam(round: String, team: String)
    case assessorQueue
    case adminRoundResults(id: String)
    case adminRoundResultsCSV(id: String)
    case adminRoundRescore(id: String)
    case adminRoundItemResults(id: String)
    case adminRoundItemResultsCSV(id: String)
    /// A round's public results: summaries, distributions, rankings (and `.json`).
    case roundResults(id: String)

    static let surveyPrefix = "/s/"
    /// Public forms with no session, guarded by their own one-time challenge or receipt code.
    static let publicFormPrefixes = ["/s/", "/report/", "/qa/"]
    /// The open API: authenticated by a bearer token only, never by the session cookie.
    static let apiPrefix = "/api/"

    /// The route pattern (`:name` for each parameter) and the values that fill it: the one place a page's
    /// address is written. `pattern` is what the router registers, `path` what pages link to.
    var route: (pattern: String, values: [String]) {
        switch self {
        case .home: ("/", [])
        case .login: ("/login", [])
        case .loginCode: ("/login/code", [])
        case .logout: ("/logout", [])
        case .language(let language): ("/lang/:lang", [language.rawValue])
        case .agencies: ("/agencies", [])
        case .dashboard(let agency, let year): ("/agencies/:agency/:year", [agency, String(year)])
        case .items(let agency, let year): ("/agencies/:agency/:year/items", [agency, String(year)])
        case .item(let agency, let year, let item): ("/agencies/:agency/:year/items/:item", [agency, String(year), item])
        case .results(let agency, let year): ("/agencies/:agency/:year/results", [agency, String(year)])
        case .whatIf(let agency, let year): ("/agencies/:agency/:year/what-if", [agency, String(year)])
        case .history(let agency, let year): ("/agencies/:agency/:year/history", [agency, String(year)])
        case .surveys(let agency, let year): ("/agencies/:agency/:year/surveys", [agency, String(year)])
        case .surveyWindow(let agency, let year, let part): ("/agencies/:agency/:year/surveys/:part", [agency, String(year), part])
        case .surveyCodes(let agency, let year, let part): ("/agencies/:agency/:year/surveys/:part/codes", [agency, String(year), part])
        case .surveyCodesCSV(let agency, let year, let part): ("/agencies/:agency/:year/surveys/:part/codes.csv", [agency, String(year), part])
        case .surveySlips(let agency, let year, let part): ("/agencies/:agency/:year/surveys/:part/slips", [agency, String(year), part])
        case .surveyPoster(let agency, let year, let part): ("/agencies/:agency/:year/surveys/:part/poster", [agency, String(year), part])
        case .surveyQR(let agency, let year, let part, let format): ("/agencies/:agency/:year/surveys/:part/qr.\(format)", [agency, String(year), part])
        case .surveyEntry(let agency, let year, let part): ("/agencies/:agency/:year/surveys/:part/entry", [agency, String(year), part])
        case .surveyImport(let agency, let year, let part): ("/agencies/:agency/:year/surveys/:part/import", [agency, String(year), part])
        case .responsesCSV(let agency, let year): ("/agencies/:agency/:year/responses.csv", [agency, String(year)])
        case .scoreInput(let agency, let year): ("/agencies/:agency/:year/score-input.json", [agency, String(year)])
        case .surveyStatus(let agency, let year): ("/agencies/:agency/:year/surveys.json", [agency, String(year)])
        case .script(let name): ("/static/:name.js", [name])
        case .itemPage(let agency, let year, let item): ("/agencies/:agency/:year/items/:item", [agency, String(year), item])
        case .itemEvidence(let agency, let year, let item): ("/agencies/:agency/:year/items/:item/evidence", [agency, String(year), item])
        case .itemAssign(let agency, let year, let item): ("/agencies/:agency/:year/items/:item/assign", [agency, String(year), item])
        case .itemWorkflow(let agency, let year, let item): ("/agencies/:agency/:year/items/:item/workflow", [agency, String(year), item])
        case .itemWithdraw(let agency, let year, let item): ("/agencies/:agency/:year/items/:item/withdraw", [agency, String(year), item])
        case .sendApproved(let agency, let year): ("/agencies/:agency/:year/send-approved", [agency, String(year)])
        case .itemsExport(let agency, let year, let format): ("/agencies/:agency/:year/items.\(format)", [agency, String(year)])
        case .resultsImport(let agency, let year): ("/agencies/:agency/:year/item-results/import", [agency, String(year)])
        case .resultsImportConfirm(let agency, let year): ("/agencies/:agency/:year/item-results/import/confirm", [agency, String(year)])
        case .publishedItem(let agency, let year): ("/agencies/:agency/:year/item-results", [agency, String(year)])
        case .evidenceFile(let agency, let year, let sha256): ("/agencies/:agency/:year/files/:sha", [agency, String(year), sha256])
        case .myItems(let agency, let year): ("/agencies/:agency/:year/my-items", [agency, String(year)])
        case .transparency(let agency, let year): ("/t/:agency/:year", [agency, String(year)])
        case .transparencyJSON(let agency, let year): ("/t/:agency/:year.json", [agency, String(year)])
        case .publicFile(let agency, let year, let sha256): ("/t/:agency/:year/files/:sha", [agency, String(year), sha256])
        case .analysis(let agency, let year): ("/agencies/:agency/:year/analysis", [agency, String(year)])
        case .analysisDraft(let agency, let year): ("/agencies/:agency/:year/analysis/draft", [agency, String(year)])
        case .analysisLastYear(let agency, let year): ("/agencies/:agency/:year/analysis/last-year", [agency, String(year)])
        case .measures(let agency, let year): ("/agencies/:agency/:year/measures", [agency, String(year)])
        case .measure(let agency, let year, let id): ("/agencies/:agency/:year/measures/:measure", [agency, String(year), id])
        case .measureProgress(let agency, let year, let id): ("/agencies/:agency/:year/measures/:measure/progress", [agency, String(year), id])
        case .documents(let agency, let year): ("/agencies/:agency/:year/documents", [agency, String(year)])
        case .documentsMemo(let agency, let year): ("/agencies/:agency/:year/documents/memo", [agency, String(year)])
        case .documentsJob(let agency, let year, let job): ("/agencies/:agency/:year/documents/jobs/:job", [agency, String(year), job])
        case .documentFile(let agency, let year, let job, let name): ("/agencies/:agency/:year/documents/jobs/:job/:name", [agency, String(year), job, name])
        case .printView(let agency, let year): ("/agencies/:agency/:year/documents/print", [agency, String(year)])
        case .stylesheet: ("/static/app.css", [])
        case .health: ("/healthz", [])
        case .survey(let code): ("/s/:code", [code])
        case .surveyThanks(let code): ("/s/:code/thanks", [code])
        case .account: ("/account", [])
        case .accountPassword: ("/account/password", [])
        case .accountSessions: ("/account/sessions", [])
        case .accountTwoFactor: ("/account/two-factor", [])
        case .accountTokens: ("/account/tokens", [])
        case .accountTokenRevoke(let id): ("/account/tokens/:token/revoke", [id])
        case .apiDocument: ("/api/openapi.yaml", [])
        case .invitation(let token): ("/invite/:token", [token])
        case .admin: ("/admin", [])
        case .adminAgencies: ("/admin/agencies", [])
        case .adminAgency(let code): ("/admin/agencies/:code", [code])
        case .adminAgenciesImport: ("/admin/agencies-import", [])
        case .adminUsers: ("/admin/users", [])
        case .adminUser(let id): ("/admin/users/:user", [id])
        case .adminFrameworks: ("/admin/frameworks", [])
        case .adminFrameworkTemplate: ("/admin/frameworks/oit-template.csv", [])
        case .divisions(let agency): ("/agencies/:agency/divisions", [agency])
        case .division(let agency, let id): ("/agencies/:agency/divisions/:division", [agency, id])
        case .people(let agency): ("/agencies/:agency/people", [agency])
        case .person(let agency, let id): ("/agencies/:agency/people/:user", [agency, id])
        case .newYear(let agency): ("/agencies/:agency/new-year", [agency])
        case .report(let agency): ("/report/:agency", [agency])
        case .reportReceipt(let agency): ("/report/:agency/receipt", [agency])
        case .reportFollow(let agency): ("/report/:agency/follow", [agency])
        case .reportStatistics(let agency): ("/report/:agency/statistics", [agency])
        case .reportStatisticsCSV(let agency): ("/report/:agency/statistics.csv", [agency])
        case .questions(let agency): ("/qa/:agency", [agency])
        case .complaints(let agency): ("/agencies/:agency/complaints", [agency])
        case .complaintDeadlines(let agency): ("/agencies/:agency/complaints/deadlines", [agency])
        case .complaint(let agency, let id): ("/agencies/:agency/complaints/:case", [agency, id])
        case .complaintStep(let agency, let id): ("/agencies/:agency/complaints/:case/step", [agency, id])
        case .complaintReply(let agency, let id): ("/agencies/:agency/complaints/:case/reply", [agency, id])
        case .complaintIdentity(let agency, let id): ("/agencies/:agency/complaints/:case/identity", [agency, id])
        case .complaintFile(let agency, let id, let file): ("/agencies/:agency/complaints/:case/files/:file", [agency, id, file])
        case .identityRequests(let agency): ("/agencies/:agency/identity-requests", [agency])
        case .identityRequest(let agency, let id): ("/agencies/:agency/identity-requests/:request", [agency, id])
        case .questionsAdmin(let agency): ("/agencies/:agency/questions", [agency])
        case .questionAdmin(let agency, let id): ("/agencies/:agency/questions/:question", [agency, id])
        case .adminRounds: ("/admin/rounds", [])
        case .adminRound(let id): ("/admin/rounds/:round", [id])
        case .adminRoundAgencies(let id): ("/admin/rounds/:round/agencies", [id])
        case .adminRoundTeams(let id): ("/admin/rounds/:round/teams", [id])
        case .adminTeam(let round, let team): ("/admin/rounds/:round/teams/:team", [round, team])
        case .assessorQueue: ("/assess", [])
        case .adminRoundResults(let id): ("/admin/rounds/:round/results", [id])
        case .adminRoundResultsCSV(let id): ("/admin/rounds/:round/results.csv", [id])
        case .adminRoundRescore(let id): ("/admin/rounds/:round/rescore", [id])
        case .adminRoundItemResults(let id): ("/admin/rounds/:round/item-results", [id])
        case .adminRoundItemResultsCSV(let id): ("/admin/rounds/:round/item-results.csv", [id])
        case .roundResults(let id): ("/results/:round", [id])
        }
    }

    public var path: String { Self.fill(route.pattern, with: route.values) }

    /// The pattern the router registers for this case.
    var pattern: String { route.pattern }

    /// Each `:name` in a pattern replaced by the next value (a parameter ends at `/` or `.`).
    static func fill(_ pattern: String, with values: [String]) -> String {
        var out = ""
        var next = values.makeIterator()
        var characters = pattern[...]
        while let colon = characters.firstIndex(of: ":") {
            out += characters[..<colon]
            let rest = characters[characters.index(after: colon)...]
            let end = rest.firstIndex(where: { $0 == "/" || $0 == "." }) ?? rest.endIndex
            out += next.next() ?? ""
            characters = rest[end...]
        }
        return out + characters
    }

    /// Fixed links templates use, as `{{u.name}}`.
    static let common: [String: String] = [
        "home": SiteURL.home.path, "agencies": SiteURL.agencies.path, "login": SiteURL.login.path, "loginCode": SiteURL.loginCode.path,
        "twoFactor": SiteURL.accountTwoFactor.path,
        "account": SiteURL.account.path, "admin": SiteURL.admin.path, "apiTokens": SiteURL.accountTokens.path,
        "liveScript": SiteURL.script("live").path, "entryScript": SiteURL.script("entry").path,
    ]

    /// The patterns routes register, named; each read from its case above (no address is written twice).
    enum Pattern {
        static let language = SiteURL.language(.th).pattern
        static let dashboard = SiteURL.dashboard(agency: "", year: 0).pattern
        static let items = SiteURL.items(agency: "", year: 0).pattern
        static let item = SiteURL.item(agency: "", year: 0, item: "").pattern
        static let results = SiteURL.results(agency: "", year: 0).pattern
        static let whatIf = SiteURL.whatIf(agency: "", year: 0).pattern
        static let history = SiteURL.history(agency: "", year: 0).pattern
        static let surveys = SiteURL.surveys(agency: "", year: 0).pattern
        static let surveyWindow = SiteURL.surveyWindow(agency: "", year: 0, part: "").pattern
        static let surveyCodes = SiteURL.surveyCodes(agency: "", year: 0, part: "").pattern
        static let surveyCodesCSV = SiteURL.surveyCodesCSV(agency: "", year: 0, part: "").pattern
        static let surveySlips = SiteURL.surveySlips(agency: "", year: 0, part: "").pattern
        static let surveyPoster = SiteURL.surveyPoster(agency: "", year: 0, part: "").pattern
        static let surveyQRSVG = SiteURL.surveyQR(agency: "", year: 0, part: "", format: "svg").pattern
        static let surveyQRPNG = SiteURL.surveyQR(agency: "", year: 0, part: "", format: "png").pattern
        static let surveyEntry = SiteURL.surveyEntry(agency: "", year: 0, part: "").pattern
        static let surveyImport = SiteURL.surveyImport(agency: "", year: 0, part: "").pattern
        static let responsesCSV = SiteURL.responsesCSV(agency: "", year: 0).pattern
        static let scoreInput = SiteURL.scoreInput(agency: "", year: 0).pattern
        static let surveyStatus = SiteURL.surveyStatus(agency: "", year: 0).pattern
        static let itemEvidence = SiteURL.itemEvidence(agency: "", year: 0, item: "").pattern
        static let itemAssign = SiteURL.itemAssign(agency: "", year: 0, item: "").pattern
        static let itemWorkflow = SiteURL.itemWorkflow(agency: "", year: 0, item: "").pattern
        static let itemWithdraw = SiteURL.itemWithdraw(agency: "", year: 0, item: "").pattern
        static let sendApproved = SiteURL.sendApproved(agency: "", year: 0).pattern
        static let itemsCSV = SiteURL.itemsExport(agency: "", year: 0, format: "csv").pattern
        static let itemsXLSX = SiteURL.itemsExport(agency: "", year: 0, format: "xlsx").pattern
        static let resultsImport = SiteURL.resultsImport(agency: "", year: 0).pattern
        static let resultsImportConfirm = SiteURL.resultsImportConfirm(agency: "", year: 0).pattern
        static let publishedItem = SiteURL.publishedItem(agency: "", year: 0).pattern
        static let evidenceFile = SiteURL.evidenceFile(agency: "", year: 0, sha256: "").pattern
        static let myItems = SiteURL.myItems(agency: "", year: 0).pattern
        static let analysis = SiteURL.analysis(agency: "", year: 0).pattern
        static let analysisDraft = SiteURL.analysisDraft(agency: "", year: 0).pattern
        static let analysisLastYear = SiteURL.analysisLastYear(agency: "", year: 0).pattern
        static let measures = SiteURL.measures(agency: "", year: 0).pattern
        static let measure = SiteURL.measure(agency: "", year: 0, id: "").pattern
        static let measureProgress = SiteURL.measureProgress(agency: "", year: 0, id: "").pattern
        static let documents = SiteURL.documents(agency: "", year: 0).pattern
        static let documentsMemo = SiteURL.documentsMemo(agency: "", year: 0).pattern
        static let documentsJob = SiteURL.documentsJob(agency: "", year: 0, job: "").pattern
        static let documentFile = SiteURL.documentFile(agency: "", year: 0, job: "", name: "").pattern
        static let printView = SiteURL.printView(agency: "", year: 0).pattern
        static let transparency = SiteURL.transparency(agency: "", year: 0).pattern
        static let publicFile = SiteURL.publicFile(agency: "", year: 0, sha256: "").pattern
        static let survey = SiteURL.survey(code: "").pattern
        static let surveyThanks = SiteURL.surveyThanks(code: "").pattern
        static let invitation = SiteURL.invitation(token: "").pattern
        static let accountTokenRevoke = SiteURL.accountTokenRevoke(id: "").pattern
        static let adminAgency = SiteURL.adminAgency(code: "").pattern
        static let adminUser = SiteURL.adminUser(id: "").pattern
        static let divisions = SiteURL.divisions(agency: "").pattern
        static let division = SiteURL.division(agency: "", id: "").pattern
        static let people = SiteURL.people(agency: "").pattern
        static let person = SiteURL.person(agency: "", id: "").pattern
        static let newYear = SiteURL.newYear(agency: "").pattern
        static let report = SiteURL.report(agency: "").pattern
        static let reportReceipt = SiteURL.reportReceipt(agency: "").pattern
        static let reportFollow = SiteURL.reportFollow(agency: "").pattern
        static let reportStatistics = SiteURL.reportStatistics(agency: "").pattern
        static let reportStatisticsCSV = SiteURL.reportStatisticsCSV(agency: "").pattern
        static let questions = SiteURL.questions(agency: "").pattern
        static let complaints = SiteURL.complaints(agency: "").pattern
        static let complaintDeadlines = SiteURL.complaintDeadlines(agency: "").pattern
        static let complaint = SiteURL.complaint(agency: "", id: "").pattern
        static let complaintStep = SiteURL.complaintStep(agency: "", id: "").pattern
        static let complaintReply = SiteURL.complaintReply(agency: "", id: "").pattern
        static let complaintIdentity = SiteURL.complaintIdentity(agency: "", id: "").pattern
        static let complaintFile = SiteURL.complaintFile(agency: "", id: "", file: "").pattern
        static let identityRequests = SiteURL.identityRequests(agency: "").pattern
        static let identityRequest = SiteURL.identityRequest(agency: "", id: "").pattern
        static let questionsAdmin = SiteURL.questionsAdmin(agency: "").pattern
        static let questionAdmin = SiteURL.questionAdmin(agency: "", id: "").pattern
        static let adminRound = SiteURL.adminRound(id: "").pattern
        static let adminRoundAgencies = SiteURL.adminRoundAgencies(id: "").pattern
        static let adminRoundTeams = SiteURL.adminRoundTeams(id: "").pattern
        static let adminTeam = SiteURL.adminTeam(round: "", team: "").pattern
        static let adminRoundResults = SiteURL.adminRoundResults(id: "").pattern
        static let adminRoundResultsCSV = SiteURL.adminRoundResultsCSV(id: "").pattern
        static let adminRoundRescore = SiteURL.adminRoundRescore(id: "").pattern
        static let adminRoundItemResults = SiteURL.adminRoundItemResults(id: "").pattern
        static let adminRoundItemResultsCSV = SiteURL.adminRoundItemResultsCSV(id: "").pattern
        static let roundResults = SiteURL.roundResults(id: "").pattern
    }
}
