import Foundation
import Hummingbird
import Logging
import ProngsaiCore
import ProngsaiStore

/// How the web app runs.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Mark cookies Secure (behind HTTPS).
    public var secureCookies: Bool
    public var sessionLifetime: TimeInterval

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, sessionLifetime: TimeInterval = 8 * 3600) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
    }
}

/// Builds the application over open repositories; tests call this with their own database.
public func buildApplication(_ configuration: AppConfiguration, repositories: Repositories, catalog: FrameworkCatalog, logger: Logger) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(configuration, repositories: repositories, catalog: catalog)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Prongsai"),
        logger: logger)
}

public func buildRouter(_ configuration: AppConfiguration, repositories: Repositories, catalog: FrameworkCatalog) async throws -> Router<AppRequestContext> {
    let views = try await Views.load()
    let router = Router(context: AppRequestContext.self)
    // Sessions first, so error pages know the user and the language.
    router.add(middleware: SessionMiddleware(repositories: repositories))
    router.add(middleware: ErrorMiddleware(views: views))
    router.add(middleware: CSRFMiddleware())

    let css = try String(contentsOf: Bundle.module.url(forResource: "Public/app.css", withExtension: nil)
        ?? Bundle.module.url(forResource: "app", withExtension: "css", subdirectory: "Public")!, encoding: .utf8)
    router.get(RouterPath(SiteURL.stylesheet.path)) { _, _ in
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: css)))
    }
    router.get(RouterPath(SiteURL.health.path)) { _, _ in "ok" }
    router.get(RouterPath(SiteURL.home.path)) { _, context in
        redirect(to: context.user == nil ? SiteURL.login.path : SiteURL.agencies.path)
    }
    AuthController(repositories: repositories, views: views, secureCookies: configuration.secureCookies, sessionLifetime: configuration.sessionLifetime)
        .register(on: router)
    let protected = router.group().add(middleware: RequireLoginMiddleware())
    AgencyController(repositories: repositories, views: views).register(on: protected)
    AssessmentController(repositories: repositories, views: views, catalog: catalog).register(on: protected)
    return router
}
