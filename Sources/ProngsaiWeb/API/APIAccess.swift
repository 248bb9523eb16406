import Foundation
import Hummingbird
import Logging
import OpenAPIRuntime
import ProngsaiCore
import ProngsaiStore

/// Personal API tokens: `prongsai_` and 32 random bytes in hexadecimal. Only their SHA-256 is stored (the
/// token is as random as a session token, so a fast hash is enough, as for sessions).
enum APITokenSecret {
    static let prefix = "prongsai_"
    /// Characters of the token kept in the clear so its owner can tell tokens apart ("prongsai_1a2b3c").
    static let hintLength = prefix.count + 6

    /// A new token, its hash and its hint.
    static func make() -> (token: String, hash: String, hint: String) {
        let token = prefix + SessionMiddleware.randomToken()
        return (token, SessionMiddleware.hash(token), String(token.prefix(hintLength)))
    }

    /// The token of an `Authorization: Bearer …` header; nil when there is no such header.
    static func bearer(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return "" }
        return parts[1].drop { $0 == " " }
    }
}

/// Who an API request acts as: a live token, its owner and the owner's roles now.
struct APIClient: Sendable {
    var token: APIToken
    var user: User
    var grants: [RoleGrant]

    /// Recorded in the history as the owner, through this token ("officer (API prongsai_1a2b3c…)").
    var actor: AuditActor { AuditActor(userID: user.id, name: "\(user.username) (API \(token.hint)…)") }

    /// Whether its owner is the agency's ITA officer now (a role taken away counts at once).
    func isOfficer(of agencyID: String) -> Bool {
        grants.contains { $0.agencyID == agencyID && $0.role == .officer }
    }

    /// The token names the agency and its owner is the officer there.
    func mayWrite(for agencyID: String) -> Bool {
        token.agencyIDs.contains(agencyID) && isOfficer(of: agencyID)
    }
}

/// What the request's `Authorization` header turned out to be.
enum APIAuthentication: Sendable {
    case none
    /// A header that names no live token (unknown, revoked, malformed, or its owner deactivated).
    case refused
    case client(APIClient)
}

/// In front of every open API route: bodies are read up to 1 MB, the bearer token (if any) is looked up in
/// the database on every request (so a revoked token is refused by every node at once), the request's
/// context is made available to the generated handlers, and what the generated code throws becomes an
/// `AppError` that the error middleware renders as the API's error body.
struct APIMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let repositories: Repositories
    let configuration: AppConfiguration

    static let maxBody = 1_048_576

    /// What the handlers the generator wrote need of the request beyond its parameters and body.
    struct Current: Sendable {
        var context: AppRequestContext
        /// The address the app is reached at, for links in answers.
        var baseURL: String
    }

    /// The request being answered, for the generated handlers (they see only the HTTP request).
    @TaskLocal static var current: Current?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        if request.method != .get && request.method != .head {
            _ = try await request.collectBody(upTo: Self.maxBody)
        }
        context.api = try await authenticate(request, logger: context.logger)
        let known = context
        do {
            var response = try await Self.$current.withValue(Current(context: known, baseURL: configuration.baseURL(for: request))) {
                try await next(request, known)
            }
            // Reads answer any origin (a browser sends no token across origins: a write needs a preflight,
            // which is not granted).
            if request.method == .get || request.method == .head { response.headers[.accessControlAllowOrigin] = "*" }
            return response
        } catch let error as ServerError {
            throw Self.translate(error)
        }
    }

    func authenticate(_ request: Request, logger: Logger) async throws -> APIAuthentication {
        guard let sent = APITokenSecret.bearer(request.headers[.authorization]) else { return .none }
        guard sent.hasPrefix(APITokenSecret.prefix), sent.count <= 200,
              let token = try await repositories.apiTokens.find(tokenHash: SessionMiddleware.hash(String(sent)), logger: logger),
              let user = try await repositories.users.find(id: token.userID, logger: logger), user.active
        else { return .refused }
        var used = token
        used.lastUsedOn = configuration.today
        if token.lastUsedOn != used.lastUsedOn { try await repositories.apiTokens.markUsed(id: token.id, on: configuration.today, logger: logger) }
        return .client(APIClient(token: used, user: user, grants: try await repositories.users.grants(userID: user.id, logger: logger)))
    }

    /// What the generated code threw, as the person calling should hear it: our own refusals as they are; a
    /// request the document does not allow (a body that does not decode, a missing parameter, another
    /// content type) as its 4xx; anything else stays unknown (a 500, logged).
    static func translate(_ error: ServerError) -> any Error {
        switch error.underlyingError {
        case let known as AppError: return known
        case let refused as any DomainError: return refused
        case let http as any HTTPResponseError: return http
        default: break
        }
        switch error.httpStatus.code {
        case 406:
            return AppError(.notAcceptable, th: "API ตอบเป็น JSON เท่านั้น (Accept: application/json)", en: "The API answers in JSON only (Accept: application/json)")
        case 415:
            return AppError(.unsupportedMediaType, th: "ส่งข้อมูลเป็น JSON (Content-Type: application/json)", en: "Send JSON (Content-Type: application/json)")
        case 400..<500:
            return AppError(error.httpStatus, th: "คำขอไม่ตรงกับคำอธิบาย API (openapi.yaml): ตรวจชนิดและรูปแบบของข้อมูลที่ส่ง",
                            en: "The request does not match the API description (openapi.yaml): check the types and formats sent")
        default:
            return error.underlyingError
        }
    }
}

/// The errors the handlers throw, in Thai and English.
enum APIErrors {
    static let noToken = AppError(.unauthorized, th: "ต้องส่งโทเค็น API ในส่วนหัว Authorization: Bearer …",
                                  en: "Send an API token in the Authorization header (Bearer …)")
    static let badToken = AppError(.unauthorized, th: "โทเค็น API ไม่ถูกต้องหรือถูกเพิกถอนแล้ว", en: "The API token is unknown or was revoked")
    static let notInScope = AppError(.forbidden, th: "โทเค็นนี้ไม่ได้รับสิทธิ์ให้ทำงานแทนหน่วยงานนี้", en: "This token may not act for this agency")
    static let notOfficer = AppError(.forbidden, th: "เจ้าของโทเค็นไม่ได้เป็นเจ้าหน้าที่ ITA ของหน่วยงานนี้แล้ว",
                                     en: "The token's owner is no longer this agency's ITA officer")
    static let noAgency = AppError(.notFound, th: "ไม่พบหน่วยงานนี้", en: "No such agency")
    static let noYear = AppError(.notFound, th: "ไม่พบการประเมินของปีงบประมาณนี้", en: "No assessment for this fiscal year")
    static let noRound = AppError(.notFound, th: "ไม่พบรอบการประเมินนี้", en: "No such round")
    static let noItem = AppError(.notFound, th: "ไม่พบรายการ OIT นี้ในกรอบการประเมินของปีนี้", en: "No such OIT item in this year's framework")
    static let noScore = AppError(.notFound, th: "ไม่มีคะแนนชื่อนี้ในกรอบการประเมินของปีนี้", en: "No such score in this year's framework")

    static func invalid(_ field: String, th: String, en: String) -> AppError {
        AppError(.badRequest, th: "\(field): \(th)", en: "\(field): \(en)")
    }
}
