import Foundation

/// Numbers as text without `String(format:)`, whose Linux implementation (CoreFoundation) has crashed
/// under concurrent use in the test suite ("Index out of range" inside NSString bridging).
public enum NumberText {
    /// 7 → "07" (width 2); negative numbers keep their sign in front.
    public static func padded(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Lower-case hexadecimal, two digits a byte.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let symbols = Array("0123456789abcdef")
        var out = ""
        for byte in bytes {
            out.append(symbols[Int(byte >> 4)])
            out.append(symbols[Int(byte & 0x0F)])
        }
        return out
    }

    /// One decimal place, rounded half away from zero: 12.34 → "12.3", 0.05 → "0.1".
    public static func oneDecimal(_ value: Double) -> String {
        let tenths = (value * 10).rounded(.toNearestOrAwayFromZero)
        let whole = Int64(tenths.magnitude)
        return (tenths < 0 ? "-" : "") + "\(whole / 10).\(whole % 10)"
    }
}
