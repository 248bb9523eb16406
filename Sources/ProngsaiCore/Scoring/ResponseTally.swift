import Foundation

/// One survey part's answers counted, not listed: how many people answered, and for each question how many
/// gave each answer. Scores are sums of points over answers, so a tally scores exactly as the answers it
/// counts (`Scorer`); pages and the store keep tallies, so a page reads a few rows, not every answer.
public struct ResponseTally: Sendable, Hashable {
    public private(set) var respondents: Int = 0
    /// Question id → answer → how many gave it.
    public private(set) var counts: [String: [Answer: Int]] = [:]

    public init() {}

    public init(_ responses: some Sequence<SurveyResponse>) {
        for response in responses { add(response) }
    }

    /// A tally read back from storage: respondents, and (question, answer, count) triples.
    public init(respondents: Int, counts: [(question: String, answer: Answer, count: Int)]) {
        self.respondents = respondents
        for entry in counts where entry.count > 0 { self.counts[entry.question, default: [:]][entry.answer, default: 0] += entry.count }
    }

    public mutating func add(_ response: SurveyResponse) {
        respondents += 1
        for (question, answer) in response.answers { counts[question, default: [:]][answer, default: 0] += 1 }
    }

    /// Both tallies together (answers counted in two batches).
    public static func + (lhs: ResponseTally, rhs: ResponseTally) -> ResponseTally {
        var sum = lhs
        sum.respondents += rhs.respondents
        for (question, answers) in rhs.counts {
            for (answer, count) in answers { sum.counts[question, default: [:]][answer, default: 0] += count }
        }
        return sum
    }

    /// How many answered a question.
    public func answered(_ questionID: String) -> Int { counts[questionID]?.values.reduce(0, +) ?? 0 }

    /// The (question, answer, count) triples in a fixed order, for storage.
    public var entries: [(question: String, answer: Answer, count: Int)] {
        counts.keys.sorted().flatMap { question in
            counts[question]!.sorted { $0.key.storageText < $1.key.storageText }.map { (question, $0.key, $0.value) }
        }
    }
}

extension Answer {
    /// The answer as one short text ("3", "yes", "no"), as the stored answers write it.
    /// The order of `storageText` (1 … 9, then no, yes) without making the text.
    var order: (Int, Int) {
        switch self {
        case .level(let level): (0, level)
        case .yesNo(let yes): (1, yes ? 1 : 0)
        }
    }

    public var storageText: String {
        switch self {
        case .level(let level): String(level)
        case .yesNo(let yes): yes ? "yes" : "no"
        }
    }

    public init?(storageText: String) {
        switch storageText {
        case "yes": self = .yesNo(true)
        case "no": self = .yesNo(false)
        default:
            guard let level = Int(storageText) else { return nil }
            self = .level(level)
        }
    }
}
