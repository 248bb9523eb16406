import Foundation
import ProngsaiCore

/// The public survey form, generated from the framework's questions.
struct SurveyFormModel {
    struct Option {
        var value: String
        var label: String
        var checked: Bool
    }

    struct QuestionRow {
        var id: String
        var number: Int
        var text: String
        var options: [Option]
        var error: String?
    }

    struct Section {
        var heading: String
        var title: String
        var questions: [QuestionRow]
    }

    var lang: String
    var title: String
    var agencyName: String
    /// nil for a survey with one part (no name to add after the year).
    var partName: String?
    var fiscalYear: Int
    var open: Bool
    var stateMessage: String?
    var closes: String
    var requiresCode: Bool
    /// A survey with one-time codes asks for the code first, alone, and shows the questions once it is
    /// known to be good.
    var codeStep: Bool
    var code: String
    var codeError: Bool
    var submissionID: String
    var message: String?
    var sections: [Section]
    var total: Int
    /// "ใช้เวลาประมาณ 4 นาที": about six seconds a question, at least two minutes.
    var duration: String
    var action: String
    var otherLanguage: String
    var otherLanguageName: String
    var t: [String: String]

    static func make(_ loaded: SurveyController.Loaded, today: CivilDate, answers: [String: String], problems: [String: ResponseReader.Problem],
                     code: String, submissionID: String, message: String?, codeStep: Bool = false, context: AppRequestContext) -> SurveyFormModel {
        let language = context.language
        let th = language == .th
        var number = 0
        let sections = loaded.survey.indicators.enumerated().map { index, indicator in
            Section(
                heading: th ? "ตอนที่ \(index + 1) จาก \(loaded.survey.indicators.count)" : "Part \(index + 1) of \(loaded.survey.indicators.count)",
                title: indicator.name.text(language),
                questions: indicator.questions.map { question in
                    number += 1
                    let given = ThaiFormat.arabicDigits(answers[question.id] ?? "").lowercased()
                    let options: [Option]
                    switch loaded.framework.scales[question.scale] {
                    case .ordinal(_, let labels)?:
                        // Highest first, as the paper form reads.
                        options = labels.enumerated().reversed().map { i, label in
                            Option(value: "\(i + 1)", label: question.label("\(i + 1)", scaleLabel: label).text(language), checked: given == "\(i + 1)")
                        }
                    case .yesNo(_, _, let yes, let no)?:
                        options = [Option(value: "yes", label: question.label("yes", scaleLabel: yes).text(language), checked: given == "yes"),
                                   Option(value: "no", label: question.label("no", scaleLabel: no).text(language), checked: given == "no")]
                    case nil:
                        options = []
                    }
                    return QuestionRow(id: question.id, number: number, text: question.text.text(language), options: options,
                                       error: problems[question.id] == nil ? nil : (th ? "กรุณาตอบข้อนี้" : "Please answer this question"))
                })
        }
        let state = loaded.window.state(on: today)
        let stateMessage: String? = switch state {
        case .open: nil
        case .notYetOpen: th ? "แบบสำรวจนี้ยังไม่เปิดรับคำตอบ จะเปิดวันที่ \(ThaiFormat.longDate(loaded.window.opensOn))"
            : "This survey is not open yet. It opens on \(ThaiFormat.englishDate(loaded.window.opensOn))."
        case .closed: th ? "แบบสำรวจนี้ปิดรับคำตอบแล้ว เมื่อวันที่ \(ThaiFormat.longDate(loaded.window.closesOn)) ขอบคุณที่ให้ความสนใจ"
            : "This survey closed on \(ThaiFormat.englishDate(loaded.window.closesOn)). Thank you for your interest."
        }
        let other: Language = th ? .en : .th
        let partName = loaded.survey.partName(loaded.window.partID).text(language)
        return SurveyFormModel(
            lang: language.rawValue,
            title: loaded.tool.name.text(language),
            agencyName: loaded.agency.name.text(language),
            partName: loaded.survey.parts.count > 1 && !partName.isEmpty ? partName : nil,
            fiscalYear: loaded.assessment.fiscalYear,
            open: state == .open,
            stateMessage: stateMessage,
            closes: th ? ThaiFormat.longDate(loaded.window.closesOn) : ThaiFormat.englishDate(loaded.window.closesOn),
            requiresCode: loaded.window.requiresCode,
            codeStep: loaded.window.requiresCode && codeStep,
            code: code,
            codeError: loaded.window.requiresCode && message != nil && OneTimeCode.normalize(code) == nil,
            submissionID: submissionID,
            message: message,
            sections: sections,
            total: number,
            duration: SurveyFormModel.duration(questions: number, language: language),
            action: SiteURL.survey(code: loaded.window.publicCode).path + (th ? "" : "?lang=en"),
            otherLanguage: SiteURL.survey(code: loaded.window.publicCode).path + "?lang=\(other.rawValue)"
                + (OneTimeCode.normalize(code).map(OneTimeCode.fragment) ?? ""),
            otherLanguageName: th ? "English" : "ภาษาไทย",
            t: SurveyStrings.labels(language))
    }
}

