import Foundation
import ProngsaiCore

/// The agency's report on its integrity measures (O43), laid out as the reference report
/// (Ban Pong FY2566): title, overall result, measures, IIT/EIT guidance and the OIT items table.
/// Numbers use Arabic digits, as that report does.
public enum ITAReport {
    public static func docx(_ input: ReportInput) throws -> Data { try document(input).data() }

    public static func html(_ input: ReportInput) -> String { document(input).printHTML() }

    typealias Doc = DOCXDocument
    /// Tables are set at 14 pt to fit their narrow columns.
    static let tableSize = 28

    static func document(_ input: ReportInput) -> Doc {
        let portrait = Doc.Page.a4Portrait
        return Doc(
            title: title(input), created: input.generatedOn,
            sections: [
                Doc.Section(page: portrait, blocks: front(input)),
                Doc.Section(page: .a4Landscape, blocks: measures(input, width: Doc.Page.a4Landscape.textWidth)),
                Doc.Section(page: portrait, blocks: analysis(input, width: portrait.textWidth)),
                // The OIT table is wide (components, divisions, progress): landscape, as the measures.
                Doc.Section(page: .a4Landscape, blocks: oit(input, width: Doc.Page.a4Landscape.textWidth)),
            ],
            footer: "\(input.agency.name.th) · จัดทำเมื่อ \(ThaiFormat.longDate(input.generatedOn))")
    }

    static func title(_ input: ReportInput) -> String {
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ \(input.fiscalYear.buddhistYear)"
    }

    /// "องค์การบริหารส่วนตำบลบ้านโป่ง อำเภอเวียงป่าเป้า จังหวัดเชียงราย".
    static func agencyLine(_ agency: Agency) -> String {
        func place(_ prefix: String, _ value: String) -> String? {
            let value = value.trimmingCharacters(in: .whitespaces)
            if value.isEmpty { return nil }
            // Bangkok has เขต, not อำเภอ, and is not a จังหวัด; keep what the officer typed then.
            if value.hasPrefix(prefix) || value.hasPrefix("เขต") || value.hasPrefix("กรุงเทพ") { return value }
            return prefix + value
        }
        return ([agency.name.th] + [place("อำเภอ", agency.district), place("จังหวัด", agency.province)].compactMap { $0 }).joined(separator: " ")
    }

    // MARK: - Front page

    static func front(_ input: ReportInput) -> [Doc.Block] {
        var blocks: [Doc.Block] = [
            .paragraph(Doc.Paragraph(title(input), bold: true, size: 36, alignment: .center, style: "Title")),
            .paragraph(Doc.Paragraph(agencyLine(input.agency), bold: true, size: 34, alignment: .center, spaceAfter: 240)),
            .paragraph(Doc.Paragraph(intro(input), alignment: .thaiDistribute, firstLineIndent: 1134, spaceAfter: 240)),
        ]
        blocks += scoreTable(input)
        blocks += analysisSummary(input, width: Doc.Page.a4Portrait.textWidth)
        return blocks
    }

    /// O42: last year's score per indicator and whether it is a weak point to fix urgently or an issue to develop.
    static func analysisSummary(_ input: ReportInput, width: Int) -> [Doc.Block] {
        let rows = input.analysis.compactMap { row in input.framework.indicatorRef(row.indicatorID).map { (row, $0) } }
        guard !rows.isEmpty else { return [] }
        let source = input.analysisYear.map { "จากผลการประเมินประจำปีงบประมาณ พ.ศ. \($0)" } ?? "จากผลการประเมินปีที่ผ่านมา"
        let cells = rows.map { row, ref in
            [Doc.Cell(ref.label(.th)), Doc.Cell(row.score?.displayString ?? "–", alignment: .center),
             Doc.Cell(row.weak ? "ข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน" : "ประเด็นที่ต้องพัฒนาให้ดีขึ้น", bold: row.weak)]
        }
        return [
            heading("การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส (O42)"),
            .paragraph(Doc.Paragraph("\(input.agency.name.th) วิเคราะห์\(source) แยกเป็นข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน และประเด็นที่ต้องพัฒนาให้ดีขึ้น ดังนี้",
                                     alignment: .thaiDistribute, firstLineIndent: 1134, spaceAfter: 120)),
            .table(Doc.Table(widths: scaled([4200, 1300, 3526], to: width), header: [headerRow("ตัวชี้วัด", "คะแนน", "ประเด็น")], rows: cells,
                             size: tableSize, cantSplit: true)),
        ]
    }

