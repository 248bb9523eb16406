import Foundation

/// Codes people type from paper: no 0/O, 1/I/L; grouped in fours.
public enum OneTimeCode {
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(chars[0..<4]) + "-" + String(chars[4..<8])
    }

    /// "abcd efgh", "ABCDEFGH" → "ABCD-EFGH"; nil when it cannot be a code.
    public static func normalize(_ text: String) -> String? {
        let chars = text.uppercased().filter { $0.isLetter || $0.isNumber }
        guard chars.count == 8, chars.allSatisfy(alphabet.contains) else { return nil }
        return String(chars.prefix(4)) + "-" + String(chars.suffix(4))
    }

    /// The part of a personal survey link that carries the code: a URL fragment ("#c=ABCD-EFGH"), which
    /// browsers keep to themselves, so the code never reaches a server or proxy log; the survey page
    /// moves it into the form.
    public static func fragment(_ code: String) -> String { "#c=" + code }

    /// A short public link code (lower case, no look-alikes).
    public static func publicCode() -> String {
        let chars = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<6).map { _ in chars[Int.random(in: 0..<chars.count, using: &generator)] })
    }
}
