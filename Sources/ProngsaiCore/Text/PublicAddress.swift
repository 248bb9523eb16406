import Foundation

/// Whether an address people are given (a survey link, a QR code) can be reached from outside: a loopback
/// or private-network host only works on the machine or the office network it points at.
public enum PublicAddress {
    /// The host of "http://127.0.0.1:8080/s/abc" is private; "https://ita.example.go.th" is not.
    public static func isPrivate(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")) else { return false }
        if host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local") || host.hasSuffix(".internal") || host == "0.0.0.0" { return true }
        if host == "::1" || host.hasPrefix("fe80:") || host.hasPrefix("fc") || host.hasPrefix("fd") { return host.contains(":") }
        let parts = host.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4, host.split(separator: ".").count == 4 else { return false }
        switch (parts[0], parts[1]) {
        case (127, _), (10, _), (192, 168), (169, 254): return true
        case (172, 16...31): return true
        case (100, 64...127): return true
        default: return false
        }
    }
}
