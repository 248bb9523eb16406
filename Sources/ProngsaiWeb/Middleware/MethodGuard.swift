import Hummingbird
import Synchronization

/// A known address asked with a method it does not take gets 405 with `Allow` (HTTP §15.5.6), before any
/// body is read; `OPTIONS` gets the same list. Hummingbird's router answers both with 404, so the table of
/// routes is read from the router once every route is registered (`load`).
final class MethodGuard: RouterMiddleware, Sendable {
    typealias Context = AppRequestContext

    struct Route: Sendable {
        /// Literal segments, or nil for a `:parameter`.
        var segments: [String?]
        var methods: Set<HTTPRequest.Method>
    }

    let routes = Mutex<[Route]>([])

    /// Reads the finished route table (GET implies HEAD, which the router answers by itself).
    func load(_ descriptions: [Router<AppRequestContext>.RouteDescription]) {
        var table: [String: Route] = [:]
        for description in descriptions {
            let text = description.path.description
            // The router writes a parameter as "{name}".
            let segments: [String?] = text.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") || $0 == "*" ? nil : String($0) }
            var route = table[text] ?? Route(segments: segments, methods: [])
            route.methods.insert(description.method)
            if description.method == .get { route.methods.insert(.head) }
            table[text] = route
        }
        routes.withLock { $0 = Array(table.values) }
    }

    /// The route the router would pick for a path: the one whose segments match, preferring a literal
    /// segment over a parameter at the first place they differ (as the router's trie does).
    func route(for path: String) -> Route? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return routes.withLock { routes in
            routes.filter { route in
                route.segments.count == parts.count && zip(route.segments, parts).allSatisfy { $0.0 == nil || $0.0 == $0.1 }
            }.max { a, b in
                guard let index = a.segments.indices.first(where: { (a.segments[$0] == nil) != (b.segments[$0] == nil) }) else { return false }
                return a.segments[index] == nil
            }
        }
    }

    static func allow(_ methods: Set<HTTPRequest.Method>) -> String {
        (methods.map(\.rawValue) + ["OPTIONS"]).sorted().joined(separator: ", ")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let route = route(for: request.uri.path), !route.methods.contains(request.method) else { return try await next(request, context) }
        let allow = Self.allow(route.methods)
        if request.method == .options {
            return Response(status: .noContent, headers: [.allow: allow])
        }
        context.logger.notice("method not allowed", metadata: ["method": .string(request.method.rawValue)])
        if request.uri.path.hasPrefix(SiteURL.apiPrefix) {
            // The open API's one error body.
            var response = ErrorMiddleware.json(AppError(.methodNotAllowed, th: "ใช้วิธี \(request.method.rawValue) กับที่อยู่นี้ไม่ได้ (ใช้ได้: \(allow))",
                                                         en: "Method \(request.method.rawValue) is not allowed here (allowed: \(allow))"), request: request)
            response.headers[.allow] = allow
            return response
        }
        return Response(status: .methodNotAllowed, headers: [.allow: allow, .contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "ใช้วิธี \(request.method.rawValue) กับที่อยู่นี้ไม่ได้ (ใช้ได้: \(allow))\nMethod \(request.method.rawValue) is not allowed here (allowed: \(allow))\n")))
    }
}
