import Foundation

/// What a corruption complaint is about (the categories of the agency's complaint guideline, O27).
public enum ComplaintCategory: String, Sendable, CaseIterable, Hashable {
    case bribery
    case procurement
    case abuseOfPosition = "abuse-of-position"
    case publicProperty = "public-property"
    case conflictOfInterest = "conflict-of-interest"
    case other

    public var name: LocalizedText {
        switch self {
        case .bribery: LocalizedText(th: "การเรียกรับสินบนหรือผลประโยชน์", en: "Bribery")
        case .procurement: LocalizedText(th: "การจัดซื้อจัดจ้าง", en: "Procurement")
        case .abuseOfPosition: LocalizedText(th: "การใช้อำนาจหน้าที่โดยมิชอบ", en: "Abuse of position")
        case .publicProperty: LocalizedText(th: "การใช้ทรัพย์สินของราชการโดยมิชอบ", en: "Misuse of public property")
        case .conflictOfInterest: LocalizedText(th: "การขัดกันระหว่างประโยชน์ส่วนตนและประโยชน์ส่วนรวม", en: "Conflict of interest")
        case .other: LocalizedText(th: "เรื่องอื่น ๆ เกี่ยวกับการทุจริต", en: "Other corruption")
        }
    }
}

/// Where a case stands in the guideline's flow: received → screening → investigating → concluded, or
/// forwarded to another body, or not accepted. The last three are final.
public enum CaseStatus: String, Sendable, CaseIterable, Hashable {
    case received
    case screening
    case investigating
    case concluded
    case forwarded
    case notAccepted = "not-accepted"

    public var name: LocalizedText {
        switch self {
        case .received: LocalizedText(th: "รับเรื่องแล้ว", en: "Received")
        case .screening: LocalizedText(th: "อยู่ระหว่างกลั่นกรอง", en: "Screening")
        case .investigating: LocalizedText(th: "อยู่ระหว่างตรวจสอบข้อเท็จจริง", en: "Investigating")
        case .concluded: LocalizedText(th: "ดำเนินการแล้วเสร็จ", en: "Concluded")
        case .forwarded: LocalizedText(th: "ส่งต่อหน่วยงานที่มีอำนาจ", en: "Forwarded")
        case .notAccepted: LocalizedText(th: "ไม่รับไว้พิจารณา", en: "Not accepted")
        }
    }

    public var isFinal: Bool { self == .concluded || self == .forwarded || self == .notAccepted }

    /// The steps a handler may take from here.
    public var next: [CaseStatus] {
        switch self {
        case .received: [.screening, .notAccepted]
        case .screening: [.investigating, .forwarded, .notAccepted]
        case .investigating: [.concluded, .forwarded]
        case .concluded, .forwarded, .notAccepted: []
        }
    }
}

/// The bodies a case may be forwarded to.
public enum ForwardTarget: String, Sendable, CaseIterable, Hashable {
    case nacc
    case pacc
    case police
    case oag
    case other

    public var name: LocalizedText {
        switch self {
        case .nacc: LocalizedText(th: "สำนักงาน ป.ป.ช.", en: "NACC")
        case .pacc: LocalizedText(th: "สำนักงาน ป.ป.ท.", en: "PACC")
        case .police: LocalizedText(th: "สำนักงานตำรวจแห่งชาติ", en: "Royal Thai Police")
        case .oag: LocalizedText(th: "สำนักงานการตรวจเงินแผ่นดิน", en: "State Audit Office")
        case .other: LocalizedText(th: "หน่วยงานอื่นที่มีอำนาจ", en: "Another competent body")
        }
    }
}

/// A step a handler wants to take, checked before anything is stored.
public struct CaseStep: Sendable, Hashable {
    public var from: CaseStatus
    public var to: CaseStatus
    /// What was done and decided: every step needs one, so no case is closed without a word.
    public var note: String
    public var forwardedTo: ForwardTarget?

    public init(from: CaseStatus, to: CaseStatus, note: String, forwardedTo: ForwardTarget? = nil) {
        self.from = from
        self.to = to
        self.note = note
        self.forwardedTo = forwardedTo
    }

    /// The shortest outcome note accepted, in characters.
    public static let minimumNote = 10

