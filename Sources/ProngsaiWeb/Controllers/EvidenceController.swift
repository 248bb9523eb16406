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

    var service: EvidenceService { EvidenceService(repositories: repositories) }

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
        var model = try await itemModel(loaded, item: item, sub: sub, errors: [], context: context, saved: request.uri.queryParameters.get("saved"))
        // This agency's public pages in Prongsai, ready to paste as evidence links (the Q&A page for O8 …).
        let base = configuration.baseURL(for: request)
        let code = loaded.agency.code
        let th = context.language == .th
        model.ownPages = [
            .init(label: th ? "หน้าการเปิดเผยข้อมูลสาธารณะ" : "Transparency page", url: base + SiteURL.transparency(agency: code, year: loaded.assessment.fiscalYear).path),
            .init(label: th ? "ถาม–ตอบ (Q&A)" : "Questions and answers", url: base + SiteURL.questions(agency: code).path),
            .init(label: th ? "ช่องทางแจ้งเรื่องร้องเรียนการทุจริต" : "Corruption complaint channel", url: base + SiteURL.report(agency: code).path),
            .init(label: th ? "สถิติเรื่องร้องเรียนการทุจริต" : "Complaint statistics",
                  url: base + SiteURL.reportStatistics(agency: code).path + "?year=\(loaded.assessment.fiscalYear)"),
        ]
        model.hasOwnPages = model.canAdd
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
        let step = form["action"] ?? ""
        switch try await service.step(action, named: step, item: item, loaded: loaded, roles: roles, confirmed: form["confirmed"] == "1",
                                      today: configuration.today, by: context.actor, logger: context.logger) {
        case .done:
            return redirect(to: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path + "?saved=\(step)")
        case .confirm(let coverage):
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
        case .refused(let message):
            // Back on the item's page, with the message beside the step's form and what was typed kept.
            var model = try await itemModel(loaded, item: item, sub: sub, errors: [], context: context, saved: nil)
            model.workflowError = message.text(context.language)
            model.typedReason = form["reason"] ?? ""
            model.typedClarification = form["text"] ?? ""
            return try itemPage(model, item: item, status: .conflict, context: context)
        }
    }

    /// Takes a published file off the public page, with a reason; the file stays with the item for the assessor.
    func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, item, sub) = try await loadItem(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        if let problem = try await service.withdraw(sha256: form["sha256"] ?? "", reason: form["reason"] ?? "", item: item, assessment: loaded.assessment,
                                                    by: context.actor, logger: context.logger) {
            let model = try await itemModel(loaded, item: item, sub: sub, errors: [problem.text(context.language)], context: context, saved: nil)
            return try itemPage(model, item: item, status: .unprocessableContent, context: context)
        }
        return redirect(to: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path + "?saved=withdraw")
    }

    /// Sends every approved item to the assessing body at once.
    func sendApproved(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context, responses: false)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners) else { throw AppError.forbidden }
        let sent = try await service.sendApproved(loaded: loaded, roles: Self.roles(context, agencyID: loaded.agency.id), today: configuration.today,
                                                  by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.items(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?sent=\(sent)")
    }

    func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, item, _) = try await loadItem(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.assigners) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let division = (form["division"] ?? "").isEmpty ? nil : form["division"]
        let assignee = (form["assignee"] ?? "").isEmpty ? nil : form["assignee"]
        var due: CivilDate?
        if let text = form["due"], !text.isEmpty {
            guard let date = SurveyAdminController.parseDate(text) else { throw AppError.badInput(th: "วันที่กำหนดส่งไม่ถูกต้อง", en: "Invalid due date") }
            due = date
        }
        try await service.assign(item: item, division: division, assignee: assignee, due: due, loaded: loaded, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path + "?saved=assign")
    }

    func addEvidence(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, item, sub) = try await loadItem(context)
        let assignment = try await repositories.evidence.assignments(assessmentID: loaded.assessment.id, logger: context.logger).first { $0.itemID == item.id }
        guard canAddEvidence(context, agencyID: loaded.agency.id, assignment: assignment) else { throw AppError.forbidden }
        var request = request
        let form = try await MultipartForm.read(&request, context: context, limit: configuration.maxEvidenceBytes + 65_536)
        let draft = EvidenceService.draft(explanation: form["explanation"]?.text ?? "", links: form["links"]?.text ?? "",
                                          components: form.parts.filter { $0.name == "component" }.compactMap { Int($0.text) }, item: item)
        var errors = draft.problems.map { $0.text(context.language) }
        let (files, fileErrors) = form.evidenceFiles(maxBytes: configuration.maxEvidenceBytes, language: context.language)
        errors += fileErrors
        // Files held from an earlier try of this form (sent back with an error), still ticked.
        let user = try Access.requireUser(context)
        let holding = try await HeldFiles.load(repositories.settings)
        let held = form.parts.filter { $0.name == "held" }.compactMap { holding.file($0.text, userID: user.id) }
        if errors.isEmpty && draft.links.isEmpty && files.isEmpty && held.isEmpty && draft.explanation.isEmpty && draft.components.isEmpty {
            errors.append(EvidenceService.nothingGiven.text(context.language))
        }
        guard errors.isEmpty else {
            // Everything typed and ticked stays on the page, and the files chosen are kept for the next try
            // (stored now, carried as signed tokens); only files refused for their own sake are named to choose again.
            let newlyHeld = try await repositories.evidenceStore.hold(files: files, logger: context.logger)
            var model = try await itemModel(loaded, item: item, sub: sub, errors: errors, context: context, saved: nil)
            let accepted = Set(files.map(\.name))
            model.keepTyped(links: form["links"]?.text ?? "", explanation: form["explanation"]?.text ?? "", components: Set(draft.components),
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
        try await service.addRevision(draft, files: files, held: held, kept: Set(form.parts.filter { $0.name == "keep" }.map(\.text)),
                                      item: item, assessment: loaded.assessment, by: context.actor, logger: context.logger)
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
