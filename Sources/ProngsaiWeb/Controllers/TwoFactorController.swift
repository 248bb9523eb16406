import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The signed-in person's two-factor sign-in: enrol with a QR code, recovery codes shown once, new codes,
/// turning it off (only where the person's roles do not require it).
struct TwoFactorController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.accountTwoFactor.path), use: page)
        router.post(RouterPath(SiteURL.accountTwoFactor.path), use: change)
    }

    struct Page {
        var enabled: Bool
        var required: Bool
        var mustEnrol: Bool
        var recoveryUsed: Bool
        var qr: String?
        var key: String?
        var codes: [String]
        var showCodes: Bool
        var left: Int
        var error: String?
        var saved: Bool
        var action: String
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context, codes: nil, error: nil, saved: request.uri.queryParameters.get("saved") != nil,
                         recoveryUsed: request.uri.queryParameters.get("recovery") != nil)
    }

    func render(_ context: AppRequestContext, codes: [String]?, error: String?, saved: Bool = false, recoveryUsed: Bool = false) async throws -> Response {
        var user = try Access.requireUser(context)
        if let fresh = try await repositories.users.find(id: user.id, logger: context.logger) { user = fresh }
        let th = context.language == .th
        let required = configuration.twoFactor.requires(context.grants)
        var qr: String?
        var key: String?
        if !user.twoFactorEnabled {
            // The offer stays the same across reloads, so a code scanned a moment ago still fits.
            let secret: String
            if let pending = user.twoFactorPending, Base32.decode(pending)?.count == 20 {
                secret = pending
            } else {
                secret = Base32.encode(TOTP.newSecret())
                try await repositories.users.offerTwoFactor(userID: user.id, secret: secret, logger: context.logger)
            }
            let uri = TOTP.provisioningURI(secret: Base32.decode(secret) ?? [], account: user.username, issuer: "Prongsai")
            qr = try QRCode(uri, correction: .medium).svg(moduleSize: 4, quietZone: 4, title: th ? "คิวอาร์โค้ดสำหรับแอปยืนยันตัวตน" : "QR code for the authenticator app")
            key = stride(from: 0, to: secret.count, by: 4).map { offset in
                let start = secret.index(secret.startIndex, offsetBy: offset)
                return String(secret[start..<(secret.index(start, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
            }.joined(separator: " ")
        }
        let left = user.twoFactorEnabled ? try await repositories.users.recoveryCodesLeft(userID: user.id, logger: context.logger) : 0
        let model = Page(enabled: user.twoFactorEnabled, required: required, mustEnrol: required && !user.twoFactorEnabled, recoveryUsed: recoveryUsed,
                         qr: qr, key: key, codes: codes ?? [], showCodes: codes != nil, left: left, error: error, saved: saved, action: SiteURL.accountTwoFactor.path)
        var response = try views.page("two-factor", title: th ? "การยืนยันตัวตนสองขั้นตอน" : "Two-factor sign-in", model: model, context: context)
        // The key and the recovery codes must not stay in a cache.
        response.headers[.cacheControl] = "no-store"
        if error != nil { response.status = .unprocessableContent }
        return response
    }

    /// One form per action: turn-on (with the first code), new-codes (with a code), turn-off (password and code).
    func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let signedIn = try Access.requireUser(context)
        guard let user = try await repositories.users.find(id: signedIn.id, logger: context.logger) else { throw AppError.notFound }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let th = context.language == .th
        let wrongCode = th ? "รหัสจากแอปไม่ถูกต้องหรือใช้ไปแล้ว กรุณาใส่รหัสที่แอปแสดงอยู่ขณะนี้" : "The code is wrong or was used already; enter the one the app shows now"
        let now = configuration.clock()
        switch form["action"] ?? "" {
        case "turn-on":
            guard !user.twoFactorEnabled else { return redirect(to: SiteURL.accountTwoFactor.path) }
            guard let pending = user.twoFactorPending, let secret = Base32.decode(pending),
                  let step = TOTP.matchingStep(form["code"] ?? "", secret: secret, at: now)
            else { return try await render(context, codes: nil, error: wrongCode) }
            let codes = RecoveryCodes.make()
            guard try await repositories.users.enableTwoFactor(userID: user.id, secret: pending, step: step,
                                                               recoveryHashes: codes.map { RecoveryCodes.hash($0, userID: user.id) },
                                                               by: context.actor, logger: context.logger)
            else { return try await render(context, codes: nil, error: wrongCode) }
            return try await render(context, codes: codes, error: nil)
        case "new-codes":
            guard try await Accounts.spendCode(form["code"] ?? "", user: user, at: now, repositories: repositories, logger: context.logger) else {
                return try await render(context, codes: nil, error: wrongCode)
            }
            let codes = RecoveryCodes.make()
            try await repositories.users.newRecoveryCodes(userID: user.id, hashes: codes.map { RecoveryCodes.hash($0, userID: user.id) },
                                                          by: context.actor, logger: context.logger)
            return try await render(context, codes: codes, error: nil)
        case "turn-off":
            guard !configuration.twoFactor.requires(context.grants) else {
                throw AppError(.forbidden, th: "บทบาทของคุณต้องใช้การยืนยันตัวตนสองขั้นตอน", en: "Your role requires two-factor sign-in")
            }
            guard try await Accounts.verify(form["password"] ?? "", hash: user.passwordHash) else {
                return try await render(context, codes: nil, error: th ? "รหัสผ่านไม่ถูกต้อง" : "The password is wrong")
            }
            guard try await Accounts.spendCode(form["code"] ?? "", user: user, at: now, repositories: repositories, logger: context.logger) else {
                return try await render(context, codes: nil, error: wrongCode)
            }
            try await repositories.users.disableTwoFactor(userID: user.id, by: context.actor, logger: context.logger)
            return redirect(to: SiteURL.accountTwoFactor.path + "?saved=1")
        default:
            throw AppError.badInput(th: "ไม่รู้จักคำสั่งนี้", en: "Unknown action")
        }
    }
}

/// Someone whose roles require two-factor sign-in and who has not turned it on enrols before anything else.
struct TwoFactorGate: RouterMiddleware {
    typealias Context = AppRequestContext
    let policy: TwoFactorPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let user = context.user, !user.twoFactorEnabled, policy.requires(context.grants) else { return try await next(request, context) }
        let path = request.uri.path
        let open = [SiteURL.accountTwoFactor.path, SiteURL.account.path, SiteURL.accountPassword.path, SiteURL.logout.path, SiteURL.health.path]
        if open.contains(path) || path.hasPrefix("/static/") || path.hasPrefix("/lang/") || SiteURL.publicFormPrefixes.contains(where: path.hasPrefix) || path.hasPrefix("/t/") {
            return try await next(request, context)
        }
        if request.method == .get || request.method == .head { return redirect(to: SiteURL.accountTwoFactor.path) }
        throw AppError(.forbidden, th: "กรุณาเปิดการยืนยันตัวตนสองขั้นตอนก่อนใช้งาน", en: "Turn on two-factor sign-in first")
    }
}
