import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Synchronization
import Testing
import TestSupport

/// A clock the test moves forward.
final class TestClock: Sendable {
    let now = Mutex(fixedNow)
    func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    func read() -> Date { now.withLock { $0 } }
}

@Suite("sign-in waits after wrong passwords")
struct SignInThrottleTests {
    @Test("the waits: free tries, then doubling from 30 s up to 15 min")
    func waits() {
        let account = SignInThrottle.account
        #expect((1...4).map { account.wait(afterFailures: $0) } == [0, 0, 0, 0])
        #expect((5...10).map { account.wait(afterFailures: $0) } == [30, 60, 120, 240, 480, 900])
        #expect(account.wait(afterFailures: 1000) == 900)
        #expect(SignInThrottle.address.wait(afterFailures: 19) == 0 && SignInThrottle.address.wait(afterFailures: 20) == 30)
        #expect(SignInThrottle.describe(29.2, thai: true) == "30 วินาที" && SignInThrottle.describe(61, thai: true) == "2 นาที")
        #expect(LogText.safe("officer\n2026 info forged entry\u{1b}[31m") == "officer\\u{a}2026 info forged entry\\u{1b}[31m")
    }

    @Test("wrong passwords lock the account for a while, for known and unknown names alike; the right one waits too", arguments: TestEngine.available)
    func lock(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withApp(engine, clock: { clock.read() }) { client, _, repositories in
            var browser = Browser(client)
            for attempt in 1...10 {
                let r = try await browser.signIn("officer", password: "wrong \(attempt)")
                #expect(r.status == (attempt < 5 ? .unauthorized : .tooManyRequests), "attempt \(attempt)")
            }
            #expect(browser.lastBody.contains("ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้ง กรุณารอ"))
            let right = try await browser.signIn("officer")
            #expect(right.status == .tooManyRequests, "the right password is refused while the wait lasts")
            #expect(right.headers[.retryAfter].flatMap { Int($0) }.map { $0 > 0 && $0 <= 30 } == true, "Retry-After: the rest of the wait")
            #expect(browser.cookies["prongsai_session"] == nil)
            // An unknown name gets exactly the same answers: nothing tells which accounts exist.
            var other = Browser(client)
            var unknown: [HTTPResponse.Status] = []
            for attempt in 1...6 { unknown.append(try await other.signIn("nobody-here", password: "wrong \(attempt)").status) }
            #expect(unknown == [.unauthorized, .unauthorized, .unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests])
            let entries = try await repositories.audit.entries(agencyID: nil, limit: 100, logger: testLogger)
            #expect(entries.contains { $0.action == "sign-in.locked" && $0.entityID == "officer" }, "the lock is in the audit log")
            // Once the wait has passed, the right password works and the count starts again.
            clock.advance(31)
            let later = try await browser.signIn("officer")
            #expect(later.status == .seeOther)
        }
    }

    @Test("many names from one address wait too, while another address is not held up", arguments: TestEngine.available)
    func address(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withApp(engine, clock: { clock.read() }) { client, _, _ in
            var browser = Browser(client)
            for n in 1...20 { _ = try await browser.signIn("guess-\(n)", password: "x") }
            let real = try await browser.signIn("viewer")
            #expect(real.status == .tooManyRequests, "20 failures from this address: it waits, whatever the name")
            clock.advance(31)
            #expect(try await browser.signIn("viewer").status == .seeOther)
        }
    }
}
