import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import ProngsaiCore
import ProngsaiStore

/// Sign-in, sign-out and the language switch.
struct AuthController {
    let repositories: Repositories
    let views: Views
    let secureCookies: Bool
    let sessionLifetime: TimeInterval
    var clock: @Sendable () -> Date = { Date() }

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(SiteURL.login.path), use: loginPage)
        router.post(RouterPath(SiteURL.login.path), use: login)
        router.get(RouterPath(SiteURL.loginCode.path), use: codePage)
        router.post(RouterPath(SiteURL.loginCode.path), use: code)
        router.post(RouterPath(SiteURL.logout.path), use: logout)
        router.get(RouterPath(SiteURL.Pattern.language), use: switchLanguage)
    }

    struct LoginPage {
        var csrf: String
        var next: String
        var username: String
        var failed: Bool
        /// After an invitation link set the password.
        var invited: Bool = false
        /// Too many wrong passwords: how long to wait.
        var wait: String?
    }

    func loginPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.user != nil { return redirect(to: SiteURL.agencies.path) }
        var response = try renderLogin(next: request.uri.queryParameters.get("next") ?? "", username: "", failed: false,
                                       invited: request.uri.queryParameters.get("invited") != nil, context: context)
        response.status = .ok
        return response
    }

    func renderLogin(next: String, username: String, failed: Bool, invited: Bool = false, lockedUntil: Date? = nil, context: AppRequestContext) throws -> Response {
        let token = SessionMiddleware.randomToken()
        let th = context.language == .th
        let wait = lockedUntil.map { until in
            let left = SignInThrottle.describe(until.timeIntervalSince(clock()), thai: th)
            return th ? "ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้ง กรุณารอ \(left) แล้วลองใหม่" : "Too many failed sign-ins. Please wait \(left) and try again."
        }
        var response = try views.page("login", title: Strings.table["signIn"]!.text(context.language),
                                      model: LoginPage(csrf: token, next: Self.safeNext(next), username: username, failed: failed && wait == nil, invited: invited, wait: wait),
                                      context: context)
        if failed { response.status = .unauthorized }
        if let lockedUntil {
            response.status = .tooManyRequests
            response.headers[.retryAfter] = String(max(1, Int(lockedUntil.timeIntervalSince(clock()).rounded(.up))))
        }
        response.setCookie(Cookie(name: CSRFMiddleware.preSessionCookie, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request, context: context)
        let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let next = form["next"] ?? ""
        // Waits after wrong passwords, per account name and per address, kept in the database for every node.
        // Unknown names are counted like known ones, so a wait says nothing about which accounts exist.
        let now = clock()
        let accountKey = SignInFailureRepository.accountKey(username)
        let addressKey = SignInFailureRepository.addressKey(context.clientAddress)
        if let until = try await repositories.signIns.lockedUntil(keys: [accountKey, addressKey], now: now, logger: context.logger) {
            context.logger.notice("sign-in refused while locked", metadata: ["account": .string(LogText.safe(username))])
            return try renderLogin(next: next, username: username, failed: true, lockedUntil: until, context: context)
        }
        let user = username.isEmpty ? nil : try await repositories.users.find(username: username, logger: context.logger)
        // Verify against a fixed hash when the user is unknown, so timing does not tell which usernames exist.
        let hash = user?.passwordHash ?? Self.dummyHash
        let verified = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard let user, user.active, verified, !password.isEmpty else {
            context.logger.notice("failed sign-in", metadata: ["account": .string(LogText.safe(username))])
            let until = try await recordFailure(account: username, accountKey: accountKey, addressKey: addressKey, now: now, context: context)
            return try renderLogin(next: next, username: username, failed: true, lockedUntil: until, context: context)
        }
        // With two-factor sign-in the password only earns the code step; the account's failures are cleared
        // once the code is right too, so a known password cannot reset the count of wrong codes.
        if user.twoFactorEnabled {
            let ticket = try await SecondFactorTicket.load(repositories.settings)
            var response = redirect(to: SiteURL.loginCode.path)
            response.setCookie(Cookie(name: SecondFactorTicket.cookie, value: ticket.make(userID: user.id, next: Self.safeNext(next), now: now),
                                      maxAge: Int(SecondFactorTicket.lifetime), path: SiteURL.login.path, secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
        try await repositories.signIns.clear(keys: [accountKey], logger: context.logger)
        return try await startSession(user, next: next, request: request, context: context)
    }

    /// One more failure for the account name and the address (a wrong password or a wrong code); returns
    /// until when sign-in now waits, and puts each new lock in the audit log.
    func recordFailure(account: String, accountKey: String, addressKey: String, now: Date, context: AppRequestContext) async throws -> Date? {
        let accountUntil = try await repositories.signIns.recordFailure(key: accountKey, throttle: .account, now: now, logger: context.logger)
        let addressUntil = try await repositories.signIns.recordFailure(key: addressKey, throttle: .address, now: now, logger: context.logger)
        let until = [accountUntil, addressUntil].compactMap { $0 }.max()
        if let until {
            try await repositories.signIns.auditLock(account: account, address: context.clientAddress, until: until, logger: context.logger)
        }
        return until
    }

    /// Signs the user in: a new session and its cookie, then where they wanted to go.
    func startSession(_ user: User, next: String, request: Request, context: AppRequestContext, landing chosen: String? = nil) async throws -> Response {
        let token = SessionMiddleware.randomToken()
        let session = StoredSession(
            tokenHash: SessionMiddleware.hash(token), userID: user.id, csrfToken: SessionMiddleware.randomToken(),
            expiresAt: Date().addingTimeInterval(sessionLifetime), agent: request.headers[.userAgent] ?? "")
        try await repositories.sessions.create(session, logger: context.logger)
        // A temporary password is replaced before anything else; someone working for one agency lands on its
        // current year.
        let target: String
        if user.mustChangePassword {
            target = SiteURL.account.path
        } else if let chosen {
            target = chosen
        } else {
            target = !Self.safeNext(next).isEmpty ? Self.safeNext(next) : try await landing(for: user, context: context)
        }
        var response = redirect(to: target)
        response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: token, maxAge: Int(sessionLifetime), path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: CSRFMiddleware.preSessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: SecondFactorTicket.cookie, value: "", maxAge: 0, path: SiteURL.login.path, secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: the code step

    struct CodePage {
        var csrf: String
        var failed: Bool
        var wait: String?
    }

    /// The user a valid ticket names, when the ticket has not expired and the user still has two-factor on.
    func ticketUser(_ request: Request, context: AppRequestContext) async throws -> (User, SecondFactorTicket.Content)? {
        guard let value = request.cookies[SecondFactorTicket.cookie]?.value, !value.isEmpty,
              let content = try await SecondFactorTicket.load(repositories.settings).read(value, now: clock()),
              let user = try await repositories.users.find(id: content.userID, logger: context.logger), user.active, user.twoFactorEnabled
        else { return nil }
        return (user, content)
    }

    func codePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await ticketUser(request, context: context) != nil else { return redirect(to: SiteURL.login.path) }
        var response = try renderCode(failed: false, lockedUntil: nil, context: context)
        response.status = .ok
        return response
    }

    func renderCode(failed: Bool, lockedUntil: Date?, context: AppRequestContext) throws -> Response {
        let token = SessionMiddleware.randomToken()
        let th = context.language == .th
        let wait = lockedUntil.map { until in
            let left = SignInThrottle.describe(until.timeIntervalSince(clock()), thai: th)
            return th ? "ใส่รหัสไม่ถูกต้องหลายครั้ง กรุณารอ \(left) แล้วลองใหม่" : "Too many wrong codes. Please wait \(left) and try again."
        }
        var response = try views.page("login-code", title: th ? "ยืนยันตัวตนขั้นที่สอง" : "Second step of sign-in",
                                      model: CodePage(csrf: token, failed: failed && wait == nil, wait: wait), context: context)
        if failed { response.status = .unauthorized }
        if let lockedUntil {
            response.status = .tooManyRequests
            response.headers[.retryAfter] = String(max(1, Int(lockedUntil.timeIntervalSince(clock()).rounded(.up))))
        }
        response.headers[.cacheControl] = "no-store"
        response.setCookie(Cookie(name: CSRFMiddleware.preSessionCookie, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// A 6-digit code from the authenticator (each time step once), or one of the recovery codes. Wrong codes
    /// count towards the same waits as wrong passwords.
    func code(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request, context: context)
        guard let (user, ticket) = try await ticketUser(request, context: context) else { return redirect(to: SiteURL.login.path) }
        let now = clock()
        let accountKey = SignInFailureRepository.accountKey(user.username)
        let addressKey = SignInFailureRepository.addressKey(context.clientAddress)
        if let until = try await repositories.signIns.lockedUntil(keys: [accountKey, addressKey], now: now, logger: context.logger) {
            return try renderCode(failed: true, lockedUntil: until, context: context)
        }
        let typed = form["code"] ?? ""
        var accepted = false
        var usedRecovery = false
        if RecoveryCodes.looksLikeOne(typed) {
            accepted = try await repositories.users.useRecoveryCode(userID: user.id, hash: RecoveryCodes.hash(typed, userID: user.id), logger: context.logger)
            usedRecovery = accepted
        } else {
            accepted = try await Accounts.spendCode(typed, user: user, at: now, repositories: repositories, logger: context.logger)
        }
        guard accepted else {
            context.logger.notice("wrong second-factor code", metadata: ["account": .string(LogText.safe(user.username))])
            let until = try await recordFailure(account: user.username, accountKey: accountKey, addressKey: addressKey, now: now, context: context)
            return try renderCode(failed: true, lockedUntil: until, context: context)
        }
        try await repositories.signIns.clear(keys: [accountKey], logger: context.logger)
        // After a recovery code, the two-factor page says how many are left and offers new ones.
        return try await startSession(user, next: ticket.next, request: request, context: context,
                                      landing: usedRecovery ? SiteURL.accountTwoFactor.path + "?recovery=1" : nil)
    }

    /// The agency list, or, for someone whose roles are all in one agency, that agency's dashboard for
    /// the fiscal year under way (else its latest year).
    func landing(for user: User, context: AppRequestContext) async throws -> String {
        let grants = try await repositories.users.grants(userID: user.id, logger: context.logger)
        let agencies = Set(grants.map(\.agencyID))
        guard agencies.count == 1, let only = agencies.first, let agencyID = only,
            let agency = try await repositories.agencies.find(id: agencyID, logger: context.logger)
        else { return SiteURL.agencies.path }
        let years = try await repositories.assessments.all(agencyID: agencyID, logger: context.logger).map(\.fiscalYear)
        let current = FiscalYear(containing: CivilDate.today(clock())).buddhistYear
        guard let year = years.contains(current) ? current : years.filter({ $0 < current }).max() ?? years.max() else { return SiteURL.agencies.path }
        return SiteURL.dashboard(agency: agency.code, year: year).path
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let session = context.session { try await repositories.sessions.delete(tokenHash: session.tokenHash, logger: context.logger) }
        var response = redirect(to: SiteURL.login.path)
        response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    func switchLanguage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let language = context.parameters.get("lang").flatMap(Language.init(rawValue:)) else { throw AppError.notFound }
        var target = SiteURL.home.path
        if let referer = request.headers[.referer], let url = URL(string: referer), let host = request.head.authority,
            url.host.map({ host.hasPrefix($0) }) ?? false
        {
            target = Self.safeNext(url.path + (url.query.map { "?" + $0 } ?? ""))
        }
        var response = redirect(to: target.isEmpty ? SiteURL.home.path : target)
        response.setCookie(Cookie(name: SessionMiddleware.languageCookie, value: language.rawValue, maxAge: 365 * 86400, path: "/", secure: secureCookies, sameSite: .lax))
        return response
    }

    /// Only same-site paths: never "//host" or a full URL (no open redirect), and no control or white-space
    /// characters (a browser drops a tab or a new line and reads "/\t/evil.example" as "//evil.example").
    static func safeNext(_ next: String) -> String {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "" }
        let refused = next.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
        }
        return refused ? "" : next
    }

    static let dummyHash = Bcrypt.hash("prongsai-dummy-password", cost: 10)
}

func redirect(to path: String) -> Response {
    Response(status: .seeOther, headers: [.location: path])
}
