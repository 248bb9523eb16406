import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// One OIT item: who looks after it, its evidence revisions (links, files, component ticks), and
/// division staff's "my items".
struct EvidenceController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration
    let assessments: AssessmentController

    static let assigners: Set<Role> = [.admin, .officer]

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.item), use: page)
        router.post(RouterPath(SiteURL.Pattern.itemAssign), use: assign)
        router.post(RouterPath(SiteURL.Pattern.itemWorkflow), use: workflow)
        router.post(RouterPath(SiteURL.Pattern.itemWithdraw), use: withdraw)
        router.post(RouterPath(SiteURL.Pattern.sendApproved), use: sendApproved)
        router.post(RouterPath(SiteURL.Pattern.itemEvidence), use: addEvidence)
        router.get(RouterPath(SiteURL.Pattern.evidenceFile), use: file)
        router.get(RouterPath(SiteURL.Pattern.myItems), use: myItems)
    }

    func loadItem(_ context: AppRequestContext) async throws -> (AssessmentController.Loaded, OITItem, SubIndicator) {
        let loaded = try await assessments.load(context, responses: false)
        guard let id = context.parameters.get("item"),
            let (_, checklist) = loaded.framework.checklistTools.first(where: { $0.checklist.item(id) != nil }),
            let item = checklist.item(id), let sub = checklist.subindicator(ofItem: id)
        else { throw AppError.notFound }
        return (loaded, item, sub)
    }

    /// Officers and admins; division staff of the item's division; the person it is assigned to.
    func canAddEvidence(_ context: AppRequestContext, agencyID: String, assignment: ItemAssignment?) -> Bool {
        if Access.has(context, agencyID: agencyID, anyOf: Self.assigners) { return true }
        guard let assignment else { return false }
        if let user = context.user, assignment.assigneeID == user.id { return true }
        return context.grants.contains { $0.agencyID == agencyID && $0.role == .division && $0.divisionID != nil && $0.divisionID == assignment.divisionID }
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, item, sub) = try await loadItem(context)
        let model = try await itemModel(loaded, item: item, sub: sub, errors: [], context: context, saved: request.uri.queryParameters.get("saved"))
        return try itemPage(model, item: item, context: context)
    }

    func itemModel(_ loaded: AssessmentController.Loaded, item: OITItem, sub: SubIndicator, errors: [String], context: AppRequestContext, saved: String?) async throws -> ItemModel {
        let assignment = try await repositories.evidence.assignments(assessmentID: loaded.assessment.id, logger: context.logger).first { $0.itemID == item.id }
        let revisions = try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: item.id, logger: context.logger)
        let review = try await repositories.evidence.reviews(assessmentID: loaded.assessment.id, logger: context.logger).first { $0.itemID == item.id }
            ?? ItemReview(itemID: item.id, passed: loaded.items.first { $0.itemID == item.id }?.passed)
        let snapshots = try await repositories.evidenceStore.snapshots(assessmentID: loaded.assessment.id, logger: context.logger).filter { $0.itemID == item.id }
        let users = Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners) ? try await repositories.users.all(logger: context.logger) : []
        // Only people who can do the work: the agency's active division staff and officers (not assessors or viewers).
        let workers = users.isEmpty ? [] : Set(try await repositories.users.allGrants(logger: context.logger)
            .filter { $0.agencyID == loaded.agency.id && ($0.role == .division || $0.role == .officer) }.map(\.userID))
        let members = users.filter { $0.active && workers.contains($0.id) }
        let reviewHistory = try await repositories.audit.entries(entityID: "\(loaded.assessment.id)/\(item.id)", logger: context.logger)
            .filter { $0.action.hasPrefix("review-") }
        var model = ItemModel.make(loaded, item: item, sub: sub, assignment: assignment, revisions: revisions, review: review,
                              roles: Self.roles(context, agencyID: loaded.agency.id), today: configuration.today, snapshots: snapshots, members: members,
                              canAssign: Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners),
                              canAdd: canAddEvidence(context, agencyID: loaded.agency.id, assignment: assignment),
                              canJudge: Access.has(context, agencyID: loaded.agency.id, anyOf: AssessmentController.itemEditors),
                              errors: errors, saved: saved, maxMB: configuration.maxEvidenceBytes / 1_048_576, context: context)
        // Which revision the public sees, and which of its files were withdrawn.
        let published = try await repositories.evidenceStore.publishedRevisions(assessmentID: loaded.assessment.id, logger: context.logger)[item.id]
        let withdrawn = try await repositories.evidenceStore.withdrawnFiles(assessmentID: loaded.assessment.id, logger: context.logger)
        let th = context.language == .th
        model.revisions = model.revisions.map { revision in
            var revision = revision
            revision.published = revision.number == published
            let full = revisions.first { $0.revision == revision.number }?.files ?? []
            revision.files = zip(revision.files, full).map { row, file in
                var row = row
                row.fullSHA = file.sha256
                let gone = withdrawn.contains(PublicEvidence.Withdrawn(itemID: item.id, sha256: file.sha256))
                row.isPublic = revision.published && !gone
                row.withdrawn = gone ? (th ? "ถอนออกจากหน้าสาธารณะแล้ว" : "withdrawn from the public page") : nil
                return row
            }
            return revision
        }
        model.canWithdraw = Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners)
        model.withdrawAction = SiteURL.itemWithdraw(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path
        model.reviewHistory = ItemModel.ReviewStep.rows(reviewHistory, language: context.language)
        model.hasReviewHistory = !model.reviewHistory.isEmpty
        return model
    }

    /// The item's page for `model`, with `status` (an error re-rendered in place, or a question asked again).
    func itemPage(_ model: ItemModel, item: OITItem, status: HTTPResponse.Status = .ok, context: AppRequestContext) throws -> Response {
        var response = try views.page("item", title: "\(item.id) \(item.title.text(context.language))", model: model, context: context)
        response.status = status
        return response
    }

    /// The user's roles for this agency (a system administrator's count everywhere).
    static func roles(_ context: AppRequestContext, agencyID: String) -> Set<Role> {
        Set(context.grants.filter { $0.agencyID == agencyID || ($0.agencyID == nil && $0.role == .admin) }.map(\.role))
    }

    func workflow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, item, sub) = try await loadItem(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let action: WorkflowAction
        switch form["action"] {
        case "start": action = .start
        case "submit": action = .submit
        case "approve": action = .approve
        case "return": action = .returnToDivision(note: form["reason"] ?? "")
        case "send": action = .send
        case "judge", "confirm":
            guard let result = form["result"], result == "pass" || result == "fail" else {
                throw AppError.badInput(th: "กรุณาเลือกผล ผ่าน หรือ ไม่ผ่าน", en: "Choose pass or fail")
            }
            action = form["action"] == "judge" ? .judge(passed: result == "pass", reason: form["reason"] ?? "") : .confirm(passed: result == "pass", reason: form["reason"] ?? "")
        case "clarify": action = .clarify(text: form["text"] ?? "")
        default: throw AppError.badInput(th: "ไม่รู้จักขั้นตอนนี้", en: "Unknown step")
        }
        var roles = Self.roles(context, agencyID: loaded.agency.id)
        // Division staff act only on items of their own division or assigned to them.
        if roles == [.division] || (roles.contains(.division) && action.roles.isDisjoint(with: roles.subtracting([.division]))) {
            let assignment = try await repositories.evidence.assignments(assessmentID: loaded.assessment.id, logger: context.logger).first { $0.itemID == item.id }
            if !canAddEvidence(context, agencyID: loaded.agency.id, assignment: assignment) { roles.remove(.division) }
        }
        let current = try await repositories.evidence.reviews(assessmentID: loaded.assessment.id, logger: context.logger).first { $0.itemID == item.id }
            ?? ItemReview(itemID: item.id, passed: loaded.items.first { $0.itemID == item.id }?.passed)
        // Submitting or approving an item whose evidence does not cover it asks again, saying what is missing.
        if let step = form["action"], step == "submit" || step == "approve", form["confirmed"] != "1" {
            let latest = try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: item.id, logger: context.logger).last
            let coverage = EvidenceCoverage.of(item, latest: latest)
            if !coverage.complete, (try? ItemWorkflow.apply(action, to: current, roles: roles, today: configuration.today, clarificationDays: loaded.framework.clarificationDays)) != nil {
                let th = context.language == .th
                var model = try await itemModel(loaded, item: item, sub: sub, errors: [], context: context, saved: nil)
                let submit = step == "submit"
                model.confirmStep = .init(
                    action: step,
                    message: coverage.hasEvidence
                        ? (th ? "ข้อนี้ยังขาดองค์ประกอบ \(coverage.missingComponents.count) ข้อ ยืนยันจะ\(submit ? "ส่ง" : "อนุมัติ")หรือไม่" : "This item still lacks \(coverage.missingComponents.count) component(s). \(submit ? "Submit" : "Approve") anyway?")
                        : (th ? "ข้อนี้ยังไม่มีหลักฐานเลย (ไม่มีลิงก์หรือไฟล์) ยืนยันจะ\(submit ? "ส่ง" : "อนุมัติ")หรือไม่" : "This item has no evidence at all (no link or file). \(submit ? "Submit" : "Approve") anyway?"),
                    missing: coverage.missingComponents.map { item.components[$0] }, hasMissing: !coverage.missingComponents.isEmpty,
                    button: th ? (submit ? "ยืนยันส่งทั้งที่ยังไม่ครบ" : "ยืนยันอนุมัติทั้งที่ยังไม่ครบ") : (submit ? "Submit anyway" : "Approve anyway"),
                    cancelURL: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path + "#evidence")
                return try itemPage(model, item: item, context: context)
            }
        }
        let next: ItemReview
        do {
            next = try ItemWorkflow.apply(action, to: current, roles: roles, today: configuration.today, clarificationDays: loaded.framework.clarificationDays)
        } catch {
            if error.forbidden { throw AppError(.forbidden, th: error.message.th, en: error.message.en) }
            // A step that cannot be taken yet (no reason for a fail, no clarification text) comes back on the
            // item's page, with the message beside the step's form and what was typed kept.
            var model = try await itemModel(loaded, item: item, sub: sub, errors: [], context: context, saved: nil)
            model.workflowError = error.message.text(context.language)
            model.typedReason = form["reason"] ?? ""
            model.typedClarification = form["text"] ?? ""
            return try itemPage(model, item: item, status: .conflict, context: context)
        }
        try await repositories.evidence.saveReview(next, step: form["action"] ?? "", assessment: loaded.assessment, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path + "?saved=\(form["action"] ?? "")")
    }

    /// Takes a published file off the public page, with a reason; the file stays with the item for the assessor.
    func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, item, sub) = try await loadItem(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let sha = form["sha256"] ?? ""
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let revisions = try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: item.id, logger: context.logger)
        guard revisions.contains(where: { $0.files.contains { $0.sha256 == sha } }) else { throw AppError.notFound }
        guard !reason.isEmpty else {
            let model = try await itemModel(loaded, item: item, sub: sub, errors: [context.language == .th ? "กรุณาระบุเหตุผลที่ถอนไฟล์" : "Give the reason for withdrawing the file"],
                                            context: context, saved: nil)
            return try itemPage(model, item: item, status: .unprocessableContent, context: context)
        }
        try await repositories.evidenceStore.withdraw(assessment: loaded.assessment, itemID: item.id, sha256: sha, reason: String(reason.prefix(2000)),
                                                      by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path + "?saved=withdraw")
    }

    /// Sends every approved item to the assessing body at once.
    func sendApproved(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context, responses: false)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners) else { throw AppError.forbidden }
        var sent = 0
        for review in try await repositories.evidence.reviews(assessmentID: loaded.assessment.id, logger: context.logger) where review.status == .approved {
            let next = try ItemWorkflow.apply(.send, to: review, roles: Self.roles(context, agencyID: loaded.agency.id), today: configuration.today,
                                              clarificationDays: loaded.framework.clarificationDays)
            try await repositories.evidence.saveReview(next, step: "send", assessment: loaded.assessment, by: context.actor, logger: context.logger)
            sent += 1
        }
        return redirect(to: SiteURL.items(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?sent=\(sent)")
    }

    func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, item, _) = try await loadItem(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let division = (form["division"] ?? "").isEmpty ? nil : form["division"]
        let assignee = (form["assignee"] ?? "").isEmpty ? nil : form["assignee"]
        if let division, !loaded.divisions.contains(where: { $0.id == division }) {
            throw AppError.badInput(th: "ไม่พบส่วนราชการที่เลือก", en: "Unknown division")
        }
        if let assignee {
            let grants = try await repositories.users.grants(userID: assignee, logger: context.logger)
            guard grants.contains(where: { $0.agencyID == loaded.agency.id }) else { throw AppError.badInput(th: "ผู้รับผิดชอบต้องเป็นบุคลากรของหน่วยงาน", en: "The assignee must belong to the agency") }
        }
        var due: CivilDate?
        if let text = form["due"], !text.isEmpty {
            guard let date = SurveyAdminController.parseDate(text) else { throw AppError.badInput(th: "วันที่กำหนดส่งไม่ถูกต้อง", en: "Invalid due date") }
            due = date
        }
        try await repositories.evidence.assign(ItemAssignment(itemID: item.id, divisionID: division, assigneeID: assignee, dueOn: due),
                                              assessment: loaded.assessment, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path + "?saved=assign")
    }

    static let maxExplanation = 20_000
    static let maxLinks = 50

    func addEvidence(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, item, sub) = try await loadItem(context)
        let assignment = try await repositories.evidence.assignments(assessmentID: loaded.assessment.id, logger: context.logger).first { $0.itemID == item.id }
        guard canAddEvidence(context, agencyID: loaded.agency.id, assignment: assignment) else { throw AppError.forbidden }
        var request = request
        let form = try await MultipartForm.read(&request, context: context, limit: configuration.maxEvidenceBytes + 65_536)
        let th = context.language == .th
        var errors: [String] = []
        let explanation = (form["explanation"]?.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var links: [String] = []
        for line in (form["links"]?.text ?? "").split(whereSeparator: \.isNewline) {
            let typed = line.trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty else { continue }
            // A bare domain gets https:// in front; anything else that is not a web link is named.
            guard let link = WebLink.normalized(typed) else {
                errors.append(th ? "ลิงก์ไม่ถูกต้อง (ต้องเป็นที่อยู่เว็บ เช่น https://www.หน่วยงาน.go.th/หน้า): \(typed)" : "Not a web link (e.g. https://www.agency.go.th/page): \(typed)")
                continue
            }
            links.append(link)
        }
        // Bounds that keep one revision readable and the link checker's work finite.
        if explanation.count > Self.maxExplanation {
            errors.append(th ? "คำอธิบายยาวเกิน \(Self.maxExplanation) ตัวอักษร (ตอนนี้ \(explanation.count))" : "The explanation is longer than \(Self.maxExplanation) characters (\(explanation.count))")
        }
        if links.count > Self.maxLinks {
            errors.append(th ? "ใส่ลิงก์ได้ไม่เกิน \(Self.maxLinks) ลิงก์ต่อครั้ง (ตอนนี้ \(links.count))" : "At most \(Self.maxLinks) links per revision (\(links.count) given)")
        }
        let components = form.parts.filter { $0.name == "component" }.compactMap { Int($0.text) }.filter { $0 >= 0 && $0 < item.components.count }
        let (files, fileErrors) = form.evidenceFiles(maxBytes: configuration.maxEvidenceBytes, language: context.language)
        errors += fileErrors
        // Files held from an earlier try of this form (sent back with an error), still ticked.
        let user = try Access.requireUser(context)
        let holding = try await HeldFiles.load(repositories.settings)
        let held = form.parts.filter { $0.name == "held" }.compactMap { holding.file($0.text, userID: user.id) }
        if errors.isEmpty && links.isEmpty && files.isEmpty && held.isEmpty && explanation.isEmpty && components.isEmpty {
            errors.append(th ? "กรุณาใส่ลิงก์ ไฟล์ หรือคำอธิบายอย่างน้อยหนึ่งอย่าง" : "Give at least a link, a file or an explanation")
        }
        guard errors.isEmpty else {
            // Everything typed and ticked stays on the page, and the files chosen are kept for the next try
            // (stored now, carried as signed tokens); only files refused for their own sake are named to choose again.
            let newlyHeld = try await repositories.evidenceStore.hold(files: files, logger: context.logger)
            var model = try await itemModel(loaded, item: item, sub: sub, errors: errors, context: context, saved: nil)
            let accepted = Set(files.map(\.name))
            model.keepTyped(links: form["links"]?.text ?? "", explanation: form["explanation"]?.text ?? "", components: Set(components),
                            kept: Set(form.parts.filter { $0.name == "keep" }.map(\.text)),
                            chosenFiles: form.parts.filter { $0.name == "file" && !($0.filename ?? "").isEmpty }.compactMap(\.filename)
                                .filter { !accepted.contains($0) },
                            language: context.language)
            model.heldFiles = (held + newlyHeld).map { file in
                ItemModel.HeldFile(token: holding.token(file, userID: user.id), name: file.name, size: ThaiFormat.byteSize(file.size, thai: context.language == .th))
            }
            model.hasHeldFiles = !model.heldFiles.isEmpty
            return try itemPage(model, item: item, status: .unprocessableContent, context: context)
        }
        // Files stay with the item from revision to revision unless unticked.
        let previous = try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: item.id, logger: context.logger).last?.files ?? []
        let kept = Set(form.parts.filter { $0.name == "keep" }.map(\.text))
        _ = try await repositories.evidence.addRevision(assessment: loaded.assessment, itemID: item.id, explanation: explanation, components: components,
                                                       links: links, keep: previous.filter { kept.contains($0.sha256) } + held, files: files, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path + "?saved=evidence")
    }

    /// A stored evidence file (of an OIT item or a measure's progress), only to people of the agency whose evidence names it.
    func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context, responses: false)
        guard let sha = context.parameters.get("sha") else { throw AppError.notFound }
        let revisions = try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: nil, logger: context.logger)
        let snapshots = try await repositories.evidenceStore.snapshots(assessmentID: loaded.assessment.id, logger: context.logger)
        let updates = try await repositories.improvement.updates(assessmentID: loaded.assessment.id, logger: context.logger)
        let uploaded = revisions.lazy.flatMap(\.files).first(where: { $0.sha256 == sha })?.name
            ?? updates.lazy.flatMap(\.files).first(where: { $0.sha256 == sha })?.name
        let name = uploaded ?? snapshots.first(where: { $0.sha256 == sha }).map { _ in "snapshot-\(sha.prefix(12))" }
        guard let named = name, let stored = try await repositories.evidence.file(sha256: sha, logger: context.logger)
        else { throw AppError.notFound }
        // Typed by content; a snapshot of a web page only ever downloads.
        let served = ServedFile.of(stored.bytes, snapshot: uploaded == nil)
        return Response(status: .ok, headers: [.contentType: served.contentType, .contentDisposition: served.disposition(name: named),
                                               .init("Content-Security-Policy")!: "default-src 'none'; sandbox",
                                               .init("X-Content-Type-Options")!: "nosniff", .cacheControl: "private, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: stored.bytes)))
    }

    func myItems(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context, responses: false)
        let user = try Access.requireUser(context)
        let assignments = try await repositories.evidence.assignments(assessmentID: loaded.assessment.id, logger: context.logger)
        let revisions = try await repositories.evidence.revisions(assessmentID: loaded.assessment.id, itemID: nil, logger: context.logger)
        let myDivisions = Set(context.grants.filter { $0.agencyID == loaded.agency.id }.compactMap(\.divisionID))
        // Items assigned to the person by name, and their divisions' items assigned to no one by name;
        // "division" adds the divisions' items assigned to colleagues.
        let wholeDivision = request.uri.queryParameters.get("scope") == "division"
        let mine = assignments.filter { a in
            if a.assigneeID == user.id { return true }
            guard let division = a.divisionID, myDivisions.contains(division) else { return false }
            return wholeDivision || a.assigneeID == nil
        }
        let reviews = try await repositories.evidence.reviews(assessmentID: loaded.assessment.id, logger: context.logger)
        var model = MyItemsModel.make(loaded, assignments: mine, revisions: revisions, reviews: reviews, today: configuration.today, context: context)
        let path = SiteURL.myItems(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path
        model.wholeDivision = wholeDivision
        model.hasDivision = !myDivisions.isEmpty
        model.mineURL = path
        model.divisionURL = path + "?scope=division"
        return try views.page("my-items", title: Strings.table["myItems"]!.text(context.language), model: model, context: context)
    }
}
