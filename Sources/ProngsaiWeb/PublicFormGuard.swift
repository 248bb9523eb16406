import Crypto
import Foundation
import Logging
import ProngsaiCore
import ProngsaiStore

/// Keeps bots and floods off the public forms (complaints, questions) without third-party services:
/// a sum to work out (no JavaScript needed), signed so any node can check it and good once, and per-address
/// limits counted in the database so every node applies the same ones. Addresses are counted under a keyed
/// hash that changes every window; the key is not in the database.
struct PublicFormGuard: Sendable {
    let limits: PublicLimitRepository
    let secret: [UInt8]
    /// A person cannot fill a form in less than this many seconds; a script can (tests with a fixed clock: 0).
    var fastest: TimeInterval = 2

    /// A form is good for this long after it was drawn.
    static let lifetime: TimeInterval = 2 * 3600

    enum Form: String, Sendable {
        case report, follow, question

        /// Hits allowed per address and window.
        var limit: (count: Int, window: Int) {
            switch self {
            case .report: (5, 3600)
            case .follow: (20, 900)
            case .question: (5, 3600)
            }
        }
    }

    struct Challenge: Sendable {
        var question: String
        var token: String
    }

    /// The end of the hour after a moment: rows kept for the limits carry hours, never the second a form was
    /// drawn or sent (which could date a report).
    static func hourAfter(_ seconds: TimeInterval) -> Int { (Int(seconds) / 3600 + 1) * 3600 }

    func mac(_ text: String) -> String {
        NumberText.hex(Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: secret))))
    }

    /// A new sum for `form`, drawn now.
    func challenge(_ form: Form, now: Date) -> Challenge {
        let a = Int.random(in: 2...9), b = Int.random(in: 2...9)
        let nonce = SessionMiddleware.randomToken().prefix(24)
        let payload = "\(form.rawValue).\(a).\(b).\(Int(now.timeIntervalSince1970)).\(nonce)"
        return Challenge(question: "\(a) + \(b)", token: payload + "." + mac(payload))
    }

    /// Checks the sum and its token: right answer, signed here, for this form, not too fast, not too old, not
    /// used before. Each failure is a Thai and English sentence the form shows above itself.
    func check(_ form: Form, token: String, answer: String, now: Date, logger: Logger) async throws -> LocalizedText? {
        let parts = token.split(separator: ".").map(String.init)
        guard parts.count == 6, parts[0] == form.rawValue, let a = Int(parts[1]), let b = Int(parts[2]), let issued = Double(parts[3]),
              constantTimeEqual(mac(parts[0...4].joined(separator: ".")), parts[5]) else {
            return LocalizedText(th: "แบบฟอร์มนี้ไม่สมบูรณ์ กรุณาเปิดหน้าใหม่แล้วส่งอีกครั้ง", en: "This form is damaged; reload the page and send it again")
        }
        let age = now.timeIntervalSince1970 - issued
        guard age <= Self.lifetime else {
            return LocalizedText(th: "แบบฟอร์มนี้เปิดไว้นานเกินไป กรุณาตอบคำถามใหม่ด้านล่างแล้วส่งอีกครั้ง (ข้อความของท่านยังอยู่)",
                                 en: "This form was open too long; answer the new question below and send again (your text is kept)")
        }
        guard age >= fastest else {
            return LocalizedText(th: "ส่งเร็วเกินไป กรุณาตรวจข้อความแล้วส่งอีกครั้ง", en: "Sent too fast; check the form and send it again")
        }
        let typed = ThaiFormat.arabicDigits(answer.trimmingCharacters(in: .whitespaces))
        guard Int(typed) == a + b else {
            return LocalizedText(th: "คำตอบของคำถามกันสแปมไม่ถูกต้อง กรุณาตอบคำถามใหม่", en: "The answer to the anti-spam question is wrong; answer the new one")
        }
        // Good once: the same form sent twice (a double click, a resend) is not filed twice.
        let used = try await limits.hit(key: "once:" + mac(token), windowEnd: Self.hourAfter(issued + Self.lifetime), now: now, logger: logger)
        guard used == 1 else {
            return LocalizedText(th: "แบบฟอร์มนี้ถูกส่งไปแล้ว ระบบบันทึกไว้เพียงครั้งเดียว", en: "This form was already sent; it was kept once")
        }
        return nil
    }

    /// Counts one use of `form` by `address`; a sentence to show once the address has used up its window.
    func limit(_ form: Form, address: String, now: Date, logger: Logger) async throws -> LocalizedText? {
        let window = form.limit.window
        let end = (Int(now.timeIntervalSince1970) / window + 1) * window
        let hits = try await limits.hit(key: "limit:" + mac("\(form.rawValue)|\(address)|\(end)"), windowEnd: end, now: now, logger: logger)
        guard hits > form.limit.count else { return nil }
        let minutes = max(1, (end - Int(now.timeIntervalSince1970) + 59) / 60)
        return LocalizedText(th: "มีการส่งจากเครือข่ายของท่านมากเกินไป กรุณารออีก \(minutes) นาทีแล้วลองใหม่",
                             en: "Too many sends from your network; wait \(minutes) minutes and try again")
    }
}
