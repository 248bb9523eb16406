import Foundation
import ProngsaiCore

/// The audit log of one agency, in words an officer reads.
struct HistoryModel {
    struct Row {
        var when: String
        var who: String
        var what: String
    }

    var agencyName: String
    var fiscalYear: Int
    var nav: AssessmentNav
    var rows: [Row]
    var empty: Bool

    static func make(_ loaded: AssessmentController.Loaded, entries: [AuditEntry], context: AppRequestContext) -> HistoryModel {
        let language = context.language
        let rows = entries.map { entry in
            Row(when: when(entry.at, language), who: entry.actor, what: describe(entry, loaded: loaded, language: language))
        }
        return HistoryModel(agencyName: loaded.agency.name.text(language), fiscalYear: loaded.assessment.fiscalYear,
                            nav: AssessmentNav(loaded, current: .history, context: context), rows: rows, empty: rows.isEmpty)
    }

    /// "18 ก.ย. 2566 14:05" in Thailand's time.
    static func when(_ stored: String, _ language: Language) -> String {
        guard let date = ISO8601DateFormatter.withFractions.date(from: stored) ?? ISO8601DateFormatter().date(from: stored) else { return stored }
        let local = date.addingTimeInterval(7 * 3600)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: local)
        guard let day = CivilDate(year: c.year!, month: c.month!, day: c.day!) else { return stored }
        let time = NumberText.padded(c.hour!, width: 2) + ":" + NumberText.padded(c.minute!, width: 2)
        return (language == .th ? ThaiFormat.shortDate(day) : ThaiFormat.englishDate(day)) + " " + time
    }

    static func describe(_ entry: AuditEntry, loaded: AssessmentController.Loaded, language: Language) -> String {
        let th = language == .th
        let detail = (try? JSONParser.parse(entry.detail)) ?? .null
        func passed(_ v: JSONValue?) -> String {
            switch v?.boolValue {
            case true?: th ? "ผ่าน" : "pass"
            case false?: th ? "ไม่ผ่าน" : "fail"
            case nil: th ? "ยังไม่ประเมิน" : "not judged"
            }
        }
        func text(_ v: JSONValue?) -> String { v?.stringValue ?? "–" }
        switch (entry.entity, entry.action) {
        case ("oit-item", _):
            let item = text(detail["item"])
            let title = loaded.framework.checklistTools.lazy.compactMap { $0.checklist.item(item) }.first?.title.text(language) ?? ""
            return "\(item) \(title): \(passed(detail["before"]?["passed"])) → \(passed(detail["after"]?["passed"]))"
        case ("assessment", "set-result"), ("assessment", "clear-result"):
            let key = text(detail["key"])
            let indicator = key.hasPrefix("ind:") ? loaded.framework.indicatorRef(String(key.dropFirst(4)))?.label(language) : nil
            let name = indicator ?? loaded.framework.surveyTool(forPart: key).map { $0.survey.partName(key).text(language) }
                ?? loaded.framework.tool(key)?.name.text(language) ?? key
            return (th ? "คะแนนที่ประกาศ " : "Published score ") + "\(name): \(text(detail["before"])) → \(text(detail["after"]))"
        case ("assessment", "create"):
            let year = detail["fiscalYear"]?.numberValue.map { "\($0)" } ?? "\(loaded.assessment.fiscalYear)"
            return th ? "สร้างการประเมินปีงบประมาณ \(year)" : "Created the FY\(year) assessment"
        case ("assessment", "save-analysis"):
            let weak = (detail["weak"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
            return th ? "บันทึกการวิเคราะห์ผล จุดอ่อน: \(weak.isEmpty ? "–" : weak)" : "Saved the analysis; weak points: \(weak.isEmpty ? "–" : weak)"
        case ("assessment", "save-memo"):
            return th ? "บันทึกรายละเอียดบันทึกข้อความ ที่ \(text(detail["number"]))" : "Saved the memo details, no. \(text(detail["number"]))"
        case ("measure", "add-measure"), ("measure", "edit-measure"):
            let verb = entry.action == "add-measure" ? (th ? "เพิ่มมาตรการ" : "Added measure") : (th ? "แก้ไขมาตรการ" : "Edited measure")
            let status = MeasureStatus(rawValue: text(detail["after"])).map { $0.name.text(language) } ?? text(detail["after"])
            return "\(verb) \(text(detail["title"])) (\(status))"
        case ("measure", "measure-progress"):
            let percent = detail["percent"]?.numberValue.map { "\($0)" } ?? "–"
            return th ? "รายงานความก้าวหน้ามาตรการ เดือน \(text(detail["month"])): \(percent)%" : "Measure progress for \(text(detail["month"])): \(percent)%"
        case ("agency", _):
            return th ? "สร้างหน่วยงาน \(text(detail["name"]))" : "Created the agency \(text(detail["name"]))"
        case ("division", _):
            return th ? "เพิ่มส่วนราชการ \(text(detail["name"]))" : "Added the division \(text(detail["name"]))"
        case ("user", _):
            return th ? "เพิ่มผู้ใช้ \(text(detail["username"]))" : "Added the user \(text(detail["username"]))"
        default:
            return "\(entry.action) \(entry.entity)"
        }
    }
}

extension ISO8601DateFormatter {
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
