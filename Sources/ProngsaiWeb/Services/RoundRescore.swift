import Foundation
import Logging
import ProngsaiCore
import ProngsaiStore
import Synchronization

/// The national recompute: every agency of a round scored from its stored answers and items. The database
/// groups the counts (a few statements for the whole round), the agencies are scored in parallel, one task
/// per core, by the same function the agency's own pages use, and the figures are stored in one
/// transaction for the public results pages.
public struct RoundRescore: Sendable {
    let repositories: Repositories
    let catalog: FrameworkCatalog

    public init(repositories: Repositories, catalog: FrameworkCatalog) {
        self.repositories = repositories
        self.catalog = catalog
    }

    /// What a recompute did and how long each step took.
    public struct Report: Sendable {
        public var agencies: Int
        public var complete: Int
        public var loadSeconds: Double
        public var scoreSeconds: Double
        public var saveSeconds: Double
        public var totalSeconds: Double { loadSeconds + scoreSeconds + saveSeconds }
    }

    /// A step of the recompute, for progress lines.
    public enum Progress: Sendable {
        case loaded(assessments: Int)
        case scored(done: Int, of: Int)
        case saved(Int)
    }

    /// Computes the round's figures from the stored state without storing them.
    public func compute(_ round: AssessmentRound, logger: Logger, progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws
        -> (scores: [RoundScore], loadSeconds: Double, scoreSeconds: Double)
    {
        let clock = ContinuousClock()
        let started = clock.now
        async let thisYear = repositories.roundScores.inputs(roundID: round.id, fiscalYear: round.fiscalYear, logger: logger)
        async let yearBefore = repositories.roundScores.inputs(roundID: round.id, fiscalYear: round.fiscalYear - 1, logger: logger)
        let (current, before) = try await (thisYear, yearBefore)
        var frameworks: [String: Framework] = [:]
        for id in Set(current.map(\.frameworkID) + before.map(\.frameworkID)) { frameworks[id] = try await catalog.framework(id) }
        let loaded = clock.now
        progress(.loaded(assessments: current.count + before.count))

        let total = current.count + before.count
        let done = Atomic<Int>(0)
        let known = frameworks
        let scored = await Parallel.map(current + before) { inputs -> RoundScore in
            let figures = Self.figures(inputs, framework: known[inputs.frameworkID]!)
            let count = done.add(1, ordering: .relaxed).newValue
            if count % 1_000 == 0 || count == total { progress(.scored(done: count, of: total)) }
            return figures
        }
        let previous = Dictionary(scored[current.count...].compactMap { s in s.score.map { (s.agencyID, $0) } }, uniquingKeysWith: { a, _ in a })
        let scores = scored[..<current.count].map { s in
            var s = s
            s.previous = previous[s.agencyID]
            return s
        }
        let end = clock.now
        return (scores, Self.seconds(loaded - started), Self.seconds(end - loaded))
    }

    /// Computes and stores the round's figures.
    public func run(_ round: AssessmentRound, logger: Logger, progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> Report {
        let (scores, load, score) = try await compute(round, logger: logger, progress: progress)
        let clock = ContinuousClock()
        let started = clock.now
        try await repositories.roundScores.replace(roundID: round.id, with: scores, logger: logger)
        progress(.saved(scores.count))
        logger.info("round rescored", metadata: ["round": "\(round.id)", "agencies": "\(scores.count)"])
        return Report(agencies: scores.count, complete: scores.filter { $0.score != nil }.count, loadSeconds: load, scoreSeconds: score,
                      saveSeconds: Self.seconds(clock.now - started))
    }

    /// The round's figures the slow way: each agency read and scored on its own, through the path the
    /// agency's dashboard takes. A check on the recompute.
    public func oneAtATime(_ round: AssessmentRound, logger: Logger) async throws -> [RoundScore] {
        let service = AssessmentService(repositories: repositories, catalog: catalog)
        var out: [RoundScore] = []
        for agencyID in try await repositories.rounds.agencyIDs(roundID: round.id, logger: logger) {
            guard let assessment = try await repositories.assessments.find(agencyID: agencyID, fiscalYear: round.fiscalYear, logger: logger) else { continue }
            let figures = try await service.figures(of: assessment, logger: logger).figures
            var previous: Decimal?
            if let before = try await repositories.assessments.find(agencyID: agencyID, fiscalYear: round.fiscalYear - 1, logger: logger) {
                previous = try await service.figures(of: before, logger: logger).figures.score
            }
            out.append(Self.score(figures, agencyID: agencyID, assessmentID: assessment.id, previous: previous))
        }
        return out
    }

    /// One agency's headline figures (`oneAtATime` checks they equal the full figures' own).
    static func figures(_ inputs: ScoringInputs, framework: Framework) -> RoundScore {
        let headline = AssessmentFigures.headline(framework: framework, results: inputs.results, items: inputs.effectiveItems, tallies: inputs.tallies)
        return RoundScore(agencyID: inputs.agencyID, assessmentID: inputs.assessmentID, score: headline.score, levelID: headline.levelID,
                          previous: nil, figures: headline.values)
    }

    static func score(_ figures: AssessmentFigures, agencyID: String, assessmentID: String, previous: Decimal?) -> RoundScore {
        var values: [String: Decimal] = [:]
        for id in figures.framework.tools.map(\.id) + figures.framework.partIDs { if let value = figures.value(id) { values[id] = value } }
        return RoundScore(agencyID: agencyID, assessmentID: assessmentID, score: figures.score, levelID: figures.level?.id, previous: previous, figures: values)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
