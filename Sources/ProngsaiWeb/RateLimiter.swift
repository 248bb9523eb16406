import Foundation
import Synchronization

/// Per-address limits on public submissions, in memory only: addresses are never written anywhere.
/// With several app nodes each keeps its own counts, so give each node the limit divided by the number
/// of nodes (README, "Many app nodes").
final class RateLimiter: Sendable {
    let perMinute: Int
    let perDay: Int
    /// Submissions from one address in one day past which the assessor is told of a burst.
    let burstThreshold: Int

    enum Verdict: Sendable, Equatable {
        case allowed
        /// Allowed, and this submission made the address's day a burst (said once per address and day).
        case allowedBurst
        case tooFast
        case tooManyToday
    }

    private struct Bucket {
        var minuteStart: Date
        var minuteCount: Int
        var day: Int
        var dayCount: Int
    }

    private let state = Mutex<[String: Bucket]>([:])

    static let defaultBurstThreshold = 20

    init(perMinute: Int, perDay: Int = 300, burstThreshold: Int = RateLimiter.defaultBurstThreshold) {
        self.perMinute = perMinute
        self.perDay = perDay
        self.burstThreshold = burstThreshold
    }

    func check(_ address: String, now: Date = Date()) -> Verdict {
        // 0 a minute switches the limits off (benchmarks, closed networks).
        guard perMinute > 0 else { return .allowed }
        // Days as Bangkok sees them (UTC+7).
        let day = Int((now.timeIntervalSince1970 + 7 * 3600) / 86_400)
        return state.withLock { buckets in
            if buckets.count > 50_000 { buckets = buckets.filter { $0.value.day == day } }
            var bucket = buckets[address] ?? Bucket(minuteStart: now, minuteCount: 0, day: day, dayCount: 0)
            if now.timeIntervalSince(bucket.minuteStart) >= 60 { bucket.minuteStart = now; bucket.minuteCount = 0 }
            if bucket.day != day { bucket.day = day; bucket.dayCount = 0 }
            if bucket.minuteCount >= perMinute { buckets[address] = bucket; return .tooFast }
            if perDay > 0 && bucket.dayCount >= perDay { buckets[address] = bucket; return .tooManyToday }
            bucket.minuteCount += 1
            bucket.dayCount += 1
            buckets[address] = bucket
            return bucket.dayCount == burstThreshold ? .allowedBurst : .allowed
        }
    }
}