    static func intro(_ input: ReportInput) -> String {
        let name = input.agency.name.th
        let year = input.fiscalYear.buddhistYear
        var result = "ยังไม่ได้รับแจ้งผลการประเมิน"
        if let score = input.score {
            result = "โดยภาพรวมได้คะแนน \(score.displayString)"
            if let level = input.levelName, !level.isEmpty { result += " อยู่ในระดับ \(level)" }
        }
        return "จากการประเมินผลคุณธรรมและความโปร่งใสในการดำเนินงานของ\(name) ประจำปีงบประมาณ พ.ศ. \(year) \(result) "
            + "\(name) ได้รายงานผลการดำเนินงานตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสในหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. \(year) "
            + "และได้แสดงมาตรการกิจกรรมที่ดำเนินการ การสรุปผลการดำเนินการ และผลลัพธ์ของการดำเนินการ กำหนดผู้รับผิดชอบหรือผู้ที่เกี่ยวข้อง ดังนี้"
    }

    static func scoreTable(_ input: ReportInput) -> [Doc.Block] {
        guard !input.scoreLines.isEmpty || input.score != nil else { return [] }
        var rows = input.scoreLines.map { [Doc.Cell($0.name), Doc.Cell($0.score.displayString, alignment: .center)] }
        if let score = input.score {
            rows.append([Doc.Cell("คะแนนรวม", bold: true), Doc.Cell(score.displayString, bold: true, alignment: .center)])
        }
        if let level = input.levelName, !level.isEmpty {
            rows.append([Doc.Cell("ระดับผลการประเมิน", bold: true), Doc.Cell(level, bold: true, alignment: .center)])
        }
        return [
            heading("สรุปผลคะแนนการประเมิน"),
            .table(Doc.Table(widths: [6800, 2226], header: [headerRow("แบบวัด", "คะแนน")], rows: rows, size: tableSize, cantSplit: true)),
        ]
    }

    // MARK: - Measures

    static let measureColumns = [
        "ลำดับ", "มาตรการ/กิจกรรม", "วิธีดำเนินการ", "ระยะเวลาในการดำเนินการ", "ผู้รับผิดชอบ",
        "สรุปผลการดำเนินการตามมาตรการหรือกิจกรรม", "ผลลัพธ์หรือความสำเร็จในการดำเนินการ",
    ]

    static func measures(_ input: ReportInput, width: Int) -> [Doc.Block] {
        var blocks: [Doc.Block] = [heading("มาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")]
        guard !input.measures.isEmpty else {
            return blocks + [.paragraph(Doc.Paragraph("ยังไม่มีมาตรการในปีงบประมาณนี้"))]
        }
        if let overall = MeasureRollup.overall(input.measures.map { ($0.measure, $0.rollup) }) {
            blocks.append(.paragraph(Doc.Paragraph("ความก้าวหน้าโดยรวม \(overall)%", spaceAfter: 120)))
        }
        // Wide enough that no Thai word is broken inside (a 14 pt "ลำดับ" or "ประชาสัมพันธ์" fits its column).
        let widths = scaled([900, 2300, 2600, 1400, 1700, 2600, 2458], to: width)
        let rows = input.measures.map { measureRow($0, input: input) }
        blocks.append(.table(Doc.Table(widths: widths, header: [headerRow(measureColumns)], rows: rows, size: tableSize)))
        return blocks
    }

