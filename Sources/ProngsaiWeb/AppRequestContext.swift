import Hummingbird
import Logging
import ProngsaiCore
import ProngsaiStore
import Synchronization

/// Per-request state: who is signed in, with which roles, and in which language.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: StoredSession?
    public var user: User?
    public var grants: [RoleGrant] = []
    public var language: Language = .th
    /// The client's address (the TCP peer, or what a trusted proxy says): used in memory by the submission
    /// limit and the sign-in waits; never stored with an answer.
    public var clientAddress: String
    /// The TCP peer.
    public let peerAddress: String
    /// A multipart body already parsed (by the CSRF check), so handlers do not parse it again.
    var multipart: MultipartForm?
    /// Who the request turned out to be, for the error page drawn outside the session middleware.
    let identity = RequestIdentity()
    /// The open API's bearer token, looked up by `APIMiddleware` (the API never reads the session cookie).
    var api: APIAuthentication = .none

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        clientAddress = peerAddress
    }

    /// Forms are small; a larger body is refused with 413 before it is read.
    public var maxUploadSize: Int { 1_048_576 }

    public var actor: AuditActor {
        user.map { AuditActor(userID: $0.id, name: $0.username) } ?? AuditActor(userID: nil, name: "anonymous")
    }
}

/// The context is passed down by value, so what the session middleware learns (the person, their roles,
/// the language) is also recorded here, where the outermost error middleware can read it back.
final class RequestIdentity: Sendable {
    private struct Known: Sendable {
        var session: StoredSession?
        var user: User?
        var grants: [RoleGrant]
        var language: Language
    }

    private let known = Mutex<Known?>(nil)

    func record(_ context: AppRequestContext) {
        known.withLock { $0 = Known(session: context.session, user: context.user, grants: context.grants, language: context.language) }
    }

    func restore(into context: inout AppRequestContext) {
        guard let known = known.withLock({ $0 }) else { return }
        context.session = known.session
        context.user = known.user
        context.grants = known.grants
        context.language = known.language
    }
}
