import Foundation
import Synchronization

/// A per-address limit on public submissions, in memory only: addresses are never written anywhere.
final class RateLimiter: Sendable {
    let perMinute: Int
    private let state = Mutex<[String: (windowStart: Date, count: Int)]>([:])

    init(perMinute: Int) { self.perMinute = perMinute }

    /// True when this address may submit now.
    func allow(_ address: String, now: Date = Date()) -> Bool {
        guard perMinute > 0 else { return true }
        return state.withLock { buckets in
            if buckets.count > 50_000 { buckets = buckets.filter { now.timeIntervalSince($0.value.windowStart) < 60 } }
            var bucket = buckets[address] ?? (now, 0)
            if now.timeIntervalSince(bucket.windowStart) >= 60 { bucket = (now, 0) }
            guard bucket.count < perMinute else { return false }
            bucket.count += 1
            buckets[address] = bucket
            return true
        }
    }
}
