import Crypto
import Foundation
import ProngsaiCore
import ProngsaiStore

/// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, 6 digits, the
/// parameters every authenticator app reads from an `otpauth://` QR code.
public enum TOTP {
    public static let period: Int64 = 30
    public static let digits = 6

    /// The time step a moment falls in.
    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(period)).rounded(.down))
    }

    /// The code for one time step (RFC 4226 §5.3: dynamic truncation of the HMAC).
    public static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let value = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let number = value % 1_000_000
        let text = String(number)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The time step whose code this is, looking one step either side of now (a phone's clock may be a
    /// little off, and a code typed at the end of its 30 seconds arrives in the next); nil when none.
    /// Every candidate is computed and compared in constant time.
    public static func matchingStep(_ typed: String, secret: [UInt8], at date: Date) -> Int64? {
        let digitsOnly = normalized(typed)
        guard digitsOnly.count == digits else { return nil }
        let now = step(at: date)
        var found: Int64?
        for candidate in [now - 1, now, now + 1] where constantTimeEqual(code(secret: secret, step: candidate), digitsOnly) {
            found = candidate
        }
        return found
    }

    /// Digits only: spaces and dashes a person types between groups are dropped, Thai digits read as digits.
    static func normalized(_ typed: String) -> String {
        String(typed.compactMap { character -> Character? in
            if let value = character.wholeNumberValue, character.isNumber { return Character(String(value)) }
            return nil
        })
    }

    /// A new random secret: 160 bits, as RFC 4226 recommends.
    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The `otpauth://` address an authenticator app reads from the QR code.
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let issuerText = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? "Prongsai"
        let accountText = account.addingPercentEncoding(withAllowedCharacters: allowed) ?? "user"
        return "otpauth://totp/\(issuerText):\(accountText)?secret=\(Base32.encode(secret))&issuer=\(issuerText)&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }
}

/// RFC 4648 base32 (A–Z, 2–7), unpadded, as authenticator apps take secrets.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return out
    }

    /// Nil for a character outside the alphabet; case, spaces and padding are ignored.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.uppercased() where character != " " && character != "=" && character != "-" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}

/// Recovery codes: ten one-time codes shown once when two-factor sign-in is turned on, for a lost phone.
/// Each has 60 random bits (12 base32 characters, in groups of four); only a SHA-256 of the user's id and
/// the code is stored, which at 60 bits is as strong as a slow hash of a password.
public enum RecoveryCodes {
    public static let count = 10

    public static func make() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let characters = (0..<12).map { _ in Base32.alphabet[Int.random(in: 0..<32, using: &generator)] }
            return stride(from: 0, to: 12, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
        }
    }

    /// The stored form of a code as a person types it (any case, with or without dashes and spaces).
    public static func hash(_ code: String, userID: String) -> String {
        NumberText.hex(SHA256.hash(data: Data((userID + "|" + canonical(code)).utf8)))
    }

    /// Upper case without separators; a zero, one or eight typed for the letter it resembles (base32 has no
    /// 0, 1 or 8) is read as that letter.
    static func canonical(_ typed: String) -> String {
        String(typed.uppercased().map { character -> Character in
            switch character {
            case "0": "O"
            case "1": "I"
            case "8": "B"
            default: character
            }
        }.filter { Base32.alphabet.contains($0) })
    }

    /// Whether what was typed looks like a recovery code rather than a 6-digit TOTP code.
    static func looksLikeOne(_ typed: String) -> Bool {
        typed.contains { $0.isLetter } && canonical(typed).count == 12
    }
}

/// Who must use two-factor sign-in (`serve --two-factor`): by default administrators and assessors, whose
/// accounts can change every agency's results, and the complaint handlers and custodians, who read what
/// reporters wrote; others may turn it on themselves.
public struct TwoFactorPolicy: Sendable, Hashable {
    public var requiredRoles: Set<Role>

    public init(requiredRoles: Set<Role>) { self.requiredRoles = requiredRoles }

    public static let required = TwoFactorPolicy(requiredRoles: [.admin, .assessor, .handler, .custodian])
    public static let optional = TwoFactorPolicy(requiredRoles: [])

    public func requires(_ grants: [RoleGrant]) -> Bool {
        grants.contains { requiredRoles.contains($0.role) }
    }
}

/// The step between a right password and the code: a short-lived cookie naming the user, signed with a key
/// kept in the database so any app node can finish the sign-in. It proves only that the password was right.
struct SecondFactorTicket {
    static let cookie = "prongsai_2fa"
    static let settingsKey = "second-factor-key"
    static let lifetime: TimeInterval = 300
    let key: SymmetricKey

    static func load(_ settings: SettingsRepository) async throws -> SecondFactorTicket {
        SecondFactorTicket(key: try await storedKey(settingsKey, in: settings))
    }

    struct Content: Equatable {
        var userID: String
        var expires: Int64
        var next: String
    }

    func make(userID: String, next: String, now: Date) -> String {
        let nextText = Data(next.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let body = [userID, String(Int64(now.timeIntervalSince1970 + Self.lifetime)), nextText].joined(separator: ".")
        return body + "." + mac(body)
    }

    func read(_ token: String, now: Date) -> Content? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let expires = Int64(parts[1]) else { return nil }
        let body = parts[0...2].joined(separator: ".")
        guard constantTimeEqual(mac(body), parts[3]), Double(expires) > now.timeIntervalSince1970 else { return nil }
        var base64 = parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let next = Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        return Content(userID: parts[0], expires: expires, next: next)
    }

    func mac(_ body: String) -> String {
        NumberText.hex(Array(HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: key)))
    }
}
