import Foundation
import ProngsaiCore
import ProngsaiReports

struct ItemsModel {
    struct Group {
        var id: String
        var name: String
        var score: String
        var items: [Row]
    }

    struct Row {
        var id: String
        var title: String
        /// The topic heading printed above this item, when the item opens a topic.
        var topic: String?
        var components: [String]
        var divisions: String
        var progress: String
        var note: String
        var resultLabel: String
        var resultClass: String
        /// "ผลที่ประกาศ" or "ผลการตรวจของผู้ประเมิน": which kind of result the item has.
        var resultKind: String?
        var resultSource: String?
        var action: String
        var page: String
        var status: String
        var justSaved: Bool
    }

    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var canEdit: Bool
    var groups: [Group]
    var savedItem: String?
    /// After "send all approved": how many went to the assessor.
    var sentMessage: String?

    var approvedCount: Int
    var hasApproved: Bool
    var sendAction: String
    var csvURL: String
    var xlsxURL: String
    var importURL: String

    static func make(_ loaded: AssessmentController.Loaded, canEdit: Bool, saved: String?, reviews: [ItemReview], context: AppRequestContext) -> ItemsModel {
        let statuses = Dictionary(reviews.map { ($0.itemID, $0.status) }, uniquingKeysWith: { a, _ in a })
        let language = context.language
        let strings = Strings.labels(language)
        let divisionNames = Dictionary(loaded.divisions.map { ($0.id, $0.name.text(language)) }, uniquingKeysWith: { a, _ in a })
        let byID = Dictionary(loaded.items.map { ($0.itemID, $0) }, uniquingKeysWith: { a, _ in a })
        let published = Dictionary(loaded.published.map { ($0.itemID, $0) }, uniquingKeysWith: { a, _ in a })
        let figures = loaded.figures()
        var groups: [Group] = []
        for (tool, checklist) in loaded.framework.checklistTools {
            for sub in checklist.subindicators {
                let rows = sub.items.map { item -> Row in
                    let stored = byID[item.id]
                    let passed = stored?.passed
                    return Row(
                        id: item.id, title: item.title.text(language), topic: sub.topicStarting(at: item.id)?.name.text(language), components: item.components,
                        divisions: (stored?.divisionIDs ?? []).compactMap { divisionNames[$0] }.joined(separator: ", "),
                        progress: (stored?.progress ?? .notStarted).name.text(language), note: stored?.note ?? "",
                        resultLabel: passed == true ? strings["pass"]! : passed == false ? strings["fail"]! : strings["notJudged"]!,
                        resultClass: passed == true ? "pass" : passed == false ? "fail" : "none",
                        resultKind: published[item.id] != nil ? strings["publishedResult"]! : passed != nil ? strings["judgedResult"]! : nil,
                        resultSource: published[item.id]?.source.text(language),
                        action: SiteURL.item(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path,
                        page: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path,
                        status: (statuses[item.id] ?? .notStarted).name.text(language),
                        justSaved: saved == item.id)
                }
                groups.append(Group(id: sub.id, name: sub.name.text(language), score: figures.checklist(tool.id, subindicator: sub.id)?.displayString ?? "–", items: rows))
            }
        }
        return ItemsModel(agencyName: loaded.agency.name.text(language), fiscalYear: loaded.assessment.fiscalYear,
                          nav: AssessmentNav(loaded, current: .items, context: context), canEdit: canEdit, groups: groups, savedItem: saved,
                          approvedCount: reviews.filter { $0.status == .approved }.count,
                          hasApproved: reviews.contains { $0.status == .approved },
                          sendAction: SiteURL.sendApproved(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path,
                          csvURL: SiteURL.itemsExport(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, format: "csv").path,
                          xlsxURL: SiteURL.itemsExport(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, format: "xlsx").path,
                          importURL: SiteURL.resultsImport(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path)
    }
}
