import Hummingbird
import Logging
import ProngsaiCore
import ProngsaiStore

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
