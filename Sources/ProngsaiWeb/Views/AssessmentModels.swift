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

struct DashboardModel {
    var agencyName: String
    var agencyPlace: String
    var fiscalYear: Int
    var period: String
    var frameworkTitle: String
    var nav: AssessmentNav
    var complete: Bool
    var score: String
    var levelName: String
    var levelClass: String
    var missing: [String]
    var unjudgedCount: Int
    var tools: [FigureRow]
    var indicators: [FigureRow]
    var toolChart: String
    var indicatorChart: String
    var subindicatorChart: String
    var samples: [SampleRow]
    var hasSamples: Bool
    var dailyChart: String?
    var surveysURL: String
    var statusURL: String
    var readiness: ReadinessModel?
    var next: NextStepsModel?
    /// "เกณฑ์ผ่าน N คะแนน", N from the framework's passing levels.
    var passMark: String?
    /// Said when some figure is Prongsai's estimate from its own survey, not a published result.
    var estimateNote: String?

    static func make(_ loaded: AssessmentController.Loaded, figures: AssessmentFigures, windows: [SurveyWindow], daily: [String: [(day: CivilDate, count: Int)]],
                     today: CivilDate, context: AppRequestContext) -> DashboardModel {
        let language = context.language
        let framework = loaded.framework
        let gathered = figures.gathered
        let result = figures.result
        var tools: [FigureRow] = []
        var toolBars: [BarChart.Bar] = []
        var indicators: [FigureRow] = []
        var indicatorBars: [BarChart.Bar] = []
        var subBars: [BarChart.Bar] = []
        // Parts scored from Prongsai's own survey answers are estimates, not the published figures.
        let estimated = figures.estimatedParts
        let estimateMark = language == .th ? " (ประมาณการ)" : " (estimate)"
        let publishedMark = language == .th ? " (ผลที่ประกาศ)" : " (published)"
        func mark(_ id: String, estimated: Bool) -> String { estimated ? estimateMark : figures.isPublished(id) ? publishedMark : "" }
        for tool in framework.tools {
            let value = figures.value(tool.id)
            tools.append(FigureRow(id: tool.id.uppercased(), name: tool.name.text(language) + mark(tool.id, estimated: figures.isEstimated(tool: tool)), value: value?.displayString ?? "–",
                                   weight: "\(tool.weight)", indent: false, low: value.map(figures.belowPassMark) ?? false))
            if let value { toolBars.append(.init(label: tool.id.uppercased(), value: value, low: figures.belowPassMark(value))) }
            if case .survey(let survey) = tool.kind, survey.parts.count > 1 {
                for part in survey.parts {
                    let v = figures.value(part)
                    tools.append(FigureRow(id: framework.shortName(part, language: language), name: survey.partName(part).text(language) + mark(part, estimated: estimated.contains(part)), value: v?.displayString ?? "–",
                                           weight: nil, indent: true, low: v.map(figures.belowPassMark) ?? false))
                    if let v { toolBars.append(.init(label: framework.shortName(part, language: language), value: v, low: figures.belowPassMark(v))) }
                }
            }
            if case .checklist(let checklist) = tool.kind {
                for indicator in checklist.indicators {
                    guard let v = figures.checklist(tool.id, indicator: indicator.id) else { continue }
                    indicators.append(FigureRow(id: indicator.id, name: indicator.name.text(language), value: v.displayString, weight: nil, indent: false, low: figures.belowPassMark(v)))
                    indicatorBars.append(.init(label: "\(indicator.id) \(indicator.name.text(language))", value: v, low: figures.belowPassMark(v)))
                    for sub in indicator.subindicators {
                        guard let sv = figures.checklist(tool.id, subindicator: sub.id) else { continue }
                        indicators.append(FigureRow(id: sub.id, name: sub.name.text(language), value: sv.displayString, weight: nil, indent: true, low: figures.belowPassMark(sv)))
                        subBars.append(.init(label: "\(sub.id) \(sub.name.text(language))", value: sv, low: figures.belowPassMark(sv)))
                    }
                }
            }
        }
        let missingNames = gathered.missing.map { key -> String in
            if let (_, survey) = framework.surveyTool(forPart: key) { return survey.partName(key).text(language) }
            return framework.tool(key)?.name.text(language) ?? key
        }
        let strings = Strings.labels(language)
        let samples = SampleRow.rows(loaded, figures: figures, windows: windows, today: today, language: language)
        var totals: [CivilDate: Int] = [:]
        for (_, days) in daily { for entry in days { totals[entry.day, default: 0] += entry.count } }
        let perDay = totals.sorted { $0.key < $1.key }
        return DashboardModel(
            agencyName: loaded.agency.name.text(language),
            agencyPlace: language == .th ? "อ.\(loaded.agency.district) จ.\(loaded.agency.province)" : "\(loaded.agency.district), \(loaded.agency.province)",
            fiscalYear: loaded.assessment.fiscalYear,
            period: language == .th ? FiscalYear(loaded.assessment.fiscalYear).longPeriod : Self.englishPeriod(FiscalYear(loaded.assessment.fiscalYear)),
            frameworkTitle: framework.title.text(language),
            nav: AssessmentNav(loaded, current: .dashboard, context: context),
            complete: result != nil,
            score: result?.score.displayString ?? "–",
            levelName: result.map { language == .th ? $0.level.name.th : "\($0.level.name.en) (\($0.level.name.th))" } ?? "–",
            levelClass: result.map { $0.level.passing ? "good" : "bad" } ?? "none",
            missing: missingNames,
            unjudgedCount: figures.unjudgedCount,
            tools: tools, indicators: indicators,
            toolChart: BarChart(title: strings["tools"]!, bars: toolBars, threshold: figures.passMark).svg(),
            indicatorChart: indicatorBars.isEmpty ? "" : BarChart(title: strings["indicators"]!, bars: indicatorBars, threshold: figures.passMark).svg(),
            subindicatorChart: subBars.isEmpty ? "" : BarChart(title: strings["subindicators"]!, bars: subBars, threshold: figures.passMark).svg(),
            samples: samples, hasSamples: !samples.isEmpty,
            dailyChart: perDay.isEmpty ? nil : DailyChart(title: language == .th ? "จำนวนผู้ตอบรายวัน (ทุกส่วน)" : "Responses per day (all parts)",
                                                          days: perDay.suffix(31).map { (language == .th ? "\($0.key.day) \(ThaiFormat.shortMonthNames[$0.key.month - 1])" : "\($0.key.day)/\($0.key.month)", $0.value) }).svg(),
            surveysURL: SiteURL.surveys(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path,
            statusURL: SiteURL.surveyStatus(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path,
            readiness: nil, next: nil,
            passMark: figures.passMark.map { language == .th ? "เกณฑ์ผ่าน \($0) คะแนน" : "Pass mark \($0)" },
            estimateNote: estimated.isEmpty ? nil : (language == .th
                ? "ประมาณการ: บางส่วนคำนวณจากคำตอบในแบบสำรวจของโปร่งใส ไม่ใช่ผลที่ประกาศ เมื่อมีผลที่ประกาศ ให้บันทึกในหน้าคะแนนที่ประกาศ"
                : "Estimate: some parts are scored from the answers Prongsai's own survey collected, not the published results. Enter the published results when they are out."))
    }

    static func englishPeriod(_ year: FiscalYear) -> String {
        "\(ThaiFormat.englishDate(year.start)) – \(ThaiFormat.englishDate(year.end))"
    }
}

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

/// OIT readiness on the dashboard: progress per sub-indicator, items at risk, projected OIT and ITA.
struct ReadinessModel {
    struct Row {
        var id: String
        var name: String
        var items: Int
        var withEvidence: Int
        var complete: Int
        var approved: Int
        var percent: Int
    }

    struct RiskRow {
        var id: String
        var title: String
        var url: String
        var reasons: String
    }

    var rows: [Row]
    var risks: [RiskRow]
    var hasRisks: Bool
    /// Past the first ten, the items at risk sit behind "more".
    var moreRisks: [RiskRow] = []
    var moreRisksLabel: String?
    var projectedOIT: String
    var projectedITA: String
    var projectedLevel: String
    /// "ใช้ผลที่บันทึกแล้ว 43 ข้อ · ประเมินจากหลักฐาน 0 ข้อ (ครบ 0 ข้อ)": what the projection rests on.
    var projectionBasis: String

    static func make(_ loaded: AssessmentController.Loaded, figures: AssessmentFigures, readiness: Readiness, context: AppRequestContext) -> ReadinessModel {
        let language = context.language
        let th = language == .th
        func date(_ d: CivilDate) -> String { th ? ThaiFormat.shortDate(d) : ThaiFormat.englishDate(d) }
        let risks = readiness.atRisk.map { item in
            RiskRow(id: item.id, title: item.title.text(language),
                    url: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path,
                    reasons: item.risks.map { risk in
                        switch risk {
                        case .overdue(let d): th ? "เลยกำหนดส่ง \(date(d))" : "overdue since \(date(d))"
                        case .dueSoon(let d): th ? "ใกล้กำหนดส่ง \(date(d))" : "due \(date(d))"
                        case .missingComponents(let n): th ? "ขาดองค์ประกอบ \(n) รายการ" : "\(n) components missing"
                        case .noEvidence: th ? "ยังไม่มีหลักฐาน" : "no evidence yet"
                        case .deadLink(let url): th ? "ลิงก์ใช้งานไม่ได้ \(url)" : "dead link \(url)"
                        case .changedLink(let url): th ? "เนื้อหาลิงก์เปลี่ยนไป \(url)" : "link content changed \(url)"
                        }
                    }.joined(separator: " · "))
        }
        let projection = figures.projection(readiness)
        let oit = projection.oit
        let full = projection.result
        return ReadinessModel(
            rows: readiness.subindicators.map { Row(id: $0.id, name: $0.name.text(language), items: $0.items, withEvidence: $0.withEvidence,
                                                    complete: $0.complete, approved: $0.approved, percent: $0.items == 0 ? 0 : $0.complete * 100 / $0.items) },
            risks: Array(risks.prefix(10)), hasRisks: !risks.isEmpty,
            moreRisks: Array(risks.dropFirst(10)),
            moreRisksLabel: risks.count > 10 ? (context.language == .th ? "อีก \(risks.count - 10) ข้อ" : "\(risks.count - 10) more") : nil,
            projectedOIT: oit?.displayString ?? "–", projectedITA: full?.score.displayString ?? "–",
            projectedLevel: full?.level.name.text(language) ?? "–",
            projectionBasis: th
                ? "ฐานของการคาดการณ์: ผลที่บันทึกแล้ว (ประกาศหรือผู้ประเมินตรวจ) \(readiness.fromResults) ข้อ · ข้อที่ยังไม่มีผลคาดจากหลักฐาน \(readiness.fromEvidence) ข้อ (หลักฐานครบ \(readiness.completeEvidence) ข้อ)"
                : "Basis: recorded results (published or judged) for \(readiness.fromResults) items · \(readiness.fromEvidence) items projected from their evidence (\(readiness.completeEvidence) complete)")
    }
}
