import Foundation
import ProngsaiCore
import ProngsaiReports

/// Links shared by the pages of one assessment, and the tabs that lead to them.
struct AssessmentNav {
    enum Page: String { case dashboard, surveys, items, myItems, results, whatIf, analysis, measures, documents, history }

    struct Tab {
        var url: String
        var label: String
        var current: Bool
    }

    var dashboard: String
    var items: String
    var results: String
    var whatIf: String
    var tabs: [Tab]

    init(_ loaded: AssessmentController.Loaded, current: Page, context: AppRequestContext) {
        let code = loaded.agency.code
        let year = loaded.assessment.fiscalYear
        dashboard = SiteURL.dashboard(agency: code, year: year).path
        items = SiteURL.items(agency: code, year: year).path
        results = SiteURL.results(agency: code, year: year).path
        whatIf = SiteURL.whatIf(agency: code, year: year).path
        let t = Strings.labels(context.language)
        var pages: [(Page, String, String)] = [
            (.dashboard, dashboard, t["dashboard"]!), (.surveys, SiteURL.surveys(agency: code, year: year).path, t["surveys"]!), (.items, items, t["oitItems"]!),
            (.results, results, t["publishedScores"]!), (.whatIf, whatIf, t["whatIf"]!),
            (.analysis, SiteURL.analysis(agency: code, year: year).path, t["analysis"]!),
            (.measures, SiteURL.measures(agency: code, year: year).path, t["measures"]!),
            (.documents, SiteURL.documents(agency: code, year: year).path, t["documents"]!),
        ]
        if context.grants.contains(where: { $0.agencyID == loaded.agency.id && $0.role == .division }) {
            pages.insert((.myItems, SiteURL.myItems(agency: code, year: year).path, t["myItems"]!), at: 3)
        }
        if Access.has(context, agencyID: loaded.agency.id, anyOf: AssessmentController.historyReaders) {
            pages.append((.history, SiteURL.history(agency: code, year: year).path, t["history"]!))
        }
        tabs = pages.map { Tab(url: $0.1, label: $0.2, current: $0.0 == current) }
    }
}

struct FigureRow {
    var id: String
    var name: String
    var value: String
    var weight: String?
    var indent: Bool
    var low: Bool
}

/// Responses against the minimum sample, per survey part.
struct SampleRow {
    var part: String
    var name: String
    var responses: Int
    var target: String
    var progress: Int
    var reached: Bool
    var state: String

    static func rows(_ loaded: AssessmentController.Loaded, figures: AssessmentFigures, windows: [SurveyWindow], today: CivilDate, language: Language) -> [SampleRow] {
        let th = language == .th
        var rows: [SampleRow] = []
        for (_, survey) in loaded.framework.surveyTools {
            for part in survey.parts {
                let count = loaded.tallies[part]?.respondents ?? 0
                let window = windows.first { $0.partID == part }
                guard window != nil || count > 0 else { continue }
                let sample = figures.sample(part)
                let target = sample.target
                let state: String = switch window?.state(on: today) {
                case .open?: th ? "เปิดรับคำตอบ" : "Open"
                case .closed?: th ? "ปิดรับแล้ว" : "Closed"
                case .notYetOpen?: th ? "ยังไม่ถึงวันเปิด" : "Not open yet"
                case nil: th ? "บันทึกโดยผู้ประเมิน" : "Entered by the assessor"
                }
                rows.append(SampleRow(
                    part: part,
                    name: loaded.framework.shortName(part, language: language),
                    responses: count, target: target.map(String.init) ?? "–",
                    progress: sample.percent, reached: sample.reached, state: state))
            }
        }
        return rows
    }
}
