import Foundation
import ProngsaiCore
import Synchronization

/// Figures computed once per distinct stored state. Scoring is exact (fractions whose denominators grow
/// with tens of thousands of answers) and costs tens of milliseconds for a large year, while the state it
/// is computed from changes only when answers are released, an item is judged or a score is entered; so
/// each node keeps the figures of the states it has seen, keyed by everything they are computed from
/// (the whole state, not a summary of it: a changed item or one more answer is a different key).
/// A framework id names one framework for the life of a `FrameworkCatalog`, which owns this cache.
final class FiguresCache: Sendable {
    struct Key: Hashable, Sendable {
        var frameworkID: String
        var results: [StoredResult]
        var items: [OITItemResult]
        var tallies: [String: ResponseTally]
        var populations: [String: Int]
    }

    private let entries = Mutex<[Key: AssessmentFigures]>([:])
    let capacity: Int

    init(capacity: Int = 512) { self.capacity = capacity }

    func figures(framework: Framework, results: [StoredResult], items: [OITItemResult], tallies: [String: ResponseTally],
                 populations: [String: Int] = [:]) -> AssessmentFigures {
        let key = Key(frameworkID: framework.id, results: results, items: items, tallies: tallies, populations: populations)
        if let known = entries.withLock({ $0[key] }) { return known }
        let computed = AssessmentFigures.compute(framework: framework, results: results, items: items, tallies: tallies, populations: populations)
        entries.withLock { entries in
            // Full: one state at random makes room (an assessing body's thousands of agencies take turns).
            if entries.count >= capacity, let victim = entries.keys.randomElement() { entries[victim] = nil }
            entries[key] = computed
        }
        return computed
    }
}
