import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// Printables for sharing a survey: the QR code as SVG/PNG, an A4 poster, and slips of one-time codes.
struct PrintController {
    let repositories: Repositories
    let views: Views
    let surveys: SurveyAdminController

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.surveyQRSVG), use: qrSVG)
        router.get(RouterPath(SiteURL.Pattern.surveyQRPNG), use: qrPNG)
        router.get(RouterPath(SiteURL.Pattern.surveyPoster), use: poster)
        router.get(RouterPath(SiteURL.Pattern.surveySlips), use: slips)
    }

    func window(_ context: AppRequestContext) async throws -> (AssessmentController.Loaded, SurveyWindow, SurveyTool) {
        let (loaded, part, survey) = try await surveys.loadPart(context)
        guard let window = try await repositories.surveys.windows(assessmentID: loaded.assessment.id, logger: context.logger).first(where: { $0.partID == part }) else {
            throw AppError(.notFound, th: "ยังไม่ได้เปิดแบบสำรวจส่วนนี้", en: "This survey part is not set up yet")
        }
        return (loaded, window, survey)
    }

    func link(_ request: Request, _ window: SurveyWindow) -> String {
        surveys.baseURL(request) + SiteURL.survey(code: window.publicCode).path
    }

    func qrSVG(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, window, _) = try await self.window(context)
        let svg = try QRCode(link(request, window)).svg(moduleSize: 10, quietZone: 4, title: link(request, window))
        return SurveyAdminController.download(svg, type: "image/svg+xml", filename: "\(loaded.agency.code)-\(window.partID)-qr.svg")
    }

    func qrPNG(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, window, _) = try await self.window(context)
        let png = try QRCode(link(request, window)).png(scale: 10, quietZone: 4)
        return Response(status: .ok, headers: [.contentType: "image/png", .contentDisposition: "attachment; filename=\"\(loaded.agency.code)-\(window.partID)-qr.png\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }

    struct PosterModel {
        var agencyName: String
        var toolName: String
        var partName: String
        var fiscalYear: String
        var qr: String
        var link: String
        var closes: String
        var needsCode: Bool
        var lang: String
        /// "ขอเชิญร่วมประเมินคุณธรรมและความโปร่งใส (ITA) ของ"
        var invitation: String
        /// "ใช้เวลาประมาณ 4 นาที · 15 ข้อ"
        var duration: String
    }

    func poster(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, window, survey) = try await self.window(context)
        let url = link(request, window)
        let language = context.language
        let th = language == .th
        let tool = loaded.framework.surveyTool(forPart: window.partID)!.tool
        let model = PosterModel(
            agencyName: loaded.agency.name.text(language), toolName: tool.name.text(language),
            partName: survey.parts.count > 1 ? survey.partName(window.partID).text(language) : "",
            fiscalYear: th ? "ประจำปีงบประมาณ พ.ศ. \(loaded.assessment.fiscalYear)" : "Fiscal year \(loaded.assessment.fiscalYear)",
            qr: try QRCode(url, correction: .quartile).svg(moduleSize: 10, quietZone: 4, title: url),
            link: url.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: ""),
            closes: th ? ThaiFormat.longDate(window.closesOn) : ThaiFormat.englishDate(window.closesOn),
            needsCode: window.requiresCode, lang: language.rawValue,
            invitation: th ? "ขอเชิญร่วมประเมินคุณธรรมและความโปร่งใส (ITA) ของ" : "You are invited to take part in the Integrity and Transparency Assessment (ITA) of",
            duration: SurveyFormModel.duration(questions: survey.questions.count, language: language))
        return try views.printable("poster", model: model, language: language)
    }

    struct SlipsModel {
        struct Slip {
            var code: String
            var qr: String
        }
        var agencyName: String
        var toolName: String
        var fiscalYear: Int
        var link: String
        var closes: String
        var slips: [Slip]
        var empty: Bool
        var lang: String
    }

    func slips(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (loaded, window, _) = try await self.window(context)
        guard Access.has(context, agencyID: loaded.agency.id, anyOf: SurveyAdminController.managers) else { throw AppError.forbidden }
        let url = link(request, window)
        let codes = try await repositories.surveys.codes(assessmentID: loaded.assessment.id, partID: window.partID, logger: context.logger)
        let language = context.language
        let model = SlipsModel(
            agencyName: loaded.agency.name.text(language),
            toolName: loaded.framework.surveyTool(forPart: window.partID)!.tool.name.text(language),
            fiscalYear: loaded.assessment.fiscalYear,
            link: url.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "https://", with: ""),
            closes: language == .th ? ThaiFormat.longDate(window.closesOn) : ThaiFormat.englishDate(window.closesOn),
            slips: try codes.map { SlipsModel.Slip(code: $0, qr: try QRCode(url + OneTimeCode.fragment($0)).svg(moduleSize: 3, quietZone: 2, title: $0)) },
            empty: codes.isEmpty, lang: language.rawValue)
        return try views.printable("slips", model: model, language: language)
    }
}
