import Hummingbird
import ProngsaiCore

/// A failure the user can understand, with a Thai and English message and the HTTP status it maps to.
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var message: LocalizedText

    public init(_ status: HTTPResponse.Status, th: String, en: String) {
        self.status = status
        self.message = LocalizedText(th: th, en: en)
    }

    public static let notFound = AppError(.notFound, th: "ไม่พบหน้าที่ต้องการ", en: "Page not found")
    public static let forbidden = AppError(.forbidden, th: "ท่านไม่มีสิทธิ์เข้าถึงข้อมูลนี้", en: "You do not have access to this")
    public static let csrf = AppError(.forbidden, th: "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง", en: "The form has expired or is invalid; reload the page and try again")

    public static func badInput(th: String, en: String) -> AppError { AppError(.badRequest, th: th, en: en) }
}
