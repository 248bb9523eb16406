import Foundation
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The memo's details as typed into its form.
struct MemoForm {
    struct SignerField {
        var index: Int
        var title: String
        var name: String
        var position: String
    }

    var division: String
    var number: String
    var date: String
    var to: String
    var subject: String
    var intro: String
    var authorName: String
    var authorPosition: String
    var signers: [SignerField]

    struct Problems: Error { var messages: [String] }

    static let signerRows = 4

    init(_ memo: MemoDetails?, loaded: AssessmentController.Loaded) {
        let year = FiscalYear(loaded.assessment.fiscalYear)
        division = memo?.division ?? ""
        number = memo?.number ?? ""
        date = memo?.date.iso ?? year.end.iso
        to = memo?.to ?? ""
        subject = memo?.subject ?? "รายงานผลการประเมินระดับคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปี พ.ศ. \(ThaiFormat.thaiDigits(String(year.buddhistYear)))"
        intro = memo?.intro ?? ""
        authorName = memo?.author.name ?? ""
        authorPosition = memo?.author.position ?? ""
        let existing = memo?.signers ?? []
        signers = (0..<max(Self.signerRows, existing.count)).map { i in
            SignerField(index: i, title: i < existing.count ? existing[i].title : "", name: i < existing.count ? existing[i].name : "",
                        position: i < existing.count ? existing[i].position : "")
        }
    }

    init(_ form: FormData) {
        func text(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        division = text("division")
        number = text("number")
        date = text("date")
        to = text("to")
        subject = text("subject")
        intro = text("intro")
        authorName = text("authorName")
        authorPosition = text("authorPosition")
        signers = (0..<Self.signerRows).map { i in
            SignerField(index: i, title: text("signerTitle\(i)"), name: text("signerName\(i)"), position: text("signerPosition\(i)"))
        }
    }

    func details(language: Language) -> Result<MemoDetails, Problems> {
        let th = language == .th
        var problems: [String] = []
        let civil = CivilDate(iso: date)
        if civil == nil { problems.append(th ? "กรุณาระบุวันที่ของบันทึกข้อความให้ถูกต้อง" : "Enter a valid memo date") }
        if subject.isEmpty { problems.append(th ? "กรุณากรอกเรื่อง" : "Enter the subject") }
        if to.isEmpty { problems.append(th ? "กรุณากรอกผู้รับ (เรียน)" : "Enter who the memo is to") }
        if authorName.isEmpty { problems.append(th ? "กรุณากรอกชื่อผู้รายงาน" : "Enter the author's name") }
        let all = [division, number, to, subject, authorName, authorPosition] + signers.flatMap { [$0.title, $0.name, $0.position] }
        if all.contains(where: { $0.count > 500 }) || intro.count > 5000 {
            problems.append(th ? "ข้อความยาวเกินกำหนด" : "A field is too long")
        }
        guard problems.isEmpty, let civil else { return .failure(Problems(messages: problems)) }
        return .success(MemoDetails(
            division: division, number: number, date: civil, to: to, subject: subject, intro: intro,
            author: .init(name: authorName, position: authorPosition),
            signers: signers.filter { !$0.name.isEmpty }.map { .init(title: $0.title, name: $0.name, position: $0.position) }))
    }
}
