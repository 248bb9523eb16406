import Crypto
import Foundation
import Hummingbird
import HummingbirdAuth
import ProngsaiCore
import ProngsaiStore

/// Reads the session cookie and the language cookie, and loads the signed-in user and roles.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let repositories: Repositories

    static let cookieName = "prongsai_session"
    static let languageCookie = "prongsai_lang"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let lang = request.cookies[Self.languageCookie]?.value, let language = Language(rawValue: lang) {
            context.language = language
        }
        context.identity.record(context)
        // The open API is authenticated by its bearer token only: a cookie never acts there, so a page elsewhere
        // cannot make a signed-in browser write through it.
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, !request.uri.path.hasPrefix(SiteURL.apiPrefix),
            let session = try await repositories.sessions.find(tokenHash: Self.hash(token), now: Date(), logger: context.logger),
            let user = try await repositories.users.find(id: session.userID, logger: context.logger), user.active
        {
            context.session = session
            context.user = user
            context.grants = try await repositories.users.grants(userID: user.id, logger: context.logger)
        }
        context.identity.record(context)
        return try await next(request, context)
    }

    static func hash(_ token: String) -> String {
        NumberText.hex(SHA256.hash(data: Data(token.utf8)))
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return NumberText.hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

/// Access rules: every agency route checks the user's grants for that agency.
enum Access {
    static func canView(_ context: AppRequestContext, agencyID: String) -> Bool {
        context.grants.contains { $0.agencyID == nil && $0.role == .admin || $0.agencyID == agencyID }
    }

    static func has(_ context: AppRequestContext, agencyID: String, anyOf roles: Set<Role>) -> Bool {
        context.grants.contains { grant in
            roles.contains(grant.role) && (grant.agencyID == agencyID || (grant.agencyID == nil && grant.role == .admin))
        }
    }

    static func isSystemAdmin(_ context: AppRequestContext) -> Bool {
        context.grants.contains { $0.agencyID == nil && $0.role == .admin }
    }

    /// Throws unless someone is signed in.
    static func requireUser(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw AppError(.unauthorized, th: "กรุณาเข้าสู่ระบบ", en: "Please sign in") }
        return user
    }
}
