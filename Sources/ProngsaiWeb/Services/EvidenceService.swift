import Foundation
import Logging
import ProngsaiCore
import ProngsaiStore

/// The OIT item use cases: a new evidence revision, a workflow step, sending approved items, assigning an
/// item, withdrawing a published file. Controllers parse the form, check who may act, call one of these and
/// render what comes back; the rules and their messages (Thai and English) live here.
struct EvidenceService: Sendable {
    let repositories: Repositories

    static let maxExplanation = 20_000
    static let maxLinks = 50

    /// What a person typed for a new revision, read and checked.
    struct Draft: Sendable {
        var explanation: String
        var links: [String]
        var components: [Int]
        var problems: [LocalizedText]
    }

    /// Links one to a line (a bare domain gets https://), an explanation and component ticks, checked against
    /// the bounds that keep one revision readable and the link checker's work finite.
    static func draft(explanation typed: String, links linesTyped: String, components ticked: [Int], item: OITItem) -> Draft {
        let explanation = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [LocalizedText] = []
        var links: [String] = []
        for line in linesTyped.split(whereSeparator: \.isNewline) {
            let typed = line.trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty else { continue }
            guard let link = WebLink.normalized(typed) else {
                problems.append(LocalizedText(th: "ลิงก์ไม่ถูกต้อง (ต้องเป็นที่อยู่เว็บ เช่น https://www.หน่วยงาน.go.th/หน้า): \(typed)",
                                              en: "Not a web link (e.g. https://www.agency.go.th/page): \(typed)"))
                continue
            }
            links.append(link)
        }
        if explanation.count > maxExplanation {
            problems.append(LocalizedText(th: "คำอธิบายยาวเกิน \(maxExplanation) ตัวอักษร (ตอนนี้ \(explanation.count))",
                                          en: "The explanation is longer than \(maxExplanation) characters (\(explanation.count))"))
        }
        if links.count > maxLinks {
            problems.append(LocalizedText(th: "ใส่ลิงก์ได้ไม่เกิน \(maxLinks) ลิงก์ต่อครั้ง (ตอนนี้ \(links.count))",
                                          en: "At most \(maxLinks) links per revision (\(links.count) given)"))
        }
        let components = ticked.filter { $0 >= 0 && $0 < item.components.count }
        return Draft(explanation: explanation, links: links, components: components, problems: problems)
    }

    static let nothingGiven = LocalizedText(th: "กรุณาใส่ลิงก์ ไฟล์ หรือคำอธิบายอย่างน้อยหนึ่งอย่าง", en: "Give at least a link, a file or an explanation")

