#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import ProngsaiCore

/// An address range in CIDR form ("10.0.0.0/8", "2001:db8::/32"), for `--trusted-proxy`.
public struct AddressRange: Sendable, Hashable {
    let network: [UInt8]
    let bits: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let bytes = Self.bytes(String(parts[0])) else { return nil }
        let maxBits = bytes.count * 8
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maxBits).contains(n) else { return nil }
            bits = n
        } else {
            bits = maxBits
        }
        network = bytes
    }

    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address), bytes.count == network.count else { return false }
        for bit in 0..<bits where (bytes[bit / 8] >> (7 - UInt8(bit % 8))) & 1 != (network[bit / 8] >> (7 - UInt8(bit % 8))) & 1 { return false }
        return true
    }

    /// 4 bytes for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address counts as its IPv4 address).
    static func bytes(_ text: String) -> [UInt8]? {
        let ip = text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        var v4 = in_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, ip, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}

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