    static func measureRow(_ row: ReportInput.MeasureRow, input: ReportInput) -> [Doc.Cell] {
        let measure = row.measure
        var result = lines(measure.outcome)
        var progress = "ความก้าวหน้า \(row.rollup.percent)% (\(measure.status.name.th))"
        if row.rollup.overdue { progress += " เลยกำหนด" }
        result.append(Doc.Paragraph(progress, bold: true))
        let effects = effectLines(row.effects, framework: input.framework)
        if !effects.isEmpty {
            result.append(Doc.Paragraph("ผลต่อตัวชี้วัด", bold: true))
            result += effects.map { Doc.Paragraph($0) }
        }
        return [
            Doc.Cell("\(measure.number)", alignment: .center), Doc.Cell(lines(measure.title)), Doc.Cell(lines(measure.method)),
            Doc.Cell(measure.periodLabel, alignment: .center), Doc.Cell(lines(measure.responsible)), Doc.Cell(lines(measure.summary)),
            Doc.Cell(result),
        ]
    }

    /// "ตัวชี้วัดที่ 4: 80.25 → 90.00 (+9.75)" for each effect with both figures.
    static func effectLines(_ effects: [MeasureEffect], framework: Framework) -> [String] {
        effects.compactMap { effect in
            guard let before = effect.before, let after = effect.after, let change = effect.change else { return nil }
            let label = framework.indicatorRef(effect.indicatorID)?.parent == nil ? "ตัวชี้วัดที่" : "ตัวชี้วัดย่อยที่"
            let sign = change > 0 ? "+" : ""
            return "\(label) \(effect.indicatorID): \(before.displayString) → \(after.displayString) (\(sign)\(change.displayString))"
        }
    }

    // MARK: - Analysis (IIT / EIT guidance)

    static let analysisColumns = ["ตัวชี้วัด", "แนวทางในการยกระดับการประเมิน", "ผู้รับผิดชอบ", "ระยะเวลา", "ความก้าวหน้าผลการดำเนินการ"]

    /// One table per survey tool; checklist-tool rows go with the OIT table.
    static func analysis(_ input: ReportInput, width: Int) -> [Doc.Block] {
        input.framework.surveyTools.flatMap { tool, _ in
            analysisTable(input, toolID: tool.id, width: width)
        }
    }

    static func analysisTable(_ input: ReportInput, toolID: String, width: Int) -> [Doc.Block] {
        let refs = input.analysis.compactMap { row in input.framework.indicatorRef(row.indicatorID).map { (row, $0) } }
            .filter { $0.1.toolID == toolID }
        guard !refs.isEmpty else { return [] }
        let widths = scaled([1700, 2900, 1150, 1050, 2226], to: width)
        let rows = refs.map { row, ref in
            [Doc.Cell(ref.label(.th)), Doc.Cell(lines(row.guidance)), Doc.Cell(lines(row.responsible)), Doc.Cell(row.period, alignment: .center),
             Doc.Cell(progressCell(row.progress, note: row.note))]
        }
        return [
            heading("ประเด็นการประเมิน \(toolID.uppercased())"),
            .table(Doc.Table(widths: widths, header: [headerRow(analysisColumns)], rows: rows, size: tableSize)),
        ]
    }

    /// "☐ ยังไม่ได้ดำเนินการ" / "☑ ดำเนินการ" and the note as "- " lines, as the reference ticks its boxes.
    static func progressCell(_ progress: ItemProgress, note: String) -> [Doc.Paragraph] {
        let started = progress != .notStarted
        return [
            Doc.Paragraph("\(started ? "☐" : "☑") ยังไม่ได้ดำเนินการ"),
            Doc.Paragraph("\(started ? "☑" : "☐") ดำเนินการ"),
        ] + bulletLines(note).map { Doc.Paragraph($0) }
    }

    // MARK: - OIT

