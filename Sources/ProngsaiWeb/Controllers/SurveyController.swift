import Foundation
import Hummingbird
import Prometheus
import ProngsaiCore
import ProngsaiStore

/// The public survey form at /s/{code}: no sign-in, no cookies, nothing that identifies the respondent.
struct SurveyController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration
    let limiter: RateLimiter
    /// Near-identical answers from one network (in memory, fingerprints only).
    var echoes = EchoDetector()
    /// Survey links resolve to the same window, assessment and agency for many requests in a row; a few
    /// seconds of memory spare three queries per submission. This node forgets a window the moment it is
    /// changed here; other nodes within the cache's lifetime.
    let cache: ExpiringCache<String, Loaded>
    /// Counts accepted forms for `/metrics`.
    let accepted: Prometheus.Counter

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.survey), use: form)
        router.post(RouterPath(SiteURL.Pattern.survey), use: submit)
        router.get(RouterPath(SiteURL.Pattern.surveyThanks), use: thanks)
    }

    struct Loaded {
        var window: SurveyWindow
        var assessment: Assessment
        var agency: Agency
        var framework: Framework
        var tool: Tool
        var survey: SurveyTool
    }

    func load(_ context: AppRequestContext) async throws -> Loaded {
        guard let code = context.parameters.get("code") else { throw AppError.notFound }
        if let cached = cache.value(for: code, now: Date()) { return cached }
        let loaded = try await loadUncached(code, context: context)
        cache.store(loaded, for: code, now: Date())
        return loaded
    }

    func loadUncached(_ code: String, context: AppRequestContext) async throws -> Loaded {
        guard let window = try await repositories.surveys.window(publicCode: code, logger: context.logger),
            let assessment = try await repositories.assessments.find(id: window.assessmentID, logger: context.logger),
            let agency = try await repositories.agencies.find(id: assessment.agencyID, logger: context.logger)
        else {
            throw AppError(.notFound, th: "ไม่พบแบบสำรวจนี้ กรุณาตรวจสอบลิงก์อีกครั้ง", en: "No survey at this link; please check it")
        }
        let framework = try await catalog.framework(assessment.frameworkID)
        guard let (tool, survey) = framework.surveyTool(forPart: window.partID) else { throw AppError.notFound }
        return Loaded(window: window, assessment: assessment, agency: agency, framework: framework, tool: tool, survey: survey)
    }

    /// Survey pages take their language from `?lang=`, so switching needs no cookie.
    static func withLanguage(_ request: Request, _ context: AppRequestContext) -> AppRequestContext {
        var context = context
        if let lang = request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:)) { context.language = lang }
        return context
    }

    func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let context = Self.withLanguage(request, context)
        let loaded = try await load(context)
        // Personal links carry the code in the fragment (#c=…), which never reaches the server. A link in
        // the old form (?c=…) is turned into that form, so the code is not sent again on every reload.
        if let code = request.uri.queryParameters.get("c") {
            let lang = context.language == .en ? "?lang=en" : ""
            return redirect(to: SiteURL.survey(code: loaded.window.publicCode).path + lang + (OneTimeCode.normalize(code).map(OneTimeCode.fragment) ?? ""))
        }
        let model = SurveyFormModel.make(loaded, today: configuration.today, answers: [:], problems: [:], code: "",
                                         submissionID: SessionMiddleware.randomToken(), message: nil, codeStep: true, context: context)
        return try views.standalone("survey", model: model, language: context.language)
    }

    /// The code step: a good, unused code opens the questions; anything else asks again. Nothing is spent.
    func checkCode(_ loaded: Loaded, form: FormData, context: AppRequestContext) async throws -> Response {
        let th = context.language == .th
        let typed = form["code"] ?? ""
        var message: String?
        if let code = OneTimeCode.normalize(typed) {
            switch try await repositories.surveys.codeState(assessmentID: loaded.assessment.id, partID: loaded.window.partID, code: code, logger: context.logger) {
            case nil:
                let model = SurveyFormModel.make(loaded, today: configuration.today, answers: [:], problems: [:], code: code,
                                                 submissionID: SessionMiddleware.randomToken(), message: nil, context: context)
                return try views.standalone("survey", model: model, language: context.language)
            case .codeSpent?: message = th ? "รหัสนี้ถูกใช้ตอบแบบสำรวจไปแล้ว รหัสหนึ่งใช้ได้ครั้งเดียว" : "This code has already been used; each code works once"
            default: message = th ? "ไม่พบรหัสนี้ กรุณาตรวจสอบรหัสบนบัตรอีกครั้ง" : "Unknown code; please check the code on your slip"
            }
        } else {
            message = th ? "กรุณากรอกรหัสตอบแบบสำรวจ 8 ตัวอักษรให้ถูกต้อง" : "Enter your 8-character survey code"
        }
        let model = SurveyFormModel.make(loaded, today: configuration.today, answers: [:], problems: [:], code: typed,
                                         submissionID: SessionMiddleware.randomToken(), message: message, codeStep: true, context: context)
        var response = try views.standalone("survey", model: model, language: context.language)
        response.status = .unprocessableContent
        return response
    }

    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let context = Self.withLanguage(request, context)
        let loaded = try await load(context)
        let today = configuration.today
        let th = context.language == .th
        switch loaded.window.state(on: today) {
        case .notYetOpen:
            throw AppError(.forbidden, th: "แบบสำรวจนี้ยังไม่เปิดรับคำตอบ (เปิด \(ThaiFormat.longDate(loaded.window.opensOn)))",
                           en: "This survey is not open yet (opens \(ThaiFormat.englishDate(loaded.window.opensOn)))")
        case .closed:
            throw AppError(.forbidden, th: "แบบสำรวจนี้ปิดรับคำตอบแล้ว (ปิดเมื่อ \(ThaiFormat.longDate(loaded.window.closesOn)))",
                           en: "This survey is closed (closed \(ThaiFormat.englishDate(loaded.window.closesOn)))")
        case .open:
            break
        }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let questions = loaded.survey.questions
        if loaded.window.requiresCode, form["step"] == "code" { return try await checkCode(loaded, form: form, context: context) }
        let known = Set(questions.map(\.id)).union(["submission", "code"])
        let tampered = form.pairs.map(\.name).filter { !known.contains($0) }
        let submissionID = form["submission"] ?? ""
        guard tampered.isEmpty, (32...64).contains(submissionID.utf8.count),
            submissionID.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }),
            Set(form.pairs.map(\.name)).count == form.pairs.count
        else {
            context.logger.notice("refused a tampered survey form")
            throw AppError.badInput(th: "แบบสอบถามที่ส่งมาไม่ถูกต้อง กรุณาเปิดลิงก์แบบสำรวจใหม่แล้วตอบอีกครั้ง",
                                    en: "The form sent is not valid; please open the survey link again")
        }
        var values: [String: String] = [:]
        for question in questions { values[question.id] = form[question.id] ?? "" }
        let (response, problems) = ResponseReader.read(values, questions: questions, scales: loaded.framework.scales, requireAll: true)
        if problems.values.contains(where: { if case .invalid = $0 { true } else { false } }) {
            throw AppError.badInput(th: "คำตอบบางข้ออยู่นอกตัวเลือกที่กำหนด กรุณาเปิดลิงก์แบบสำรวจใหม่แล้วตอบอีกครั้ง",
                                    en: "Some answers are not among the choices; please open the survey link again")
        }
        var code: String?
        var message: String?
        if loaded.window.requiresCode {
            code = OneTimeCode.normalize(form["code"] ?? "")
            if code == nil { message = th ? "กรุณากรอกรหัสตอบแบบสำรวจ 8 ตัวอักษรให้ถูกต้อง" : "Enter your 8-character survey code" }
        }
        if !problems.isEmpty && message == nil {
            message = th ? "ยังตอบไม่ครบ \(problems.count) ข้อ กรุณาตอบข้อที่ทำเครื่องหมายไว้" : "\(problems.count) questions are not answered yet; please answer the marked ones"
        }
        if let message {
            return try rerender(loaded, values: values, problems: problems, code: form["code"] ?? "", submissionID: submissionID,
                                message: message, status: .unprocessableContent, context: context)
        }
        if !loaded.window.requiresCode {
            let verdict = limiter.check(context.clientAddress, now: configuration.clock())
            switch verdict {
            case .tooFast, .tooManyToday:
                // The answers stay on the page: the person sends again later, nothing typed is lost.
                let message = verdict == .tooFast
                    ? (th ? "มีการส่งแบบสำรวจจากเครือข่ายนี้ถี่เกินไป คำตอบของท่านยังอยู่ครบ กรุณารอประมาณ 1 นาทีแล้วกดส่งอีกครั้ง"
                        : "Too many submissions from this network. Your answers are kept: wait about a minute and press send again.")
                    : (th ? "เครือข่ายนี้ส่งแบบสำรวจครบจำนวนที่รับได้ของวันนี้แล้ว คำตอบของท่านยังอยู่ครบ กรุณาส่งอีกครั้งในวันพรุ่งนี้หรือจากเครือข่ายอื่น"
                        : "This network has sent as many answers as one network may today. Your answers are kept: send again tomorrow or from another network.")
                return try rerender(loaded, values: values, problems: [:], code: form["code"] ?? "", submissionID: submissionID,
                                    message: message, status: .tooManyRequests, context: context)
            case .allowedBurst:
                // Told to the assessor as a count per part and day; neither the address nor the answer is kept.
                try await repositories.surveys.recordBurst(assessmentID: loaded.assessment.id, partID: loaded.window.partID, day: configuration.today,
                                                           kind: .manyAnswers, logger: context.logger)
            case .allowed:
                break
            }
            if limiter.perMinute > 0, echoes.echo(context.clientAddress, partID: loaded.window.partID, answers: values, now: configuration.clock()) {
                try await repositories.surveys.recordBurst(assessmentID: loaded.assessment.id, partID: loaded.window.partID, day: configuration.today,
                                                           kind: .echoes, logger: context.logger)
            }
        }
        let outcome = try await repositories.surveys.submit(
            assessmentID: loaded.assessment.id, partID: loaded.window.partID, submissionID: submissionID, code: code,
            response: response, logger: context.logger)
        switch outcome {
        case .recorded:
            accepted.increment()
            return redirect(to: SiteURL.surveyThanks(code: loaded.window.publicCode).path + (context.language == .en ? "?lang=en" : ""))
        case .duplicate:
            // The same form again (back after the thank-you page, a double click): counted once, and said so.
            return redirect(to: SiteURL.surveyThanks(code: loaded.window.publicCode).path + "?again=1" + (context.language == .en ? "&lang=en" : ""))
        case .codeUnknown, .codeSpent:
            let text = outcome == .codeSpent
                ? (th ? "รหัสนี้ถูกใช้ตอบแบบสำรวจไปแล้ว รหัสหนึ่งใช้ได้ครั้งเดียว" : "This code has already been used; each code works once")
                : (th ? "ไม่พบรหัสนี้ กรุณาตรวจสอบรหัสบนบัตรอีกครั้ง" : "Unknown code; please check the code on your slip")
            return try rerender(loaded, values: values, problems: [:], code: form["code"] ?? "", submissionID: SessionMiddleware.randomToken(),
                                message: text, status: .conflict, context: context)
        }
    }

    func rerender(_ loaded: Loaded, values: [String: String], problems: [String: ResponseReader.Problem], code: String, submissionID: String,
                  message: String, status: HTTPResponse.Status, context: AppRequestContext) throws -> Response {
        let model = SurveyFormModel.make(loaded, today: configuration.today, answers: values, problems: problems, code: code,
                                         submissionID: submissionID, message: message, context: context)
        var response = try views.standalone("survey", model: model, language: context.language)
        response.status = status
        return response
    }

    struct ThanksModel {
        var agencyName: String
        var partName: String
        var again: String
        /// This form had been received before: nothing was counted twice.
        var duplicate: Bool
    }

    func thanks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let context = Self.withLanguage(request, context)
        let loaded = try await load(context)
        let model = ThanksModel(agencyName: loaded.agency.name.text(context.language),
                                partName: loaded.survey.partName(loaded.window.partID).text(context.language),
                                again: SiteURL.survey(code: loaded.window.publicCode).path,
                                duplicate: request.uri.queryParameters.get("again") != nil)
        return try views.standalone("survey-thanks", model: model, language: context.language)
    }
}
