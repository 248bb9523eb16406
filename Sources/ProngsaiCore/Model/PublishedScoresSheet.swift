import Foundation

/// The published scores of many agencies in one sheet (an assessing body's national results): a header row
/// `code` and then result keys (the framework's survey part ids and checklist tool ids, e.g. `iit`, `eit1`,
/// `eit2`, `oit`), one row per agency. Empty cells are left as they are. Read all or nothing: every problem
/// is listed with its row and column, and nothing is taken while one remains.
public struct PublishedScoresSheet: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        /// The sheet's row number (1 is the header).
        public var line: Int
        public var code: String
        public var scores: [String: Decimal]
    }

    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var message: LocalizedText
    }

    public var keys: [String]
    public var rows: [Row]
    public var problems: [Problem]

    /// Reads `cells` against the result keys the framework has and the agency codes that may appear.
    public static func read(_ cells: [[String]], keys allowed: [String], codes: Set<String>) -> PublishedScoresSheet {
        var problems: [Problem] = []
        let table = cells.filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let header = table.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }), header.first == "code" else {
            return PublishedScoresSheet(keys: [], rows: [], problems: [Problem(line: 1, message: LocalizedText(
                th: "แถวแรกต้องเป็นหัวตาราง เริ่มด้วย code ตามด้วย \(allowed.joined(separator: ", "))",
                en: "The first row must be a header: code, then \(allowed.joined(separator: ", "))"))])
        }
        let keys = Array(header.dropFirst())
        for key in keys where !allowed.contains(key) {
            problems.append(Problem(line: 1, message: LocalizedText(th: "ไม่รู้จักคอลัมน์ \(key) (ใช้ได้: \(allowed.joined(separator: ", ")))",
                                                                     en: "Unknown column \(key) (allowed: \(allowed.joined(separator: ", ")))")))
        }
        if Set(keys).count != keys.count { problems.append(Problem(line: 1, message: LocalizedText(th: "มีคอลัมน์ซ้ำ", en: "A column is repeated"))) }
        var rows: [Row] = []
        var seen: Set<String> = []
        for (index, cellsOfRow) in table.dropFirst().enumerated() {
            let line = index + 2
            let code = (cellsOfRow.first ?? "").trimmingCharacters(in: .whitespaces)
            if !codes.contains(code) {
                problems.append(Problem(line: line, message: LocalizedText(th: "ไม่มีหน่วยงานรหัส \"\(code)\" ในรอบนี้", en: "No agency \"\(code)\" in this round")))
            } else if !seen.insert(code).inserted {
                problems.append(Problem(line: line, message: LocalizedText(th: "หน่วยงาน \(code) อยู่ในไฟล์มากกว่าหนึ่งแถว", en: "\(code) appears on more than one row")))
            }
            var scores: [String: Decimal] = [:]
            for (column, key) in keys.enumerated() where allowed.contains(key) {
                let text = column + 1 < cellsOfRow.count ? cellsOfRow[column + 1].trimmingCharacters(in: .whitespaces) : ""
                if text.isEmpty { continue }
                if let score = Self.score(text) {
                    scores[key] = score
                } else {
                    problems.append(Problem(line: line, message: LocalizedText(th: "\(key): \"\(text)\" ไม่ใช่คะแนน 0–100 (ทศนิยมไม่เกิน 2 ตำแหน่ง)",
                                                                             en: "\(key): \"\(text)\" is not a score from 0 to 100 (at most 2 decimals)")))
                }
            }
            if cellsOfRow.count > keys.count + 1, cellsOfRow.dropFirst(keys.count + 1).contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                problems.append(Problem(line: line, message: LocalizedText(th: "มีค่าเกินจำนวนคอลัมน์ของหัวตาราง", en: "More cells than the header has columns")))
            }
            rows.append(Row(line: line, code: code, scores: scores))
        }
        if rows.isEmpty { problems.append(Problem(line: 2, message: LocalizedText(th: "ไม่มีแถวข้อมูล", en: "No data rows"))) }
        return PublishedScoresSheet(keys: keys, rows: rows, problems: problems)
    }

    /// "95.35", "๙๕.๓๕": 0–100 with at most two decimals.
    public static func score(_ text: String) -> Decimal? {
        let arabic = ThaiFormat.arabicDigits(text)
        guard arabic.range(of: #"^\d{1,3}(\.\d{1,2})?$"#, options: .regularExpression) != nil,
              let value = Decimal(string: arabic, locale: Locale(identifier: "en_US_POSIX")), value >= 0, value <= 100 else { return nil }
        return value
    }
}