    /// Throws unless the step is allowed from where the case stands, with a note and (when forwarding) a body.
    public func check() throws(ComplaintError) {
        guard from.next.contains(to) else { throw .stepNotAllowed(from: from, to: to) }
        guard note.trimmingCharacters(in: .whitespacesAndNewlines).count >= Self.minimumNote else { throw .noteRequired }
        if to == .forwarded, forwardedTo == nil { throw .forwardTargetRequired }
        if to != .forwarded, forwardedTo != nil { throw .forwardTargetRequired }
    }
}

/// How many days each stage may take before the case is overdue (the guideline's deadlines; each agency
/// sets its own).
public struct CaseDeadlines: Sendable, Hashable {
    /// From receipt to the first step (acknowledging the report).
    public var acknowledgeDays: Int
    /// Screening, from the step that started it.
    public var screeningDays: Int
    /// Investigating, from the step that started it.
    public var investigationDays: Int

    public init(acknowledgeDays: Int = 15, screeningDays: Int = 30, investigationDays: Int = 90) {
        self.acknowledgeDays = acknowledgeDays
        self.screeningDays = screeningDays
        self.investigationDays = investigationDays
    }

    public static let standard = CaseDeadlines()
    public static let allowedDays = 1...365

    /// The date a case in `status` since `since` is due to move on; nil once it is final.
    public func due(status: CaseStatus, since: CivilDate) -> CivilDate? {
        let days: Int
        switch status {
        case .received: days = acknowledgeDays
        case .screening: days = screeningDays
        case .investigating: days = investigationDays
        case .concluded, .forwarded, .notAccepted: return nil
        }
        return since.adding(days: days)
    }

    /// Reads "15,30,90" (the stored form) and checks each is a whole number of days in range.
    public init(parsing text: String) throws(ComplaintError) {
        let days = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard days.count == 3, let a = days[0], let s = days[1], let i = days[2],
              [a, s, i].allSatisfy(Self.allowedDays.contains) else { throw .badDeadlines }
        self.init(acknowledgeDays: a, screeningDays: s, investigationDays: i)
    }

    public var stored: String { "\(acknowledgeDays),\(screeningDays),\(investigationDays)" }
}

public enum ComplaintError: Error, Sendable, Hashable, DomainError {
    case stepNotAllowed(from: CaseStatus, to: CaseStatus)
    case noteRequired
    case forwardTargetRequired
    case badDeadlines
    case ownRequest
    case notPending

    public var userMessage: LocalizedText {
        switch self {
        case .stepNotAllowed(let from, let to):
            LocalizedText(th: "เปลี่ยนสถานะจาก \"\(from.name.th)\" เป็น \"\(to.name.th)\" ไม่ได้",
                          en: "A case cannot go from \(from.name.en) to \(to.name.en)")
        case .noteRequired:
            LocalizedText(th: "กรุณาบันทึกผลการดำเนินการอย่างน้อย \(CaseStep.minimumNote) ตัวอักษร",
                          en: "Write what was done and decided (at least \(CaseStep.minimumNote) characters)")
        case .forwardTargetRequired:
            LocalizedText(th: "กรุณาเลือกหน่วยงานที่ส่งต่อ (เฉพาะเมื่อส่งต่อเรื่อง)", en: "Choose the body the case goes to (only when forwarding)")
        case .badDeadlines:
            LocalizedText(th: "กำหนดเวลาแต่ละขั้นต้องเป็นจำนวนวัน 1–365", en: "Each deadline must be 1–365 days")
        case .ownRequest:
            LocalizedText(th: "ผู้ขอดูข้อมูลผู้ร้องเรียนอนุมัติคำขอของตนเองไม่ได้ ต้องเป็นผู้ควบคุมข้อมูลอีกคนหนึ่ง",
                          en: "A request to see a reporter's identity must be approved by another custodian")
        case .notPending:
            LocalizedText(th: "คำขอนี้ได้รับการพิจารณาแล้ว", en: "This request has already been decided")
        }
    }

    public var kind: DomainErrorKind {
        switch self {
        case .ownRequest: .forbidden
        case .notPending: .conflict
        default: .invalid
        }
    }
}
