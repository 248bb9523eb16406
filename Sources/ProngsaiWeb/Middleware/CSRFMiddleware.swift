import Foundation
import Hummingbird
import ProngsaiCore

/// Every state-changing request must carry the session's CSRF token in the `_csrf` field.
/// Sign-in has no session yet: it uses a double-submit cookie instead.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let field = "_csrf"
    static let preSessionCookie = "prongsai_csrf"
    /// Uploads (multipart) may be as large as the evidence limit.
    let uploadLimit: Int
    /// Other forms are small: 256 KB holds some 28,000 Thai characters, which percent-encode to 9 bytes each.
    static let formLimit = 262_144

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post || request.method == .put || request.method == .delete || request.method == .patch else {
            return try await next(request, context)
        }
        // Public forms have no session to forge: a survey's one-time submission id, a report's or question's
        // one-time challenge, a follow-up's receipt code guard them.
        if SiteURL.publicFormPrefixes.contains(where: request.uri.path.hasPrefix) { return try await next(request, context) }
        // The open API reads no cookie (the session middleware skips it): a bearer token, which a browser never
        // sends by itself, is its only credential, so there is nothing to forge.
        if request.uri.path.hasPrefix(SiteURL.apiPrefix) { return try await next(request, context) }
        var request = request
        let expected: String?
        // Sign-in and invitation links have no session yet: a double-submit cookie instead.
        if request.uri.path == SiteURL.login.path || request.uri.path == SiteURL.loginCode.path || request.uri.path.hasPrefix("/invite/") {
            expected = request.cookies[Self.preSessionCookie]?.value
        } else {
            expected = context.session?.csrfToken
        }
        // Without a session (or the sign-in cookie) nothing can pass: refuse before reading a byte of the body,
        // so an anonymous 20 MB upload costs nothing.
        guard let expected, !expected.isEmpty else {
            context.logger.notice("refused a body without a session", metadata: ["path": .string(LogText.safe(request.uri.path))])
            throw AppError.csrf
        }
        let multipart = (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data")
        let limit = multipart ? uploadLimit : Self.formLimit
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw AppError(.contentTooLarge, th: "ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด", en: "The request is too large")
        }
        let sent: String
        var context = context
        if multipart {
            let form = try await MultipartForm.read(&request, context: context, limit: uploadLimit)
            context.multipart = form
            sent = form[Self.field]?.text ?? ""
        } else {
            sent = try await FormData.read(&request, context: context, limit: Self.formLimit)[Self.field] ?? ""
        }
        guard constantTimeEqual(sent, expected) else {
            context.logger.notice("CSRF check failed for \(request.method) \(request.uri.path)")
            throw AppError.csrf
        }
        return try await next(request, context)
    }
}

/// Pages behind sign-in: a browser is sent to the sign-in page, keeping where it wanted to go.
struct RequireLoginMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.user != nil else {
            if request.method == .get {
                let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? "/"
                return Response(status: .seeOther, headers: [.location: SiteURL.login.path + "?next=" + next])
            }
            throw AppError(.unauthorized, th: "กรุณาเข้าสู่ระบบ", en: "Please sign in")
        }
        return try await next(request, context)
    }
}
