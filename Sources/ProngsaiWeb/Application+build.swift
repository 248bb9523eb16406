import Crypto
import Foundation
import Hummingbird
import ServiceLifecycle
import Logging
import OpenAPIHummingbird
import ProngsaiAPI
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// How the web app runs.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Mark cookies Secure (behind HTTPS).
    public var secureCookies: Bool
    public var sessionLifetime: TimeInterval
    /// Public survey submissions allowed per client address per minute (0: no limit). Kept in memory only.
    public var submissionsPerMinute: Int
    /// The address people use to reach the app (for survey links and QR codes); when nil, taken from the request.
    public var publicURL: String?
    /// Host names answered when there is no `publicURL` (besides the bind address and localhost).
    public var allowedHosts: [String] = []
    /// Public submissions allowed per client address per day (on top of the minute's limit).
    public var submissionsPerDay: Int = 300
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    public var trustedProxies: [AddressRange] = []
    /// Whose accounts must use two-factor sign-in (`--two-factor`).
    public var twoFactor: TwoFactorPolicy = .required
    /// The time now; tests fix it.
    public var clock: @Sendable () -> Date
    /// The largest evidence file accepted, in bytes.
    public var maxEvidenceBytes: Int
    /// Evidence links may point at private or loopback addresses (tests and closed networks only).
    public var allowPrivateLinks: Bool = false
    /// How often the link checker looks for new links (every link is re-fetched once a day); nil: no checker.
    public var linkCheckInterval: Duration? = .seconds(10)
    /// How often pending survey answers are looked at for release (docs/anonymity.md); nil: no release
    /// rounds (tests run them by hand).
    public var releaseInterval: Duration? = .seconds(2)
    /// `/metrics` answers only this bearer token when set; otherwise only a scraper on this machine.
    public var metricsToken: String?
    /// How often this node looks for document jobs to run (any node may run any job); nil: none.
    public var jobInterval: Duration? = .milliseconds(500)
    /// The keys that seal complaints (`--complaint-keys`); nil: the complaint channel says it is not open.
    public var complaintKeys: ComplaintKeys?
    /// Seconds a public form must stay open before it is sent (a script is faster; tests with a fixed clock: 0).
    public var fastestPublicForm: TimeInterval = 2
    /// LibreOffice, for PDF documents; nil when it is not installed (the documents page says how to get it).
    public var officeCommand: String? = PDFConverter.locate()
    /// A read-only copy of the database (a PostgreSQL streaming replica) the public results and transparency
    /// pages read from; nil: they read the main database. Nothing is ever written or migrated there.
    public var readRepositories: Repositories? = nil

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, sessionLifetime: TimeInterval = 8 * 3600,
                submissionsPerMinute: Int = 30, publicURL: String? = nil, maxEvidenceBytes: Int = 20 * 1_048_576,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.maxEvidenceBytes = maxEvidenceBytes
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.submissionsPerMinute = submissionsPerMinute
        self.publicURL = publicURL
        self.clock = clock
    }

    /// Today in Thailand.
    var today: CivilDate { CivilDate.today(clock()) }

    /// The address people reach the app at: the configured public URL, else the request's host.
    func baseURL(for request: Request) -> String {
        if let url = publicURL { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        return "http://" + (request.head.authority ?? "\(host):\(port)")
    }
}

