import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// The public corruption-complaint channel (O28): the report form, the receipt code and its "save your code"
/// step, the follow-up page where the code reads replies and writes back, and the monthly statistics (O29).
/// No address, user agent or cookie is stored with a report; every page is `no-store`.
struct ReportController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration
    /// Nil when no complaint keys are configured: the channel then says it is not open.
    let complaints: ComplaintRepository?
    let guardian: PublicFormGuard

    static let maxFiles = 3
    static let maxFileBytes = 5 * 1_048_576
    /// The whole form: three files and the text.
    static let maxBody = maxFiles * maxFileBytes + 262_144
    static let maxText = 5_000
    static let maxShort = 500

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.report), use: form)
        router.post(RouterPath(SiteURL.Pattern.report), use: submit)
        router.post(RouterPath(SiteURL.Pattern.reportReceipt), use: confirm)
        router.get(RouterPath(SiteURL.Pattern.reportFollow), use: followForm)
        router.post(RouterPath(SiteURL.Pattern.reportFollow), use: follow)
        router.get(RouterPath(SiteURL.Pattern.reportStatistics), use: statistics)
        router.get(RouterPath(SiteURL.Pattern.reportStatisticsCSV), use: statisticsCSV)
    }

    func agency(_ context: AppRequestContext) async throws -> Agency {
        guard let code = context.parameters.get("agency"), let agency = try await repositories.agencies.find(code: code, logger: context.logger)
        else { throw AppError(.notFound, th: "ไม่พบหน่วยงานนี้", en: "No such agency") }
        return agency
    }

    // MARK: The form

    struct Fields: Sendable {
        var category = ""
        var named = false
        var name = ""
        var phone = ""
        var email = ""
        var what = ""
        var place = ""
        var when = ""
        var who = ""
    }

    func render(_ agency: Agency, fields: Fields, problems: [String], language: Language, status: HTTPResponse.Status = .ok) throws -> Response {
        let challenge = guardian.challenge(.report, now: configuration.clock())
        let model = ReportFormModel(
            agencyName: agency.name.text(language), action: SiteURL.report(agency: agency.code).path, lang: language.rawValue,
            open: complaints != nil,
            categories: ComplaintCategory.allCases.map { .init(value: $0.rawValue, label: $0.name.text(language), selected: $0.rawValue == fields.category) },
            named: fields.named, fields: fields, problems: problems, challengeQuestion: challenge.question, challengeToken: challenge.token,
            maxFiles: Self.maxFiles, maxFileMB: Self.maxFileBytes / 1_048_576,
            followURL: SiteURL.reportFollow(agency: agency.code).path + "?lang=\(language.rawValue)",
            statisticsURL: SiteURL.reportStatistics(agency: agency.code).path + "?lang=\(language.rawValue)",
            otherLanguage: SiteURL.report(agency: agency.code).path + "?lang=\(language == .th ? "en" : "th")",
            otherLanguageName: language == .th ? "English" : "ภาษาไทย", hasProblems: !problems.isEmpty)
        var response = try views.standalone("report", model: model, language: language, labels: IntegrityStrings.labels(language))
        response.status = status
        return response
    }

    func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await agency(context)
        return try render(agency, fields: Fields(), problems: [], language: publicLanguage(request, context))
    }

    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await agency(context)
        var request = request
        let multipart = (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data")
        let form: MultipartForm
        if multipart {
            form = try await MultipartForm.read(&request, context: context, limit: Self.maxBody)
        } else {
            let data = try await FormData.read(&request, context: context, limit: CSRFMiddleware.formLimit)
            form = MultipartForm(parts: data.pairs.map { .init(name: $0.name, filename: nil, contentType: nil, data: Array($0.value.utf8)) })
        }
        let language = Language(rawValue: form["lang"]?.text ?? "") ?? context.language
        func text(_ name: String) -> String { (form[name]?.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let fields = Fields(category: text("category"), named: text("identity") == "named", name: text("name"), phone: text("phone"), email: text("email"),
                            what: text("what"), place: text("place"), when: text("when"), who: text("who"))
        guard let complaints else { throw AppError(.serviceUnavailable, th: "ช่องทางนี้ยังไม่เปิดรับเรื่อง", en: "This channel is not open yet") }
        // A field only a script fills.
        if !text("website").isEmpty { return try render(agency, fields: fields, problems: [], language: language) }

        var problems: [LocalizedText] = []
        let category = ComplaintCategory(rawValue: fields.category)
        if category == nil { problems.append(LocalizedText(th: "กรุณาเลือกประเภทเรื่องที่ร้องเรียน", en: "Choose what the complaint is about")) }
        if fields.what.count < 20 { problems.append(LocalizedText(th: "กรุณาเล่าเหตุการณ์อย่างน้อย 20 ตัวอักษร", en: "Describe what happened in at least 20 characters")) }
        if fields.what.count > Self.maxText { problems.append(LocalizedText(th: "รายละเอียดยาวเกิน \(Self.maxText) ตัวอักษร", en: "The description is longer than \(Self.maxText) characters")) }
        if [fields.place, fields.when, fields.who, fields.name, fields.phone, fields.email].contains(where: { $0.count > Self.maxShort }) {
            problems.append(LocalizedText(th: "ข้อความบางช่องยาวเกิน \(Self.maxShort) ตัวอักษร", en: "A field is longer than \(Self.maxShort) characters"))
        }
        if fields.named && fields.name.isEmpty {
            problems.append(LocalizedText(th: "เลือกแจ้งแบบเปิดเผยชื่อแล้ว กรุณากรอกชื่อ หรือเลือกไม่เปิดเผยชื่อ", en: "You chose to give your name: fill it in, or choose to stay anonymous"))
        }
        if !fields.email.isEmpty && (!fields.email.contains("@") || fields.email.contains(" ")) {
            problems.append(LocalizedText(th: "อีเมลไม่ถูกต้อง", en: "The e-mail address is not valid"))
        }
        var attachments: [ComplaintAttachment] = []
        let uploads = form.parts.filter { $0.name == "files" && !($0.filename ?? "").isEmpty && !$0.data.isEmpty }
        if uploads.count > Self.maxFiles { problems.append(LocalizedText(th: "แนบไฟล์ได้ไม่เกิน \(Self.maxFiles) ไฟล์", en: "Attach at most \(Self.maxFiles) files")) }
        for upload in uploads.prefix(Self.maxFiles) {
            let name = String((upload.filename ?? "file").prefix(200))
            if upload.data.count > Self.maxFileBytes {
                problems.append(LocalizedText(th: "ไฟล์ \(name) ใหญ่เกิน \(Self.maxFileBytes / 1_048_576) MB", en: "\(name) is larger than \(Self.maxFileBytes / 1_048_576) MB"))
            } else if let kind = FileKind.sniff(upload.data) {
                attachments.append(ComplaintAttachment(name: name, contentType: kind.contentType, bytes: upload.data))
            } else {
                problems.append(LocalizedText(th: "ไฟล์ \(name) ไม่ใช่ PDF, Word, Excel หรือรูปภาพ", en: "\(name) is not a PDF, Word, Excel file or picture"))
            }
        }
        if !problems.isEmpty {
            // Files are not kept across a failed send: the form says to attach them again.
            if !uploads.isEmpty { problems.append(LocalizedText(th: "กรุณาแนบไฟล์อีกครั้ง", en: "Attach your files again")) }
            return try render(agency, fields: fields, problems: problems.map { $0.text(language) }, language: language, status: .unprocessableContent)
        }
        let now = configuration.clock()
        if let refused = try await guardian.limit(.report, address: context.clientAddress, now: now, logger: context.logger) {
            return try render(agency, fields: fields, problems: [refused.text(language)], language: language, status: .tooManyRequests)
        }
        if let refused = try await guardian.check(.report, token: text("ct"), answer: text("ca"), now: now, logger: context.logger) {
            var problems = [refused.text(language)]
            if !uploads.isEmpty { problems.append(LocalizedText(th: "กรุณาแนบไฟล์อีกครั้ง", en: "Attach your files again").text(language)) }
            return try render(agency, fields: fields, problems: problems, language: language, status: .unprocessableContent)
        }
        let code = ReceiptCode.random()
        let report = ComplaintReport(category: category!, identity: fields.named ? ReporterIdentity(name: fields.name, phone: fields.phone, email: fields.email) : nil,
                                     details: ComplaintDetails(what: fields.what, place: fields.place, when: fields.when, who: fields.who), attachments: attachments)
        let filed = try await complaints.file(report, agencyID: agency.id, code: code, today: CivilDate.today(now), logger: context.logger)
        // Nothing is logged: a log line's time would date the report to the second.
        return try receipt(agency, code: code, reference: filed.id, problem: nil, language: language)
    }

    func receipt(_ agency: Agency, code: ReceiptCode, reference: String?, problem: String?, language: Language) throws -> Response {
        let model = ReceiptModel(agencyName: agency.name.text(language), code: code.grouped, codeValue: code.value, reference: reference,
                                 action: SiteURL.reportReceipt(agency: agency.code).path, lang: language.rawValue, problem: problem, saved: false,
                                 followURL: SiteURL.reportFollow(agency: agency.code).path + "?lang=\(language.rawValue)")
        return try views.standalone("report-receipt", model: model, language: language, labels: IntegrityStrings.labels(language))
    }

    /// The "save your code" step: the reporter types the code's last four characters back.
    func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await agency(context)
        var request = request
        let form = try await FormData.read(&request, context: context, limit: CSRFMiddleware.formLimit)
        let language = Language(rawValue: form["lang"] ?? "") ?? context.language
        guard let code = ReceiptCode(typed: form["code"] ?? "") else { throw AppError.badInput(th: "รหัสอ้างอิงไม่ถูกต้อง", en: "The receipt code is not valid") }
        guard code.matchesLastFour(form["last4"] ?? "") else {
            return try receipt(agency, code: code, reference: nil,
                               problem: LocalizedText(th: "4 ตัวท้ายไม่ตรงกับรหัส กรุณาตรวจรหัสที่จดไว้แล้วพิมพ์อีกครั้ง",
                                                      en: "The last four do not match the code; check what you saved and type them again").text(language),
                               language: language)
        }
        let model = ReceiptModel(agencyName: agency.name.text(language), code: "", codeValue: "", reference: nil, action: "", lang: language.rawValue,
                                 problem: nil, saved: true, followURL: SiteURL.reportFollow(agency: agency.code).path + "?lang=\(language.rawValue)")
        return try views.standalone("report-receipt", model: model, language: language, labels: IntegrityStrings.labels(language))
    }

    // MARK: Follow-up

    func followForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await agency(context)
        let language = publicLanguage(request, context)
        return try followPage(agency, found: nil, code: nil, problem: nil, notice: nil, language: language)
    }

    func followPage(_ agency: Agency, found: (ComplaintCase, [CaseMessage])?, code: ReceiptCode?, problem: String?, notice: String?, language: Language,
                    status: HTTPResponse.Status = .ok) throws -> Response {
        let model = FollowModel(
            agencyName: agency.name.text(language), action: SiteURL.reportFollow(agency: agency.code).path, lang: language.rawValue, problem: problem,
            notice: notice, code: code?.value ?? "", replyToken: SessionMiddleware.randomToken(),
            found: found.map { complaint, messages in
                FollowModel.Case(reference: complaint.id, status: complaint.status.name.text(language),
                                 received: language == .th ? ThaiFormat.longDate(complaint.receivedOn) : ThaiFormat.englishDate(complaint.receivedOn),
                                 open: !complaint.status.isFinal,
                                 messages: messages.map { message in
                                     .init(fromReporter: message.author == .reporter,
                                           from: message.author == .reporter ? IntegrityStrings.text("fromYou", language) : IntegrityStrings.text("fromAgency", language),
                                           body: message.body,
                                           date: language == .th ? ThaiFormat.longDate(message.sentOn) : ThaiFormat.englishDate(message.sentOn),
                                           files: message.files.map(\.name), hasFiles: !message.files.isEmpty)
                                 })
            },
            reportURL: SiteURL.report(agency: agency.code).path + "?lang=\(language.rawValue)")
        var response = try views.standalone("report-follow", model: model, language: language, labels: IntegrityStrings.labels(language))
        response.status = status
        return response
    }

    func follow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agency = try await agency(context)
        var request = request
        let form = try await FormData.read(&request, context: context, limit: CSRFMiddleware.formLimit)
        let language = Language(rawValue: form["lang"] ?? "") ?? context.language
        guard let complaints else { throw AppError(.serviceUnavailable, th: "ช่องทางนี้ยังไม่เปิดรับเรื่อง", en: "This channel is not open yet") }
        let now = configuration.clock()
        // Every try counts, right or wrong: guessing codes is slow (80 random bits, a slow hash, a limit per address).
        if let refused = try await guardian.limit(.follow, address: context.clientAddress, now: now, logger: context.logger) {
            return try followPage(agency, found: nil, code: nil, problem: refused.text(language), notice: nil, language: language, status: .tooManyRequests)
        }
        let notFound = LocalizedText(th: "ไม่พบเรื่องตามรหัสนี้ กรุณาตรวจรหัส 16 ตัวอักษรที่ได้รับเมื่อแจ้งเรื่อง",
                                     en: "No case has this code; check the 16-character code you got when you reported")
        guard let code = ReceiptCode(typed: form["code"] ?? "") else {
            return try followPage(agency, found: nil, code: nil, problem: notFound.text(language), notice: nil, language: language, status: .unprocessableContent)
        }
        guard let complaint = try await complaints.find(code: code, agencyID: agency.id, logger: context.logger) else {
            return try followPage(agency, found: nil, code: nil, problem: notFound.text(language), notice: nil, language: language, status: .unprocessableContent)
        }
        var notice: String?
        var problem: String?
        let message = (form["message"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !message.isEmpty {
            if message.count > Self.maxText {
                problem = LocalizedText(th: "ข้อความยาวเกิน \(Self.maxText) ตัวอักษร", en: "The message is longer than \(Self.maxText) characters").text(language)
            } else if complaint.status.isFinal {
                problem = LocalizedText(th: "เรื่องนี้ดำเนินการเสร็จแล้ว หากมีข้อมูลใหม่กรุณาแจ้งเป็นเรื่องใหม่", en: "This case is closed; report new information as a new case").text(language)
            } else if try await repositories.publicLimits.hit(key: "once:reply:" + guardian.mac(form["reply"] ?? ""), windowEnd: PublicFormGuard.hourAfter(now.timeIntervalSince1970 + 86_400),
                                                             now: now, logger: context.logger) > 1 {
                notice = LocalizedText(th: "ข้อความนี้ส่งถึงหน่วยงานแล้ว จึงไม่ส่งซ้ำ", en: "This message had already reached the agency, so it was not sent twice").text(language)
            } else {
                try await complaints.addMessage(caseID: complaint.id, author: .reporter, body: message, today: CivilDate.today(now), logger: context.logger)
                notice = LocalizedText(th: "ส่งข้อความถึงหน่วยงานแล้ว", en: "Your message has been sent to the agency").text(language)
            }
        }
        let messages = try await complaints.messages(of: complaint.id, logger: context.logger)
        return try followPage(agency, found: (complaint, messages), code: code, problem: problem, notice: notice, language: language)
    }

    // MARK: Statistics (O29)

    func statisticsData(_ request: Request, context: AppRequestContext) async throws -> (Agency, ComplaintStatistics) {
        let year = request.uri.queryParameters.get("year").flatMap(Int.init) ?? FiscalYear(containing: configuration.today).buddhistYear
        guard (2500...2700).contains(year) else { throw AppError.badInput(th: "ปีงบประมาณไม่ถูกต้อง", en: "Not a fiscal year") }
        guard let code = context.parameters.get("agency"),
              let found = try await PublicDataService.complaintStatistics(in: repositories, agencyCode: code, year: year, logger: context.logger)
        else { throw AppError(.notFound, th: "ไม่พบหน่วยงานนี้", en: "No such agency") }
        return found
    }

    func statistics(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, stats) = try await statisticsData(request, context: context)
        let language = publicLanguage(request, context)
        let model = StatisticsModel.make(agency: agency, stats: stats, language: language, today: configuration.today)
        var response = try views.standalone("report-statistics", model: model, language: language, labels: IntegrityStrings.labels(language))
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }

    func statisticsCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agency, stats) = try await statisticsData(request, context: context)
        var rows = [["month", "month_th", "category", "category_th", "received", "in_progress", "concluded", "forwarded", "not_accepted"]]
        for row in stats.rows {
            let month = NumberText.padded(row.month.year, width: 4) + "-" + NumberText.padded(row.month.month, width: 2)
            let monthTH = ThaiFormat.monthNames[row.month.month - 1] + " " + String(ThaiFormat.buddhistYear(row.month.year))
            rows.append([month, monthTH, row.category.rawValue, row.category.name.th] + row.cells.map(\.description))
        }
        rows.append(["total", "รวมทั้งปีงบประมาณ \(stats.fiscalYear.buddhistYear)", "all", "ทุกประเภท"] + stats.totalCells.map(\.description))
        let csv = CSV.write(rows)
        let name = "o29-\(agency.code)-\(stats.fiscalYear.buddhistYear).csv"
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"",
                                               .cacheControl: "public, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(string: csv)))
    }
}

/// The language of a public page: `?lang=` when given, else the cookie's.
func publicLanguage(_ request: Request, _ context: AppRequestContext) -> Language {
    request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:)) ?? context.language
}
