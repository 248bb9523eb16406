import Foundation
import ProngsaiCore
import ProngsaiReports

struct ResultsModel {
    struct Field {
        var key: String
        var label: String
        var value: String
        var error: String?
        var source: String
    }

    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var canEdit: Bool
    var saved: Bool
    var hasErrors: Bool
    var fields: [Field]
    /// Published indicator and sub-indicator scores (optional; the analysis of the next year uses them).
    var indicatorFields: [Field]
    /// OIT item results as published, each with its source.
    var publishedItems: [PublishedRow]
    var hasPublishedItems: Bool
    var itemChoices: [ItemChoice]
    var publishedAction: String
    var importURL: String

    struct PublishedRow {
        var id: String
        var title: String
        var result: String
        var resultClass: String
        var reason: String
        var source: String
        var sourceLink: String?
    }

    struct ItemChoice {
        var id: String
        var label: String
    }

    /// Survey parts and checklist tools, in framework order.
    static func keys(_ framework: Framework) -> [String] {
        framework.partIDs + framework.checklistTools.map(\.tool.id)
    }

    /// Every indicator and sub-indicator's published-score key.
    static func indicatorKeys(_ framework: Framework) -> [String] {
        framework.indicatorRefs.map { IndicatorScores.resultKey($0.id) }
    }

    /// The tool-and-part fields and the indicator fields, filled from what was typed or is stored.
    static func fields(_ framework: Framework, results: [StoredResult], entered: [String: String]?, errors: [String: String],
                       language: Language) -> (tools: [Field], indicators: [Field]) {
        let stored = Dictionary(results.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        func field(_ key: String, _ label: String) -> Field {
            Field(key: key, label: label, value: entered?[key] ?? stored[key].map { "\($0.score)" } ?? "", error: errors[key],
                  source: stored[key]?.source.rawValue ?? "")
        }
        let tools = keys(framework).map { key -> Field in
            if let (tool, survey) = framework.surveyTool(forPart: key) {
                return field(key, survey.parts.count > 1 ? "\(tool.name.text(language)) – \(survey.partName(key).text(language))" : tool.name.text(language))
            }
            return field(key, framework.tool(key)?.name.text(language) ?? key)
        }
        return (tools, framework.indicatorRefs.map { field(IndicatorScores.resultKey($0.id), $0.label(language)) })
    }

    static func make(_ loaded: AssessmentController.Loaded, canEdit: Bool, entered: [String: String]?, errors: [String: String], saved: Bool, context: AppRequestContext) -> ResultsModel {
        let (fields, indicatorFields) = Self.fields(loaded.framework, results: loaded.results, entered: entered, errors: errors, language: context.language)
        let language = context.language
        let strings = Strings.labels(language)
        let items = loaded.framework.checklistTools.flatMap(\.checklist.items)
        let titles = Dictionary(items.map { ($0.id, $0.title.text(language)) }, uniquingKeysWith: { a, _ in a })
        let published = loaded.published.map { result -> PublishedRow in
            var link: String?
            if case .url(let url) = result.source { link = url }
            return PublishedRow(id: result.itemID, title: titles[result.itemID] ?? "", result: result.passed ? strings["pass"]! : strings["fail"]!,
                                resultClass: result.passed ? "pass" : "fail", reason: result.reason, source: result.source.text(language), sourceLink: link)
        }
        return ResultsModel(agencyName: loaded.agency.name.text(language), fiscalYear: loaded.assessment.fiscalYear,
                            nav: AssessmentNav(loaded, current: .results, context: context),
                            canEdit: canEdit, saved: saved, hasErrors: !errors.isEmpty, fields: fields, indicatorFields: indicatorFields,
                            publishedItems: published, hasPublishedItems: !published.isEmpty,
                            itemChoices: items.map { ItemChoice(id: $0.id, label: "\($0.id) \($0.title.text(language))") },
                            publishedAction: SiteURL.publishedItem(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path,
                            importURL: SiteURL.resultsImport(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path)
    }
}
