import Foundation

/// Where an OIT item stands, from the agency's first draft to the assessor's final word.
public enum ItemStatus: String, Sendable, Hashable, CaseIterable {
    case notStarted = "not-started"
    case inProgress = "in-progress"
    /// Division staff handed it to the ITA officer.
    case submitted
    /// The ITA officer checked it.
    case approved
    /// Sent to the assessing body.
    case sent
    /// The assessor judged it (pass or fail, with a reason).
    case judged
    /// The agency asked for a second look (ขอชี้แจง) within the window.
    case clarification
    /// The assessor confirmed the final result.
    case final

    public var name: LocalizedText {
        switch self {
        case .notStarted: .init(th: "ยังไม่เริ่ม", en: "Not started")
        case .inProgress: .init(th: "กำลังดำเนินการ", en: "In progress")
        case .submitted: .init(th: "ส่งเจ้าหน้าที่ ITA แล้ว", en: "Submitted to the ITA officer")
        case .approved: .init(th: "เจ้าหน้าที่ ITA อนุมัติแล้ว", en: "Approved")
        case .sent: .init(th: "ส่งประเมินแล้ว", en: "Sent for assessment")
        case .judged: .init(th: "ผู้ประเมินตรวจแล้ว", en: "Judged")
        case .clarification: .init(th: "ขอชี้แจงแล้ว", en: "Clarification filed")
        case .final: .init(th: "ยืนยันผลแล้ว", en: "Final")
        }
    }
}

/// The review state of one item.
public struct ItemReview: Sendable, Hashable {
    public var itemID: String
    public var status: ItemStatus
    public var passed: Bool?
    public var reason: String
    public var judgedOn: CivilDate?
    public var clarification: String

    public init(itemID: String, status: ItemStatus = .notStarted, passed: Bool? = nil, reason: String = "", judgedOn: CivilDate? = nil, clarification: String = "") {
        self.itemID = itemID
        self.status = status
        self.passed = passed
        self.reason = reason
        self.judgedOn = judgedOn
        self.clarification = clarification
    }

    /// The last day a clarification may be filed.
    public func clarificationDeadline(days: Int) -> CivilDate? {
        judgedOn.map { $0.adding(days: days) }
    }
}

/// A step someone takes on an item.
public enum WorkflowAction: Sendable, Hashable {
    case start
    case submit
    case approve
    case returnToDivision(note: String)
    case send
    case judge(passed: Bool, reason: String)
    case clarify(text: String)
    case confirm(passed: Bool, reason: String)

    /// Who may take the step.
    public var roles: Set<Role> {
        switch self {
        case .start, .submit: [.admin, .officer, .division]
        case .approve, .returnToDivision, .send, .clarify: [.admin, .officer]
        case .judge, .confirm: [.admin, .assessor]
        }
    }
}

public struct WorkflowError: Error, Sendable, Hashable {
    public var message: LocalizedText
    public var forbidden: Bool

    public init(message: LocalizedText, forbidden: Bool) {
        self.message = message
        self.forbidden = forbidden
    }
}

/// The review rules, pure: given a state, an action, the actor's roles and today's date, the next state.
public enum ItemWorkflow {
    public static func apply(_ action: WorkflowAction, to review: ItemReview, roles: Set<Role>, today: CivilDate, clarificationDays: Int) throws(WorkflowError) -> ItemReview {
        guard !action.roles.isDisjoint(with: roles) else {
            throw WorkflowError(message: .init(th: "ท่านไม่มีสิทธิ์ดำเนินการขั้นตอนนี้", en: "You may not take this step"), forbidden: true)
        }
        func wrong() -> WorkflowError {
            WorkflowError(message: .init(th: "ทำขั้นตอนนี้ไม่ได้ เมื่อสถานะเป็น \"\(review.status.name.th)\"", en: "This step is not possible while the item is \"\(review.status.name.en)\""), forbidden: false)
        }
        var next = review
        switch action {
        case .start:
            guard review.status == .notStarted else { throw wrong() }
            next.status = .inProgress
        case .submit:
            guard [.notStarted, .inProgress].contains(review.status) else { throw wrong() }
            next.status = .submitted
        case .approve:
            guard review.status == .submitted else { throw wrong() }
            next.status = .approved
        case .returnToDivision(let note):
            guard [.submitted, .approved].contains(review.status) else { throw wrong() }
            next.status = .inProgress
            next.reason = note
        case .send:
            guard review.status == .approved else { throw wrong() }
            next.status = .sent
        case .judge(let passed, let reason):
            guard [.sent, .clarification].contains(review.status) else { throw wrong() }
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard passed || !trimmed.isEmpty else {
                throw WorkflowError(message: .init(th: "กรุณาระบุเหตุผลที่ไม่ผ่าน", en: "Give the reason it fails"), forbidden: false)
            }
            next.status = .judged
            next.passed = passed
            next.reason = trimmed
            if review.status == .sent { next.judgedOn = today }
        case .clarify(let text):
            guard review.status == .judged, review.passed == false else { throw wrong() }
            guard let deadline = review.clarificationDeadline(days: clarificationDays), today <= deadline else {
                throw WorkflowError(message: .init(th: "พ้นกำหนดขอชี้แจงแล้ว (ภายใน \(clarificationDays) วันหลังผลการตรวจ)",
                                                   en: "The clarification window (\(clarificationDays) days after the judgement) has closed"), forbidden: false)
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw WorkflowError(message: .init(th: "กรุณาเขียนคำชี้แจง", en: "Write the clarification"), forbidden: false) }
            next.status = .clarification
            next.clarification = trimmed
        case .confirm(let passed, let reason):
            guard [.judged, .clarification].contains(review.status) else { throw wrong() }
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard passed || !trimmed.isEmpty || !review.reason.isEmpty else {
                throw WorkflowError(message: .init(th: "กรุณาระบุเหตุผลที่ไม่ผ่าน", en: "Give the reason it fails"), forbidden: false)
            }
            next.status = .final
            next.passed = passed
            if !trimmed.isEmpty {
                next.reason = trimmed
            } else if passed {
                // A fail reason answered by the clarification is history now (kept in the audit log), not
                // the current reason of a passing item.
                next.reason = ""
            }
        }
        return next
    }
}

extension CivilDate {
    /// The date `days` later (or earlier when negative).
    public func adding(days: Int) -> CivilDate { CivilDate(daysSince1970: daysSince1970 + days) }

    /// Whole days from this date to `other` (negative when `other` is earlier).
    public func days(to other: CivilDate) -> Int { other.daysSince1970 - daysSince1970 }
}
