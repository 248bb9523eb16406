import Foundation
import ProngsaiCore

/// A document cannot be made from what the input holds.
public enum ReportDocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The memo's details (division, number, date, signers) have not been filled in.
    case memoDetailsMissing

    public var description: String {
        switch self {
        case .memoDetailsMissing: "ยังไม่ได้กรอกรายละเอียดบันทึกข้อความ (memo details are missing)"
        }
    }
}

/// The memo (บันทึกข้อความ) that reports the ITA result to the executives, in the government form
/// of the reference memo: 16 pt TH Sarabun New, every number in Thai digits.
public enum MemoDocument {
    public static func docx(_ input: ReportInput) throws -> Data {
        guard let memo = input.memo else { throw ReportDocumentError.memoDetailsMissing }
        return try document(input, memo: memo).data()
    }

    /// The print view; without memo details, a page that says they are missing.
    public static func html(_ input: ReportInput) -> String {
        guard let memo = input.memo else {
            let message = Doc.Paragraph(ReportDocumentError.memoDetailsMissing.description)
            return Doc(title: "บันทึกข้อความ", sections: [Doc.Section(blocks: [.paragraph(message)])], pageNumbers: false).printHTML()
        }
        return document(input, memo: memo).printHTML()
    }

    typealias Doc = DOCXDocument

    /// 1.5 cm top, 2.5 cm left, 2 cm right and bottom, as the memo form (ระเบียบงานสารบรรณ) is set.
    static let page = Doc.Page(width: 11906, height: 16838, top: 851, right: 1134, bottom: 1134, left: 1418)
    /// Paragraphs start 2.5 cm in; signatures sit centred in the right part of the page, wide enough for
    /// "นายกองค์การบริหารส่วนตำบลบ้านโป่ง" on one line.
    static let indent = 1418
    static let half = page.textWidth / 2
    static let signatureIndent = page.textWidth * 2 / 5
    /// The Garuda is 1.5 cm tall, as the memo form has it.
    static let garuda = Doc.Image(name: "garuda.png", png: GarudaEmblem.png(), svg: GarudaEmblem.svg(heightMM: 15),
                                  width: Int((850 * GarudaEmblem.aspect).rounded()), height: 850, description: "ตราครุฑ")
    /// Form labels (ส่วนราชการ, ที่, วันที่, เรื่อง) are 20 pt bold.
    static let labelSize = 40

    static func document(_ input: ReportInput, memo: MemoDetails) -> Doc {
        var blocks: [Doc.Block] = [
            .paragraph(title),
        ]
        blocks += header(input, memo: memo).map { .paragraph($0) }
        blocks += body(input, memo: memo)
        blocks += signature(memo.author).map { .paragraph($0) }
        for signer in memo.signers { blocks += comment(signer).map { .paragraph($0) } }
        return Doc(title: th(memo.subject), created: input.generatedOn, sections: [Doc.Section(page: page, blocks: blocks)], pageNumbers: false)
    }

    /// The Garuda at the left margin and "บันทึกข้อความ" centred on the same line, 29 pt bold.
    static var title: Doc.Paragraph {
        var paragraph = Doc.Paragraph(runs: [Doc.Run("\tบันทึกข้อความ", bold: true, size: 58)], spaceAfter: 60,
                                      tabStops: [Doc.TabStop(page.textWidth / 2, .center)], keepWithNext: true)
        paragraph.image = garuda
        return paragraph
    }

    /// Thai digits throughout, as government memos write numbers.
    static func th(_ text: String) -> String { ThaiFormat.thaiDigits(text) }

    static func field(_ label: String, _ value: String) -> [Doc.Run] {
        [Doc.Run(label, bold: true, size: labelSize), Doc.Run("  " + th(value) + "  ", underline: .dotted)]
    }

    static func header(_ input: ReportInput, memo: MemoDetails) -> [Doc.Paragraph] {
        let division = [memo.division, input.agency.name.th].filter { !$0.isEmpty }.joined(separator: " ")
        let date = ThaiFormat.longDate(memo.date, thaiDigits: true)
        return [
            Doc.Paragraph(runs: field("ส่วนราชการ", division)),
            Doc.Paragraph(runs: field("ที่", memo.number) + [Doc.Run("\t")] + field("วันที่", date), tabStops: [Doc.TabStop(half)]),
            Doc.Paragraph(runs: field("เรื่อง", memo.subject), spaceAfter: 120),
            Doc.Paragraph(runs: [Doc.Run("เรียน  " + th(memo.to))], spaceAfter: 120),
        ]
    }

