import Foundation
import ProngsaiCore
import ProngsaiReports

/// The survey management page: one card per survey part.
struct SurveysModel {
    /// Days on which one network sent a burst of answers to a part, for the officer and the assessor.
    var bursts: [String] = []
    var hasBursts = false
    struct FormState {
        var part: String
        var opens: String
        var closes: String
        var population: String
        var errors: [String: String]
    }

    struct PartCard {
        var id: String
        var name: String
        var collectionLabel: String
        var byAgency: Bool
        var byAssessor: Bool
        var canManage: Bool
        var canEnter: Bool
        var configured: Bool
        var stateLabel: String
        var stateClass: String
        var opens: String
        var closes: String
        /// The picker's dates as Thai read them ("1 ต.ค. 2565"), beside the pickers.
        var opensText: String = ""
        var closesText: String = ""
        var population: String
        var requiresCode: Bool
        var codeFixed: Bool
        var openError: String?
        var closeError: String?
        var populationError: String?
        var link: String?
        var qrSVG: String?
        var posterURL: String?
        var qrPNG: String?
        var qrSVGURL: String?
        var windowAction: String
        var responses: Int
        var target: String
        var progress: Int
        var progressLabel: String
        var targetLabel: String
        var populationLabel: String
        var reached: Bool
        var liveScore: String?
        var breakdown: [FigureRow]
        /// Why no score is shown yet (fewer answers than the anonymity minimum).
        var withheldNote: String?
        /// After the window closed, a few answers still wait for a batch big enough to release.
        var waitingNote: String?
        var dailyChart: String?
        var codesTotal: Int
        var codesAction: String
        var codesCSV: String
        var slipsURL: String
        var suggestedCodes: Int
        var entryURL: String
        var saved: Bool
    }

    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var parts: [PartCard]
    var canExport: Bool
    var responsesCSV: String
    var scoreInput: String
    var statusURL: String
    /// The framework's anonymity minimum: the smallest batch of answers ever released.
    var minimumBatch: Int
    /// Said when the links and QR codes point at an address respondents outside cannot reach.
    var privateLinkWarning: String?

