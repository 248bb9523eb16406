import Foundation
import Hummingbird
import Mustache
import ProngsaiCore

/// Renders pages: a page template inside the shared layout, in the request's language.
public struct Views: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Views {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw AppError(.internalServerError, th: "ไม่พบแม่แบบหน้าเว็บ", en: "Templates not found")
        }
        return Views(library: try await MustacheLibrary(directory: directory.path))
    }

    struct Layout {
        var title: String
        var lang: String
        var t: [String: String]
        var content: String
        var user: String?
        var csrf: String?
        var otherLanguage: String
        var homeURL: String
        var logoutURL: String
        var cssURL: String
        var accountURL: String = SiteURL.account.path
        /// Shown to system administrators only.
        var adminURL: String?
    }

    func render(_ template: String, _ object: Any) throws -> String {
        guard let html = library.render(object, withTemplate: template) else {
            throw AppError(.internalServerError, th: "ไม่พบแม่แบบหน้าเว็บ", en: "Template \(template) not found")
        }
        return html
    }

    /// A full HTML page. The page model is rendered with `t` (labels) and `csrf` available beside it.
    func page(_ template: String, title: String, model: Any, context: AppRequestContext) throws -> Response {
        let body = try render(template, PageScope(model: model, t: Strings.labels(context.language), csrf: context.session?.csrfToken ?? ""))
        let other: Language = context.language == .th ? .en : .th
        let layout = Layout(
            title: title, lang: context.language.rawValue, t: Strings.labels(context.language), content: body,
            user: context.user?.displayName, csrf: context.session?.csrfToken,
            otherLanguage: SiteURL.language(other).path, homeURL: SiteURL.home.path, logoutURL: SiteURL.logout.path,
            cssURL: SiteURL.stylesheet.path, adminURL: Access.isSystemAdmin(context) ? SiteURL.admin.path : nil)
        let html = try render("layout", layout)
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                      .init("X-Content-Type-Options")!: "nosniff", .init("X-Frame-Options")!: "DENY",
                      .init("Content-Security-Policy")!: "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

extension Views {
    /// A page that stands alone: no layout, its styles inline under a per-response nonce, nothing
    /// loaded from elsewhere (the public survey pages, which must stay small on a cheap phone).
    func standalone(_ template: String, model: Any, language: Language) throws -> Response {
        let nonce = SessionMiddleware.randomToken()
        let html = try render(template, StandaloneScope(m: model, t: SurveyStrings.labels(language), nonce: nonce, lang: language.rawValue))
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                      .init("X-Content-Type-Options")!: "nosniff", .init("X-Frame-Options")!: "DENY",
                      .init("Referrer-Policy")!: "no-referrer",
                      .init("Content-Security-Policy")!: "default-src 'none'; style-src 'nonce-\(nonce)'; script-src 'nonce-\(nonce)'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

extension Views {
    /// A page made for paper (A4): printed from the browser, styles inline.
    func printable(_ template: String, model: Any, language: Language) throws -> Response {
        try standalone(template, model: model, language: language)
    }
}

struct StandaloneScope {
    var m: Any
    var t: [String: String]
    var nonce: String
    var lang: String
}

/// What a page template sees: its model's fields under `m`, labels under `t`, the CSRF token.
struct PageScope {
    var m: Any
    var t: [String: String]
    var csrf: String
    var u = SiteURL.common

    init(model: Any, t: [String: String], csrf: String) {
        self.m = model
        self.t = t
        self.csrf = csrf
    }
}
