import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// Questions from the public and the agency's answers (O8): asked without an account, moderated before
/// they are published, each shown with when it was asked and answered.
struct QuestionController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration
    let guardian: PublicFormGuard

    static let maxQuestion = 2_000
    static let maxAnswer = 5_000
    /// Who answers the public: the agency's ITA officers (and administrators).
    static let answerers: Set<Role> = [.officer]

    func register(public router: Router<AppRequestContext>, protected: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.questions), use: page)
        router.post(RouterPath(SiteURL.Pattern.questions), use: ask)
        protected.get(RouterPath(SiteURL.Pattern.questionsAdmin), use: adminPage)
        protected.post(RouterPath(SiteURL.Pattern.questionAdmin), use: moderate)
    }

    func agency(_ context: AppRequestContext) async throws -> Agency {
        guard let code = context.parameters.get("agency"), let agency = try await repositories.agencies.find(code: code, logger: context.logger)
        else { throw AppError(.notFound, th: "ไม่พบหน่วยงานนี้", en: "No such agency") }
        return agency
    }

    static func when(_ stored: String?, _ language: Language) -> String {
        guard let moment = stored.flatMap(StoredTime.parse) else { return "" }
        return ThaiFormat.dateTime(moment, thai: language == .th)
    }

    static func days(from asked: String, to answered: String?) -> Int? {
        guard let a = StoredTime.parse(asked), let b = answered.flatMap(StoredTime.parse) else { return nil }
        return max(0, CivilDate.today(a).days(to: CivilDate.today(b)))
    }

    func render(_ agency: Agency, asker: String, body: String, problem: String?, notice: String?, language: Language,
                status: HTTPResponse.Status = .ok, context: AppRequestContext) async throws -> Response {
        let published = try await repositories.questions.questions(agencyID: agency.id, publishedOnly: true, logger: context.logger)
        let challenge = guardian.challenge(.question, now: configuration.clock())
        let model = QuestionsModel(
            agencyName: agency.name.text(language), action: SiteURL.questions(agency: agency.code).path, lang: language.rawValue,
            questions: published.map { q in
                .init(asker: q.asker.isEmpty ? IntegrityStrings.text("anonymousAsker", language) : q.asker, body: q.body, answer: q.answer ?? "",
                      asked: Self.when(q.askedAt, language), answered: Self.when(q.answeredAt, language),
                      within: Self.days(from: q.askedAt, to: q.answeredAt).map(String.init) ?? "")
            },
            asker: asker, body: body, problem: problem, notice: notice, challengeQuestion: challenge.question, challengeToken: challenge.token,
            otherLanguage: SiteURL.questions(agency: agency.code).path + "?lang=\(language == .th ? "en" : "th")",
            otherLanguageName: language == .th ? "English" : "ภาษาไทย")
        var response = try views.standalone("questions", model: model, language: language, labels: IntegrityStrings.labels(language))
        response.status = status
        return response
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(try await agency(context), asker: "", body: "", problem: nil, notice: nil, language: publicLanguage(request, context), context: context)
    }

    func ask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await agency(context)
        var request = request
        let form = try await FormData.read(&request, context: context, limit: CSRFMiddleware.formLimit)
        let language = Language(rawValue: form["lang"] ?? "") ?? context.language
        let asker = (form["asker"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let body = (form["body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        func again(_ problem: LocalizedText, _ status: HTTPResponse.Status) async throws -> Response {
            try await render(agency, asker: asker, body: body, problem: problem.text(language), notice: nil, language: language, status: status, context: context)
        }
        if !(form["website"] ?? "").isEmpty { return try await render(agency, asker: "", body: "", problem: nil, notice: nil, language: language, context: context) }
        guard body.count >= 10, body.count <= Self.maxQuestion else {
            return try await again(LocalizedText(th: "คำถามต้องยาว 10–\(Self.maxQuestion) ตัวอักษร", en: "A question is 10–\(Self.maxQuestion) characters"), .unprocessableContent)
        }
        guard asker.count <= 100 else {
            return try await again(LocalizedText(th: "ชื่อที่แสดงยาวเกิน 100 ตัวอักษร", en: "The name is longer than 100 characters"), .unprocessableContent)
        }
        let now = configuration.clock()
        if let refused = try await guardian.limit(.question, address: context.clientAddress, now: now, logger: context.logger) {
            return try await again(refused, .tooManyRequests)
        }
        if let refused = try await guardian.check(.question, token: form["ct"] ?? "", answer: form["ca"] ?? "", now: now, logger: context.logger) {
            return try await again(refused, .unprocessableContent)
        }
        _ = try await repositories.questions.ask(agencyID: agency.id, asker: asker, body: body, now: now, logger: context.logger)
        return try await render(agency, asker: "", body: "", problem: nil, notice: IntegrityStrings.text("questionReceived", language), language: language, context: context)
    }

    // MARK: Staff

    func staffAgency(_ context: AppRequestContext) async throws -> Agency {
        let agency = try await agency(context)
        guard Access.has(context, agencyID: agency.id, anyOf: Self.answerers) else {
            throw AppError(.notFound, th: "ไม่พบหน้าที่ต้องการ", en: "Page not found")
        }
        return agency
    }

    func adminPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await staffAgency(context)
        return try await renderAdmin(agency, problem: nil, context: context)
    }

    func renderAdmin(_ agency: Agency, problem: String?, context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = context.language
        let all = try await repositories.questions.questions(agencyID: agency.id, publishedOnly: false, logger: context.logger)
        let model = QuestionsAdminModel(
            agencyName: agency.name.text(language), agencies: SiteURL.agencies.path, publicURL: SiteURL.questions(agency: agency.code).path, problem: problem,
            questions: all.map { q in
                .init(id: q.id, action: SiteURL.questionAdmin(agency: agency.code, id: q.id).path,
                      asker: q.asker.isEmpty ? IntegrityStrings.text("anonymousAsker", language) : q.asker, body: q.body, answer: q.answer ?? "",
                      asked: Self.when(q.askedAt, language), status: q.status.rawValue, pending: q.status == .pending,
                      statusLabel: LocalizedText(th: ["pending": "รอตอบ", "published": "เผยแพร่แล้ว", "rejected": "ไม่เผยแพร่"][q.status.rawValue]!,
                                                 en: q.status.rawValue.capitalized).text(language))
            })
        var response = try views.page("questions-admin", title: IntegrityStrings.text("questionsAdminTitle", language), model: model, context: context)
        response.status = status
        return response
    }

    func moderate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await staffAgency(context)
        guard let id = context.parameters.get("question"),
              let question = try await repositories.questions.find(id: id, agencyID: agency.id, logger: context.logger) else { throw AppError.notFound }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let answer = (form["answer"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        switch form["action"] {
        case "publish":
            guard answer.count >= 2, answer.count <= Self.maxAnswer else {
                return try await renderAdmin(agency, problem: LocalizedText(th: "กรุณาเขียนคำตอบก่อนเผยแพร่ (ไม่เกิน \(Self.maxAnswer) ตัวอักษร)",
                                                                           en: "Write an answer before publishing (at most \(Self.maxAnswer) characters)").text(context.language),
                                             context: context, status: .unprocessableContent)
            }
            try await repositories.questions.moderate(question, status: .published, answer: answer, actor: context.actor, now: configuration.clock(), logger: context.logger)
        case "reject":
            try await repositories.questions.moderate(question, status: .rejected, answer: nil, actor: context.actor, now: configuration.clock(), logger: context.logger)
        default:
            throw AppError.badInput(th: "คำสั่งไม่ถูกต้อง", en: "Unknown action")
        }
        return redirect(to: SiteURL.questionsAdmin(agency: agency.code).path)
    }
}

struct QuestionsModel {
    struct Entry {
        var asker: String
        var body: String
        var answer: String
        var asked: String
        var answered: String
        var within: String
    }

    var agencyName: String
    var action: String
    var lang: String
    var questions: [Entry]
    var asker: String
    var body: String
    var problem: String?
    var notice: String?
    var challengeQuestion: String
    var challengeToken: String
    var otherLanguage: String
    var otherLanguageName: String
}

struct QuestionsAdminModel {
    struct Entry {
        var id: String
        var action: String
        var asker: String
        var body: String
        var answer: String
        var asked: String
        var status: String
        var pending: Bool
        var statusLabel: String
    }

    var agencyName: String
    var agencies: String
    var publicURL: String
    var problem: String?
    var questions: [Entry]
}
