import Foundation
import ProngsaiCore
import ProngsaiReports

struct WhatIfModel {
    struct ItemBox {
        var id: String
        var title: String
        var checked: Bool
    }

    struct ScoreBox {
        var key: String
        var label: String
        var value: String
        var bad: Bool
    }

    struct Comparison {
        var label: String
        var before: String
        var after: String
        var change: String
        var changeClass: String
    }

    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var action: String
    var available: Bool
    var itemsAvailable: Bool
    var items: [ItemBox]
    var scores: [ScoreBox]
    var hasOutcome: Bool
    var rows: [Comparison]
    var levelBefore: String
    var levelAfter: String
    var levelChanged: Bool
    var hasErrors: Bool

    static func make(_ loaded: AssessmentController.Loaded, figures: AssessmentFigures, changes: [WhatIfChange], badKeys: [String],
                     submitted: Bool, context: AppRequestContext) throws -> WhatIfModel {
        let language = context.language
        let framework = loaded.framework
        let gathered = figures.gathered
        let outcome = (try? figures.whatIf(changes)) ?? nil
        var applied = Set<String>()
        var failed = Set<String>()
        for change in changes {
            if case .pass(let item) = change { applied.insert(item) }
            if case .fail(let item) = change { failed.insert(item) }
        }
        var items: [ItemBox] = []
        var itemsAvailable = false
        for (tool, checklist) in framework.checklistTools {
            guard case .items(let passed)? = gathered.inputs.checklists[tool.id] else { continue }
            itemsAvailable = true
            for item in checklist.items {
                let checked = (passed[item.id] == true || applied.contains(item.id)) && !failed.contains(item.id)
                items.append(ItemBox(id: item.id, title: item.title.text(language), checked: checked))
            }
        }
        let scoreOverrides = Dictionary(changes.compactMap { if case .score(let k, let v) = $0 { (k, v) } else { nil } }, uniquingKeysWith: { _, b in b })
        var scores: [ScoreBox] = []
        for key in ResultsModel.keys(framework) {
            let current = gathered.givenScore(key)
            guard let current else { continue }
            let label = framework.surveyTool(forPart: key).map { $0.survey.parts.count > 1 ? $0.survey.partName(key).text(language) : $0.tool.name.text(language) }
                ?? framework.tool(key)?.name.text(language) ?? key
            scores.append(ScoreBox(key: key, label: label, value: "\(scoreOverrides[key] ?? current)", bad: badKeys.contains(key)))
        }
        var rows: [Comparison] = []
        if let outcome, submitted {
            func add(_ label: String, _ a: Decimal?, _ b: Decimal?) {
                guard let a, let b else { return }
                let d = b.displayedChange(from: a)
                rows.append(Comparison(label: label, before: a.displayString, after: b.displayString,
                                       change: (d > 0 ? "+" : "") + d.displayString, changeClass: d > 0 ? "up" : d < 0 ? "down" : "same"))
            }
            add("ITA", outcome.before.score, outcome.after.score)
            for tool in framework.tools {
                add(tool.name.text(language), outcome.before.tools[tool.id], outcome.after.tools[tool.id])
                if case .survey(let survey) = tool.kind, survey.parts.count > 1 {
                    for part in survey.parts { add("– " + survey.partName(part).text(language), outcome.before.parts[part], outcome.after.parts[part]) }
                }
            }
        }
        return WhatIfModel(
            agencyName: loaded.agency.name.text(language), fiscalYear: loaded.assessment.fiscalYear, nav: AssessmentNav(loaded, current: .whatIf, context: context),
            action: SiteURL.whatIf(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path,
            available: gathered.missing.isEmpty, itemsAvailable: itemsAvailable, items: items, scores: scores,
            hasOutcome: submitted && outcome != nil, rows: rows,
            levelBefore: outcome?.before.level.name.text(language) ?? "–", levelAfter: outcome?.after.level.name.text(language) ?? "–",
            levelChanged: outcome?.levelChanged ?? false, hasErrors: !badKeys.isEmpty)
    }
}
