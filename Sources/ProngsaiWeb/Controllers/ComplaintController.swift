import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// The agency's side of the complaint channel: handlers read cases, reply, take workflow steps against
/// the guideline's deadlines; a reporter's identity is shown only on a custodian's approval of another
/// person's reasoned request, and every showing is audited. Only the agency's own handlers and custodians
/// reach these pages (an administrator too only with such a role there); everyone else gets 404.
struct ComplaintController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration
    let complaints: ComplaintRepository?

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.complaints), use: list)
        router.post(RouterPath(SiteURL.Pattern.complaintDeadlines), use: saveDeadlines)
        router.get(RouterPath(SiteURL.Pattern.complaint), use: show)
        router.post(RouterPath(SiteURL.Pattern.complaintStep), use: step)
        router.post(RouterPath(SiteURL.Pattern.complaintReply), use: reply)
        router.post(RouterPath(SiteURL.Pattern.complaintIdentity), use: requestIdentity)
        router.get(RouterPath(SiteURL.Pattern.complaintFile), use: file)
        router.get(RouterPath(SiteURL.Pattern.identityRequests), use: requests)
        router.post(RouterPath(SiteURL.Pattern.identityRequest), use: decide)
    }

    /// Only a grant of exactly this role in exactly this agency: no administrator shortcut.
    static func holds(_ context: AppRequestContext, _ role: Role, agencyID: String) -> Bool {
        context.grants.contains { $0.role == role && $0.agencyID == agencyID }
    }

    func agency(_ context: AppRequestContext, role: Role) async throws -> (Agency, ComplaintRepository) {
        guard let code = context.parameters.get("agency"), let agency = try await repositories.agencies.find(code: code, logger: context.logger),
              Self.holds(context, role, agencyID: agency.id) else { throw AppError.notFound }
        guard let complaints else {
            throw AppError(.serviceUnavailable, th: "ยังไม่ได้ตั้งกุญแจเข้ารหัสเรื่องร้องเรียน (serve --complaint-keys) จึงยังเปิดเรื่องร้องเรียนไม่ได้",
                           en: "No complaint keys are configured (serve --complaint-keys), so complaints cannot be opened")
        }
        return (agency, complaints)
    }

    static func deadlinesKey(_ agencyID: String) -> String { "complaint-deadlines:" + agencyID }

    static func deadlines(_ agencyID: String, settings: SettingsRepository) async throws -> CaseDeadlines {
        guard let text = try await settings.get(deadlinesKey(agencyID)) else { return .standard }
        return (try? CaseDeadlines(parsing: text)) ?? .standard
    }

    func deadlines(_ agencyID: String) async throws -> CaseDeadlines { try await Self.deadlines(agencyID, settings: repositories.settings) }

    /// Everyone's display name by id (who took a step, who asked).
    func displayNames(_ context: AppRequestContext) async throws -> [String: String] {
        Dictionary(try await repositories.users.all(logger: context.logger).map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    func date(_ day: CivilDate, _ language: Language) -> String { language == .th ? ThaiFormat.shortDate(day) : ThaiFormat.englishDate(day) }

    // MARK: The list

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, complaints) = try await agency(context, role: .handler)
        return try await renderList(agency, complaints: complaints, problem: nil, context: context)
    }

    func renderList(_ agency: Agency, complaints: ComplaintRepository, problem: String?, context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = context.language
        let rules = try await deadlines(agency.id)
        let today = configuration.today
        let cases = try await complaints.cases(agencyID: agency.id, logger: context.logger)
        let rows = cases.map { c -> ComplaintsModel.Row in
            let due = c.due(rules)
            return .init(id: c.id, url: SiteURL.complaint(agency: agency.code, id: c.id).path, category: c.category.name.text(language),
                         status: c.status.name.text(language), received: date(c.receivedOn, language), due: due.map { date($0, language) } ?? "–",
                         overdue: due.map { $0 < today } ?? false)
        }
        let model = ComplaintsModel(
            agencyName: agency.name.text(language), agencies: SiteURL.agencies.path, rows: rows.sorted { $0.overdue && !$1.overdue },
            overdue: rows.filter(\.overdue).count, problem: problem,
            deadlinesAction: SiteURL.complaintDeadlines(agency: agency.code).path, deadlines: rules,
            publicURL: SiteURL.report(agency: agency.code).path, statisticsURL: SiteURL.reportStatistics(agency: agency.code).path,
            requestsURL: Self.holds(context, .custodian, agencyID: agency.id) ? SiteURL.identityRequests(agency: agency.code).path : nil,
            anyOverdue: rows.contains(where: \.overdue))
        var response = try views.page("complaints", title: IntegrityStrings.text("complaintsTitle", language), model: model, context: context)
        response.status = status
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func saveDeadlines(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, complaints) = try await agency(context, role: .handler)
        var request = request
        let form = try await FormData.read(&request, context: context)
        do {
            let rules = try CaseDeadlines(parsing: [form["acknowledge"], form["screening"], form["investigation"]].map { $0 ?? "" }.joined(separator: ","))
            try await repositories.settings.set(Self.deadlinesKey(agency.id), rules.stored)
        } catch let error as ComplaintError {
            return try await renderList(agency, complaints: complaints, problem: error.userMessage.text(context.language), context: context, status: .unprocessableContent)
        }
        return redirect(to: SiteURL.complaints(agency: agency.code).path)
    }

    // MARK: One case

    func loadCase(_ context: AppRequestContext) async throws -> (Agency, ComplaintRepository, ComplaintCase) {
        let (agency, complaints) = try await agency(context, role: .handler)
        guard let id = context.parameters.get("case"), let found = try await complaints.find(id: id, logger: context.logger), found.agencyID == agency.id
        else { throw AppError.notFound }
        return (agency, complaints, found)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, complaints, found) = try await loadCase(context)
        return try await renderCase(agency, complaints: complaints, found, problem: nil, context: context)
    }

    func renderCase(_ agency: Agency, complaints: ComplaintRepository, _ found: ComplaintCase, problem: String?, noteDraft: String = "", replyDraft: String = "",
                    context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = context.language
        let details = try await complaints.details(of: found, logger: context.logger)
        let messages = try await complaints.messages(of: found.id, logger: context.logger)
        let steps = try await complaints.steps(of: found.id, logger: context.logger)
        let users = try await displayNames(context)
        let requests = try await complaints.identityRequests(agencyID: agency.id, logger: context.logger).filter { $0.complaintID == found.id }
        var identity: ReporterIdentity?
        if found.named, let user = context.user,
           let granted = try await complaints.grantedRequest(caseID: found.id, userID: user.id, now: configuration.clock(), logger: context.logger) {
            // Recorded before it is shown.
            try await complaints.recordIdentityRead(found, actor: context.actor, requestID: granted.id, logger: context.logger)
            identity = try await complaints.identity(of: found, logger: context.logger)
        }
        let rules = try await deadlines(agency.id)
        let due = found.due(rules)
        let model = ComplaintModel(
            agencyName: agency.name.text(language), listURL: SiteURL.complaints(agency: agency.code).path, reference: found.id,
            category: found.category.name.text(language), status: found.status.name.text(language), received: date(found.receivedOn, language),
            due: due.map { date($0, language) }, overdue: due.map { $0 < configuration.today } ?? false,
            details: details, named: found.named, identity: identity,
            pendingRequest: requests.contains { $0.status == .pending }, problem: problem,
            identityAction: SiteURL.complaintIdentity(agency: agency.code, id: found.id).path,
            messages: messages.map { m in
                .init(fromReporter: m.author == .reporter,
                      from: m.author == .reporter ? IntegrityStrings.text("reporter", language) : IntegrityStrings.text("fromAgency", language),
                      body: m.body, date: date(m.sentOn, language),
                      files: m.files.map { .init(name: $0.name, url: SiteURL.complaintFile(agency: agency.code, id: found.id, file: $0.id).path) },
                      hasFiles: !m.files.isEmpty)
            },
            steps: steps.map { s in
                .init(from: s.from.name.text(language), to: s.to.name.text(language), note: s.note, forwardedTo: s.forwardedTo?.name.text(language),
                      by: users[s.userID] ?? "–", at: StoredTime.parse(s.at).map { ThaiFormat.dateTime($0, thai: language == .th) } ?? s.at)
            },
            from: found.status.rawValue, next: found.status.next.map { .init(value: $0.rawValue, label: $0.name.text(language)) },
            targets: ForwardTarget.allCases.map { .init(value: $0.rawValue, label: $0.name.text(language)) },
            stepAction: SiteURL.complaintStep(agency: agency.code, id: found.id).path, replyAction: SiteURL.complaintReply(agency: agency.code, id: found.id).path,
            open: !found.status.isFinal, noteDraft: noteDraft, replyDraft: replyDraft, canStep: !found.status.next.isEmpty)
        var response = try views.page("complaint", title: IntegrityStrings.text("complaintsTitle", language) + " " + found.id, model: model, context: context)
        response.status = status
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func step(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, complaints, found) = try await loadCase(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let note = form["note"] ?? ""
        guard let from = CaseStatus(rawValue: form["from"] ?? ""), let to = CaseStatus(rawValue: form["to"] ?? "") else {
            return try await renderCase(agency, complaints: complaints, found, problem: LocalizedText(th: "กรุณาเลือกสถานะใหม่", en: "Choose the new status").text(context.language),
                                        noteDraft: note, context: context, status: .unprocessableContent)
        }
        let target = (form["forwardTo"] ?? "").isEmpty ? nil : ForwardTarget(rawValue: form["forwardTo"] ?? "")
        do {
            try await complaints.step(found, CaseStep(from: from, to: to, note: note, forwardedTo: to == .forwarded ? target : nil),
                                      actor: context.actor, now: configuration.clock(), logger: context.logger)
        } catch let error as any DomainError {
            return try await renderCase(agency, complaints: complaints, found, problem: error.userMessage.text(context.language), noteDraft: note,
                                        context: context, status: error.kind == .conflict ? .conflict : .unprocessableContent)
        }
        return redirect(to: SiteURL.complaint(agency: agency.code, id: found.id).path)
    }

    func reply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, complaints, found) = try await loadCase(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let body = (form["body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= ReportController.maxText else {
            return try await renderCase(agency, complaints: complaints, found,
                                        problem: LocalizedText(th: "กรุณาเขียนคำตอบ (ไม่เกิน \(ReportController.maxText) ตัวอักษร)",
                                                               en: "Write a reply (at most \(ReportController.maxText) characters)").text(context.language),
                                        replyDraft: body, context: context, status: .unprocessableContent)
        }
        try await complaints.addMessage(caseID: found.id, author: .staff, actor: context.actor, agencyID: agency.id, body: body, today: configuration.today,
                                        logger: context.logger)
        return redirect(to: SiteURL.complaint(agency: agency.code, id: found.id).path)
    }

    func requestIdentity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, complaints, found) = try await loadCase(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard found.named else { throw AppError.badInput(th: "ผู้แจ้งเรื่องนี้ไม่เปิดเผยชื่อ", en: "This reporter gave no name") }
        guard reason.count >= 20, reason.count <= 2_000 else {
            return try await renderCase(agency, complaints: complaints, found,
                                        problem: LocalizedText(th: "กรุณาระบุเหตุผลอย่างน้อย 20 ตัวอักษร", en: "Give a reason of at least 20 characters").text(context.language),
                                        context: context, status: .unprocessableContent)
        }
        _ = try await complaints.requestIdentity(found, actor: context.actor, reason: reason, now: configuration.clock(), logger: context.logger)
        return redirect(to: SiteURL.complaint(agency: agency.code, id: found.id).path)
    }

    func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, complaints, found) = try await loadCase(context)
        guard let id = context.parameters.get("file"), let attachment = try await complaints.attachment(caseID: found.id, fileID: id, logger: context.logger)
        else { throw AppError.notFound }
        let served = ServedFile.of(attachment.bytes)
        return Response(status: .ok, headers: [.contentType: served.contentType, .contentDisposition: served.disposition(name: attachment.name),
                                               .init("X-Content-Type-Options")!: "nosniff", .init("Content-Security-Policy")!: "default-src 'none'; sandbox",
                                               .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: attachment.bytes)))
    }

    // MARK: Custodians

    func requests(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, complaints) = try await agency(context, role: .custodian)
        return try await renderRequests(agency, complaints: complaints, problem: nil, context: context)
    }

    func renderRequests(_ agency: Agency, complaints: ComplaintRepository, problem: String?, context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = context.language
        let users = try await displayNames(context)
        let all = try await complaints.identityRequests(agencyID: agency.id, logger: context.logger)
        let model = RequestsModel(
            agencyName: agency.name.text(language), agencies: SiteURL.agencies.path, problem: problem,
            requests: all.map { r in
                .init(id: r.id, reference: r.complaintID, requestedBy: users[r.requestedBy] ?? "–", reason: r.reason,
                      at: StoredTime.parse(r.requestedAt).map { ThaiFormat.dateTime($0, thai: language == .th) } ?? r.requestedAt,
                      pending: r.status == .pending, own: r.requestedBy == context.user?.id,
                      status: LocalizedText(th: ["pending": "รอพิจารณา", "approved": "อนุมัติ", "refused": "ไม่อนุมัติ"][r.status.rawValue]!, en: r.status.rawValue.capitalized).text(language),
                      decidedBy: r.decidedBy.flatMap { users[$0] }, decisionNote: r.decisionNote,
                      action: SiteURL.identityRequest(agency: agency.code, id: r.id).path)
            })
        var response = try views.page("identity-requests", title: IntegrityStrings.text("requestsTitle", language), model: model, context: context)
        response.status = status
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, complaints) = try await agency(context, role: .custodian)
        guard let id = context.parameters.get("request") else { throw AppError.notFound }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let approve: Bool
        switch form["decision"] {
        case "approve": approve = true
        case "refuse": approve = false
        default: throw AppError.badInput(th: "กรุณาเลือกอนุมัติหรือไม่อนุมัติ", en: "Choose approve or refuse")
        }
        guard note.count >= 5, note.count <= 2_000 else {
            return try await renderRequests(agency, complaints: complaints,
                                            problem: LocalizedText(th: "กรุณาระบุเหตุผลการพิจารณา", en: "Give a reason for the decision").text(context.language),
                                            context: context, status: .unprocessableContent)
        }
        do {
            try await complaints.decide(requestID: id, agencyID: agency.id, approve: approve, note: note, actor: context.actor, now: configuration.clock(), logger: context.logger)
        } catch is CaseNotFound {
            throw AppError.notFound
        } catch let error as ComplaintError {
            return try await renderRequests(agency, complaints: complaints, problem: error.userMessage.text(context.language), context: context,
                                            status: error.kind == .forbidden ? .forbidden : .conflict)
        }
        return redirect(to: SiteURL.identityRequests(agency: agency.code).path)
    }
}
