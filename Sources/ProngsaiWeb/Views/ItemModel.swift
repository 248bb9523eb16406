import Foundation
import ProngsaiCore

/// One OIT item: its required components, who looks after it, and every revision of its evidence.
struct ItemModel {
    struct Component {
        var index: Int
        var text: String
        var ticked: Bool
    }

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct FileRow {
        var name: String
        var url: String
        var size: String
        var sha: String
        /// Ticked to stay with the next revision.
        var kept = true
        /// Full hash (for the withdraw form), whether the public page shows it, and why it was withdrawn.
        var fullSHA = ""
        var isPublic = false
        var withdrawn: String?
    }

    struct LinkCheck {
        var url: String
        var state: String
        var stateClass: String
        var when: String
        var copy: String?
    }

    struct Revision {
        /// The revision the officer approved last: what the public page shows.
        var published = false
        var number: Int
        var when: String
        var who: String
        var explanation: String
        var links: [String]
        var files: [FileRow]
        var ticked: Int
        var total: Int
    }

    var agencyName: String
    var nav: AssessmentNav
    var id: String
    var title: String
    var subindicator: String
    var components: [Component]
    var missing: [String]
    var hasMissing: Bool
    var result: String
    var canAssign: Bool
    var canAdd: Bool
    var canJudge: Bool
    var divisions: [Option]
    var members: [Option]
    var due: String
    var assignAction: String
    var evidenceAction: String
    var revisions: [Revision]
    var hasRevisions: Bool
    var linkChecks: [LinkCheck]
    var hasLinkChecks: Bool
    var latestFiles: [FileRow]
    var latestLinks: String
    var latestExplanation: String
    /// A workflow step refused (a fail without a reason …), shown beside the step forms; what was typed stays.
    var workflowError: String?
    /// Officers and administrators may take a published file off the public page.
    var canWithdraw = false
    var withdrawAction = ""
    /// Files chosen on a form that came back with an error, kept for the next try.
    var heldFiles: [HeldFile] = []
    var hasHeldFiles = false
    /// The agency's public pages in Prongsai, offered as evidence links.
    var ownPages: [OwnPage] = []
    var hasOwnPages = false

    struct OwnPage {
        var label: String
        var url: String
    }

    struct HeldFile {
        var token: String
        var name: String
        var size: String
    }
    /// A step that needs a second "yes": submitting or approving an item whose evidence does not cover it.
    var confirmStep: ConfirmStep?

    struct ConfirmStep {
        var action: String
        var message: String
        var missing: [String]
        var hasMissing: Bool
        var button: String
        var cancelURL: String
    }
    var typedReason = ""
    var typedClarification = ""
    /// After an error: the files that were chosen, to choose again (a browser cannot refill a file field).
    var chooseAgain: String?

    /// Puts back what was typed and ticked when the form comes back with an error.
    mutating func keepTyped(links: String, explanation: String, components: Set<Int>, kept: Set<String>, chosenFiles: [String], language: Language) {
        latestLinks = links
        latestExplanation = explanation
        self.components = self.components.map { Component(index: $0.index, text: $0.text, ticked: components.contains($0.index)) }
        latestFiles = latestFiles.map { var file = $0; file.kept = kept.contains(file.sha); return file }
        if !chosenFiles.isEmpty {
            chooseAgain = (language == .th ? "กรุณาเลือกไฟล์อีกครั้ง: " : "Please choose the files again: ") + chosenFiles.joined(separator: ", ")
        }
    }
    var errors: [String]
    var hasErrors: Bool
    var saved: Bool
    var maxMB: Int
    var itemsURL: String
    var status: String
    /// Empty text reads as no reason (mustache shows an empty string's section).
    var reason: String?
    var clarification: String?
    var deadline: String?
    var workflowAction: String
    var steps: [Step]
    /// Earlier review steps, oldest first: a fail reason answered later stays here as history.
    var reviewHistory: [ReviewStep] = []
    var hasReviewHistory = false

    struct ReviewStep {
        var when: String
        var step: String
        var result: String
        var reason: String