enum SurveyStrings {
    static let table: [String: LocalizedText] = [
        "fiscalYear": .init(th: "ปีงบประมาณ", en: "Fiscal year"),
        "closes": .init(th: "เปิดรับคำตอบถึง", en: "Open until"),
        "privacyTitle": .init(th: "ข้อมูลที่เก็บและไม่เก็บ", en: "What is and is not stored"),
        "privacy1": .init(th: "เก็บเฉพาะคำตอบของท่าน ซึ่งจะนำไปรวมกับคำตอบของผู้อื่นเป็นชุด ชุดละอย่างน้อย 5 ฉบับ สลับลำดับ และบันทึกเพียงวันที่รวมชุด (ไม่เก็บวันเวลาที่ท่านตอบ)", en: "Only your answers, which join others' in shuffled batches of at least 5, dated the day of the batch (not when you answered)"),
        "privacy2": .init(th: "ไม่เก็บชื่อ หมายเลข IP อุปกรณ์ หรือคุกกี้ของท่าน และไม่มีผู้ใดระบุได้ว่าใครตอบอย่างไร", en: "Not your name, IP address, device or cookies; no one can tell who answered what"),
        "privacy3": .init(th: "รหัสตอบแบบสำรวจใช้เพื่อป้องกันการตอบซ้ำเท่านั้น และไม่ถูกบันทึกคู่กับคำตอบ", en: "A survey code only stops answering twice; it is never stored with your answers"),
        "privacy4": .init(th: "หน่วยงานเห็นคะแนนเมื่อมีผู้ตอบอย่างน้อย 5 คนเท่านั้น และไม่มีใคร แม้แต่ผู้ดูแลระบบ เชื่อมโยงคำตอบกับตัวผู้ตอบได้", en: "The agency sees scores only once at least 5 people have answered, and no one, not even an administrator, can link answers to who gave them"),
        "code": .init(th: "รหัสตอบแบบสำรวจ (8 ตัวอักษร ตามบัตรที่ได้รับ)", en: "Survey code (8 characters, from your slip)"),
        "submit": .init(th: "ส่งแบบสำรวจ", en: "Send"),
        "question": .init(th: "ข้อ", en: "Question"),
        "of": .init(th: "จาก", en: "of"),
        "answered": .init(th: "ตอบแล้ว", en: "Answered"),
        "thanksTitle": .init(th: "ส่งแบบสำรวจเรียบร้อยแล้ว", en: "Your answers are in"),
        "thanksBody": .init(th: "ขอบคุณที่สละเวลาตอบแบบสำรวจ คำตอบของท่านถูกบันทึกแล้ว และไม่สามารถระบุตัวผู้ตอบได้", en: "Thank you for your time. Your answers are saved and cannot be traced to you."),
        "thanksClose": .init(th: "ท่านปิดหน้านี้ได้ทันที", en: "You can close this page now."),
        "thanksAgain": .init(th: "แบบสอบถามฉบับนี้ส่งถึงเราแล้วก่อนหน้านี้ จึงไม่นับซ้ำ", en: "This questionnaire had already reached us, so it was not counted twice."),
        "alreadySent": .init(th: "ท่านส่งแบบสอบถามฉบับนี้แล้ว หากส่งอีกจะไม่ถูกนับซ้ำ", en: "You have sent this questionnaire already; sending it again will not count twice."),
        "skipToContent": .init(th: "ข้ามไปยังเนื้อหา", en: "Skip to content"),
        "codeFirst": .init(th: "กรอกรหัสจากบัตรก่อน แล้วจึงเริ่มตอบคำถาม", en: "Enter the code from your slip first, then the questions open"),
        "start": .init(th: "เริ่มตอบแบบสำรวจ", en: "Start"),
        "yourCode": .init(th: "รหัสของท่าน", en: "Your code"),
    ]

    /// Every label in one language, made once.
    static func labels(_ language: Language) -> [String: String] { language == .th ? thai : english }
    private static let thai = table.mapValues { $0.text(.th) }
    private static let english = table.mapValues { $0.text(.en) }
}

extension SurveyFormModel {
    static func duration(questions: Int, language: Language) -> String {
        let minutes = max(2, (questions * 6 + 59) / 60)
        return language == .th ? "ใช้เวลาประมาณ \(minutes) นาที · \(questions) ข้อ" : "About \(minutes) minutes · \(questions) questions"
    }
}