/// Builds the application over open repositories; tests call this with their own database.
public func buildApplication(_ configuration: AppConfiguration, repositories: Repositories, catalog: FrameworkCatalog, logger: Logger) async throws -> some ApplicationProtocol {
    let releaser = SurveyReleaser(repositories: repositories, catalog: catalog, clock: configuration.clock, logger: logger)
    let router = try await buildRouter(configuration, repositories: repositories, catalog: catalog, releaser: releaser)
    var services: [any Service] = []
    if let interval = configuration.releaseInterval {
        // Every node, from start-up on, so answers accepted before a crash are released after the restart.
        // Only the error's type is logged: a database error's text may quote the statement.
        services.append(PeriodicService(interval: interval, logger: logger, failure: "survey release failed",
                                        describe: { String(describing: type(of: $0)) }, work: { try await releaser.round() }))
    }
    if let interval = configuration.jobInterval {
        // Document jobs are rows: every node claims waiting ones, and takes over those whose node died.
        let documents = DocumentService(assessments: AssessmentService(repositories: repositories, catalog: catalog), repositories: repositories,
                                        today: { [configuration] in configuration.today })
        let runner = DocumentJobRunner(documents: documents, repository: repositories.improvement,
                                       converter: configuration.officeCommand.map { PDFConverter(command: $0) }, logger: logger, clock: configuration.clock)
        services.append(PeriodicService(interval: interval, logger: logger, failure: "document jobs failed",
                                        describe: { String(describing: type(of: $0)) }, work: { try await runner.claimDue() }))
    }
    if let interval = configuration.linkCheckInterval {
        let checker = LinkChecker(evidence: repositories.evidenceStore, fetcher: SafeFetcher(allowPrivateAddresses: configuration.allowPrivateLinks), logger: logger)
        services.append(PeriodicService(interval: interval, logger: logger, failure: "link check failed",
                                        describe: { String(describing: $0) }, work: { try await checker.checkDue() }))
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Prongsai"),
        services: services,
        logger: logger)
}

