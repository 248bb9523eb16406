import Foundation
import ProngsaiCore

/// The dashboard's dated "what to do next" list and the line saying why the level is what it is. Which
/// steps there are is decided in Core (`NextSteps`, `AssessmentFigures.levelGap`); this only words them.
struct NextStepsModel {
    struct Row {
        var text: String
        var date: String?
        var url: String
        var urgent: Bool
    }

    /// Shown at once; the rest sit behind "more".
    static let shownFirst = 8

    var first: [Row]
    var more: [Row]
    var moreLabel: String?
    var empty: Bool
    /// "ได้ระดับผ่าน เพราะ EIT ส่วนที่ 2 = …: ต้องยกทุกส่วนถึง … จึงได้ผ่านดี"
    var levelReason: String?

    static func make(_ loaded: AssessmentController.Loaded, figures: AssessmentFigures, steps: [NextStep], today: CivilDate, language: Language) -> NextStepsModel {
        let th = language == .th
        let framework = loaded.framework
        let code = loaded.agency.code
        let year = loaded.assessment.fiscalYear
        let divisionNames = Dictionary(loaded.divisions.map { ($0.id, $0.name.text(language)) }, uniquingKeysWith: { a, _ in a })
        func name(_ part: String) -> String { framework.shortName(part, language: language) }
        func divisions(_ ids: [String]) -> String {
            let names = ids.compactMap { divisionNames[$0] }
            return names.isEmpty ? (th ? " (ยังไม่ได้มอบหมาย)" : " (not assigned)") : " (\(names.joined(separator: ", ")))"
        }
        func number(_ n: Int) -> String { "\(n)" }
        let rows = steps.map { step -> Row in
            let surveys = SiteURL.surveys(agency: code, year: year).path
            func item(_ id: String) -> String { SiteURL.itemPage(agency: code, year: year, item: id).path }
            let (text, url): (String, String) = switch step.kind {
            case .surveyNotSetUp(let part):
                (th ? "ตั้งลิงก์และช่วงเวลารับคำตอบของ \(name(part))" : "Set up the \(name(part)) survey link and window", surveys)
            case .surveyNotOpen(let part):
                (th ? "\(name(part)) เปิดรับคำตอบในวันที่ระบุ: เตรียมประชาสัมพันธ์ลิงก์และ QR" : "\(name(part)) opens on this date: get the link and QR ready", surveys)
            case .sampleShort(let part, let responses, let target):
                (th ? "\(name(part)) ได้คำตอบ \(number(responses)) จากขั้นต่ำ \(number(target)) ราย (ปิดรับตามวันที่)" : "\(name(part)) has \(responses) of at least \(target) answers (closes on this date)", surveys)
            case .populationMissing(let part):
                (th ? "กรอกจำนวนประชากรของ \(name(part)) เพื่อคำนวณกลุ่มตัวอย่างขั้นต่ำ" : "Enter the \(name(part)) population to work out the minimum sample", surveys)
            case .awaitingAssessor(let part, let responses):
                (th ? "\(name(part)) ผู้ประเมินเป็นผู้เก็บข้อมูล: รอผล (บันทึกแล้ว \(number(responses)) ราย) เมื่อประกาศผลแล้วให้บันทึกคะแนนที่ประกาศ"
                    : "\(name(part)) is collected by the assessor: awaiting its result (\(responses) entered); record the published score when it is out",
                 SiteURL.results(agency: code, year: year).path)
            case .itemOverdue(let id, let ids):
                (th ? "\(id) เลยกำหนดส่งแล้ว\(divisions(ids))" : "\(id) is overdue\(divisions(ids))", item(id))
            case .itemDueSoon(let id, let ids):
                (th ? "\(id) ครบกำหนดส่งภายใน 7 วัน\(divisions(ids))" : "\(id) is due within 7 days\(divisions(ids))", item(id))
            case .deadLink(let id, let link):
                (th ? "\(id) ลิงก์เปิดไม่ได้: \(link)" : "\(id) has a dead link: \(link)", item(id))
            case .changedLink(let id, let link):
                (th ? "\(id) หน้าเว็บเปลี่ยนไปจากที่บันทึกไว้: \(link)" : "\(id) links to a page that changed: \(link)", item(id))
            case .missingComponents(let id, let missing):
                (th ? "\(id) ยังขาดองค์ประกอบ \(missing) ข้อ" : "\(id) is missing \(missing) component\(missing == 1 ? "" : "s")", item(id))
            case .itemsWithoutEvidence(let count):
                (th ? "ข้อ OIT ที่ยังไม่มีหลักฐานเลย \(count) ข้อ" : "\(count) OIT item\(count == 1 ? " has" : "s have") no evidence yet", SiteURL.items(agency: code, year: year).path)
            case .measureOverdue(let n, let title):
                (th ? "มาตรการที่ \(n) \(title) พ้นกำหนดแล้วแต่ยังไม่เสร็จ" : "Measure \(n) \(title) is past its end and not done", SiteURL.measures(agency: code, year: year).path)
            case .measureBehind(let n, let title, let percent, let expected):
                (th ? "มาตรการที่ \(n) \(title) คืบหน้า \(percent)% ช้ากว่าเวลาที่ผ่านไป (\(expected)%)" : "Measure \(n) \(title) is at \(percent)%, behind its schedule (\(expected)%)", SiteURL.measures(agency: code, year: year).path)
            case .documentsNotMade:
                (th ? "ยังไม่ได้สร้างเอกสาร (รายงานผล บันทึกข้อความ มาตรการ O43)" : "The documents (report, memo, O43 measures) are not made yet", SiteURL.documents(agency: code, year: year).path)
            }
            var date: String?
            if let d = step.date {
                let shown = th ? ThaiFormat.shortDate(d) : ThaiFormat.englishDate(d)
                let late = d < today
                date = late && step.urgent ? (th ? "เลยกำหนด \(shown)" : "overdue since \(shown)") : shown
            }
            return Row(text: text, date: date, url: url, urgent: step.urgent)
        }
        let first = Array(rows.prefix(shownFirst))
        let more = Array(rows.dropFirst(shownFirst))
        return NextStepsModel(first: first, more: more,
                              moreLabel: more.isEmpty ? nil : (th ? "อีก \(more.count) รายการ" : "\(more.count) more"),
                              empty: rows.isEmpty, levelReason: figures.levelGap.map { levelReason($0, framework: framework, language: language) })
    }

