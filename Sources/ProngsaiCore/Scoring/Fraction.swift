import Foundation

/// An exact non-negative rational number, for scoring.
///
/// Averages of averages divide by 3, 7, 9 … and `Decimal` cannot hold the result: a figure whose exact
/// value is 54.445 came out 54.4449999… and was shown as 54.44. Every ITA figure is a non-negative
/// rational (answer points, published scores and weights are decimals; means divide by counts), so the
/// scorer works in fractions and turns a figure into a `Decimal` only at the end, truncated to 30
/// places. Truncation never crosses a half-cent boundary (x.xx5 has three places), so the figure then
/// rounds half-up exactly as its exact value does (CONTRACT.md).
public struct Fraction: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// In lowest terms; the denominator is never zero.
    public private(set) var numerator: Natural
    public private(set) var denominator: Natural

    public init(_ numerator: Natural, _ denominator: Natural = Natural(1)) {
        precondition(!denominator.isZero, "a fraction with denominator 0")
        // Most figures fit in 64 bits: reduce them there.
        if let n = numerator.uint64, let d = denominator.uint64 {
            let divisor = Self.gcd(n, d)
            self.numerator = Natural(n / divisor)
            self.denominator = Natural(d / divisor)
            return
        }
        let divisor = Natural.gcd(numerator, denominator)
        self.numerator = divisor.isOne ? numerator : numerator.quotientAndRemainder(dividingBy: divisor).quotient
        self.denominator = divisor.isOne ? denominator : denominator.quotientAndRemainder(dividingBy: divisor).quotient
    }

    public init(_ value: Int) {
        precondition(value >= 0, "scores are never negative")
        self.init(Natural(UInt64(value)))
    }

    public static let zero = Fraction(0)
    static let posix = Locale(identifier: "en_US_POSIX")

    /// The exact value of a non-negative decimal (33.33 → 3333/100); nil for a negative or non-finite one.
    public init?(exactly value: Decimal) {
        guard value >= 0, value.isFinite else { return nil }
        var value = value
        // Plain notation: Decimal prints neither exponents nor grouping in the POSIX locale.
        let text = NSDecimalString(&value, Self.posix)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Natural(digits: String(parts[0])) else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard let decimals = fraction.isEmpty ? Natural(0) : Natural(digits: fraction) else { return nil }
        let scale = Natural.power(of: 10, fraction.count)
        self.init(whole * scale + decimals, scale)
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    public static func + (a: Fraction, b: Fraction) -> Fraction {
        if let an = a.numerator.uint64, let ad = a.denominator.uint64, let bn = b.numerator.uint64, let bd = b.denominator.uint64 {
            // a/b + c/d over lcm(b, d), in 64 bits when nothing overflows.
            let g = gcd(ad, bd)
            let (l, o1) = (ad / g).multipliedReportingOverflow(by: bd)
            let (x, o2) = an.multipliedReportingOverflow(by: bd / g)
            let (y, o3) = bn.multipliedReportingOverflow(by: ad / g)
            let (sum, o4) = x.addingReportingOverflow(y)
            if !(o1 || o2 || o3 || o4) { return Fraction(Natural(sum), Natural(l)) }
        }
        if a.denominator == b.denominator { return Fraction(a.numerator + b.numerator, a.denominator) }
        return Fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    public static func * (a: Fraction, b: Fraction) -> Fraction {
        Fraction(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    /// A whole number of times the value (a count of equal answers).
    public static func * (a: Fraction, count: Int) -> Fraction {
        precondition(count >= 0, "a negative count")
        return Fraction(a.numerator * Natural(UInt64(count)), a.denominator)
    }

    /// Divided by a whole number (a count).
    public static func / (a: Fraction, count: Int) -> Fraction {
        precondition(count > 0, "division by a count of 0")
        return Fraction(a.numerator, a.denominator * Natural(UInt64(count)))
    }

    public static func < (a: Fraction, b: Fraction) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// The mean of the values; 0 for none.
    public static func mean(_ values: [Fraction]) -> Fraction {
        guard !values.isEmpty else { return .zero }
        return values.reduce(.zero, +) / values.count
    }

    /// The value truncated to `places` decimal places: exact whenever the value terminates there.
    public func decimal(places: Int = 30) -> Decimal {
        if let n = numerator.uint64, let d = denominator.uint64, d < 1 << 59, let fast = Self.decimal(n, d, places: places) { return fast }
        return decimalByText(places: places)
    }

    /// Long division in 64 bits into at most 38 significant digits, held in two 19-digit parts and put
    /// together with one Decimal addition (parsing the digits as text cost most of a national recompute).
    /// nil when the digits do not fit; the text path then answers.
    static func decimal(_ n: UInt64, _ d: UInt64, places: Int) -> Decimal? {
        var high: UInt64 = 0, highDigits = 0, low: UInt64 = 0, lowDigits = 0
        func push(_ digit: UInt64) -> Bool {
            if highDigits < 19 {
                high = high * 10 + digit
                highDigits += 1
            } else {
                guard lowDigits < 19 else { return false }
                low = low * 10 + digit
                lowDigits += 1
            }
            return true
        }
        let whole = n / d
        if whole > 0 {
            for digit in String(whole).utf8 where !push(UInt64(digit - 48)) { return nil }
        }
        var remainder = n % d
        var fractionDigits = 0
        while remainder != 0, fractionDigits < places {
            // remainder < d < 2^59, so remainder × 10 stays below 2^63.
            remainder *= 10
            guard push(remainder / d) else { return nil }
            remainder %= d
            fractionDigits += 1
        }
        var significand = Decimal(high)
        if lowDigits > 0 { significand = Decimal(sign: .plus, exponent: lowDigits, significand: significand) + Decimal(low) }
        return Decimal(sign: .plus, exponent: -fractionDigits, significand: significand)
    }

    /// The same digits parsed as text: the general path, and the check on the fast one.
    func decimalByText(places: Int = 30) -> Decimal {
        if let n = numerator.uint64, let d = denominator.uint64, d < 1 << 59 {
            // Long division in 64 bits, one digit at a time (remainder × 10 stays below 2^63).
            var text = String(n / d) + "."
            var remainder = n % d
            for _ in 0..<places {
                remainder *= 10
                text.append(Character(Unicode.Scalar(UInt8(48 + remainder / d))))
                remainder %= d
                if remainder == 0 { break }
            }
            return Decimal(string: text, locale: Self.posix)!
        }
        let scaled = (numerator * Natural.power(of: 10, places)).quotientAndRemainder(dividingBy: denominator).quotient
        var digits = scaled.description
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        let text = digits.dropLast(places) + "." + digits.suffix(places)
        return Decimal(string: String(text), locale: Self.posix)!
    }

    /// Rounded half-up to `places` decimal places, exactly (no intermediate Decimal).
    public func roundedHalfUp(places: Int) -> Decimal {
        let scale = Natural.power(of: 10, places)
        // floor(x · 10^places + 1/2) = floor((2·n·10^places + d) / 2d)
        let two = Natural(2)
        let units = (two * numerator * scale + denominator).quotientAndRemainder(dividingBy: two * denominator).quotient
        return Fraction(units, scale).decimal(places: places)
    }

    public var description: String { "\(numerator)/\(denominator)" }
}

/// A natural number of any size: just what exact scoring needs. A value below 2^64 is held inline (most
/// figures are: no heap array to make, count and free); a larger one as little-endian 32-bit limbs.
public struct Natural: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value when `big` is empty.
    private var small: UInt64
    /// Little-endian limbs without leading zero limbs, only for values of 2^64 and above (three limbs or
    /// more); empty otherwise. One value has one representation, so equality and hashing are the fields'.
    private var big: [UInt32]

    public init(_ value: UInt64) {
        small = value
        big = []
    }

    private init(limbs: [UInt32]) {
        var limbs = limbs
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        if limbs.count <= 2 {
            small = (limbs.count > 1 ? UInt64(limbs[1]) << 32 : 0) | (limbs.first.map(UInt64.init) ?? 0)
            big = []
        } else {
            small = 0
            big = limbs
        }
    }

    /// Little-endian limbs without leading zeros (zero has none), for the general algorithms.
    private var limbs: [UInt32] {
        if !big.isEmpty { return big }
        if small == 0 { return [] }
        if small >> 32 == 0 { return [UInt32(small)] }
        return [UInt32(truncatingIfNeeded: small), UInt32(small >> 32)]
    }

    /// "12345" → 12345; nil unless only ASCII digits.
    public init?(digits: String) {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var value = Natural(0)
        let ten = Natural(10)
        for digit in digits.utf8 { value = value * ten + Natural(UInt64(digit - 48)) }
        self = value
    }

    public var isZero: Bool { big.isEmpty && small == 0 }
    /// The value, when it fits in 64 bits.
    var uint64: UInt64? { big.isEmpty ? small : nil }
    var isOne: Bool { big.isEmpty && small == 1 }

    public static func power(of base: UInt64, _ exponent: Int) -> Natural {
        var result = Natural(1)
        let factor = Natural(base)
        for _ in 0..<exponent { result = result * factor }
        return result
    }

    public static func + (a: Natural, b: Natural) -> Natural {
        if a.big.isEmpty, b.big.isEmpty {
            let (sum, overflow) = a.small.addingReportingOverflow(b.small)
            if !overflow { return Natural(sum) }
        }
        let (x, y) = (a.limbs, b.limbs)
        var out: [UInt32] = []
        out.reserveCapacity(max(x.count, y.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<max(x.count, y.count) {
            let sum = UInt64(i < x.count ? x[i] : 0) + UInt64(i < y.count ? y[i] : 0) + carry
            out.append(UInt32(truncatingIfNeeded: sum))
            carry = sum >> 32
        }
        if carry > 0 { out.append(UInt32(carry)) }
        return Natural(limbs: out)
    }

    /// a − b, for a ≥ b.
    public static func - (a: Natural, b: Natural) -> Natural {
        precondition(a >= b, "a natural number minus a larger one")
        if a.big.isEmpty { return Natural(a.small - b.small) }
        var out = a.limbs
        let y = b.limbs
        var borrow: Int64 = 0
        for i in 0..<out.count {
            var difference = Int64(out[i]) - Int64(i < y.count ? y[i] : 0) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 1 << 32 }
            out[i] = UInt32(difference)
        }
        return Natural(limbs: out)
    }

    public static func * (a: Natural, b: Natural) -> Natural {
        if a.isZero || b.isZero { return Natural(0) }
        if a.big.isEmpty, b.big.isEmpty {
            let (high, low) = a.small.multipliedFullWidth(by: b.small)
            if high == 0 { return Natural(low) }
            return Natural(limbs: [UInt32(truncatingIfNeeded: low), UInt32(low >> 32), UInt32(truncatingIfNeeded: high), UInt32(high >> 32)])
        }
        let (x, y) = (a.limbs, b.limbs)
        var out = [UInt32](repeating: 0, count: x.count + y.count)
        for i in 0..<x.count {
            var carry: UInt64 = 0
            let xi = UInt64(x[i])
            for j in 0..<y.count {
                let t = xi * UInt64(y[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            var k = i + y.count
            while carry > 0 {
                let t = UInt64(out[k]) + carry
                out[k] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
                k += 1
            }
        }
        return Natural(limbs: out)
    }

    public static func < (a: Natural, b: Natural) -> Bool {
        if a.big.isEmpty, b.big.isEmpty { return a.small < b.small }
        // A value held in limbs is at least 2^64, above every inline one.
        if a.big.isEmpty != b.big.isEmpty { return a.big.isEmpty }
        if a.big.count != b.big.count { return a.big.count < b.big.count }
        for i in stride(from: a.big.count - 1, through: 0, by: -1) where a.big[i] != b.big[i] {
            return a.big[i] < b.big[i]
        }
        return false
    }

    /// Long division, one limb at a time when the divisor is one limb, else bit by bit.
    public func quotientAndRemainder(dividingBy divisor: Natural) -> (quotient: Natural, remainder: Natural) {
        precondition(!divisor.isZero, "division by zero")
        if big.isEmpty, divisor.big.isEmpty { return (Natural(small / divisor.small), Natural(small % divisor.small)) }
        if self < divisor { return (Natural(0), self) }
        let digits = limbs
        let divisorLimbs = divisor.limbs
        if divisorLimbs.count == 1 {
            let d = UInt64(divisorLimbs[0])
            var out = [UInt32](repeating: 0, count: digits.count)
            var remainder: UInt64 = 0
            for i in stride(from: digits.count - 1, through: 0, by: -1) {
                let current = remainder << 32 | UInt64(digits[i])
                out[i] = UInt32(current / d)
                remainder = current % d
            }
            return (Natural(limbs: out), Natural(remainder))
        }
        var quotient = [UInt32](repeating: 0, count: digits.count)
        var remainder = Natural(0)
        for bit in stride(from: digits.count * 32 - 1, through: 0, by: -1) {
            remainder = remainder.doubled()
            if digits[bit / 32] >> (bit % 32) & 1 == 1 { remainder = remainder + Natural(1) }
            if remainder >= divisor {
                remainder = remainder - divisor
                quotient[bit / 32] |= 1 << (bit % 32)
            }
        }
        return (Natural(limbs: quotient), remainder)
    }

    private func doubled() -> Natural {
        if big.isEmpty, small >> 63 == 0 { return Natural(small << 1) }
        var out: [UInt32] = []
        let digits = limbs
        out.reserveCapacity(digits.count + 1)
        var carry: UInt32 = 0
        for limb in digits {
            out.append(limb << 1 | carry)
            carry = limb >> 31
        }
        if carry > 0 { out.append(carry) }
        return Natural(limbs: out)
    }

    public static func gcd(_ a: Natural, _ b: Natural) -> Natural {
        var (a, b) = (a, b)
        while !b.isZero { (a, b) = (b, a.quotientAndRemainder(dividingBy: b).remainder) }
        return a
    }

    public var description: String {
        if big.isEmpty { return String(small) }
        var chunks: [UInt32] = []
        var value = self
        let billion = Natural(1_000_000_000)
        while !value.isZero {
            let (q, r) = value.quotientAndRemainder(dividingBy: billion)
            chunks.append(UInt32(r.small))
            value = q
        }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() { text += NumberText.padded(chunk, width: 9) }
        return text
    }
}
