import Foundation

/// One survey answer: a level on an ordinal scale (1 = lowest) or yes/no.
public enum Answer: Sendable, Hashable {
    case level(Int)
    case yesNo(Bool)
}

/// One respondent's answers, keyed by question id; an absent question was not answered.
public struct SurveyResponse: Sendable, Hashable {
    public var answers: [String: Answer]
    public init(_ answers: [String: Answer]) { self.answers = answers }
}

/// What is known of one survey part: its published score, the raw responses (as `prongsai score` reads
/// them), or the responses counted (as the store keeps them).
public enum PartInput: Sendable, Hashable {
    case score(Decimal)
    case responses([SurveyResponse])
    case tallied(ResponseTally)

    /// The part is scored from answers, not given as a published score.
    public var isFromAnswers: Bool {
        if case .score = self { false } else { true }
    }
}

/// What is known of one checklist tool: its published score, or each item's pass/fail.
public enum ChecklistInput: Sendable, Hashable {
    case score(Decimal)
    /// Every item of the tool, passed (true) or failed (false).
    case items([String: Bool])
}

/// Everything the scoring method needs besides the framework.
public struct ScoreInputs: Sendable, Hashable {
    public var parts: [String: PartInput]
    public var checklists: [String: ChecklistInput]

    public init(parts: [String: PartInput] = [:], checklists: [String: ChecklistInput] = [:]) {
        self.parts = parts
        self.checklists = checklists
    }
}

/// A score input that does not fit the framework, located like a JSON path
/// (`results.iit.responses[3].i4`) so the message can name the part, respondent and question.
public struct ScoreInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}
