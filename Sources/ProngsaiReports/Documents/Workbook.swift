import Foundation
import ProngsaiCore

/// The report's figures as a workbook (scores, OIT items, measures, analysis) and the measures as CSV,
/// for officers who keep their own spreadsheets. Scores are number cells at full precision.
public enum ReportWorkbook {
    public static func xlsx(_ input: ReportInput) throws -> Data {
        try XLSXWriter(sheets: [
            XLSXWriter.Sheet(name: "คะแนน", rows: scoreRows(input), widths: [12, 60, 12]),
            XLSXWriter.Sheet(name: "ข้อ OIT", rows: itemRows(input), widths: [8, 40, 30, 24, 20, 10, 40]),
            XLSXWriter.Sheet(name: "มาตรการ", rows: measureRows(input), widths: [8, 40, 40, 16, 24, 16, 16, 24, 18, 12, 10, 40, 40]),
            XLSXWriter.Sheet(name: "การวิเคราะห์", rows: analysisRows(input), widths: [40, 10, 10, 50, 24, 16, 20, 40]),
        ]).data()
    }

    /// The measures sheet as CSV (UTF-8 with BOM, CRLF), for Excel and LibreOffice.
    public static func measuresCSV(_ input: ReportInput) -> String {
        CSV.write(measureRows(input).map { $0.map(text) })
    }

    typealias Cell = XLSXWriter.Cell

    static func text(_ cell: Cell) -> String {
        switch cell {
        case .text(let value): value
        case .number(let value): value.jsonLiteral
        }
    }

    static func scoreRows(_ input: ReportInput) -> [[Cell]] {
        var rows: [[Cell]] = [[.text("รหัส"), .text("รายการ"), .text("คะแนน")]]
        if let score = input.score { rows.append([.text("ITA"), .text("คะแนนรวม"), .number(score)]) }
        if let level = input.levelName { rows.append([.text("ITA"), .text("ระดับผลการประเมิน"), .text(level)]) }
        rows += input.scoreLines.map { [.text($0.id), .text($0.name), .number($0.score)] }
        for ref in input.framework.indicatorRefs {
            guard let score = input.indicatorScores[ref.id] else { continue }
            rows.append([.text(ref.id), .text(ref.label(.th)), .number(score)])
        }
        return rows
    }

    static func itemRows(_ input: ReportInput) -> [[Cell]] {
        let names = Dictionary(input.framework.indicatorRefs.map { ($0.id, $0.label(.th)) }, uniquingKeysWith: { a, _ in a })
        let header = ["ข้อ", "ข้อมูล", "ตัวชี้วัดย่อย", "ผู้รับผิดชอบ", "ความก้าวหน้า", "ผล", "หมายเหตุ"]
        return [header.map(Cell.text)] + input.items.map { row in
            let result = row.passed.map { $0 ? "ผ่าน" : "ไม่ผ่าน" } ?? ""
            return [row.item.id, row.item.title.th, names[row.subindicatorID] ?? row.subindicatorID, row.responsible,
                    row.progress.name.th, result, row.note].map(Cell.text)
        }
    }

    static func measureRows(_ input: ReportInput) -> [[Cell]] {
        let header = ["ลำดับ", "มาตรการ", "วิธีดำเนินการ", "ระยะเวลา", "ผู้รับผิดชอบ", "ตัวชี้วัดที่เกี่ยวข้อง", "ข้อ OIT", "เป้าหมาย",
                      "สถานะ", "ความก้าวหน้า (%)", "เลยกำหนด", "สรุปผล", "ผลลัพธ์"]
        return [header.map(Cell.text)] + input.measures.map { row in
            let m = row.measure
            return [.number(Decimal(m.number)), .text(m.title), .text(m.method), .text(m.periodLabel), .text(m.responsible),
                    .text(m.indicators.joined(separator: ", ")), .text(m.items.joined(separator: ", ")), .text(m.target),
                    .text(m.status.name.th), .number(Decimal(row.rollup.percent)), .text(row.rollup.overdue ? "ใช่" : ""),
                    .text(m.summary), .text(m.outcome)]
        }
    }

    static func analysisRows(_ input: ReportInput) -> [[Cell]] {
        let header = ["ตัวชี้วัด", "คะแนน", "จุดอ่อน", "แนวทางในการยกระดับการประเมิน", "ผู้รับผิดชอบ", "ระยะเวลา", "ความก้าวหน้า", "หมายเหตุ"]
        return [header.map(Cell.text)] + input.analysis.map { row in
            let label = input.framework.indicatorRef(row.indicatorID)?.label(.th) ?? row.indicatorID
            return [.text(label), row.score.map(Cell.number) ?? .text(""), .text(row.weak ? "ใช่" : ""), .text(row.guidance),
                    .text(row.responsible), .text(row.period), .text(row.progress.name.th), .text(row.note)]
        }
    }
}