        static func rows(_ entries: [AuditEntry], language: Language) -> [ReviewStep] {
            let th = language == .th
            return entries.sorted { $0.at < $1.at }.compactMap { entry in
                guard let detail = try? JSONParser.parse(entry.detail) else { return nil }
                let step = String(entry.action.dropFirst("review-".count))
                let label: String = switch step {
                case "judge": th ? "ผู้ประเมินตรวจ" : "Judged"
                case "confirm": th ? "ยืนยันผล" : "Confirmed"
                case "clarify": th ? "ชี้แจงเพิ่มเติม" : "Clarified"
                case "submit": th ? "ส่งให้เจ้าหน้าที่ ITA" : "Submitted"
                case "approve": th ? "อนุมัติ" : "Approved"
                case "return": th ? "ส่งกลับแก้ไข" : "Returned"
                case "send": th ? "ส่งให้ผู้ประเมิน" : "Sent to the assessor"
                default: step
                }
                let result: String = switch detail["passed"] {
                case .bool(true)?: th ? "ผ่าน" : "pass"
                case .bool(false)?: th ? "ไม่ผ่าน" : "fail"
                default: ""
                }
                guard step == "judge" || step == "confirm" || step == "clarify" || step == "return" else { return nil }
                return ReviewStep(when: HistoryModel.when(entry.at, language), step: label, result: result, reason: detail["reason"]?.stringValue ?? "")
            }
        }
    }
    var canJudgeStep: Bool
    var canConfirmStep: Bool
    var canClarifyStep: Bool
    var canReturnStep: Bool

    struct Step {
        var action: String
        var label: String
    }

    static func make(_ loaded: AssessmentController.Loaded, item: OITItem, sub: SubIndicator, assignment: ItemAssignment?, revisions: [EvidenceRevision],
                     review: ItemReview, roles: Set<Role>, today: CivilDate, snapshots: [EvidenceSnapshot], members: [User], canAssign: Bool, canAdd: Bool, canJudge: Bool, errors: [String], saved: String?, maxMB: Int, context: AppRequestContext) -> ItemModel {
        let language = context.language
        let th = language == .th
        let code = loaded.agency.code
        let year = loaded.assessment.fiscalYear
        let latest = revisions.last
        let ticked = Set(latest?.components ?? [])
        let components = item.components.enumerated().map { Component(index: $0.offset, text: $0.element, ticked: ticked.contains($0.offset)) }
        let stored = loaded.items.first { $0.itemID == item.id }
        func allowed(_ action: WorkflowAction) -> Bool {
            (try? ItemWorkflow.apply(action, to: review, roles: roles.subtracting(canAdd ? [] : [.division]), today: today, clarificationDays: loaded.framework.clarificationDays)) != nil
        }
        let simple: [(WorkflowAction, String, LocalizedText)] = [
            (.start, "start", .init(th: "เริ่มดำเนินการ", en: "Start")),
            (.submit, "submit", .init(th: "ส่งให้เจ้าหน้าที่ ITA", en: "Submit to the ITA officer")),
            (.approve, "approve", .init(th: "อนุมัติ", en: "Approve")),
            (.send, "send", .init(th: "ส่งประเมิน", en: "Send for assessment")),
        ]
        let steps = simple.filter { allowed($0.0) }.map { Step(action: $0.1, label: $0.2.text(language)) }
        let deadline = review.passed == false && review.status == .judged ? review.clarificationDeadline(days: loaded.framework.clarificationDays) : nil
        return ItemModel(
            agencyName: loaded.agency.name.text(language), nav: AssessmentNav(loaded, current: .items, context: context),
            id: item.id, title: item.title.text(language), subindicator: "\(sub.id) \(sub.name.text(language))",
            components: components, missing: components.filter { !$0.ticked }.map(\.text), hasMissing: components.contains { !$0.ticked },
            result: (stored?.passed == true ? (th ? "ผ่าน" : "Pass") : stored?.passed == false ? (th ? "ไม่ผ่าน" : "Fail") : (th ? "ยังไม่ประเมิน" : "Not judged"))
                + (loaded.published.first { $0.itemID == item.id }.map { " (" + (th ? "ผลที่ประกาศ ที่มา: " : "published result, source: ") + $0.source.text(language) + ")" }
                    ?? (stored?.passed != nil ? (th ? " (ผลการตรวจของผู้ประเมิน)" : " (assessor's judgement)") : "")),
            canAssign: canAssign, canAdd: canAdd, canJudge: canJudge,
            divisions: [Option(value: "", label: th ? "— ไม่ระบุ —" : "— none —", selected: assignment?.divisionID == nil)]
                + loaded.divisions.map { Option(value: $0.id, label: $0.name.text(language), selected: assignment?.divisionID == $0.id) },
            members: [Option(value: "", label: th ? "— ไม่ระบุ —" : "— none —", selected: assignment?.assigneeID == nil)]
                + members.map { Option(value: $0.id, label: $0.displayName, selected: assignment?.assigneeID == $0.id) },
            due: assignment?.dueOn?.iso ?? "",
            assignAction: SiteURL.itemAssign(agency: code, year: year, item: item.id).path,
            evidenceAction: SiteURL.itemEvidence(agency: code, year: year, item: item.id).path,
            revisions: revisions.reversed().map { r in
                Revision(number: r.revision, when: HistoryModel.when(r.createdAt, language), who: r.createdBy, explanation: r.explanation, links: r.links,
                         files: r.files.map { FileRow(name: $0.name, url: SiteURL.evidenceFile(agency: code, year: year, sha256: $0.sha256).path,
                                                      size: ThaiFormat.byteSize($0.size, thai: th), sha: String($0.sha256.prefix(12))) },
                         ticked: r.components.count, total: item.components.count)
            },
            hasRevisions: !revisions.isEmpty,
            linkChecks: (latest?.links ?? []).map { link in
                guard let snap = snapshots.first(where: { $0.url == link }) else {
                    return LinkCheck(url: link, state: th ? "รอตรวจสอบ" : "not checked yet", stateClass: "none", when: "", copy: nil)
                }
                let state = LinkCheckText.describe(snap).text(language)
                return LinkCheck(url: link, state: state, stateClass: snap.dead ? "fail" : snap.changed ? "none" : "pass",
                                 when: HistoryModel.when(snap.fetchedAt, language),
                                 copy: snap.sha256.map { SiteURL.evidenceFile(agency: code, year: year, sha256: $0).path })
            },
            hasLinkChecks: !(latest?.links ?? []).isEmpty,
            latestFiles: (latest?.files ?? []).map { FileRow(name: $0.name, url: SiteURL.evidenceFile(agency: code, year: year, sha256: $0.sha256).path,
                                                            size: ThaiFormat.byteSize($0.size, thai: th), sha: $0.sha256) },
            latestLinks: latest?.links.joined(separator: "\n") ?? "",
            latestExplanation: latest?.explanation ?? "",
            errors: errors, hasErrors: !errors.isEmpty, saved: saved != nil, maxMB: maxMB,
            itemsURL: SiteURL.items(agency: code, year: year).path,
            status: review.status.name.text(language), reason: review.reason.isEmpty ? nil : review.reason,
            clarification: review.clarification.isEmpty ? nil : review.clarification,
            deadline: deadline.map { th ? ThaiFormat.longDate($0) : ThaiFormat.englishDate($0) },
            workflowAction: SiteURL.itemWorkflow(agency: code, year: year, item: item.id).path,
            steps: steps,
            canJudgeStep: allowed(.judge(passed: true, reason: "")),
            canConfirmStep: allowed(.confirm(passed: true, reason: "")),
            canClarifyStep: allowed(.clarify(text: "x")),
            canReturnStep: allowed(.returnToDivision(note: "")))
    }
}

