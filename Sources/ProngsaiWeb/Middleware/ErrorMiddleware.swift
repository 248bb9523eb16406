import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import ProngsaiCore

/// Turns every error into a Thai (or English) error page, or JSON for API clients. Unknown errors
/// become a bare 500 and are logged; no stack trace reaches the user. It is the outermost middleware, so an
/// error from any other one (the session store down, a malformed request) gets the same page; what the
/// session middleware learned of the person is read back from the request's `identity`.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let shown = Self.appError(for: error)
            switch error {
            case is AppError: break
            case let refused as any DomainError: context.logger.notice("refused: \(refused.userMessage.en)")
            case is HTTPParserError: context.logger.notice("malformed request: \(error)")
            default:
                if shown.status.code >= 500 { context.logger.error("request failed: \(String(reflecting: error))") }
            }
            var known = context
            context.identity.restore(into: &known)
            return try await render(shown, request: request, context: known)
        }
    }

    /// What a person is told about an error, with its status: a person's mistake or a refused step is never a 500.
    static func appError(for error: any Error) -> AppError {
        switch error {
        case let error as AppError: return error
        case let error as any DomainError:
            let status: HTTPResponse.Status = switch error.kind {
            case .invalid: .unprocessableContent
            case .forbidden: .forbidden
            case .conflict: .conflict
            }
            return AppError(status, th: error.userMessage.th, en: error.userMessage.en)
        case let error as any HTTPResponseError:
            let status = error.status
            return switch status {
            case .notFound: .notFound
            case .contentTooLarge: AppError(status, th: "ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด", en: "The request is too large")
            case .unauthorized: AppError(status, th: "กรุณาเข้าสู่ระบบ", en: "Please sign in")
            case .forbidden: .forbidden
            case .methodNotAllowed: AppError(status, th: "ไม่รองรับการเรียกแบบนี้", en: "Method not allowed")
            default: status.code < 500
                ? AppError(status, th: "คำขอไม่ถูกต้อง", en: "Bad request")
                : AppError(.internalServerError, th: "ระบบขัดข้อง กรุณาลองใหม่ภายหลัง", en: "Something went wrong; please try again later")
            }
        case is HTTPParserError:
            // A malformed request (a bad chunk size, a body cut short) is the client's mistake: 400, not 500.
            return AppError(.badRequest, th: "คำขอไม่ถูกต้อง", en: "Bad request")
        default:
            return AppError(.internalServerError, th: "ระบบขัดข้อง กรุณาลองใหม่ภายหลัง", en: "Something went wrong; please try again later")
        }
    }

    func render(_ error: AppError, request: Request, context: Context) async throws -> Response {
        if request.uri.path.hasPrefix(SiteURL.apiPrefix) || (request.headers[.accept] ?? "").hasPrefix("application/json") {
            return Self.json(error, request: request)
        }
        let page = ErrorPage(status: Int(error.status.code), message: error.message.text(context.language))
        var response = try views.page("error", title: page.message, model: page, context: context)
        response.status = error.status
        return response
    }
}

extension ErrorMiddleware {
    /// The error as JSON: the open API's one error body (`{"error": {"status", "th", "en"}}`).
    static func json(_ error: AppError, request: Request) -> Response {
        let body: JSONValue = ["error": ["status": .number(Decimal(Int(error.status.code))), "th": .string(error.message.th), "en": .string(error.message.en)]]
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if request.uri.path.hasPrefix(SiteURL.apiPrefix) {
            // The public reads answer any origin, errors included; a missing or refused token says which
            // scheme to use (RFC 6750).
            if request.method == .get || request.method == .head { headers[.accessControlAllowOrigin] = "*" }
            if error.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"prongsai\"" }
            headers[.cacheControl] = "no-store"
        }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.serialized(pretty: false))))
    }
}

struct ErrorPage: Sendable {
    var status: Int
    var message: String
}
