import Foundation

/// How long sign-in waits after wrong passwords: per account name and per client address, so neither
/// guessing one account's password nor trying many accounts from one place gets far. The counts are kept
/// in the database (every app node sees them); unknown names count like known ones, so a wait says
/// nothing about which accounts exist.
public struct SignInThrottle: Sendable, Hashable {
    /// Wrong passwords allowed before the first wait.
    public var freeFailures: Int
    /// The first wait, doubled with each further failure, up to `maximumWait`.
    public var firstWait: TimeInterval
    public var maximumWait: TimeInterval
    /// Failures older than this are forgotten.
    public var memory: TimeInterval

    public init(freeFailures: Int, firstWait: TimeInterval, maximumWait: TimeInterval, memory: TimeInterval = 3600) {
        self.freeFailures = freeFailures
        self.firstWait = firstWait
        self.maximumWait = maximumWait
        self.memory = memory
    }

    /// One account: 5 tries, then 30 s, 60 s, 2 min … up to 15 min.
    public static let account = SignInThrottle(freeFailures: 5, firstWait: 30, maximumWait: 900)
    /// One address (an office behind one NAT signs in from one address): 20 tries, then the same waits.
    public static let address = SignInThrottle(freeFailures: 20, firstWait: 30, maximumWait: 900)

    /// The wait after the `failures`-th failure in a row.
    public func wait(afterFailures failures: Int) -> TimeInterval {
        guard failures >= freeFailures else { return 0 }
        let doublings = min(failures - freeFailures, 20)
        return min(maximumWait, firstWait * pow(2, Double(doublings)))
    }

    /// "5 นาที", "45 วินาที": a wait as a person reads it (rounded up).
    public static func describe(_ seconds: TimeInterval, thai: Bool) -> String {
        let s = Int(seconds.rounded(.up))
        if s >= 60 {
            let m = (s + 59) / 60
            return thai ? "\(m) นาที" : "\(m) minute\(m == 1 ? "" : "s")"
        }
        return thai ? "\(max(1, s)) วินาที" : "\(max(1, s)) second\(s == 1 ? "" : "s")"
    }
}
