import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// The officer's side of the surveys: windows, links and QR, one-time codes, sample tracking,
/// exports, and the assessor's entry of EIT part 2.
struct SurveyAdminController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration
    let assessments: AssessmentController
    let surveyLinks: ExpiringCache<String, SurveyController.Loaded>
    let releaser: SurveyReleaser

    static let managers: Set<Role> = [.admin, .officer]
    static let exporters: Set<Role> = [.admin, .officer, .assessor]
    static let enterers: Set<Role> = [.admin, .assessor]

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.surveys), use: page)
        router.post(RouterPath(SiteURL.Pattern.surveyWindow), use: saveWindow)
        router.post(RouterPath(SiteURL.Pattern.surveyCodes), use: generateCodes)
        router.get(RouterPath(SiteURL.Pattern.surveyCodesCSV), use: codesCSV)
        router.get(RouterPath(SiteURL.Pattern.surveyEntry), use: entryPage)
        router.post(RouterPath(SiteURL.Pattern.surveyEntry), use: saveEntry)
        router.post(RouterPath(SiteURL.Pattern.surveyImport), use: importCSV)
        router.get(RouterPath(SiteURL.Pattern.responsesCSV), use: responsesCSV)
        router.get(RouterPath(SiteURL.Pattern.scoreInput), use: scoreInput)
        router.get(RouterPath(SiteURL.Pattern.surveyStatus), use: status)
    }

    /// Response counts against targets, for the pages' live refresh.
    func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        let windows = try await repositories.surveys.windows(assessmentID: loaded.assessment.id, logger: context.logger)
        let figures = loaded.figures(windows: windows)
        let parts: [JSONValue] = loaded.framework.partIDs.map { part in
            let sample = figures.sample(part)
            return .object(JSONObject([
                ("id", .string(part)), ("responses", .number(Decimal(sample.responses))),
                ("target", sample.target.map { .number(Decimal($0)) } ?? .null),
                ("progress", .number(Decimal(sample.percent))),
            ]))
        }
        let body = JSONValue.object(JSONObject([("parts", .array(parts))])).serialized(pretty: false)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The assessment, and the survey part named in the path.
    func loadPart(_ context: AppRequestContext) async throws -> (AssessmentController.Loaded, part: String, survey: SurveyTool) {
        let loaded = try await assessments.load(context)
        guard let part = context.parameters.get("part"), let (_, survey) = loaded.framework.surveyTool(forPart: part) else { throw AppError.notFound }
        return (loaded, part, survey)
    }

    func baseURL(_ request: Request) -> String { configuration.baseURL(for: request) }

    // MARK: the page

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        let windows = try await repositories.surveys.windows(assessmentID: loaded.assessment.id, logger: context.logger)
        let daily = try await repositories.surveys.dailyCounts(assessmentID: loaded.assessment.id, logger: context.logger)
        // How many codes were issued; never how many, or which, were spent.
        var codes: [String: Int] = [:]
        for window in windows where window.requiresCode {
            codes[window.partID] = try await repositories.surveys.codes(assessmentID: loaded.assessment.id, partID: window.partID, logger: context.logger).count
        }
        let waiting = try await repositories.surveys.pendingParts(assessmentID: loaded.assessment.id, logger: context.logger)
        var model = SurveysModel.make(
            loaded, windows: windows, daily: daily, codes: codes, baseURL: baseURL(request), today: configuration.today,
            form: nil, context: context)
        model.noteWaiting(waiting, windows: windows, today: configuration.today, language: context.language)
        // Bursts: how many networks sent more than the day's threshold to a part (no address is kept).
        let th = context.language == .th
        model.bursts = try await repositories.surveys.bursts(assessmentID: loaded.assessment.id, logger: context.logger).flatMap { burst -> [String] in
            let part = loaded.framework.shortName(burst.partID, language: context.language)
            let day = th ? ThaiFormat.shortDate(burst.day) : ThaiFormat.englishDate(burst.day)
            var lines: [String] = []
            if burst.manyAnswers > 0 {
                lines.append(th ? "\(day): \(part) มี \(burst.manyAnswers) เครือข่ายที่ส่งคำตอบถึง \(RateLimiter.defaultBurstThreshold) ครั้งในวันเดียว ควรตรวจสอบว่าเป็นจุดบริการที่ใช้เครื่องร่วมกันหรือการส่งซ้ำ"
                          : "\(day): \(part) had \(burst.manyAnswers) network(s) sending \(RateLimiter.defaultBurstThreshold) answers or more in a day; check whether it is a shared service counter or repeated sending")
            }
            if burst.echoes > 0 {
                lines.append(th ? "\(day): \(part) มี \(burst.echoes) เครือข่ายที่ส่งคำตอบซ้ำกันหรือต่างกันไม่เกินหนึ่งข้อตั้งแต่ \(EchoDetector.defaultThreshold) ครั้งในวันเดียว ควรตรวจสอบว่าเป็นการกรอกแทนผู้รับบริการหรือไม่"
                          : "\(day): \(part) had \(burst.echoes) network(s) sending \(EchoDetector.defaultThreshold) or more answers that repeat one another (all but at most one question the same) in a day; check whether someone answered on behalf of service users")
            }
            return lines
        }
        model.hasBursts = !model.bursts.isEmpty
        return try views.page("surveys", title: Strings.table["surveys"]!.text(context.language), model: model, context: context)
    }

    // MARK: windows

    func saveWindow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, part, survey) = try await loadPart(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.managers) else { throw AppError.forbidden }
        guard survey.collection(of: part) != .assessorEntry else {
            throw AppError(.conflict, th: "ส่วนนี้ผู้ประเมินเป็นผู้เก็บข้อมูล หน่วยงานไม่ต้องเปิดแบบสำรวจ", en: "The assessing body collects this part")
        }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let th = context.language == .th
        var errors: [String: String] = [:]
        let opens = Self.parseDate(form["opens"] ?? "")
        let closes = Self.parseDate(form["closes"] ?? "")
        if opens == nil { errors["opens"] = th ? "กรุณากรอกวันที่เปิดให้ถูกต้อง" : "Enter a valid opening date" }
        if closes == nil { errors["closes"] = th ? "กรุณากรอกวันที่ปิดให้ถูกต้อง" : "Enter a valid closing date" }
        if let opens, let closes, closes < opens { errors["closes"] = th ? "วันที่ปิดต้องไม่ก่อนวันที่เปิด" : "The closing date must not be before the opening date" }
        var population: Int?
        let populationText = ThaiFormat.arabicDigits(form["population"] ?? "").trimmingCharacters(in: .whitespaces)
        if !populationText.isEmpty {
            if let n = TypedValue.wholeNumber(populationText), n >= 0, n <= 10_000_000 { population = n } else {
                errors["population"] = th ? "กรุณากรอกจำนวนเป็นตัวเลขจำนวนเต็ม" : "Enter a whole number"
            }
        }
        let existing = try await repositories.surveys.windows(assessmentID: loaded.assessment.id, logger: context.logger).first { $0.partID == part }
        guard errors.isEmpty, let opens, let closes else {
            let windows = try await repositories.surveys.windows(assessmentID: loaded.assessment.id, logger: context.logger)
            let model = SurveysModel.make(
                loaded, windows: windows, daily: [:], codes: [:], baseURL: baseURL(request), today: configuration.today,
                form: .init(part: part, opens: form["opens"] ?? "", closes: form["closes"] ?? "", population: form["population"] ?? "", errors: errors),
                context: context)
            var response = try views.page("surveys", title: Strings.table["surveys"]!.text(context.language), model: model, context: context)
            response.status = .unprocessableContent
            return response
        }
        let requiresCode = survey.collection(of: part) == .oneTimeCode || form["requiresCode"] == "on"
        let window = SurveyWindow(
            assessmentID: loaded.assessment.id, partID: part, publicCode: existing?.publicCode ?? OneTimeCode.publicCode(),
            opensOn: opens, closesOn: closes, requiresCode: requiresCode, population: population)
        try await repositories.surveys.saveWindow(window, assessment: loaded.assessment, by: context.actor, logger: context.logger)
        surveyLinks.remove(window.publicCode)
        return redirect(to: SiteURL.surveys(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?saved=\(part)#\(part)")
    }

    /// A date as a picker sends it or as Thai write it ("1 ธ.ค. 2567"): `TypedValue.date`.
    static func parseDate(_ text: String) -> CivilDate? { TypedValue.date(text) }

    // MARK: one-time codes

    func generateCodes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, part, _) = try await loadPart(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.managers) else { throw AppError.forbidden }
        guard let window = try await repositories.surveys.windows(assessmentID: loaded.assessment.id, logger: context.logger).first(where: { $0.partID == part }),
            window.requiresCode
        else {
            throw AppError(.conflict, th: "ส่วนนี้ไม่ได้ใช้รหัสตอบแบบสำรวจ กรุณาเปิดแบบสำรวจก่อน", en: "This part does not use one-time codes; open the survey first")
        }
        var request = request
        let form = try await FormData.read(&request, context: context)
        guard let count = TypedValue.wholeNumber(form["count"] ?? ""), (1...5000).contains(count) else {
            throw AppError.badInput(th: "จำนวนรหัสต้องเป็นตัวเลข 1–5,000", en: "The number of codes must be 1–5,000")
        }
        _ = try await repositories.surveys.generateCodes(assessment: loaded.assessment, partID: part, count: count, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.surveys(agency: loaded.agency.code, year: loaded.assessment.fiscalYear).path + "?codes=\(count)#\(part)")
    }

    /// Every code with its personal link, for a mail merge: the same file before and after the window
    /// opens, since it says nothing of which codes were used. The code travels in the link's fragment,
    /// which browsers never send, so no server or proxy log records it.
    func codesCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, part, _) = try await loadPart(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.managers) else { throw AppError.forbidden }
        guard let window = try await repositories.surveys.windows(assessmentID: loaded.assessment.id, logger: context.logger).first(where: { $0.partID == part })
        else { throw AppError.notFound }
        let codes = try await repositories.surveys.codes(assessmentID: loaded.assessment.id, partID: part, logger: context.logger)
        let base = baseURL(request) + SiteURL.survey(code: window.publicCode).path
        let rows = [["code", "link"]] + codes.map { [$0, base + OneTimeCode.fragment($0)] }
        return Self.download(CSV.write(rows), type: "text/csv; charset=utf-8", filename: "\(loaded.agency.code)-\(loaded.assessment.fiscalYear)-\(part)-codes.csv")
    }

    static func download(_ text: String, type: String, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: EIT part 2: entry and import by the assessing body

    func entryPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, part, survey) = try await loadPart(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.enterers) else { throw AppError.forbidden }
        let saved = request.uri.queryParameters.get("saved") != nil
        let model = EntryModel.make(loaded, part: part, survey: survey, values: [:], problems: [:], message: nil, saved: saved, importErrors: [], context: context)
        return try views.page("entry", title: model.title, model: model, context: context)
    }

    func saveEntry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, part, survey) = try await loadPart(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.enterers) else { throw AppError.forbidden }
        var request = request
        let form = try await FormData.read(&request, context: context)
        var values: [String: String] = [:]
        for question in survey.questions { values[question.id] = form[question.id] ?? "" }
        let (response, problems) = ResponseReader.read(values, questions: survey.questions, scales: loaded.framework.scales, requireAll: false)
        let th = context.language == .th
        var message: String?
        if !problems.isEmpty {
            message = th ? "มีคำตอบที่ไม่ถูกต้อง \(problems.count) ข้อ (ตอบได้ 1–4 หรือ y/n เว้นว่างถ้าไม่ได้ตอบ)" : "\(problems.count) answers are not valid (1–4 or y/n; leave blank when not answered)"
        } else if response.answers.isEmpty {
            message = th ? "แบบสอบถามนี้ยังไม่มีคำตอบ" : "This questionnaire has no answers"
        }
        if let message {
            let model = EntryModel.make(loaded, part: part, survey: survey, values: values, problems: problems, message: message, saved: false, importErrors: [], context: context)
            var page = try views.page("entry", title: model.title, model: model, context: context)
            page.status = .unprocessableContent
            return page
        }
        try await repositories.surveys.importResponses([response], assessment: loaded.assessment, partID: part, by: context.actor, logger: context.logger)
        try await releaser.releaseNow(assessmentID: loaded.assessment.id, partID: part)
        return redirect(to: SiteURL.surveyEntry(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, part: part).path + "?saved=1")
    }

    /// A CSV file with a header row of question ids and one questionnaire per row; all rows or none.
    func importCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, part, survey) = try await loadPart(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.enterers) else { throw AppError.forbidden }
        var request = request
        let upload = try await MultipartForm.read(&request, context: context)
        let th = context.language == .th
        var errors: [String] = []
        var responses: [SurveyResponse] = []
        if let file = upload["file"], !file.data.isEmpty {
            do {
                let rows = try CSV.parse(file.text)
                (responses, errors) = Self.readRows(rows, survey: survey, scales: loaded.framework.scales, language: context.language)
            } catch {
                errors = [th ? "ไฟล์ CSV ไม่ถูกต้อง: บรรทัด \(error.line)" : error.description]
            }
        } else {
            errors = [th ? "กรุณาเลือกไฟล์ CSV" : "Choose a CSV file"]
        }
        if !errors.isEmpty {
            let model = EntryModel.make(loaded, part: part, survey: survey, values: [:], problems: [:], message: nil, saved: false, importErrors: errors, context: context)
            var page = try views.page("entry", title: model.title, model: model, context: context)
            page.status = .unprocessableContent
            return page
        }
        try await repositories.surveys.importResponses(responses, assessment: loaded.assessment, partID: part, by: context.actor, logger: context.logger)
        try await releaser.releaseNow(assessmentID: loaded.assessment.id, partID: part)
        return redirect(to: SiteURL.surveyEntry(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, part: part).path + "?saved=1")
    }

    static func readRows(_ rows: [[String]], survey: SurveyTool, scales: [String: Scale], language: Language) -> ([SurveyResponse], [String]) {
        let th = language == .th
        guard let header = rows.first else { return ([], [th ? "ไฟล์ว่าง" : "The file is empty"]) }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        let known = Set(survey.questions.map(\.id))
        let unknown = columns.filter { !known.contains($0) && !$0.isEmpty }
        if !unknown.isEmpty {
            return ([], [(th ? "หัวตารางมีรหัสคำถามที่ไม่รู้จัก: " : "Unknown question ids in the header: ") + unknown.joined(separator: ", ")])
        }
        if rows.count == 1 { return ([], [th ? "ไฟล์มีแต่หัวตาราง ไม่มีแบบสอบถาม" : "The file has a header but no rows"]) }
        if rows.count > 5001 { return ([], [th ? "นำเข้าได้ครั้งละไม่เกิน 5,000 แถว" : "At most 5,000 rows at a time"]) }
        var responses: [SurveyResponse] = []
        var errors: [String] = []
        for (index, row) in rows.dropFirst().enumerated() {
            let line = index + 2
            if row.count > columns.count {
                errors.append(th ? "แถวที่ \(line): มีข้อมูลเกินจำนวนคอลัมน์" : "Row \(line): more fields than columns")
                continue
            }
            var values: [String: String] = [:]
            for (column, value) in zip(columns, row) where !column.isEmpty { values[column] = value }
            let (response, problems) = ResponseReader.read(values, questions: survey.questions, scales: scales, requireAll: false)
            for (question, problem) in problems.sorted(by: { $0.key < $1.key }) {
                if case .invalid(let why) = problem { errors.append((th ? "แถวที่ \(line) ข้อ \(question): " : "Row \(line), \(question): ") + why) }
            }
            if problems.isEmpty && response.answers.isEmpty { errors.append(th ? "แถวที่ \(line): ไม่มีคำตอบ" : "Row \(line): no answers") }
            responses.append(response)
        }
        return (errors.isEmpty ? responses : [], errors)
    }

    // MARK: exports

    /// Released responses, for parts with at least the framework's anonymity minimum (none below that).
    func responsesCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.exporters) else { throw AppError.forbidden }
        let questionIDs = loaded.framework.surveyTools.flatMap { $0.survey.questions.map(\.id) }
        var rows: [[String]] = [["part", "submitted_on"] + questionIDs]
        let figures = loaded.figures()
        let responses = try await released(loaded, context: context)
        for part in loaded.framework.partIDs {
            // Only parts whose answers the anonymity policy lets feed figures (`live`), none below its minimum.
            guard figures.live[part] != nil else { continue }
            for stored in responses[part] ?? [] {
                rows.append([part, stored.submittedOn.iso] + questionIDs.map { id in
                    switch stored.response.answers[id] {
                    case .level(let n)?: "\(n)"
                    case .yesNo(let yes)?: yes ? "yes" : "no"
                    case nil: ""
                    }
                })
            }
        }
        return Self.download(CSV.write(rows), type: "text/csv; charset=utf-8", filename: "\(loaded.agency.code)-\(loaded.assessment.fiscalYear)-responses.csv")
    }

    /// Every released answer, by part: only the two exports list them (pages read them counted).
    private func released(_ loaded: AssessmentController.Loaded, context: AppRequestContext) async throws -> [String: [StoredResponse]] {
        Dictionary(grouping: try await repositories.surveys.responses(assessmentID: loaded.assessment.id, partID: nil, logger: context.logger), by: \.partID)
    }

    /// The document `prongsai score` reads: a part's published score, else its responses (only where the
    /// anonymity policy lets figures be drawn from them; `gather` leaves out parts with fewer).
    func scoreInput(_ request: Request, context: AppRequestContext) async throws -> Response {
        let loaded = try await assessments.load(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: Self.exporters) else { throw AppError.forbidden }
        guard let document = loaded.figures().scoreInput(responses: try await released(loaded, context: context).mapValues { $0.map(\.response) }) else {
            throw AppError(.conflict, th: "ยังส่งออกไม่ได้ เนื่องจากยังขาดข้อมูลบางส่วน", en: "Not all parts have data yet")
        }
        return Self.download(document.serialized() + "\n", type: "application/json; charset=utf-8", filename: "\(loaded.agency.code)-\(loaded.assessment.fiscalYear)-score-input.json")
    }
}
