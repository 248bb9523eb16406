import Crypto
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

    /// The day a moment falls in, as Bangkok sees it (UTC+7): the limits and the echo counts start again at
    /// Thai midnight.
    static func day(_ date: Date) -> Int { Int((date.timeIntervalSince1970 + 7 * 3600) / 86_400) }

    init(perMinute: Int, perDay: Int = 300, burstThreshold: Int = RateLimiter.defaultBurstThreshold) {
        self.perMinute = perMinute
        self.perDay = perDay
        self.burstThreshold = burstThreshold
    }

    func check(_ address: String, now: Date = Date()) -> Verdict {
        // 0 a minute switches the limits off (benchmarks, closed networks).
        guard perMinute > 0 else { return .allowed }
        let day = Self.day(now)
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

/// Near-identical answers from one network: an address whose answers to a part repeat one another (the same
/// choices, or all but one the same) `threshold` times in a day is reported once, as a count per part and
/// day, like a burst. Only keyed 64-bit fingerprints are held, in memory, for the day; never the answers,
/// never on disk. Each answer gives one fingerprint per question, of the other questions' choices (keyed
/// with a secret made when the node starts), so two answers that differ in at most one question share one.
final class EchoDetector: Sendable {
    let threshold: Int
    /// Answers per address and part whose fingerprints are kept (later ones are still compared).
    static let kept = 20
    static let defaultThreshold = 5
    private let key: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }

    private struct Entry {
        var day: Int
        var fingerprints: Set<UInt64> = []
        var answers = 0
        var echoes = 0
    }

    private let state = Mutex<[String: Entry]>([:])

    init(threshold: Int = EchoDetector.defaultThreshold) {
        self.threshold = threshold
    }

    /// One fingerprint per question: that question left out, the rest in question order.
    func fingerprints(_ answers: [String: String]) -> [UInt64] {
        let ordered = answers.sorted { $0.key < $1.key }
        let key = SymmetricKey(data: key)
        return ordered.indices.map { left in
            var text = "\(left)"
            for (index, pair) in ordered.enumerated() where index != left { text += "\u{1f}" + pair.key + "=" + pair.value }
            let mac = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key)
            return mac.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }
    }

    /// True once per address, part and day: when this answer is the `threshold`-th that repeats an earlier one.
    func echo(_ address: String, partID: String, answers: [String: String], now: Date) -> Bool {
        let day = RateLimiter.day(now)
        let prints = fingerprints(answers)
        return state.withLock { entries in
            if entries.count > 50_000 { entries = entries.filter { $0.value.day == day } }
            let slot = address + "\u{1f}" + partID
            var entry = entries[slot].flatMap { $0.day == day ? $0 : nil } ?? Entry(day: day)
            let repeats = prints.contains { entry.fingerprints.contains($0) }
            if repeats { entry.echoes += 1 }
            if entry.answers < Self.kept { entry.fingerprints.formUnion(prints) }
            entry.answers += 1
            entries[slot] = entry
            return repeats && entry.echoes == threshold
        }
    }
}