    static func make(_ loaded: AssessmentController.Loaded, windows: [SurveyWindow], daily: [String: [(day: CivilDate, count: Int)]],
                     codes: [String: Int], baseURL: String, today: CivilDate, form: FormState?, context: AppRequestContext) -> SurveysModel {
        let language = context.language
        let th = language == .th
        let code = loaded.agency.code
        let year = loaded.assessment.fiscalYear
        let canManage = Access.has(context, agencyID: loaded.agency.id, anyOf: SurveyAdminController.managers)
        let canEnter = Access.has(context, agencyID: loaded.agency.id, anyOf: SurveyAdminController.enterers)
        let figures = loaded.figures(windows: windows)
        var cards: [PartCard] = []
        for (tool, survey) in loaded.framework.surveyTools {
            for part in survey.parts {
                let window = windows.first { $0.partID == part }
                let collection = survey.collection(of: part)
                let responses = loaded.tallies[part]?.respondents ?? 0
                let population = window?.population
                let sample = figures.sample(part)
                let target = sample.target
                let progress = sample.percent
                var live: String?
                var breakdown: [FigureRow] = []
                // Figures only from what the anonymity policy lets through (none below its minimum).
                if let own = figures.live[part] {
                    live = own.score?.displayString
                    breakdown = survey.indicators.compactMap { indicator in
                        own.indicators[indicator.id].map { FigureRow(id: indicator.id, name: indicator.name.text(language), value: $0.displayString, weight: nil, indent: false, low: figures.belowPassMark($0)) }
                    }
                }
                let minimum = loaded.framework.anonymity.minimumResponses
                let state = window?.state(on: today)
                let stateLabel: String = switch (collection, state) {
                case (.assessorEntry, _): th ? "ผู้ประเมินเป็นผู้เก็บข้อมูล" : "Collected by the assessor"
                case (_, nil): th ? "ยังไม่ได้เปิดแบบสำรวจ" : "Not set up"
                case (_, .notYetOpen?): th ? "ยังไม่ถึงวันเปิด" : "Not open yet"
                case (_, .open?): th ? "เปิดรับคำตอบ" : "Open"
                case (_, .closed?): th ? "ปิดรับแล้ว" : "Closed"
                }
                let link = window.map { baseURL + SiteURL.survey(code: $0.publicCode).path }
                let formForPart = form?.part == part ? form : nil
                let days = (daily[part] ?? []).suffix(31)
                var card = PartCard(
                    id: part,
                    name: survey.parts.count > 1 ? "\(tool.name.text(language)) – \(survey.partName(part).text(language))" : tool.name.text(language),
                    collectionLabel: collectionLabel(collection, th: th),
                    byAgency: collection != .assessorEntry, byAssessor: collection == .assessorEntry,
                    canManage: canManage, canEnter: canEnter,
                    configured: window != nil,
                    stateLabel: stateLabel, stateClass: state?.rawValue ?? "none",
                    opens: formForPart?.opens ?? (window?.opensOn ?? FiscalYear(year).start).iso,
                    closes: formForPart?.closes ?? (window?.closesOn ?? FiscalYear(year).end).iso,
                    population: formForPart?.population ?? population.map(String.init) ?? "",
                    requiresCode: window?.requiresCode ?? (collection == .oneTimeCode),
                    codeFixed: collection == .oneTimeCode,
                    openError: formForPart?.errors["opens"], closeError: formForPart?.errors["closes"], populationError: formForPart?.errors["population"],
                    link: link,
                    qrSVG: link.flatMap { try? QRCode($0).svg(moduleSize: 4, quietZone: 4, title: "QR: \($0)") },
                    posterURL: window.map { _ in SiteURL.surveyPoster(agency: code, year: year, part: part).path },
                    qrPNG: window.map { _ in SiteURL.surveyQR(agency: code, year: year, part: part, format: "png").path },
                    qrSVGURL: window.map { _ in SiteURL.surveyQR(agency: code, year: year, part: part, format: "svg").path },
                    windowAction: SiteURL.surveyWindow(agency: code, year: year, part: part).path,
                    responses: responses,
                    target: target.map(String.init) ?? "–",
                    progress: progress,
                    progressLabel: target.map { th ? "\(responses) จากเป้าหมายขั้นต่ำ \($0) คน" : "\(responses) of at least \($0)" }
                        ?? (th ? "\(responses) คน (ยังไม่ได้กรอกจำนวนประชากร)" : "\(responses) (population not entered)"),
                    targetLabel: target.map { th ? "เป้าหมายขั้นต่ำ \($0) คน" : "minimum sample \($0)" } ?? (th ? "ยังไม่ได้กรอกจำนวนประชากร" : "population not entered"),
                    populationLabel: collection == .oneTimeCode
                        ? (th ? "จำนวนบุคลากรที่ปฏิบัติงานไม่น้อยกว่า 1 ปี" : "Staff with at least a year of service")
                        : (th ? "จำนวนผู้รับบริการ (โดยประมาณ)" : "Service users (estimate)"),
                    reached: sample.reached,
                    liveScore: live,
                    breakdown: breakdown,
                    withheldNote: responses > 0 && figures.live[part] == nil
                        ? (th ? "จะแสดงคะแนนเมื่อมีผู้ตอบอย่างน้อย \(minimum) คน เพื่อไม่ให้ระบุตัวผู้ตอบได้"
                              : "Scores appear once \(minimum) people have answered, so no one can be identified")
                        : nil,
                    waitingNote: nil,
                    dailyChart: days.isEmpty ? nil : DailyChart(title: th ? "จำนวนผู้ตอบรายวัน" : "Responses per day",
                                                                days: days.map { (th ? "\($0.day.day) \(ThaiFormat.shortMonthNames[$0.day.month - 1])" : "\($0.day.day)/\($0.day.month)", $0.count) }).svg(),
                    codesTotal: codes[part] ?? 0,
                    codesAction: SiteURL.surveyCodes(agency: code, year: year, part: part).path,
                    codesCSV: SiteURL.surveyCodesCSV(agency: code, year: year, part: part).path,
                    slipsURL: SiteURL.surveySlips(agency: code, year: year, part: part).path,
                    suggestedCodes: max(1, (population ?? 30) - (codes[part] ?? 0)),
                    entryURL: SiteURL.surveyEntry(agency: code, year: year, part: part).path,
                    saved: false)
                func shown(_ text: String) -> String {
                    TypedValue.date(text).map { th ? ThaiFormat.shortDate($0) : ThaiFormat.englishDate($0) } ?? ""
                }
                card.opensText = shown(card.opens)
                card.closesText = shown(card.closes)
                cards.append(card)
            }
        }
        return SurveysModel(
            agencyName: loaded.agency.name.text(language), fiscalYear: year, nav: AssessmentNav(loaded, current: .surveys, context: context),
            parts: cards, canExport: Access.has(context, agencyID: loaded.agency.id, anyOf: SurveyAdminController.exporters),
            responsesCSV: SiteURL.responsesCSV(agency: code, year: year).path, scoreInput: SiteURL.scoreInput(agency: code, year: year).path,
            statusURL: SiteURL.surveyStatus(agency: code, year: year).path,
            minimumBatch: loaded.framework.anonymity.minimumResponses,
            privateLinkWarning: PublicAddress.isPrivate(baseURL)
                ? (th ? "ลิงก์และ QR Code ชี้ไปที่ \(baseURL) ซึ่งผู้ตอบภายนอกเปิดไม่ได้ ให้ผู้ดูแลระบบตั้งที่อยู่สาธารณะด้วย --public-url (เช่น https://ita.หน่วยงาน.go.th) ก่อนพิมพ์โปสเตอร์หรือส่งลิงก์"
                    : "Links and QR codes point at \(baseURL), which respondents outside cannot open. Have the administrator set the public address with --public-url before printing posters or sending links.")
                : nil)
    }