    static func levelReason(_ gap: LevelGap, framework: Framework, language: Language) -> String {
        let th = language == .th
        let short = gap.short.map { s in
            "\(s.id.map { framework.shortName($0, language: language) } ?? "ITA") = \(s.value.displayString) < \(plain(s.needed))"
        }.joined(separator: ", ")
        let next = gap.next.name.text(language)
        let scoreShort = gap.short.contains { $0.id == nil }
        let partsShort = gap.short.contains { $0.id != nil }
        let need: String
        switch (scoreShort, partsShort, gap.everyPartNeeded) {
        case (true, true, let floor?):
            need = th ? "ต้องได้ ITA ถึง \(plain(gap.scoreNeeded)) และทุกส่วนถึง \(plain(floor)) จึงได้\(next)"
                      : "ITA must reach \(plain(gap.scoreNeeded)) and every part \(plain(floor)) for \(next)"
        case (false, true, let floor?):
            need = th ? "ต้องยกทุกส่วนถึง \(plain(floor)) จึงได้\(next)" : "every part must reach \(plain(floor)) for \(next)"
        default:
            need = th ? "ต้องได้ ITA ถึง \(plain(gap.scoreNeeded)) จึงได้\(next)" : "ITA must reach \(plain(gap.scoreNeeded)) for \(next)"
        }
        let level = gap.level.name.text(language)
        return th ? "ได้ระดับ\(level) เพราะ \(short): \(need)" : "Level \(level) because \(short): \(need)"
    }

    /// A framework threshold as written: a whole number without ".00".
    static func plain(_ value: Decimal) -> String {
        value == value.rounded(scale: 0) ? "\(NSDecimalNumber(decimal: value).intValue)" : value.displayString
    }
}
