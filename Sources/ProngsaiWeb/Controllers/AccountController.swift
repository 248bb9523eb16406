import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// The signed-in person's own account: change password, see and end sessions; and the one-time
/// invitation link that lets a new user choose a password.
struct AccountController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration

    static let invitationLifetime: TimeInterval = 72 * 3600

    func register(protected router: RouterGroup<AppRequestContext>, open: Router<AppRequestContext>) {
        router.get(RouterPath(SiteURL.account.path), use: page)
        router.post(RouterPath(SiteURL.accountPassword.path), use: changePassword)
        router.post(RouterPath(SiteURL.accountSessions.path), use: endSession)
        open.get(RouterPath(SiteURL.Pattern.invitation), use: invitationPage)
        open.post(RouterPath(SiteURL.Pattern.invitation), use: acceptInvitation)
    }

    struct SessionRow {
        var id: String
        var started: String
        var agent: String
        var current: Bool
    }

    struct Page {
        var username: String
        var displayName: String
        var mustChange: Bool
        var saved: Bool
        var error: String?
        var sessions: [SessionRow]
        var roles: [String]
        var passwordAction: String
        var sessionsAction: String
        var minimum: Int
        var twoFactorOn: Bool
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context, saved: request.uri.queryParameters.get("saved") != nil, error: nil)
    }

    func render(_ context: AppRequestContext, saved: Bool, error: String?) async throws -> Response {
        let user = try Access.requireUser(context)
        let th = context.language == .th
        let sessions = try await repositories.sessions.all(userID: user.id, now: configuration.clock(), logger: context.logger)
        let agencies = Dictionary(try await repositories.agencies.all(logger: context.logger).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let model = Page(
            username: user.username, displayName: user.displayName, mustChange: user.mustChangePassword, saved: saved, error: error,
            sessions: sessions.map { session in
                SessionRow(id: session.tokenHash, started: ThaiFormat.dateTime(session.createdAt, thai: th),
                           agent: session.agent.isEmpty ? "–" : session.agent, current: session.tokenHash == context.session?.tokenHash)
            },
            roles: context.grants.map { grant in
                grant.role.name.text(context.language) + (grant.agencyID.flatMap { agencies[$0] }.map { " · " + $0.name.text(context.language) } ?? (th ? " · ทั้งระบบ" : " · system-wide"))
            },
            passwordAction: SiteURL.accountPassword.path, sessionsAction: SiteURL.accountSessions.path, minimum: PasswordPolicy.minimumLength,
            twoFactorOn: user.twoFactorEnabled)
        var response = try views.page("account", title: th ? "บัญชีของฉัน" : "My account", model: model, context: context)
        if error != nil { response.status = .unprocessableContent }
        return response
    }

    func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try Access.requireUser(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let current = form["current"] ?? ""
        let new = form["new"] ?? ""
        let again = form["again"] ?? ""
        let th = context.language == .th
        guard try await Accounts.verify(current, hash: user.passwordHash) else {
            return try await render(context, saved: false, error: th ? "รหัสผ่านปัจจุบันไม่ถูกต้อง" : "The current password is wrong")
        }
        if let problem = PasswordPolicy.problem(new, username: user.username) {
            return try await render(context, saved: false, error: problem.text(context.language))
        }
        guard new == again else {
            return try await render(context, saved: false, error: th ? "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน" : "The two new passwords differ")
        }
        guard new != current else {
            return try await render(context, saved: false, error: th ? "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม" : "The new password must differ from the old one")
        }
        // Every other session of this user ends at once; this one stays.
        try await repositories.users.setPassword(userID: user.id, passwordHash: try await Accounts.hash(new), mustChange: false,
                                                 keeping: context.session?.tokenHash, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.account.path + "?saved=1")
    }

    func endSession(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try Access.requireUser(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        guard let id = form["session"], !id.isEmpty else { throw AppError.badInput(th: "ไม่ได้เลือกเซสชัน", en: "No session chosen") }
        // Only the user's own sessions: another user's id matches nothing.
        try await repositories.sessions.delete(userID: user.id, tokenHash: id, logger: context.logger)
        if id == context.session?.tokenHash { return redirect(to: SiteURL.login.path) }
        return redirect(to: SiteURL.account.path + "?saved=1")
    }

    // MARK: invitations

    struct InvitationPage {
        var username: String
        var displayName: String
        var csrf: String
        var error: String?
        var minimum: Int
    }

    func invitationPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = context.parameters.get("token"),
            let user = try await repositories.users.invitation(tokenHash: SessionMiddleware.hash(token), now: configuration.clock(), logger: context.logger)
        else {
            throw AppError(.notFound, th: "ลิงก์เชิญนี้ใช้แล้วหรือหมดอายุ กรุณาขอลิงก์ใหม่จากผู้ดูแลระบบ", en: "This invitation link was used or has expired; ask for a new one")
        }
        return try renderInvitation(user, error: nil, context: context)
    }

    func renderInvitation(_ user: User, error: String?, context: AppRequestContext) throws -> Response {
        let token = SessionMiddleware.randomToken()
        var response = try views.page("invitation", title: context.language == .th ? "ตั้งรหัสผ่าน" : "Choose a password",
                                      model: InvitationPage(username: user.username, displayName: user.displayName, csrf: token, error: error,
                                                            minimum: PasswordPolicy.minimumLength), context: context)
        if error != nil { response.status = .unprocessableContent }
        response.setCookie(Cookie(name: CSRFMiddleware.preSessionCookie, value: token, path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func acceptInvitation(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = context.parameters.get("token") else { throw AppError.notFound }
        let hash = SessionMiddleware.hash(token)
        guard let user = try await repositories.users.invitation(tokenHash: hash, now: configuration.clock(), logger: context.logger) else {
            throw AppError(.notFound, th: "ลิงก์เชิญนี้ใช้แล้วหรือหมดอายุ กรุณาขอลิงก์ใหม่จากผู้ดูแลระบบ", en: "This invitation link was used or has expired; ask for a new one")
        }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let new = form["new"] ?? ""
        if let problem = PasswordPolicy.problem(new, username: user.username) {
            return try renderInvitation(user, error: problem.text(context.language), context: context)
        }
        guard new == form["again"] else {
            return try renderInvitation(user, error: context.language == .th ? "รหัสผ่านทั้งสองช่องไม่ตรงกัน" : "The two passwords differ", context: context)
        }
        guard try await repositories.users.acceptInvitation(tokenHash: hash, passwordHash: try await Accounts.hash(new), now: configuration.clock(),
                                                            logger: context.logger) != nil
        else {
            throw AppError(.notFound, th: "ลิงก์เชิญนี้ใช้แล้วหรือหมดอายุ", en: "This invitation link was used or has expired")
        }
        return redirect(to: SiteURL.login.path + "?invited=1")
    }
}