    static func body(_ input: ReportInput, memo: MemoDetails) -> [Doc.Block] {
        let intro = memo.intro.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? standardIntro(input.fiscalYear) : memo.intro
        var blocks: [Doc.Block] = [
            .paragraph(text(th(intro))),
            .paragraph(text(resultParagraph(input, memo: memo))),
        ]
        if !input.scoreLines.isEmpty {
            let rows = input.scoreLines.map { line in
                [Doc.Cell(th(line.name)), Doc.Cell(th(line.score.displayString), alignment: .right)]
            }
            // Each name and score on one line (15 pt): the reference's "คะแนนรวม ๙๗.๘๒ คะแนน" wraps every line
            // and pushes the memo to a third page, so the score column holds the figure alone.
            blocks.append(.table(Doc.Table(widths: [page.textWidth - 1200, 1200], rows: rows, borders: false, headerShading: nil, size: 30)))
        }
        blocks.append(.paragraph(Doc.Paragraph("จึงเรียนมาเพื่อโปรดทราบ", firstLineIndent: indent, spaceBefore: 240)))
        return blocks
    }

    static func text(_ text: String) -> Doc.Paragraph {
        Doc.Paragraph(text, alignment: .thaiDistribute, firstLineIndent: indent, spaceBefore: 120)
    }

    /// The opening of the reference memo, for the fiscal year at hand.
    static func standardIntro(_ year: FiscalYear) -> String {
        let y = th(String(year.buddhistYear))
        return "ตามประกาศสำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.) เรื่อง ผลการประเมินคุณธรรมและความโปร่งใส"
            + "ในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. \(y) "
            + "ได้พัฒนาเครื่องมือการประเมินเชิงบวก เพื่อเป็นมาตรการป้องกันการทุจริตและเป็นกลไกในการสร้างความตระหนักให้หน่วยงานภาครัฐ"
            + "มีการดำเนินงานอย่างโปร่งใสและมีคุณธรรม โดยใช้ชื่อว่า \"การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
            + "(Integrity and Transparency Assessment : ITA)\" โดยได้ดำเนินการประเมินฯ ประจำปีงบประมาณ \(y) ผ่านมาแล้ว นั้น"
    }

    static func resultParagraph(_ input: ReportInput, memo: MemoDetails) -> String {
        let name = input.agency.name.th
        let y = th(String(input.fiscalYear.buddhistYear))
        let reporter = [memo.division, name].filter { !$0.isEmpty }.joined(separator: " ")
        var result = "ยังไม่ได้รับแจ้งผลคะแนน"
        if let score = input.score {
            result = "มีคะแนน \(th(score.displayString)) คะแนน"
            if let level = input.levelName, !level.isEmpty { result += " อยู่ในระดับ \(level)" }
        }
        return th(reporter) + " จึงขอรายงานผลการประเมินระดับคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
            + "(Integrity and Transparency Assessment : ITA) ประจำปี พ.ศ. \(y) ของ\(th(name)) ซึ่งรายละเอียดผลการประเมินฯ ประจำปี \(y) ดังนี้ "
            + "การวิเคราะห์ผลการประเมินระดับคุณธรรมและความโปร่งใส (ITA) ของ\(th(name)) \(result) ดังรายละเอียดต่อไปนี้"
    }

    /// Room to sign, then "(name)" and the position, centred in the right part of the page. Every line
    /// but the last keeps with the next, so a signature block never splits across pages.
    static func signature(_ signer: MemoDetails.Signer) -> [Doc.Paragraph] {
        // Room to sign: a line and a half above the name.
        let room = Doc.Paragraph(runs: [], keepWithNext: true)
        var name = Doc.Paragraph("(\(th(signer.name)))", alignment: .center, leftIndent: signatureIndent, spaceBefore: 200, keepWithNext: true)
        name.keepLines = true
        var position = Doc.Paragraph(th(signer.position), alignment: .center, leftIndent: signatureIndent)
        position.keepLines = true
        return [room, name, position]
    }

    /// "ความเห็นหัวหน้าสำนักปลัด", a dotted line for the comment, then the signature: kept on one page.
    static func comment(_ signer: MemoDetails.Signer) -> [Doc.Paragraph] {
        var lines: [Doc.Paragraph] = []
        if !signer.title.isEmpty { lines.append(Doc.Paragraph(th(signer.title), spaceBefore: 120, keepWithNext: true)) }
        lines.append(Doc.Paragraph(String(repeating: ".", count: 120), spaceBefore: signer.title.isEmpty ? 120 : 40, keepWithNext: true))
        return lines + signature(signer)
    }
}
