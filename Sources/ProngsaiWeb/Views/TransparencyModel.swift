import Foundation
import ProngsaiCore
import ProngsaiReports

struct TransparencyModel {
    struct Item {
        var id: String
        var title: String
        var links: [String]
        var fileRows: [FileLink]
        var none: Bool
    }

    struct FileLink {
        var name: String
        var url: String
    }

    struct Group {
        var id: String
        var name: String
        var items: [Item]
    }

    var agencyName: String
    var fiscalYear: Int
    var groups: [Group]
    var qr: String?
    var eitLink: String?
    var jsonURL: String
    var th: Bool
    var measures: [PublicMeasure]
    var hasMeasures: Bool
    /// The integrity channels (O8 Q&A, O28 report, O29 statistics).
    var reportURL: String
    var questionsURL: String
    var statisticsURL: String
    /// The year's O29 totals: received, in progress, concluded, forwarded, not accepted (small figures covered).
    var complaintTotals: [String]

    struct PublicMeasure {
        var number: Int
        var title: String
        var period: String
        var responsible: String
        var status: String
        var percent: Int
        var outcome: String
    }

    static func make(_ loaded: TransparencyController.Loaded, latest: [String: EvidenceRevision], eitLink: String?, fileURL: (EvidenceFile) -> String,
                     jsonURL: String, language: Language) -> TransparencyModel {
        var groups: [Group] = []
        for (_, checklist) in loaded.framework.checklistTools {
            for sub in checklist.subindicators {
                groups.append(Group(id: sub.id, name: sub.name.text(language), items: sub.items.map { item in
                    let revision = latest[item.id]
                    let files = (revision?.files ?? []).map { FileLink(name: $0.name, url: fileURL($0)) }
                    return Item(id: item.id, title: item.title.text(language), links: revision?.links ?? [], fileRows: files,
                                none: (revision?.links ?? []).isEmpty && files.isEmpty)
                }))
            }
        }
        return TransparencyModel(agencyName: loaded.agency.name.text(language), fiscalYear: loaded.assessment.fiscalYear, groups: groups,
                                 qr: eitLink.flatMap { try? QRCode($0).svg(moduleSize: 4, quietZone: 4, title: $0) }, eitLink: eitLink,
                                 jsonURL: jsonURL, th: language == .th,
                                 measures: loaded.measures.map { measure, rollup in
                                     PublicMeasure(number: measure.number, title: measure.title, period: measure.periodLabel, responsible: measure.responsible,
                                                   status: measure.status.name.text(language), percent: rollup.percent, outcome: measure.outcome)
                                 },
                                 hasMeasures: !loaded.measures.isEmpty,
                                 reportURL: SiteURL.report(agency: loaded.agency.code).path, questionsURL: SiteURL.questions(agency: loaded.agency.code).path,
                                 statisticsURL: SiteURL.reportStatistics(agency: loaded.agency.code).path + "?year=\(loaded.assessment.fiscalYear)",
                                 complaintTotals: loaded.complaints.totalCells.map(\.description))
    }
}