    /// Answers accepted but not yet released: said only once the window has closed (while it is open,
    /// a change here would tell when someone answered), and without a number.
    mutating func noteWaiting(_ waiting: Set<String>, windows: [SurveyWindow], today: CivilDate, language: Language) {
        for index in parts.indices where waiting.contains(parts[index].id) {
            guard let window = windows.first(where: { $0.partID == parts[index].id }), window.state(on: today) == .closed else { continue }
            parts[index].waitingNote = language == .th
                ? "ยังมีคำตอบอีกไม่ถึง \(minimumBatch) ฉบับที่รอรวมชุด คำตอบจะนับในผลเมื่อรวมได้ครบชุด เพื่อไม่ให้ระบุตัวผู้ตอบได้ หากต้องการให้นับ ให้ขยายวันปิดแบบสำรวจเพื่อรับคำตอบเพิ่ม"
                : "Fewer than \(minimumBatch) answers still wait for a full batch; they count once a batch is complete, so no one can be identified. To have them counted, extend the closing date and collect more."
        }
    }

    static func collectionLabel(_ collection: SurveyCollection, th: Bool) -> String {
        switch collection {
        case .oneTimeCode: th ? "หน่วยงานเก็บเอง ด้วยรหัสใช้ครั้งเดียวต่อคน" : "Collected by the agency, one code per person"
        case .publicLink: th ? "หน่วยงานเก็บเอง ผ่านลิงก์และ QR สาธารณะ" : "Collected by the agency through a public link and QR"
        case .assessorEntry: th ? "ผู้ประเมินเก็บข้อมูลและบันทึก" : "Collected and entered by the assessor"
        }
    }
}

/// The assessor's fast entry of one paper questionnaire, and CSV import.
struct EntryModel {
    struct Field {
        var id: String
        var number: Int
        var text: String
        var hint: String
        var value: String
        var error: Bool
    }

    struct Group {
        var title: String
        var fields: [Field]
    }

    var title: String
    var agencyName: String
    var nav: AssessmentNav
    var action: String
    var importAction: String
    var groups: [Group]
    var message: String?
    var saved: String?
    var importErrors: [String]
    var hasImportErrors: Bool
    var header: String

    static func make(_ loaded: AssessmentController.Loaded, part: String, survey: SurveyTool, values: [String: String], problems: [String: ResponseReader.Problem],
                     message: String?, saved: Bool, importErrors: [String], context: AppRequestContext) -> EntryModel {
        let language = context.language
        let th = language == .th
        var number = 0
        let groups = survey.indicators.map { indicator in
            Group(title: "\(indicator.id). \(indicator.name.text(language))", fields: indicator.questions.map { question in
                number += 1
                let hint: String = switch loaded.framework.scales[question.scale] {
                case .ordinal(let points, _)?: "1–\(points.count)"
                default: "y/n"
                }
                return Field(id: question.id, number: number, text: question.text.text(language), hint: hint, value: values[question.id] ?? "", error: problems[question.id] != nil)
            })
        }
        let code = loaded.agency.code
        let year = loaded.assessment.fiscalYear
        return EntryModel(
            title: (th ? "บันทึกแบบสอบถาม " : "Enter questionnaires ") + survey.partName(part).text(language),
            agencyName: loaded.agency.name.text(language), nav: AssessmentNav(loaded, current: .surveys, context: context),
            action: SiteURL.surveyEntry(agency: code, year: year, part: part).path,
            importAction: SiteURL.surveyImport(agency: code, year: year, part: part).path,
            groups: groups, message: message,
            saved: saved
                ? (th ? "บันทึกแล้ว คำตอบจะนับในผลเป็นชุด ชุดละอย่างน้อย \(loaded.framework.anonymity.minimumResponses) ฉบับ เพื่อไม่ให้ระบุตัวผู้ตอบได้"
                      : "Saved. Answers count in the results in batches of at least \(loaded.framework.anonymity.minimumResponses), so no one can be identified")
                : nil,
            importErrors: importErrors, hasImportErrors: !importErrors.isEmpty,
            header: survey.questions.map(\.id).joined(separator: ","))
    }
}
