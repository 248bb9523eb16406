import Foundation
import ProngsaiCore

/// Plain-text tables for the terminal, aligned by display width (Thai vowel and tone marks take no column).
public struct TextTable {
    public var rows: [[String]] = []
    public var rightAligned: Set<Int> = []

    public init(rightAligned: Set<Int> = []) { self.rightAligned = rightAligned }

    public mutating func add(_ cells: String...) { rows.append(cells) }

    public func render() -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], Self.displayWidth(cell)) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - Self.displayWidth(cell))
                return rightAligned.contains(i) ? pad + cell : (i == row.count - 1 ? cell : cell + pad)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Columns a string takes in a terminal: Thai above/below marks combine with the previous letter.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x0E31, 0x0E34...0x0E3A, 0x0E47...0x0E4E, 0x0300...0x036F: width
            default: width + 1
            }
        }
    }
}

/// The readable score report of `prongsai score` without `--json`.
public enum ScoreText {
    public static func render(_ result: ScoreResult, framework: Framework, language: Language) -> String {
        let th = language == .th
        var table = TextTable(rightAligned: [2])
        table.add(th ? "รายการ" : "Item", th ? "ชื่อ" : "Name", th ? "คะแนน" : "Score")
        table.add("ITA", framework.title.text(language), result.score.displayString)
        for tool in framework.tools {
            table.add("  " + tool.id.uppercased(), tool.name.text(language) + " ×\(tool.weight)", result.tools[tool.id]?.displayString ?? "–")
            switch tool.kind {
            case .survey(let survey):
                for part in survey.parts {
                    if survey.parts.count > 1 {
                        table.add("    " + part, survey.partName(part).text(language), result.parts[part]?.displayString ?? "–")
                    }
                    if let figures = result.indicators[part] {
                        for indicator in survey.indicators {
                            guard let value = figures[indicator.id] else { continue }
                            table.add("      " + indicator.id, indicator.name.text(language), value.displayString)
                        }
                    }
                }
            case .checklist(let checklist):
                guard let figures = result.indicators[tool.id], let subs = result.subindicators[tool.id] else { continue }
                for indicator in checklist.indicators {
                    table.add("    " + indicator.id, indicator.name.text(language), figures[indicator.id]?.displayString ?? "–")
                    for sub in indicator.subindicators {
                        table.add("      " + sub.id, sub.name.text(language), subs[sub.id]?.displayString ?? "–")
                    }
                }
            }
        }
        var lines = [table.render(), ""]
        let level = result.level.name
        lines.append(th ? "ระดับผลการประเมิน: \(level.th) (\(level.en))" : "Level: \(level.en) (\(level.th))")
        let counts = framework.partIDs.compactMap { part in result.respondents[part].map { "\(part) \($0)" } }
        if !counts.isEmpty { lines.append((th ? "จำนวนผู้ตอบ: " : "Respondents: ") + counts.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    public static func render(_ outcome: WhatIfOutcome, framework: Framework, language: Language) -> String {
        let th = language == .th
        var table = TextTable(rightAligned: [1, 2, 3])
        table.add(th ? "รายการ" : "Item", th ? "เดิม" : "Before", th ? "สมมติ" : "What if", th ? "เปลี่ยน" : "Change")
        func row(_ label: String, _ a: Decimal?, _ b: Decimal?) {
            guard let a, let b else { return }
            let d = b.displayedChange(from: a)
            table.add(label, a.displayString, b.displayString, (d > 0 ? "+" : d == 0 ? "±" : "") + d.displayString)
        }
        row("ITA", outcome.before.score, outcome.after.score)
        for tool in framework.tools {
            row("  " + tool.id.uppercased(), outcome.before.tools[tool.id], outcome.after.tools[tool.id])
            if case .survey(let survey) = tool.kind, survey.parts.count > 1 {
                for part in survey.parts { row("    " + part, outcome.before.parts[part], outcome.after.parts[part]) }
            }
        }
        let changes = outcome.changes.map(\.description).joined(separator: ", ")
        let before = outcome.before.level.name.text(language)
        let after = outcome.after.level.name.text(language)
        return [
            (th ? "สมมติว่า: " : "What if: ") + changes,
            table.render(),
            "",
            (th ? "ระดับ: " : "Level: ") + (outcome.levelChanged ? "\(before) → \(after)" : after + (th ? " (ไม่เปลี่ยน)" : " (unchanged)")),
        ].joined(separator: "\n")
    }
}
