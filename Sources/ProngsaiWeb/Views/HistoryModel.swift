import Foundation
import ProngsaiCore
import ProngsaiStore

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
        guard let date = StoredTime.parse(stored) else { return stored }
        // Bangkok time (UTC+7), by arithmetic.
        let seconds = Int((date.timeIntervalSince1970 + 7 * 3600).rounded(.down))
        let day = CivilDate(daysSince1970: Int((Double(seconds) / 86_400).rounded(.down)))
        let ofDay = seconds - day.daysSince1970 * 86_400
        let time = NumberText.padded(ofDay / 3600, width: 2) + ":" + NumberText.padded(ofDay / 60 % 60, width: 2)
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
        func count(_ v: JSONValue?) -> String { v?.numberValue.map { "\($0)" } ?? "–" }
        let item = text(detail["item"])
        let itemName = item + " " + (loaded.framework.checklistTools.lazy.compactMap { $0.checklist.item(item) }.first?.title.text(language) ?? "")
        func partName(_ part: String) -> String {
            loaded.framework.surveyTool(forPart: part).map { $0.survey.partName(part).text(language) } ?? part
        }
        func day(_ v: JSONValue?) -> String? {
            v?.stringValue.flatMap(CivilDate.init(iso:)).map { th ? ThaiFormat.shortDate($0) : ThaiFormat.englishDate($0) }
        }
        func status(_ v: JSONValue?) -> String { v?.stringValue.flatMap(ItemStatus.init(rawValue:))?.name.text(language) ?? text(v) }
        switch (entry.entity, entry.action) {
        case ("oit-item", "assign"):
            let division = detail["division"]?.stringValue.flatMap { id in loaded.divisions.first { $0.id == id }?.name.text(language) } ?? (th ? "ไม่ระบุ" : "none")
            let due = day(detail["due"])
            return (th ? "มอบหมาย \(itemName) ให้ \(division)" : "Assigned \(itemName) to \(division)") + (due.map { th ? " กำหนดส่ง \($0)" : ", due \($0)" } ?? "")
        case ("oit-item", "add-evidence"):
            return th ? "เพิ่มหลักฐาน \(itemName) ฉบับที่ \(count(detail["revision"])) (ลิงก์ \(count(detail["links"])) แห่ง ไฟล์ \(detail["files"]?.arrayValue?.count ?? 0) ไฟล์)"
                : "Added evidence for \(itemName), revision \(count(detail["revision"])) (\(count(detail["links"])) links, \(detail["files"]?.arrayValue?.count ?? 0) files)"
        case ("oit-item", "record-published"):
            let line = "\(itemName): \(passed(detail["before"])) → \(passed(detail["passed"])) (\(th ? "ที่มา" : "source"): \(text(detail["source"])))"
            return (th ? "บันทึกผลที่ประกาศ " : "Recorded the published result ") + line
        case ("oit-item", let action) where action.hasPrefix("review-"):
            var line = "\(itemName): \(status(detail["before"])) → \(status(detail["after"]))"
            if let result = detail["passed"]?.boolValue { line += " (\(passed(.bool(result))))" }
            if let reason = detail["reason"]?.stringValue, !reason.isEmpty { line += (th ? " เหตุผล: " : " reason: ") + reason }
            return line
        case ("oit-item", _):
            // Progress and notes (and, in data from before published results, a result).
            func progress(_ v: JSONValue?) -> String { v?.stringValue.flatMap(ItemProgress.init(rawValue:))?.name.text(language) ?? "–" }
            var changes: [String] = []
            if detail["before"]?["passed"] != detail["after"]?["passed"] {
                changes.append("\(passed(detail["before"]?["passed"])) → \(passed(detail["after"]?["passed"]))")
            }
            let before = progress(detail["before"]?["progress"])
            let after = progress(detail["after"]?["progress"])
            changes.append((th ? "ความก้าวหน้า " : "progress ") + (before == after ? after : "\(before) → \(after)"))
            return "\(itemName): " + changes.joined(separator: ", ")
        case ("survey", "generate-codes"):
            let part = text(detail["part"])
            let name = partName(part)
            return th ? "สร้างรหัสตอบแบบสำรวจ \(name) \(count(detail["count"])) รหัส" : "Made \(count(detail["count"])) survey codes for \(name)"
        case ("survey", "set-window"):
            let part = text(detail["part"])
            let name = partName(part)
            let opens = day(detail["opens"]) ?? "–"
            let closes = day(detail["closes"]) ?? "–"
            return th ? "เปิดแบบสำรวจ \(name) \(opens) – \(closes)" : "Opened the survey \(name), \(opens) – \(closes)"
        case ("survey", "enter-responses"):
            let part = text(detail["part"])
            let name = partName(part)
            return th ? "บันทึกแบบสอบถาม \(name) \(count(detail["count"])) ฉบับ" : "Entered \(count(detail["count"])) questionnaires for \(name)"
        case ("user", "set-password"):
            return th ? "ตั้งรหัสผ่านใหม่ให้ผู้ใช้ \(entry.entityID)" : "Set a new password for \(entry.entityID)"
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
