import Foundation
import Synchronization

/// A small in-memory cache whose entries expire after a fixed time; each app node keeps its own.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let lifetime: TimeInterval
    private let entries = Mutex<[Key: (value: Value, expires: Date)]>([:])

    init(lifetime: TimeInterval) { self.lifetime = lifetime }

    func value(for key: Key, now: Date) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.expires <= now {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    func remove(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    func store(_ value: Value, for key: Key, now: Date) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries = entries.filter { $0.value.expires > now } }
            entries[key] = (value, now.addingTimeInterval(lifetime))
        }
    }
}
