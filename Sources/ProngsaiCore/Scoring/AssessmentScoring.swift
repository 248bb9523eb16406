import Foundation

/// Turns what is stored for an assessment (published scores, item results) into scoring inputs.
public enum AssessmentScoring {
    public struct Gathered: Sendable {
        public var inputs: ScoreInputs
        /// Parts and tools with nothing to score yet.
        public var missing: [String]
        /// Items not yet judged pass or fail, per checklist tool.
        public var unjudged: [String: [String]]
        /// Survey parts whose few answers are kept out of every figure (the framework's anonymity
        /// minimum); they also count as missing.
        public var withheld: [String] = []

        /// The score a part or checklist tool is given as (not computed from responses or items).
        public func givenScore(_ key: String) -> Decimal? {
            if case .score(let value)? = inputs.parts[key] { return value }
            if case .score(let value)? = inputs.checklists[key] { return value }
            return nil
        }
    }

    /// A checklist tool is scored item by item once every item is judged; until then its published
    /// score stands in, if there is one.
    ///
    /// A survey part takes its published score when one is entered (the assessing body's figure is
    /// authoritative); until then its collected responses are scored live, but only when there are at
    /// least the framework's anonymity minimum of them: fewer answers feed no figure anywhere.
    public static func gather(framework: Framework, results: [StoredResult], items: [OITItemResult], tallies: [String: ResponseTally] = [:]) -> Gathered {
        let stored = Dictionary(results.map { ($0.key, $0.score) }, uniquingKeysWith: { a, _ in a })
        let judged = Dictionary(items.compactMap { item in item.passed.map { (item.itemID, $0) } }, uniquingKeysWith: { a, _ in a })
        var inputs = ScoreInputs()
        var missing: [String] = []
        var unjudged: [String: [String]] = [:]
        var withheld: [String] = []
        for part in framework.partIDs {
            let collected = tallies[part] ?? ResponseTally()
            if let score = stored[part] {
                inputs.parts[part] = .score(score)
            } else if framework.anonymity.allowsFigures(responses: collected.respondents) {
                inputs.parts[part] = .tallied(collected)
            } else {
                if collected.respondents > 0 { withheld.append(part) }
                missing.append(part)
            }
        }
        for (tool, checklist) in framework.checklistTools {
            let ids = checklist.items.map(\.id)
            let open = ids.filter { judged[$0] == nil }
            if open.isEmpty {
                inputs.checklists[tool.id] = .items(Dictionary(uniqueKeysWithValues: ids.map { ($0, judged[$0]!) }))
            } else if let score = stored[tool.id] {
                inputs.checklists[tool.id] = .score(score)
                unjudged[tool.id] = open
            } else {
                missing.append(tool.id)
                unjudged[tool.id] = open
            }
        }
        return Gathered(inputs: inputs, missing: missing, unjudged: unjudged, withheld: withheld)
    }
}
