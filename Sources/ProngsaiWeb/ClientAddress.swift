import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// Who sent a request: the TCP peer, unless the peer is a trusted reverse proxy, in which case the
/// nearest address in `X-Forwarded-For` that is not itself a trusted proxy. A header from anyone else is
/// ignored, so it cannot be forged to dodge the limits.
public enum ClientAddress {
    public static func resolve(peer: String, forwardedFor: [String], trusted: [AddressRange]) -> String {
        func isTrusted(_ address: String) -> Bool { trusted.contains { $0.contains(address) } }
        guard !trusted.isEmpty, isTrusted(peer) else { return peer }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for address in chain.reversed() where !isTrusted(address) {
            return AddressRange.bytes(address) != nil ? address : peer
        }
        return chain.first.flatMap { AddressRange.bytes($0) != nil ? $0 : nil } ?? peer
    }
}

/// Sets the context's client address from a trusted proxy's `X-Forwarded-For`.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: [AddressRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = ClientAddress.resolve(peer: context.peerAddress, forwardedFor: request.headers[values: .init("X-Forwarded-For")!],
                                                      trusted: trusted)
        return try await next(request, context)
    }
}
