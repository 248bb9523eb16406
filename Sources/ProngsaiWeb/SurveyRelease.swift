import Foundation
import Logging
import ProngsaiCore
import ProngsaiStore
import ServiceLifecycle
import Synchronization

/// Releases accepted survey answers into the response table in shuffled batches (docs/anonymity.md).
///
/// Each round looks at what is pending. An answer is released only in a round after the one that first
/// saw it, so at least one interval separates the moment a person submits (and spends a code) from the
/// moment their answer is written where anyone can read it. A part's answers are released together once
/// at least the framework's anonymity minimum of them are ready; fewer wait for more, also after the
/// window closes (an answer released alone would be that person's answer). Any number of app nodes
/// may run rounds at once: the database hands each pending row to one release only.
public final class SurveyReleaser: Sendable {
    let repositories: Repositories
    let catalog: FrameworkCatalog
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Pending ids seen by the previous round of this node.
    private let seen = Mutex<Set<String>>([])
    /// Rounds that still clean up after the last release. On PostgreSQL a transaction that was running
    /// when a release committed keeps the deleted pending rows alive (MVCC) until it ends, so the clean-up
    /// is repeated for a few rounds.
    private let purgesLeft = Mutex(0)
    static let purgeRounds = 5
    /// Answers per release transaction at most.
    static let chunk = 100

    /// `ids` in runs of at most `size`, none shorter than `minimum` (a short last run joins the one before).
    static func chunks(_ ids: [String], size: Int, minimum: Int) -> [[String]] {
        var runs = stride(from: 0, to: ids.count, by: size).map { Array(ids[$0..<min($0 + size, ids.count)]) }
        if runs.count > 1, let last = runs.last, last.count < minimum {
            runs.removeLast()
            runs[runs.count - 1] += last
        }
        return runs
    }

    public init(repositories: Repositories, catalog: FrameworkCatalog, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.repositories = repositories
        self.catalog = catalog
        self.clock = clock
        self.logger = logger
    }

    /// One round; returns how many answers it released. `seed` makes the shuffle repeatable (tests).
    @discardableResult
    public func round(seed: UInt64? = nil) async throws -> Int {
        // No counts here: how many answers wait, round by round, would tell when people answered.
        logger.debug("survey release round")
        let pending = try await repositories.surveys.pending(logger: logger)
        let earlier = seen.withLock { $0 }
        seen.withLock { $0 = Set(pending.map(\.id)) }
        let ready = Dictionary(grouping: pending.filter { earlier.contains($0.id) }) { PartKey(assessmentID: $0.assessmentID, partID: $0.partID) }
        var released = 0
        for (key, answers) in ready.sorted(by: { ($0.key.assessmentID, $0.key.partID) < ($1.key.assessmentID, $1.key.partID) }) {
            let minimum = try await self.minimum(assessmentID: key.assessmentID)
            guard answers.count >= minimum else { continue }
            // Under load a round may hold thousands: they go in transactions of at most `chunk` (each at
            // least the minimum, each shuffled, all dated the same day), so submissions are not held up
            // behind one long write.
            for ids in Self.chunks(answers.map(\.id), size: Self.chunk, minimum: minimum) {
                let count = try await repositories.surveys.release(
                    ids: ids, assessmentID: key.assessmentID, partID: key.partID, minimum: minimum,
                    on: CivilDate.today(clock()), seed: seed, logger: logger)
                released += count
                // Only the size of the batch is logged: never an answer, a code or an id.
                if count > 0 { logger.info("released a batch of survey answers", metadata: ["part": .string(key.partID), "count": .stringConvertible(count)]) }
            }
        }
        if released > 0 { purgesLeft.withLock { $0 = Self.purgeRounds } }
        let purge = purgesLeft.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        // Thorough only in a quiet round (nothing new came in since the last one): while answers keep
        // coming, the thorough clean-up would hold up every submission; the next quiet round does it.
        let quiet = pending.allSatisfy { earlier.contains($0.id) }
        if purge {
            try await repositories.surveys.purgeReleased(thorough: quiet, logger: logger)
        } else {
            // SQLite's log is checkpointed here, every round, on its own connection (never by a commit).
            try await repositories.database.checkpoint(thorough: false)
        }
        return released
    }

    /// Releases one part's pending answers now, if there are enough: for the assessor's own entries of
    /// EIT part 2, which spend no code and come in as the assessor types them.
    @discardableResult
    public func releaseNow(assessmentID: String, partID: String) async throws -> Int {
        let ids = try await repositories.surveys.pending(logger: logger).filter { $0.assessmentID == assessmentID && $0.partID == partID }.map(\.id)
        let minimum = try await self.minimum(assessmentID: assessmentID)
        guard ids.count >= minimum else { return 0 }
        let count = try await repositories.surveys.release(ids: ids, assessmentID: assessmentID, partID: partID, minimum: minimum,
                                                           on: CivilDate.today(clock()), seed: nil, logger: logger)
        if count > 0 {
            purgesLeft.withLock { $0 = Self.purgeRounds }
            try await repositories.surveys.purgeReleased(thorough: true, logger: logger)
        }
        return count
    }

    /// Two rounds back to back, so everything pending now counts as seen and is released where a part has
    /// enough (tests).
    @discardableResult
    public func releaseAllPending(seed: UInt64? = nil) async throws -> Int {
        try await round(seed: seed) + round(seed: seed)
    }

    struct PartKey: Hashable {
        var assessmentID: String
        var partID: String
    }

    func minimum(assessmentID: String) async throws -> Int {
        guard let assessment = try await repositories.assessments.find(id: assessmentID, logger: logger),
            let framework = try await catalog.find(assessment.frameworkID)
        else { return AnonymityPolicy().minimumResponses }
        return framework.anonymity.minimumResponses
    }
}
