import Foundation

extension SurveyResponse {
    /// The stored form: `{"i1a": 4, "i4": "no"}`, keys sorted.
    public var json: JSONValue {
        .object(JSONObject(answers.keys.sorted().map { key in
            switch answers[key]! {
            case .level(let level): (key, .number(Decimal(level)))
            case .yesNo(let yes): (key, .string(yes ? "yes" : "no"))
            }
        }))
    }

    /// Reads the stored form back; unknown shapes are skipped (the stored data was validated on the way in).
    public init(json: JSONValue) {
        var answers: [String: Answer] = [:]
        for (key, value) in json.objectValue?.members ?? [] {
            switch value {
            case .number(let n): answers[key] = .level(NSDecimalNumber(decimal: n).intValue)
            case .string("yes"): answers[key] = .yesNo(true)
            case .string("no"): answers[key] = .yesNo(false)
            default: continue
            }
        }
        self.init(answers)
    }
}

/// Reads one respondent's answers from form fields or a CSV row, checked against the framework.
public enum ResponseReader {
    public enum Problem: Sendable, Hashable {
        case missing
        case invalid(String)
    }

    /// `values` maps question ids to the raw text given ("1"–"4", "yes"/"no", Thai digits and
    /// "มี"/"ไม่มี" too). Every question must be answered when `requireAll`.
    public static func read(_ values: [String: String], questions: [Question], scales: [String: Scale], requireAll: Bool)
        -> (response: SurveyResponse, problems: [String: Problem])
    {
        var answers: [String: Answer] = [:]
        var problems: [String: Problem] = [:]
        for question in questions {
            let raw = normalized(values[question.id] ?? "")
            if raw.isEmpty {
                if requireAll { problems[question.id] = .missing }
                continue
            }
            switch scales[question.scale] {
            case .ordinal(let points, _)?:
                if let level = Int(raw), (1...points.count).contains(level) {
                    answers[question.id] = .level(level)
                } else {
                    problems[question.id] = .invalid("expected 1–\(points.count), not \"\(raw)\"")
                }
            case .yesNo?:
                switch raw {
                case "yes", "y", "มี", "ใช่", "1": answers[question.id] = .yesNo(true)
                case "no", "n", "ไม่มี", "ไม่ใช่", "0", "2": answers[question.id] = .yesNo(false)
                default: problems[question.id] = .invalid("expected yes or no, not \"\(raw)\"")
                }
            case nil:
                problems[question.id] = .invalid("unknown scale")
            }
        }
        return (SurveyResponse(answers), problems)
    }

    /// Trimmed of spaces and tabs, Thai digits read as Arabic ones, in lower case; plain ASCII (what a
    /// browser sends) takes the short way.
    static func normalized(_ text: String) -> String {
        let trimmed = text.drop { $0.isWhitespace && !$0.isNewline }.reversed().drop { $0.isWhitespace && !$0.isNewline }.reversed()
        let value = String(trimmed)
        return value.utf8.allSatisfy({ $0 < 0x80 }) ? value.lowercased() : ThaiFormat.arabicDigits(value).lowercased()
    }
}
