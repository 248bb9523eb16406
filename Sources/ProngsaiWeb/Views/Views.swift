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
            cssURL: SiteURL.stylesheet.path)
        let html = try render("layout", layout)
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                      .init("X-Content-Type-Options")!: "nosniff", .init("X-Frame-Options")!: "DENY",
                      .init("Content-Security-Policy")!: "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// What a page template sees: its model's fields under `m`, labels under `t`, the CSRF token.
struct PageScope {
    var m: Any
    var t: [String: String]
    var csrf: String

    init(model: Any, t: [String: String], csrf: String) {
        self.m = model
        self.t = t
        self.csrf = csrf
    }
}
