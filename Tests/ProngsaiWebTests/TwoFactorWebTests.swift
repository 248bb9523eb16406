import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport

@Suite("two-factor sign-in (TOTP)", .serialized)
struct TwoFactorWebTests {
    @Test("codes equal RFC 6238's published test vectors (SHA-1, 6 digits of the 8 shown there)")
    func vectors() throws {
        let secret = Array("12345678901234567890".utf8)
        let vectors: [(Int64, String)] = [(59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"),
                                          (2_000_000_000, "279037"), (20_000_000_000, "353130")]
        for (time, code) in vectors {
            #expect(TOTP.code(secret: secret, step: time / 30) == code, "T = \(time)")
        }
        // RFC 4648 §10: base32 of "foobar" and back.
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("MZ1W") == nil)
        // A code one step either side of now is accepted (clock drift); two steps away is not. Spaces and Thai digits are read.
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let now = TOTP.step(at: at)
        #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: now - 1), secret: secret, at: at) == now - 1)
        #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: now + 1), secret: secret, at: at) == now + 1)
        #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: now - 2), secret: secret, at: at) == nil)
        let thai = String(TOTP.code(secret: secret, step: now).map { Character(Unicode.Scalar(0x0E50 + UInt32(String($0))!)!) })
        #expect(TOTP.matchingStep(String(thai.prefix(3)) + " " + String(thai.suffix(3)), secret: secret, at: at) == now)
        #expect(TOTP.matchingStep("12345", secret: secret, at: at) == nil)
        let codes = RecoveryCodes.make()
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.range(of: #"^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$"#, options: .regularExpression) != nil })
        #expect(RecoveryCodes.hash(codes[0].lowercased().replacingOccurrences(of: "-", with: " "), userID: "u") == RecoveryCodes.hash(codes[0], userID: "u"))
        #expect(RecoveryCodes.hash("OIB2-AAAA-BBBB", userID: "u") == RecoveryCodes.hash("018 2aaaabbbb", userID: "u"), "0, 1 and 8 read as O, I and B")
        #expect(RecoveryCodes.hash("OIB2-AAAA-BBBB", userID: "u") != RecoveryCodes.hash("OIB2-AAAA-BBBB", userID: "v"), "salted by the user")
    }

    /// The secret shown as text on the enrolment page.
    static func key(in body: String) -> [UInt8]? {
        guard let range = body.range(of: #"data-testid="two-factor-key">[A-Z2-7 ]+<"#, options: .regularExpression) else { return nil }
        return Base32.decode(String(body[range].dropFirst(#"data-testid="two-factor-key">"#.count).dropLast()))
    }

    static func recoveryCodes(in body: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"<li><code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code></li>"#)
        return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap { Range($0.range(at: 1), in: body).map { String(body[$0]) } }
    }

    @Test("an administrator must enrol before anything else; then every sign-in asks for a code that works once", arguments: TestEngine.available)
    func required(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withApp(engine, clock: { clock.read() }, configure: { $0.twoFactor = .required }) { client, _, repositories in
            var browser = Browser(client)
            #expect(try await browser.signIn("admin").status == .seeOther)
            // Every page leads to enrolment; a form elsewhere is refused.
            let agencies = try await browser.get("/agencies")
            #expect(agencies.status == .seeOther && agencies.headers[.location] == "/account/two-factor")
            let page = try await browser.get("/account/two-factor")
            #expect(page.status == .ok)
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(browser.lastBody.contains("data-testid=\"two-factor-required\""))
            #expect(browser.lastBody.contains("<svg"), "the QR code for the app")
            let secret = try #require(Self.key(in: browser.lastBody))
            #expect(secret.count == 20)
            // A reload offers the same secret, so a code scanned a moment ago still fits.
            _ = try await browser.get("/account/two-factor")
            #expect(Self.key(in: browser.lastBody) == secret)
            let refused = try await browser.post("/admin/agencies", [("code", "x")])
            #expect(refused.status == .forbidden)
            _ = try await browser.get("/account/two-factor")

            let wrong = try await browser.post("/account/two-factor", [("action", "turn-on"), ("code", "000000")])
            #expect(wrong.status == .unprocessableContent)
            #expect(browser.lastBody.contains("รหัสจากแอปไม่ถูกต้อง"))
            let step = TOTP.step(at: clock.read())
            let on = try await browser.post("/account/two-factor", [("action", "turn-on"), ("code", TOTP.code(secret: secret, step: step))])
            #expect(on.status == .ok)
            let codes = Self.recoveryCodes(in: browser.lastBody)
            #expect(codes.count == 10, "ten recovery codes, shown once")
            #expect(try await browser.get("/agencies").status == .ok, "enrolled: the app opens")
            _ = try await browser.get("/account/two-factor")
            #expect(Self.recoveryCodes(in: browser.lastBody).isEmpty, "the codes are not shown again")
            #expect(browser.lastBody.contains("data-testid=\"recovery-left\">10<"))
            let audit = try await repositories.audit.entries(agencyID: nil, limit: 50, logger: testLogger)
            #expect(audit.contains { $0.action == "two-factor.enable" })
            // Stored: the secret, never the recovery codes themselves.
            let stored = try await repositories.database.sql.select().column("code_hash").from("recovery_codes").all()
                .map { try $0.decode(column: "code_hash", as: String.self) }
            #expect(stored.count == 10 && !stored.contains { hash in codes.contains { hash.contains($0) } })

            // Signing in again: the password alone gives no session.
            _ = try await browser.post("/logout", [])
            var next = Browser(client)
            let password = try await next.signIn("admin")
            #expect(password.status == .seeOther && password.headers[.location] == "/login/code")
            #expect(next.cookies["prongsai_session"] == nil)
            #expect(try await next.get("/agencies").headers[.location]?.hasPrefix("/login") == true)
            _ = try await next.get("/login/code")
            #expect(next.lastBody.contains("inputmode=\"numeric\""))
            // The code used to enrol (same time step) does not work twice.
            let replay = try await next.post("/login/code", [("code", TOTP.code(secret: secret, step: step))])
            #expect(replay.status == .unauthorized)
            #expect(next.cookies["prongsai_session"] == nil)
            clock.advance(30)
            let good = try await next.post("/login/code", [("code", TOTP.code(secret: secret, step: step + 1))])
            #expect(good.status == .seeOther && next.cookies["prongsai_session"] != nil)
            #expect(next.cookies["prongsai_2fa"] == nil, "the ticket is spent")
            #expect(try await next.get("/agencies").status == .ok)

            // A recovery code signs in once, and lands on the page that says so.
            var lost = Browser(client)
            _ = try await lost.signIn("admin")
            _ = try await lost.get("/login/code")
            let recovered = try await lost.post("/login/code", [("code", codes[3].lowercased())])
            #expect(recovered.status == .seeOther && recovered.headers[.location] == "/account/two-factor?recovery=1")
            _ = try await lost.get("/account/two-factor?recovery=1")
            #expect(lost.lastBody.contains("data-testid=\"recovery-left\">9<"))
            var again = Browser(client)
            _ = try await again.signIn("admin")
            _ = try await again.get("/login/code")
            #expect(try await again.post("/login/code", [("code", codes[3])]).status == .unauthorized, "a recovery code works once")

            // An administrator cannot turn it off: the role requires it.
            _ = try await next.get("/account/two-factor")
            #expect(!next.lastBody.contains("value=\"turn-off\""))
            let off = try await next.post("/account/two-factor", [("action", "turn-off"), ("password", SeededWorld.password), ("code", "123456")])
            #expect(off.status == .forbidden)
        }
    }

    @Test("wrong codes wait like wrong passwords; a forged or stale ticket gives nothing", arguments: TestEngine.available)
    func throttledAndTickets(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withApp(engine, clock: { clock.read() }, configure: { $0.twoFactor = .required }) { client, _, repositories in
            let secret = TOTP.newSecret()
            let user = try #require(try await repositories.users.find(username: "assessor", logger: testLogger))
            try await repositories.users.offerTwoFactor(userID: user.id, secret: Base32.encode(secret), logger: testLogger)
            #expect(try await repositories.users.enableTwoFactor(userID: user.id, secret: Base32.encode(secret), step: 0, recoveryHashes: [],
                                                                 by: AuditActor(userID: nil, name: "test"), logger: testLogger))
            var browser = Browser(client)
            _ = try await browser.signIn("assessor")
            _ = try await browser.get("/login/code")
            var statuses: [HTTPResponse.Status] = []
            for n in 1...10 { statuses.append(try await browser.post("/login/code", [("code", String(format: "%06d", n))]).status) }
            #expect(statuses == Array(repeating: .unauthorized, count: 4) + Array(repeating: .tooManyRequests, count: 6))
            let right = try await browser.post("/login/code", [("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.read())))])
            #expect(right.status == .tooManyRequests, "the right code waits too")
            #expect(browser.cookies["prongsai_session"] == nil)
            // The right password does not reset the count of wrong codes.
            var other = Browser(client)
            #expect(try await other.signIn("assessor").status == .tooManyRequests)
            clock.advance(31)
            var later = Browser(client)
            _ = try await later.signIn("assessor")
            _ = try await later.get("/login/code")
            let ok = try await later.post("/login/code", [("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.read())))])
            #expect(ok.status == .seeOther && later.cookies["prongsai_session"] != nil)

            // A ticket edited to name another user, or one past its five minutes, leads back to the password.
            var forged = Browser(client)
            _ = try await forged.signIn("assessor")
            let ticket = try #require(forged.cookies["prongsai_2fa"])
            let admin = try #require(try await repositories.users.find(username: "admin", logger: testLogger))
            forged.cookies["prongsai_2fa"] = admin.id + ticket.drop(while: { $0 != "." })
            #expect(try await forged.get("/login/code").headers[.location] == "/login")
            forged.cookies["prongsai_2fa"] = ticket
            #expect(try await forged.get("/login/code").status == .ok)
            clock.advance(301)
            let stale = try await forged.post("/login/code", [("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.read())))])
            #expect(stale.headers[.location] == "/login" && forged.cookies["prongsai_session"] == nil)
            #expect(try await forged.get("/login/code").headers[.location] == "/login")
        }
    }

    @Test("others may turn it on and off; an administrator resets a lost phone; other roles cannot", arguments: TestEngine.available)
    func optionalAndReset(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withApp(engine, clock: { clock.read() }, configure: { $0.twoFactor = .required }) { client, _, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            #expect(try await officer.get("/agencies/banpong/2566").status == .ok, "an officer is not asked to enrol")
            _ = try await officer.get("/account/two-factor")
            #expect(!officer.lastBody.contains("two-factor-required"))
            let secret = try #require(Self.key(in: officer.lastBody))
            _ = try await officer.post("/account/two-factor", [("action", "turn-on"), ("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.read())))])
            #expect(Self.recoveryCodes(in: officer.lastBody).count == 10)
            // New codes need a fresh code; the old ones stop working.
            clock.advance(30)
            _ = try await officer.get("/account/two-factor")
            _ = try await officer.post("/account/two-factor", [("action", "new-codes"), ("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.read())))])
            #expect(Self.recoveryCodes(in: officer.lastBody).count == 10)
            // Turning off needs the password and a code.
            clock.advance(30)
            _ = try await officer.get("/account/two-factor")
            let badPassword = try await officer.post("/account/two-factor", [("action", "turn-off"), ("password", "wrong"),
                                                                             ("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.read())))])
            #expect(badPassword.status == .unprocessableContent)
            let off = try await officer.post("/account/two-factor", [("action", "turn-off"), ("password", SeededWorld.password),
                                                                     ("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.read()) + 1))])
            #expect(off.status == .seeOther)
            #expect(try await repositories.users.find(username: "officer", logger: testLogger)?.twoFactorEnabled == false)

            // The assessor enrols, loses the phone; an officer cannot reset it, the administrator can.
            let assessor = try #require(try await repositories.users.find(username: "assessor", logger: testLogger))
            let assessorSecret = Base32.encode(TOTP.newSecret())
            try await repositories.users.offerTwoFactor(userID: assessor.id, secret: assessorSecret, logger: testLogger)
            _ = try await repositories.users.enableTwoFactor(userID: assessor.id, secret: assessorSecret, step: 0, recoveryHashes: [],
                                                             by: AuditActor(userID: nil, name: "test"), logger: testLogger)
            _ = try await officer.get("/account")
            let byOfficer = try await officer.post("/admin/users/\(assessor.id)", [("action", "reset-two-factor")])
            #expect(byOfficer.status == .notFound, "the administration pages do not exist for an officer")
            #expect(try await repositories.users.find(id: assessor.id, logger: testLogger)?.twoFactorEnabled == true)

            let adminUser = try #require(try await repositories.users.find(username: "admin", logger: testLogger))
            let adminSecret = TOTP.newSecret()
            try await repositories.users.offerTwoFactor(userID: adminUser.id, secret: Base32.encode(adminSecret), logger: testLogger)
            _ = try await repositories.users.enableTwoFactor(userID: adminUser.id, secret: Base32.encode(adminSecret), step: 0, recoveryHashes: [],
                                                             by: AuditActor(userID: nil, name: "test"), logger: testLogger)
            var admin = Browser(client)
            _ = try await admin.signIn("admin")
            _ = try await admin.get("/login/code")
            _ = try await admin.post("/login/code", [("code", TOTP.code(secret: adminSecret, step: TOTP.step(at: clock.read())))])
            _ = try await admin.get("/admin/users/\(assessor.id)")
            #expect(admin.lastBody.contains("data-testid=\"reset-two-factor\""))
            #expect(try await admin.post("/admin/users/\(assessor.id)", [("action", "reset-two-factor")]).status == .seeOther)
            #expect(try await repositories.users.find(id: assessor.id, logger: testLogger)?.twoFactorEnabled == false)
            let audit = try await repositories.audit.entries(agencyID: nil, limit: 50, logger: testLogger)
            #expect(audit.contains { $0.action == "two-factor.disable" && $0.entityID == assessor.id && $0.actor == "admin" })
            // Reset: the assessor signs in with the password and is sent to enrol again.
            var back = Browser(client)
            #expect(try await back.signIn("assessor").status == .seeOther)
            #expect(try await back.get("/agencies").headers[.location] == "/account/two-factor")
        }
    }
}