    /// Stores the revision: the draft, the new files, files held from an earlier try, and the previous
    /// revision's files still ticked (`kept`, by hash).
    @discardableResult
    func addRevision(_ draft: Draft, files: [(name: String, kind: FileKind, bytes: [UInt8])], held: [EvidenceFile], kept: Set<String>,
                     item: OITItem, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws -> EvidenceRevision {
        let previous = try await repositories.evidence.revisions(assessmentID: assessment.id, itemID: item.id, logger: logger).last?.files ?? []
        return try await repositories.evidence.addRevision(assessment: assessment, itemID: item.id, explanation: draft.explanation, components: draft.components,
                                                       links: draft.links, keep: previous.filter { kept.contains($0.sha256) } + held, files: files,
                                                       by: actor, logger: logger)
    }

    /// How a workflow step ended.
    enum StepOutcome: Sendable {
        case done
        /// Submitting or approving an item whose evidence does not cover it asks again, saying what is missing.
        case confirm(EvidenceCoverage)
        /// A step that cannot be taken yet (no reason for a fail, no clarification text): shown beside its form.
        case refused(LocalizedText)
    }

    /// Takes one step of the item's review. `confirmed`: the person saw what is missing and goes ahead.
    /// A step the person's roles do not allow throws 403.
    func step(_ action: WorkflowAction, named step: String, item: OITItem, loaded: AssessmentController.Loaded, roles: Set<Role>,
              confirmed: Bool, today: CivilDate, by actor: AuditActor, logger: Logger) async throws -> StepOutcome {
        let assessment = loaded.assessment
        let current = try await repositories.evidence.reviews(assessmentID: assessment.id, logger: logger).first { $0.itemID == item.id }
            ?? ItemReview(itemID: item.id, passed: loaded.items.first { $0.itemID == item.id }?.passed)
        let next: ItemReview
        do {
            next = try ItemWorkflow.apply(action, to: current, roles: roles, today: today, clarificationDays: loaded.framework.clarificationDays)
        } catch {
            if error.forbidden { throw AppError(.forbidden, th: error.message.th, en: error.message.en) }
            return .refused(error.message)
        }
        if step == "submit" || step == "approve", !confirmed {
            let latest = try await repositories.evidence.revisions(assessmentID: assessment.id, itemID: item.id, logger: logger).last
            let coverage = EvidenceCoverage.of(item, latest: latest)
            if !coverage.complete { return .confirm(coverage) }
        }
        try await repositories.evidence.saveReview(next, step: step, assessment: assessment, by: actor, logger: logger)
        return .done
    }

    /// Sends every approved item to the assessing body at once; how many were sent.
    func sendApproved(loaded: AssessmentController.Loaded, roles: Set<Role>, today: CivilDate, by actor: AuditActor, logger: Logger) async throws -> Int {
        var sent = 0
        for review in try await repositories.evidence.reviews(assessmentID: loaded.assessment.id, logger: logger) where review.status == .approved {
            let next = try ItemWorkflow.apply(.send, to: review, roles: roles, today: today, clarificationDays: loaded.framework.clarificationDays)
            try await repositories.evidence.saveReview(next, step: "send", assessment: loaded.assessment, by: actor, logger: logger)
            sent += 1
        }
        return sent
    }

    /// Gives the item to a division and/or a person of the agency, with an optional due date.
    func assign(item: OITItem, division: String?, assignee: String?, due: CivilDate?, loaded: AssessmentController.Loaded,
                by actor: AuditActor, logger: Logger) async throws {
        if let division, !loaded.divisions.contains(where: { $0.id == division }) {
            throw AppError.badInput(th: "ไม่พบส่วนราชการที่เลือก", en: "Unknown division")
        }
        if let assignee {
            let grants = try await repositories.users.grants(userID: assignee, logger: logger)
            guard grants.contains(where: { $0.agencyID == loaded.agency.id }) else {
                throw AppError.badInput(th: "ผู้รับผิดชอบต้องเป็นบุคลากรของหน่วยงาน", en: "The assignee must belong to the agency")
            }
        }
        try await repositories.evidence.assign(ItemAssignment(itemID: item.id, divisionID: division, assigneeID: assignee, dueOn: due),
                                              assessment: loaded.assessment, by: actor, logger: logger)
    }

    static let reasonNeeded = LocalizedText(th: "กรุณาระบุเหตุผลที่ถอนไฟล์", en: "Give the reason for withdrawing the file")

    /// Takes a published file off the public page, with a reason (nil: done; else what is missing); the file
    /// stays with the item for the assessor. A file the item never had is 404.
    func withdraw(sha256: String, reason typed: String, item: OITItem, assessment: Assessment, by actor: AuditActor, logger: Logger) async throws -> LocalizedText? {
        let reason = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        let revisions = try await repositories.evidence.revisions(assessmentID: assessment.id, itemID: item.id, logger: logger)
        guard revisions.contains(where: { $0.files.contains { $0.sha256 == sha256 } }) else { throw AppError.notFound }
        guard !reason.isEmpty else { return Self.reasonNeeded }
        try await repositories.evidenceStore.withdraw(assessment: assessment, itemID: item.id, sha256: sha256, reason: String(reason.prefix(2000)),
                                                      by: actor, logger: logger)
        return nil
    }
}