public func buildRouter(_ configuration: AppConfiguration, repositories: Repositories, catalog: FrameworkCatalog, releaser: SurveyReleaser) async throws -> Router<AppRequestContext> {
    let views = try await Views.load()
    // HEAD answers every GET route (headers only), as HTTP asks.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Outermost: every error, from any middleware or handler, becomes the same Thai or English page.
    router.add(middleware: ErrorMiddleware(views: views))
    // Every request is timed and counted with the status it ended with.
    let metrics = AppMetrics()
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: ClientAddressMiddleware(trusted: configuration.trustedProxies))
    router.add(middleware: HostGuard(configuration: configuration))
    let methods = MethodGuard()
    router.add(middleware: methods)
    router.add(middleware: SessionMiddleware(repositories: repositories))
    // An empty install serves only the page that says how to create the first administrator.
    router.add(middleware: SetupGate(repositories: repositories, views: views))
    router.add(middleware: CSRFMiddleware(uploadLimit: configuration.maxEvidenceBytes + 65_536))
    router.add(middleware: PasswordChangeGate())
    router.add(middleware: TwoFactorGate(policy: configuration.twoFactor))

    let css = try String(contentsOf: Bundle.module.url(forResource: "Public/app.css", withExtension: nil)
        ?? Bundle.module.url(forResource: "app", withExtension: "css", subdirectory: "Public")!, encoding: .utf8)
    router.get(RouterPath(SiteURL.stylesheet.path)) { _, _ in
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: css)))
    }
    for script in ["live", "entry"] {
        let text = try String(contentsOf: Bundle.module.url(forResource: "Public/\(script).js", withExtension: nil)
            ?? Bundle.module.url(forResource: script, withExtension: "js", subdirectory: "Public")!, encoding: .utf8)
        router.get(RouterPath(SiteURL.script(script).path)) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
    router.get(RouterPath(SiteURL.health.path)) { _, _ in "ok" }
    MetricsController(metrics: metrics, repositories: repositories, token: configuration.metricsToken).register(on: router)
    router.get(RouterPath(SiteURL.home.path)) { _, context in
        redirect(to: context.user == nil ? SiteURL.login.path : SiteURL.agencies.path)
    }
    AuthController(repositories: repositories, views: views, secureCookies: configuration.secureCookies, sessionLifetime: configuration.sessionLifetime,
                   clock: configuration.clock)
        .register(on: router)
    let protected = router.group().add(middleware: RequireLoginMiddleware())
    AccountController(repositories: repositories, views: views, configuration: configuration).register(protected: protected, open: router)
    APITokenController(repositories: repositories, views: views, configuration: configuration).register(on: protected)
    TwoFactorController(repositories: repositories, views: views, configuration: configuration).register(on: protected)
    AdminController(repositories: repositories, views: views, catalog: catalog, configuration: configuration).register(on: protected)
    FrameworkAdminController(repositories: repositories, views: views, catalog: catalog).register(on: protected)
    let rounds = RoundController(repositories: repositories, views: views, catalog: catalog, configuration: configuration)
    rounds.register(on: protected)
    // Public pages read from the replica when there is one (docs/scale.md).
    let reader = configuration.readRepositories ?? repositories
    RoundController(repositories: reader, views: views, catalog: catalog, configuration: configuration,
                    resultsCache: ExpiringCache(lifetime: 300)).register(public: router)
    PeopleController(repositories: repositories, views: views, catalog: catalog, configuration: configuration).register(on: protected)
    let complaints = configuration.complaintKeys.map { ComplaintRepository(database: repositories.database, vault: ComplaintVault(keys: $0)) }
    AgencyController(repositories: repositories, views: views, complaints: complaints, clock: configuration.clock).register(on: protected)
    let assessments = AssessmentController(repositories: repositories, views: views, catalog: catalog, configuration: configuration)
    assessments.register(on: protected)
    // Each node keeps a survey link's window for one second: a window opened, closed or changed on one node
    // is seen by every node within a second (the node that changed it drops its copy at once).
    let surveyLinks = ExpiringCache<String, SurveyController.Loaded>(lifetime: 1)
    let surveys = SurveyAdminController(repositories: repositories, views: views, catalog: catalog, configuration: configuration,
                                        assessments: assessments, surveyLinks: surveyLinks, releaser: releaser)
    surveys.register(on: protected)
    PrintController(repositories: repositories, views: views, surveys: surveys).register(on: protected)
    EvidenceController(repositories: repositories, views: views, configuration: configuration, assessments: assessments).register(on: protected)
    ItemTransferController(repositories: repositories, views: views, configuration: configuration, assessments: assessments).register(on: protected)
    let improvement = ImprovementController(repositories: repositories, views: views, catalog: catalog, configuration: configuration, assessments: assessments)
    improvement.register(on: protected)
    DocumentController(repositories: repositories, views: views, configuration: configuration, assessments: assessments, improvement: improvement)
        .register(on: protected)
    TransparencyController(repositories: reader, views: views, catalog: catalog, configuration: configuration).register(on: router)
    let guardian = PublicFormGuard(limits: repositories.publicLimits, secret: try await publicFormSecret(configuration, settings: repositories.settings),
                                   fastest: configuration.fastestPublicForm)
    ReportController(repositories: repositories, views: views, configuration: configuration, complaints: complaints, guardian: guardian).register(on: router)
    ComplaintController(repositories: repositories, views: views, configuration: configuration, complaints: complaints).register(on: protected)
    QuestionController(repositories: repositories, views: views, configuration: configuration, guardian: guardian).register(public: router, protected: protected)
    SurveyController(repositories: repositories, views: views, catalog: catalog, configuration: configuration,
                     limiter: RateLimiter(perMinute: configuration.submissionsPerMinute, perDay: configuration.submissionsPerDay), cache: surveyLinks,
                     accepted: metrics.submissions).register(on: router)
    // The open API (docs/api.md): its description as the repository holds it, and the handlers generated from it.
    let api = router.group().add(middleware: APIMiddleware(repositories: repositories, configuration: configuration))
    api.get(RouterPath(SiteURL.apiDocument.path)) { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
    }
    try OpenAPIHandler(repositories: repositories, catalog: catalog, configuration: configuration).registerHandlers(on: api)
    methods.load(router.routes)
    return router
}

/// The secret that keys the public forms' challenges and address counts: made from the complaint key when
/// there is one (so it is in no database), else kept in the settings (addresses counted under it are gone
/// within the hour either way).
func publicFormSecret(_ configuration: AppConfiguration, settings: SettingsRepository) async throws -> [UInt8] {
    if let keys = configuration.complaintKeys {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: keys.current.bytes), info: Array("prongsai public forms".utf8), outputByteCount: 32)
        return derived.withUnsafeBytes { Array($0) }
    }
    let stored = try await settings.value("public-form-secret") { SessionMiddleware.randomToken() }
    return Array(stored.utf8)
}
