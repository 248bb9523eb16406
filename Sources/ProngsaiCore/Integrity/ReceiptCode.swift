/// The code a reporter gets for a complaint: their only key to the case, so it is their password.
/// 16 characters of Crockford's base 32 (no I, L, O or U) carry 80 random bits; it is shown in groups
/// of four and read back forgiving case, spaces, dashes and the look-alikes O/0 and I/L/1.
public struct ReceiptCode: Sendable, Hashable, CustomStringConvertible {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 16
    /// Random bits in a code.
    public static let bits = 80

    /// The 16 characters, without dashes.
    public let value: String

    /// A new code from `generator` (the system's random generator unless a test fixes one).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ReceiptCode {
        ReceiptCode(value: String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt8(32)))] }))
    }

    public static func random() -> ReceiptCode {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    private init(value: String) { self.value = value }

    /// What a person typed, tidied: upper case, spaces and dashes dropped, O read as 0 and I, L as 1.
    static func tidy(_ text: String) -> String {
        String(text.uppercased().compactMap { character -> Character? in
            switch character {
            case " ", "-", "\t", "\n", "\r", "\u{00A0}": nil
            case "O": "0"
            case "I", "L": "1"
            default: character
            }
        })
    }

    /// Reads what a person typed: nil unless it is 16 characters of the alphabet once tidied.
    public init?(typed text: String) {
        let tidied = Self.tidy(text)
        guard tidied.count == Self.length, tidied.allSatisfy(Self.alphabet.contains) else { return nil }
        value = tidied
    }

    /// Whether `typed` is this code's last four characters, read as the whole code is.
    public func matchesLastFour(_ typed: String) -> Bool { Self.tidy(typed) == lastFour }

    /// "ABCD-EFGH-JKMN-PQRS".
    public var grouped: String {
        stride(from: 0, to: Self.length, by: 4).map { start in
            String(value.dropFirst(start).prefix(4))
        }.joined(separator: "-")
    }

    /// The last four characters, which the reporter types back to show the code was saved.
    public var lastFour: String { String(value.suffix(4)) }

    public var description: String { "ReceiptCode(****)" }
}
