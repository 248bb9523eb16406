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
        // Every template renders with our escaper (`HTMLText`): the pragma names it before the template's
        // own text, so nothing else changes.
        MustacheContentTypes.register(HTMLText(), named: HTMLText.name)
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        for file in files.sorted() {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            do {
                try library.register("{{% CONTENT_TYPE: \(HTMLText.name)}}" + text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw AppError(.internalServerError, th: "แม่แบบหน้าเว็บไม่ถูกต้อง", en: "Template \(file) does not parse: \(error)")
            }
        }
        return Views(library: library)
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
        guard let html = library.render(TemplateValues.prepare(object), withTemplate: template) else {
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
    func standalone(_ template: String, model: Any, language: Language, labels: [String: String]? = nil) throws -> Response {
        let (headers, body) = try standaloneParts(template, model: model, language: language, labels: labels)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// The headers and bytes of a standalone page, for a page kept and sent again.
    func standaloneParts(_ template: String, model: Any, language: Language, labels: [String: String]? = nil) throws -> (HTTPFields, ByteBuffer) {
        let nonce = SessionMiddleware.randomToken()
        let html = try render(template, StandaloneScope(m: model, t: labels ?? SurveyStrings.labels(language), nonce: nonce, lang: language.rawValue))
        let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                   .init("X-Content-Type-Options")!: "nosniff", .init("X-Frame-Options")!: "DENY",
                                   .init("Referrer-Policy")!: "no-referrer",
                                   .init("Content-Security-Policy")!: "default-src 'none'; style-src 'nonce-\(nonce)'; script-src 'nonce-\(nonce)'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"]
        return (headers, ByteBuffer(string: html))
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

/// The renderer looks a name up by reflection (`Mirror`) on every use and on every level of the context it
/// climbs, so a page of 43 rows pays for thousands of reflections. The model is turned into dictionaries
/// once instead, which the renderer reads by hash; what a template sees is the same: a property is a key, a
/// nil optional is absent (the lookup climbs to the enclosing object, as it does for a nil property), arrays
/// stay arrays, and everything that is not a plain struct or class (strings, numbers, enums, dictionaries,
/// values that print themselves) is passed as it is.
enum TemplateValues {
    static func prepare(_ value: Any) -> Any {
        switch value {
        case is String, is Bool, is Int, is Decimal, is [String: String]: return value
        default: break
        }
        if let optional = value as? any OptionalValue { return optional.wrappedValue.map(prepare) ?? value }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?, .class?:
            // Numbers, dates and the like print themselves.
            if value is any CustomStringConvertible { return value }
            var object: [String: Any] = [:]
            object.reserveCapacity(mirror.children.count)
            for child in mirror.children {
                guard let label = child.label else { continue }
                if let optional = child.value as? any OptionalValue {
                    if let present = optional.wrappedValue { object[label] = prepare(present) }
                } else {
                    object[label] = prepare(child.value)
                }
            }
            return object
        case .collection?:
            return mirror.children.map { prepare($0.value) }
        default:
            return value
        }
    }
}

/// An optional seen through `Any`, without reflecting on it.
protocol OptionalValue {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
    var wrappedValue: Any? {
        switch self {
        case .some(let value): (value as? any OptionalValue).map { $0.wrappedValue } ?? value
        case .none: nil
        }
    }
}

/// HTML escaping on bytes: `<`, `>`, `&`, `"` and `'` become entities wherever they are. (The renderer's own
/// escaper walks grapheme clusters, which was a sixth of a page's time, and leaves a `<` alone when a
/// combining mark follows it, since the two are then one character.)
struct HTMLText: MustacheContentType {
    static let name = "PRONGSAI_HTML"

    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            switch byte {
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