    static let oitColumns = ["ข้อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "ผู้รับผิดชอบ", "ความก้าวหน้าผลการดำเนินการ"]

    static func oit(_ input: ReportInput, width: Int) -> [Doc.Block] {
        input.framework.checklistTools.flatMap { tool, checklist -> [Doc.Block] in
            let guidance = analysisTable(input, toolID: tool.id, width: width)
            let blocks = checklist.subindicators.flatMap { subindicatorBlocks($0, input: input, width: width) }
            guard !blocks.isEmpty else { return guidance }
            return (guidance.isEmpty ? [heading("ประเด็นการประเมิน \(tool.id.uppercased())")] : guidance) + blocks
        }
    }

    static func subindicatorBlocks(_ subindicator: SubIndicator, input: ReportInput, width: Int) -> [Doc.Block] {
        let order = Dictionary(subindicator.items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let items = input.items.filter { $0.subindicatorID == subindicator.id }
            .sorted { (order[$0.item.id] ?? Int.max) < (order[$1.item.id] ?? Int.max) }
        guard !items.isEmpty else { return [] }
        let widths = scaled([900, 2600, 4700, 1900, 3858], to: width)
        func row(_ row: ReportInput.ItemRow) -> [Doc.Cell] {
            [Doc.Cell(itemNumber(row.item.id), alignment: .center), Doc.Cell(row.item.title.th),
             Doc.Cell(row.item.components.map { Doc.Paragraph(bullet($0)) }), Doc.Cell(lines(row.responsible)),
             Doc.Cell(progressCell(row.progress, note: row.note))]
        }
        // The framework's topic headings ("การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ") are printed before the first
        // item of their topic, each starting its own table, as the reference report does.
        var runs: [(topic: Topic?, rows: [ReportInput.ItemRow])] = []
        for item in items {
            if let topic = subindicator.topicStarting(at: item.item.id) {
                runs.append((topic, [item]))
            } else if runs.isEmpty {
                runs.append((nil, [item]))
            } else {
                runs[runs.count - 1].rows.append(item)
            }
        }
        var blocks: [Doc.Block] = [
            .paragraph(Doc.Paragraph("ตัวชี้วัดย่อยที่ \(subindicator.id) \(subindicator.name.th)", bold: true, style: "Heading2",
                                     spaceBefore: 240, spaceAfter: 120, keepWithNext: true))
        ]
        for run in runs {
            if let topic = run.topic {
                blocks.append(.paragraph(Doc.Paragraph(topic.name.th, bold: true, style: "Heading3", spaceBefore: 120, spaceAfter: 120, keepWithNext: true)))
            }
            blocks.append(.table(Doc.Table(widths: widths, header: [headerRow(oitColumns)], rows: run.rows.map(row), size: tableSize)))
        }
        return blocks
    }

    /// Items are numbered as the framework and the text refer to them: "O1" … "O43" (the reference's
    /// "01", "010" read as numbers, not as the items the report talks about).
    static func itemNumber(_ id: String) -> String { id }

    // MARK: - Helpers

    static func heading(_ text: String) -> Doc.Block {
        .paragraph(Doc.Paragraph(text, bold: true, size: 34, style: "Heading1", spaceBefore: 240, spaceAfter: 120, keepWithNext: true))
    }

    static func headerRow(_ titles: String...) -> [Doc.Cell] { headerRow(titles) }

    static func headerRow(_ titles: [String]) -> [Doc.Cell] { titles.map { Doc.Cell($0, bold: true, alignment: .center) } }

    /// One paragraph per line of an officer's text (an empty text gives an empty cell).
    static func lines(_ text: String) -> [Doc.Paragraph] {
        text.split(whereSeparator: \.isNewline).map { Doc.Paragraph(String($0)) }
    }

    /// The non-empty lines of a note, each as "- line".
    static func bulletLines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(bullet)
    }

    static func bullet(_ line: String) -> String {
        line.hasPrefix("-") || line.hasPrefix("•") ? line : "- " + line
    }

    /// Column widths scaled to fill the text width; the last column takes the rounding.
    static func scaled(_ widths: [Int], to total: Int) -> [Int] {
        let sum = widths.reduce(0, +)
        guard sum > 0 else { return widths }
        var result = widths.map { $0 * total / sum }
        if let last = result.indices.last { result[last] += total - result.reduce(0, +) }
        return result
    }
}