/// Items assigned to the signed-in person or their division, with what is still missing.
struct MyItemsModel {
    struct Row {
        var id: String
        var title: String
        var url: String
        var due: String
        var overdue: Bool
        var missing: Int
        var total: Int
        var revisions: Int
        var status: String
        var division: String
    }

    var agencyName: String
    var nav: AssessmentNav
    var rows: [Row]
    var empty: Bool
    /// Showing the whole division's items, not only those assigned to the person by name.
    var wholeDivision = false
    var hasDivision = false
    var mineURL = ""
    var divisionURL = ""

    static func make(_ loaded: AssessmentController.Loaded, assignments: [ItemAssignment], revisions: [EvidenceRevision], reviews: [ItemReview],
                     today: CivilDate, context: AppRequestContext) -> MyItemsModel {
        let language = context.language
        let statuses = Dictionary(reviews.map { ($0.itemID, $0.status) }, uniquingKeysWith: { a, _ in a })
        let divisionNames = Dictionary(loaded.divisions.map { ($0.id, $0.name.text(language)) }, uniquingKeysWith: { a, _ in a })
        let items = loaded.framework.checklistTools.flatMap(\.checklist.items)
        let order = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($0.element.id, $0.offset) })
        var seen = Set<String>()
        let rows = assignments.sorted { (order[$0.itemID] ?? 0) < (order[$1.itemID] ?? 0) }.filter { seen.insert($0.itemID).inserted }.compactMap { a -> Row? in
            guard let item = items.first(where: { $0.id == a.itemID }) else { return nil }
            let coverage = EvidenceCoverage.of(item, latest: revisions.last { $0.itemID == a.itemID })
            return Row(id: item.id, title: item.title.text(language),
                       url: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path,
                       due: a.dueOn.map { language == .th ? ThaiFormat.shortDate($0) : ThaiFormat.englishDate($0) } ?? "–",
                       overdue: a.dueOn.map { $0 < today } ?? false,
                       missing: coverage.missingComponents.count, total: item.components.count,
                       revisions: revisions.filter { $0.itemID == a.itemID }.count,
                       status: (statuses[a.itemID] ?? .notStarted).name.text(language),
                       division: a.divisionID.flatMap { divisionNames[$0] } ?? "–")
        }
        return MyItemsModel(agencyName: loaded.agency.name.text(language), nav: AssessmentNav(loaded, current: .myItems, context: context), rows: rows, empty: rows.isEmpty)
    }
}
