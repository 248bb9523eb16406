import Foundation

/// One agency's result in a round, as the assessing body's views read it.
public struct RoundEntry: Sendable, Hashable {
    public var code: String
    public var name: String
    public var type: String
    public var province: String
    /// The ministry or parent body (empty when not given).
    public var ministry: String
    /// Tool and survey-part figures by id (full precision), those the agency has.
    public var figures: [String: Decimal] = [:]
    /// The ITA score at full precision; nil while the agency's results are incomplete.
    public var score: Decimal?
    public var level: LevelRule?
    /// The agency's ITA score the fiscal year before, when it has one.
    public var previous: Decimal?

    /// The change from last year as a reader sees it: the difference of the two displayed scores.
    public var change: Decimal? {
        guard let score, let previous else { return nil }
        return score.displayedChange(from: previous)
    }

    public init(code: String, name: String, type: String, province: String, score: Decimal?, level: LevelRule?, previous: Decimal? = nil, ministry: String = "") {
        self.previous = previous
        self.ministry = ministry
        self.code = code
        self.name = name
        self.type = type
        self.province = province
        self.score = score
        self.level = level
    }
}

/// Averages, pass rates, level counts, score distributions and rankings over a round's agencies.
public enum RoundStatistics {
    public struct Ranked: Sendable, Hashable {
        /// Shared by agencies whose displayed scores are equal; the next rank skips (1, 2, 2, 4).
        public var rank: Int
        public var entry: RoundEntry
    }

    public struct Summary: Sendable, Hashable {
        public var agencies: Int
        public var scored: Int
        /// The mean of the full-precision scores of the scored agencies.
        public var average: Decimal?
        public var passed: Int
        /// Passed ÷ scored × 100.
        public var passRate: Decimal?
        /// Per level of the framework (in its order, highest first), how many agencies reached it.
        public var levels: [(level: LevelRule, count: Int)]
        /// Ten bins of displayed scores: 0–9.99, 10–19.99, … 90–100.
        public var histogram: [Int]
        /// The mean of last year's scores of the agencies scored both years, and of this year's for the same
        /// agencies (so the two compare like with like).
        public var previousAverage: Decimal?
        public var sameAgenciesAverage: Decimal?

        public static func == (a: Summary, b: Summary) -> Bool {
            a.agencies == b.agencies && a.scored == b.scored && a.average == b.average && a.passed == b.passed && a.passRate == b.passRate
                && a.previousAverage == b.previousAverage && a.sameAgenciesAverage == b.sameAgenciesAverage
                && a.levels.map(\.level.id) == b.levels.map(\.level.id) && a.levels.map(\.count) == b.levels.map(\.count) && a.histogram == b.histogram
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(agencies); hasher.combine(scored); hasher.combine(histogram) }
    }

    /// Scored agencies, best first by displayed score (ties share a rank; within a tie by code).
    public static func ranking(_ entries: [RoundEntry]) -> [Ranked] {
        let scored = entries.compactMap { entry in entry.score.map { (entry, $0.roundedForDisplay) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.code < $1.0.code }
        var out: [Ranked] = []
        for (index, (entry, shown)) in scored.enumerated() {
            let rank = index > 0 && scored[index - 1].1 == shown ? out[index - 1].rank : index + 1
            out.append(Ranked(rank: rank, entry: entry))
        }
        return out
    }

    public static func summary(_ entries: [RoundEntry], levels: [LevelRule]) -> Summary {
        let scores = entries.compactMap(\.score)
        let passed = entries.filter { $0.score != nil && $0.level?.passing == true }.count
        var histogram = Array(repeating: 0, count: 10)
        for score in scores {
            let bin = min(9, max(0, NSDecimalNumber(decimal: score.roundedForDisplay / 10).intValue))
            histogram[bin] += 1
        }
        let ordered = levels
        let both = entries.compactMap { entry in entry.score.flatMap { score in entry.previous.map { (score, $0) } } }
        return Summary(
            agencies: entries.count, scored: scores.count,
            average: scores.isEmpty ? nil : scores.reduce(0, +) / Decimal(scores.count),
            passed: passed, passRate: scores.isEmpty ? nil : Decimal(passed) * 100 / Decimal(scores.count),
            levels: ordered.map { level in (level, entries.filter { $0.score != nil && $0.level?.id == level.id }.count) },
            histogram: histogram,
            previousAverage: both.isEmpty ? nil : both.map(\.1).reduce(0, +) / Decimal(both.count),
            sameAgenciesAverage: both.isEmpty ? nil : both.map(\.0).reduce(0, +) / Decimal(both.count))
    }

    /// One summary per group (a province, an agency type …), by the group's name.
    public static func groups(_ entries: [RoundEntry], levels: [LevelRule], by key: (RoundEntry) -> String) -> [(name: String, summary: Summary)] {
        Dictionary(grouping: entries, by: key).map { ($0.key, summary($0.value, levels: levels)) }.sorted { $0.name < $1.name }
    }
}
