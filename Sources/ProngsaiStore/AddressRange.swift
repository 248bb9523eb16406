#if canImport(Glibc)
import Glibc
#endif
import Foundation

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

    /// 4 bytes for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address counts as its IPv4 address; a zone
    /// such as "%eth0" is dropped).
    public static func bytes(_ text: String) -> [UInt8]? {
        let bracketed = text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let ip = bracketed.split(separator: "%", omittingEmptySubsequences: false).first.map(String.init) ?? bracketed
        var v4 = in_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, ip, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
