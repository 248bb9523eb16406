import Hummingbird
import ProngsaiCore

/// Links, QR codes, slips and the public JSON name the app's address. With `--public-url` that address
/// is configured and the request's `Host` is never used; without it, only the hosts this node serves
/// (its bind address, localhost, and each `--allowed-host`) are answered, so a forged `Host: evil.example`
/// cannot put its name into a page a cache might keep.
struct HostGuard<Context: RequestContext>: RouterMiddleware {
    let allowed: Set<String>
    let active: Bool

    init(configuration: AppConfiguration) {
        active = configuration.publicURL == nil
        allowed = Set((["localhost", "127.0.0.1", "::1", configuration.host] + configuration.allowedHosts).map { $0.lowercased() })
    }

    /// "example.go.th:8080" → "example.go.th"; "[::1]:8080" → "::1".
    static func hostName(_ authority: String) -> String {
        var host = Substring(authority)
        if host.hasPrefix("[") {
            host = host.dropFirst().prefix { $0 != "]" }
        } else if let colon = host.lastIndex(of: ":"), host.filter({ $0 == ":" }).count == 1 {
            host = host[..<colon]
        }
        return host.lowercased()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard active, let authority = request.head.authority, !authority.isEmpty, request.uri.path != SiteURL.health.path else {
            return try await next(request, context)
        }
        guard allowed.contains(Self.hostName(authority)) else {
            context.logger.notice("refused a request for an unknown host", metadata: ["host": .string(LogText.safe(authority))])
            return Response(status: .misdirectedRequest, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: .init(string: "ไม่รู้จักชื่อเว็บไซต์นี้ (This host is not served here: set --public-url or --allowed-host.)\n")))
        }
        return try await next(request, context)
    }
}
