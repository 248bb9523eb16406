import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore
import Synchronization

/// An install with no active administrator serves one page saying how to create the first one (with the
/// command line), and nothing else but health checks and static files. Once an administrator exists the
/// check is remembered for good: the last administrator can never be removed.
final class SetupGate: RouterMiddleware, Sendable {
    typealias Context = AppRequestContext
    let repositories: Repositories
    let views: Views
    let ready = Atomic<Bool>(false)

    init(repositories: Repositories, views: Views) {
        self.repositories = repositories
        self.views = views
    }

    struct Page {
        var command: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if ready.load(ordering: .relaxed) { return try await next(request, context) }
        let path = request.uri.path
        if path == SiteURL.health.path || path.hasPrefix("/static/") { return try await next(request, context) }
        if try await repositories.users.activeAdministrators(logger: context.logger) > 0 {
            ready.store(true, ordering: .relaxed)
            return try await next(request, context)
        }
        var response = try views.page("setup", title: context.language == .th ? "ตั้งค่าครั้งแรก" : "First-time setup",
                                      model: Page(command: "prongsai admin create --database … --username NAME"), context: context)
        response.status = .serviceUnavailable
        return response
    }
}

/// Someone signed in with a temporary password chooses their own before anything else.
struct PasswordChangeGate: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let user = context.user, user.mustChangePassword else { return try await next(request, context) }
        let path = request.uri.path
        let open = [SiteURL.account.path, SiteURL.accountPassword.path, SiteURL.logout.path, SiteURL.health.path]
        if open.contains(path) || path.hasPrefix("/static/") || path.hasPrefix("/lang/") || SiteURL.publicFormPrefixes.contains(where: path.hasPrefix) || path.hasPrefix("/t/") {
            return try await next(request, context)
        }
        if request.method == .get { return redirect(to: SiteURL.account.path) }
        throw AppError(.forbidden, th: "กรุณาตั้งรหัสผ่านใหม่ก่อนใช้งาน", en: "Choose a new password first")
    }
}
