import Foundation

/// A hypothetical change to an assessment's inputs: the officer's "what does fixing O13 buy us?".
public enum WhatIfChange: Sendable, Hashable, CustomStringConvertible {
    /// The checklist item passes.
    case pass(item: String)
    /// The checklist item fails.
    case fail(item: String)
    /// A survey part or checklist tool takes this published score.
    case score(key: String, value: Decimal)

    /// Reads `pass:O13`, `fail:O5` or `eit2=86`.
    public init(parsing text: String) throws(ScoreInputError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let colon = trimmed.firstIndex(of: ":") {
            let verb = trimmed[..<colon].lowercased()
            let item = String(trimmed[trimmed.index(after: colon)...])
            guard !item.isEmpty else { throw ScoreInputError(path: "what-if \(text)", message: "names no item") }
            switch verb {
            case "pass": self = .pass(item: item)
            case "fail": self = .fail(item: item)
            default: throw ScoreInputError(path: "what-if \(text)", message: "expected pass:ITEM, fail:ITEM or PART=SCORE")
            }
        } else if let equals = trimmed.firstIndex(of: "=") {
            let key = String(trimmed[..<equals])
            let number = String(trimmed[trimmed.index(after: equals)...])
            guard !key.isEmpty, case .number(let value)? = try? JSONParser.parse(number) else {
                throw ScoreInputError(path: "what-if \(text)", message: "expected PART=SCORE with a number, e.g. eit2=86")
            }
            self = .score(key: key, value: value)
        } else {
            throw ScoreInputError(path: "what-if \(text)", message: "expected pass:ITEM, fail:ITEM or PART=SCORE")
        }
    }

    public var description: String {
        switch self {
        case .pass(let item): "pass:\(item)"
        case .fail(let item): "fail:\(item)"
        case .score(let key, let value): "\(key)=\(value)"
        }
    }
}

/// Scores before and after a set of hypothetical changes.
public struct WhatIfOutcome: Sendable, Hashable {
    public var changes: [WhatIfChange]
    public var before: ScoreResult
    public var after: ScoreResult

    public var scoreChange: Decimal { after.score - before.score }
    public var levelChanged: Bool { after.level.id != before.level.id }
}

public enum WhatIf {
    /// Applies the changes to the inputs; an item change needs the checklist given item by item.
    public static func apply(_ changes: [WhatIfChange], to inputs: ScoreInputs, framework: Framework) throws(ScoreInputError) -> ScoreInputs {
        var result = inputs
        for change in changes {
            switch change {
            case .pass(let item), .fail(let item):
                guard let (tool, _) = framework.checklistTools.first(where: { $0.checklist.item(item) != nil }) else {
                    throw ScoreInputError(path: "what-if \(change)", message: "unknown checklist item \"\(item)\"")
                }
                guard case .items(var passed)? = result.checklists[tool.id] else {
                    throw ScoreInputError(path: "what-if \(change)", message: "\(tool.id) is given as a published score; item changes need its items or failed list")
                }
                if case .pass = change { passed[item] = true } else { passed[item] = false }
                result.checklists[tool.id] = .items(passed)
            case .score(let key, let value):
                let checked = try Scorer.checkedPublished(value, path: "what-if \(change)")
                if framework.partIDs.contains(key) {
                    result.parts[key] = .score(checked)
                } else if framework.checklistTools.contains(where: { $0.tool.id == key }) {
                    result.checklists[key] = .score(checked)
                } else {
                    let keys = (framework.partIDs + framework.checklistTools.map(\.tool.id)).joined(separator: ", ")
                    throw ScoreInputError(path: "what-if \(change)", message: "unknown part or checklist tool \"\(key)\" (expected: \(keys))")
                }
            }
        }
        return result
    }

    public static func evaluate(_ changes: [WhatIfChange], inputs: ScoreInputs, framework: Framework) throws(ScoreInputError) -> WhatIfOutcome {
        let before = try Scorer.score(framework, inputs)
        let after = try Scorer.score(framework, try apply(changes, to: inputs, framework: framework))
        return WhatIfOutcome(changes: changes, before: before, after: after)
    }
}

extension WhatIfOutcome {
    /// The what-if result as JSON: the figures after the changes and their change, both rounded.
    public func json(framework: Framework) -> JSONValue {
        func delta(_ a: Figures, _ b: Figures) -> JSONValue {
            .object(JSONObject(b.map { ($0.id, JSONValue.number($0.value.displayedChange(from: a[$0.id] ?? 0))) }))
        }
        return .object(JSONObject([
            ("changes", .array(changes.map { .string($0.description) })),
            ("before", before.json(framework: framework)),
            ("after", after.json(framework: framework)),
            ("change", .object(JSONObject([
                ("score", .number(after.score.displayedChange(from: before.score))),
                ("levelChanged", .bool(levelChanged)),
                ("tools", delta(before.tools, after.tools)),
                ("parts", delta(before.parts, after.parts)),
            ]))),
        ]))
    }
}
