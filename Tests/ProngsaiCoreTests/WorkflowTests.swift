import Foundation
import ProngsaiCore
import Testing

@Suite("OIT review workflow")
struct WorkflowTests {
    let today = CivilDate(iso: "2023-05-01")!

    func step(_ action: WorkflowAction, _ review: ItemReview, _ roles: Set<Role>, on day: CivilDate? = nil) throws(WorkflowError) -> ItemReview {
        try ItemWorkflow.apply(action, to: review, roles: roles, today: day ?? today, clarificationDays: 15)
    }

    @Test("the whole path: draft, submit, approve, send, fail with a reason, clarify in time, confirm a pass")
    func happyPath() throws {
        var review = ItemReview(itemID: "O13")
        review = try step(.start, review, [.division])
        review = try step(.submit, review, [.division])
        #expect(review.status == .submitted)
        review = try step(.approve, review, [.officer])
        review = try step(.send, review, [.officer])
        review = try step(.judge(passed: false, reason: "ขาดปัญหาอุปสรรค"), review, [.assessor])
        #expect(review.status == .judged && review.passed == false && review.judgedOn == today)
        #expect(review.clarificationDeadline(days: 15) == CivilDate(iso: "2023-05-16"))
        review = try step(.clarify(text: "แนบรายงานฉบับแก้ไขแล้ว"), review, [.officer], on: CivilDate(iso: "2023-05-16"))
        #expect(review.status == .clarification)
        review = try step(.confirm(passed: true, reason: ""), review, [.assessor])
        #expect(review.status == .final && review.passed == true)
        #expect(review.reason.isEmpty, "the answered fail reason is history, not the reason of a pass")
    }

    @Test("roles are checked for every step", arguments: [
        (WorkflowAction.approve, Role.division), (.send, .division), (.judge(passed: true, reason: ""), .officer),
        (.confirm(passed: true, reason: ""), .officer), (.clarify(text: "x"), .assessor), (.submit, .viewer), (.submit, .assessor),
    ])
    func forbidden(action: WorkflowAction, role: Role) {
        do {
            _ = try step(action, ItemReview(itemID: "O1", status: .submitted), [role])
            Issue.record("\(role) took \(action)")
        } catch {
            #expect(error.forbidden)
        }
    }

    @Test("steps out of order, a fail without a reason, and a late clarification are refused")
    func refused() throws {
        #expect(throws: WorkflowError.self) { _ = try step(.send, ItemReview(itemID: "O1", status: .submitted), [.officer]) }
        #expect(throws: WorkflowError.self) { _ = try step(.judge(passed: true, reason: ""), ItemReview(itemID: "O1", status: .approved), [.assessor]) }
        #expect(throws: WorkflowError.self) { _ = try step(.judge(passed: false, reason: "  "), ItemReview(itemID: "O1", status: .sent), [.assessor]) }
        let failed = ItemReview(itemID: "O1", status: .judged, passed: false, reason: "x", judgedOn: CivilDate(iso: "2023-05-01"))
        do {
            _ = try step(.clarify(text: "late"), failed, [.officer], on: CivilDate(iso: "2023-05-17"))
            Issue.record("a late clarification went through")
        } catch {
            #expect(!error.forbidden)
            #expect(error.message.th.contains("พ้นกำหนด"))
        }
        let passed = ItemReview(itemID: "O1", status: .judged, passed: true, judgedOn: CivilDate(iso: "2023-05-01"))
        #expect(throws: WorkflowError.self) { _ = try step(.clarify(text: "x"), passed, [.officer]) }
        #expect(throws: WorkflowError.self) { _ = try step(.submit, ItemReview(itemID: "O1", status: .final), [.officer]) }
    }

    @Test func addingDays() {
        #expect(CivilDate(iso: "2023-12-25")!.adding(days: 15).iso == "2024-01-09")
        #expect(CivilDate(iso: "2024-02-20")!.adding(days: 10).iso == "2024-03-01")
    }
}
