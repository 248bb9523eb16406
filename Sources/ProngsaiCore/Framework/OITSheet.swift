import Foundation

/// The OIT list as officers keep it in Excel: one row per item, with its indicator, sub-indicator, topic
/// heading, title and required components (one per line in the cell, or separated by " | "). Imported
/// into a framework file, it replaces the checklist tool's indicators; everything else in the file stays.
public enum OITSheet {
    public static let columns = ["indicator", "indicator_name", "subindicator", "subindicator_name", "topic", "item", "title", "components"]

    /// A problem in the sheet, by row (1-based, the header being row 1) and column.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var row: Int
        public var column: String
        public var message: LocalizedText
        public var description: String { "row \(row), \(column): \(message.en)" }
    }

    public struct Problems: Error, Sendable, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// A template sheet with the header and two example rows.
    public static func template() -> [[String]] {
        [columns,
         ["9", "การเปิดเผยข้อมูล", "9.1", "ข้อมูลพื้นฐาน", "", "O1", "โครงสร้าง", "แสดงแผนผังโครงสร้างการแบ่งส่วนราชการ\nแสดงตำแหน่งที่สำคัญและการแบ่งส่วนงานภายใน"],
         ["9", "การเปิดเผยข้อมูล", "9.2", "การบริหารงาน", "การดำเนินงาน", "O11", "แผนดำเนินงานและการใช้งบประมาณประจำปี", "แสดงแผนดำเนินงาน | มีข้อมูลรายละเอียดของแผน"]]
    }

    /// Replaces the indicators of the framework document's checklist tool with the sheet's.
    /// Throws `Problems` for the sheet's own mistakes (per row); the caller then loads the result with
    /// `FrameworkLoader`, which checks the framework as a whole.
    public static func apply(_ table: [[String]], to document: JSONValue) throws(Problems) -> JSONValue {
        var problems: [Problem] = []
        func problem(_ row: Int, _ column: String, th: String, en: String) { problems.append(Problem(row: row, column: column, message: LocalizedText(th: th, en: en))) }
        guard let header = table.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw Problems(problems: [Problem(row: 1, column: "-", message: LocalizedText(th: "ไฟล์ว่าง", en: "the sheet is empty"))])
        }
        var index: [String: Int] = [:]
        for column in columns {
            if let i = header.firstIndex(of: column) { index[column] = i } else {
                problem(1, column, th: "ไม่มีคอลัมน์ \(column) ในแถวหัวตาราง", en: "the header has no \(column) column")
            }
        }
        guard problems.isEmpty else { throw Problems(problems: problems) }
        struct Sub { var id: String; var name: String; var items: [JSONValue]; var topics: [(name: String, items: [String])] }
        struct Indicator { var id: String; var name: String; var subs: [Sub] }
        var indicators: [Indicator] = []
        var subOwner: [String: String] = [:]
        var itemRow: [String: Int] = [:]
        for (offset, cells) in table.dropFirst().enumerated() {
            let row = offset + 2
            func cell(_ column: String) -> String {
                let i = index[column]!
                return i < cells.count ? cells[i].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            }
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { continue }
            let indicator = cell("indicator"), sub = cell("subindicator"), item = cell("item"), title = cell("title")
            var ok = true
            for (column, value, th) in [("indicator", indicator, "ตัวชี้วัด"), ("subindicator", sub, "ตัวชี้วัดย่อย"), ("item", item, "ข้อ"), ("title", title, "ชื่อข้อมูล")]
            where value.isEmpty {
                problem(row, column, th: "ไม่ได้กรอก\(th)", en: "\(column) is empty")
                ok = false
            }
            if let first = itemRow[item], !item.isEmpty {
                problem(row, "item", th: "ข้อ \(item) ซ้ำกับแถวที่ \(first)", en: "item \(item) repeats row \(first)")
                ok = false
            }
            if let owner = subOwner[sub], owner != indicator, !sub.isEmpty {
                problem(row, "subindicator", th: "ตัวชี้วัดย่อย \(sub) อยู่ใต้ตัวชี้วัด \(owner) ในแถวก่อนหน้า", en: "sub-indicator \(sub) is under indicator \(owner) in an earlier row")
                ok = false
            }
            guard ok else { continue }
            itemRow[item] = row
            subOwner[sub] = indicator
            let components = cell("components").components(separatedBy: .newlines).flatMap { $0.components(separatedBy: " | ") }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let itemJSON = JSONValue.object(JSONObject([
                ("id", .string(item)), ("title", .object(JSONObject([("th", .string(title)), ("en", .string(title))]))),
                ("components", .array(components.map { .string($0) })),
            ]))
            if !indicators.contains(where: { $0.id == indicator }) { indicators.append(Indicator(id: indicator, name: cell("indicator_name"), subs: [])) }
            let i = indicators.firstIndex { $0.id == indicator }!
            if indicators[i].name.isEmpty { indicators[i].name = cell("indicator_name") }
            if !indicators[i].subs.contains(where: { $0.id == sub }) { indicators[i].subs.append(Sub(id: sub, name: cell("subindicator_name"), items: [], topics: [])) }
            let s = indicators[i].subs.firstIndex { $0.id == sub }!
            if indicators[i].subs[s].name.isEmpty { indicators[i].subs[s].name = cell("subindicator_name") }
            indicators[i].subs[s].items.append(itemJSON)
            let topic = cell("topic")
            if !topic.isEmpty {
                if let t = indicators[i].subs[s].topics.firstIndex(where: { $0.name == topic }) {
                    indicators[i].subs[s].topics[t].items.append(item)
                } else {
                    indicators[i].subs[s].topics.append((topic, [item]))
                }
            }
        }
        if itemRow.isEmpty && problems.isEmpty { problem(2, "item", th: "ไม่มีรายการข้อ OIT ในไฟล์", en: "the sheet lists no item") }
        guard problems.isEmpty else { throw Problems(problems: problems) }
        func named(_ text: String, _ fallback: String) -> JSONValue {
            let name = text.isEmpty ? fallback : text
            return .object(JSONObject([("th", .string(name)), ("en", .string(name))]))
        }
        let indicatorJSON = JSONValue.array(indicators.map { indicator in
            .object(JSONObject([
                ("id", .string(indicator.id)), ("name", named(indicator.name, indicator.id)),
                ("subindicators", .array(indicator.subs.map { sub in
                    var members: [(String, JSONValue)] = [("id", .string(sub.id)), ("name", named(sub.name, sub.id)), ("items", .array(sub.items))]
                    if !sub.topics.isEmpty {
                        members.append(("topics", .array(sub.topics.map { topic in
                            .object(JSONObject([("name", named(topic.name, topic.name)), ("items", .array(topic.items.map { .string($0) }))]))
                        })))
                    }
                    return .object(JSONObject(members))
                })),
            ]))
        })
        guard var root = document.objectValue, var tools = root["tools"]?.arrayValue,
            let t = tools.firstIndex(where: { $0.objectValue?["kind"]?.stringValue == "checklist" }), var tool = tools[t].objectValue
        else {
            throw Problems(problems: [Problem(row: 1, column: "-", message: LocalizedText(th: "ไฟล์กรอบการประเมินไม่มีเครื่องมือแบบรายการตรวจ (OIT)", en: "the framework file has no checklist tool"))])
        }
        tool["indicators"] = indicatorJSON
        tools[t] = .object(tool)
        root["tools"] = .array(tools)
        // Guidance for checklist indicators the new list no longer has is dropped; survey indicators keep theirs.
        if var improvement = root["improvement"]?.objectValue, let guidance = improvement["guidance"]?.objectValue {
            var known = Set(indicators.flatMap { [$0.id] + $0.subs.map(\.id) })
            for tool in tools where tool.objectValue?["kind"]?.stringValue != "checklist" {
                for indicator in tool.objectValue?["indicators"]?.arrayValue ?? [] { if let id = indicator["id"]?.stringValue { known.insert(id) } }
            }
            improvement["guidance"] = .object(JSONObject(guidance.members.filter { known.contains($0.key) }.map { ($0.key, $0.value) }))
            root["improvement"] = .object(improvement)
        }
        return .object(root)
    }
}
