import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import ProngsaiWeb
import ProngsaiCore
import ProngsaiStore
import Testing
import TestSupport

@Suite("client addresses behind proxies, daily limits and bursts", .serialized)
struct ClientAddressTests {
    /// One EIT part 1 answer sent through the trusted proxy on behalf of `from`.
    static func answer(_ path: String, from: String, level: Int = 4, client: any TestClientProtocol) async throws -> HTTPResponse.Status {
        var person = Browser(client)
        _ = try await person.get(path)
        return try await person.send(.post, path, form: [("submission", person.submissionID!)] + (try answers("eit1", level: level)),
                                     headers: [HTTPField.Name("X-Forwarded-For")!: from]).status
    }

    @Test("X-Forwarded-For counts only from a trusted proxy; the nearest untrusted address is the client")
    func resolve() throws {
        let proxies = [try #require(AddressRange("10.0.0.0/8")), try #require(AddressRange("2001:db8::/32"))]
        #expect(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: proxies) == "203.0.113.9", "a forged header from an untrusted peer is ignored")
        #expect(ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: ["1.2.3.4"], trusted: proxies) == "1.2.3.4")
        #expect(ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: ["9.9.9.9, 1.2.3.4, 10.0.0.7"], trusted: proxies) == "1.2.3.4",
                "the client's own header (9.9.9.9) is not believed: the nearest untrusted hop is")
        #expect(ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: ["not-an-ip"], trusted: proxies) == "10.0.0.5")
        #expect(ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: [], trusted: proxies) == "10.0.0.5")
        #expect(ClientAddress.resolve(peer: "::ffff:10.1.2.3", forwardedFor: ["2606:4700::1"], trusted: proxies) == "2606:4700::1")
        #expect(ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: ["1.2.3.4"], trusted: []) == "10.0.0.5", "no proxies trusted by default")
        #expect(AddressRange("10.0.0.0/33") == nil && AddressRange("x/8") == nil && AddressRange("10.0.0.1") != nil)
    }

    @Test("a day's cap per address, a burst said once at the threshold, a new day starts again")
    func daily() {
        let limiter = RateLimiter(perMinute: 1000, perDay: 25, burstThreshold: 20)
        var verdicts: [RateLimiter.Verdict] = []
        for n in 0..<26 { verdicts.append(limiter.check("203.0.113.9", now: fixedNow.addingTimeInterval(Double(n)))) }
        #expect(verdicts.filter { $0 == .allowedBurst }.count == 1 && verdicts[19] == .allowedBurst)
        #expect(verdicts[24] == .allowed && verdicts[25] == .tooManyToday)
        #expect(limiter.check("203.0.113.10", now: fixedNow) == .allowed, "another address is not held up")
        #expect(limiter.check("203.0.113.9", now: fixedNow.addingTimeInterval(86_400)) == .allowed, "the next day")
        #expect(RateLimiter(perMinute: 0, perDay: 1).check("x") == .allowed && RateLimiter(perMinute: 0, perDay: 1).check("x") == .allowed, "0 a minute: no limit")
    }

    @Test("behind a trusted proxy each forwarded client has its own limit; bursts reach the surveys page without an address", arguments: TestEngine.available)
    func behindProxy(engine: TestEngine) async throws {
        try await withApp(engine, perMinute: 2, configure: { $0.trustedProxies = [AddressRange("127.0.0.1/32")!, AddressRange("::1/128")!] }) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("eit1", population: "120")
            func send(_ from: String) async throws -> HTTPResponse.Status { try await Self.answer(path, from: from, client: client) }
            #expect(try await send("198.51.100.1") == .seeOther)
            #expect(try await send("198.51.100.1") == .seeOther)
            #expect(try await send("198.51.100.1") == .tooManyRequests, "the third from one client in a minute")
            #expect(try await send("198.51.100.2") == .seeOther, "another client behind the same proxy is not held up")
            try await repositories.surveys.recordBurst(assessmentID: world.assessment.id, partID: "eit1", day: CivilDate(iso: "2023-03-15")!, kind: .manyAnswers, logger: testLogger)
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            #expect(officer.lastBody.contains(#"data-testid="bursts""#) && officer.lastBody.contains("15 มี.ค. 2566: EIT ส่วนที่ 1 มี 1 เครือข่าย"))
            #expect(!officer.lastBody.contains("198.51.100"), "no address on the page")
        }
    }

    @Test("near-identical answers: repeats (all but one question the same) are counted once per network at the threshold; varied ones are not")
    func echoes() throws {
        let detector = EchoDetector(threshold: 3)
        let base = ["q1": "4", "q2": "5", "q3": "3", "q4": "yes"]
        var flags: [Bool] = []
        for n in 0..<6 {
            var answers = base
            if n > 0 { answers["q\(n % 4 + 1)"] = "1" }   // after the first, one question differs from it each time
            flags.append(detector.echo("203.0.113.9", partID: "eit1", answers: answers, now: fixedNow))
        }
        #expect(flags == [false, false, false, true, false, false], "the third repeat is told once")
        #expect(!detector.echo("203.0.113.9", partID: "eit2", answers: base, now: fixedNow), "another part counts apart")
        // Answers that differ in two questions or more do not repeat one another.
        let varied = EchoDetector(threshold: 1)
        #expect(!varied.echo("198.51.100.7", partID: "eit1", answers: ["q1": "1", "q2": "2", "q3": "3", "q4": "yes"], now: fixedNow))
        #expect(!varied.echo("198.51.100.7", partID: "eit1", answers: ["q1": "2", "q2": "1", "q3": "3", "q4": "yes"], now: fixedNow))
        #expect(varied.echo("198.51.100.7", partID: "eit1", answers: ["q1": "2", "q2": "1", "q3": "3", "q4": "no"], now: fixedNow))
        #expect(!varied.echo("198.51.100.8", partID: "eit1", answers: ["q1": "2", "q2": "1", "q3": "3", "q4": "no"], now: fixedNow), "another network")
        // Fingerprints are keyed per node: the same answers give other numbers elsewhere, so they are no dictionary of answers.
        #expect(EchoDetector().fingerprints(base) != EchoDetector().fingerprints(base))
    }

    @Test("near-identical answers over HTTP reach the surveys page as a count, without an address", arguments: TestEngine.available)
    func echoesOverHTTP(engine: TestEngine) async throws {
        try await withApp(engine, perMinute: 1000, configure: { $0.trustedProxies = [AddressRange("127.0.0.1/32")!, AddressRange("::1/128")!] }) { client, _, _ in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            let path = try await officer.openSurvey("eit1", population: "120")
            func send(_ from: String, level: Int) async throws -> HTTPResponse.Status { try await Self.answer(path, from: from, level: level, client: client) }
            // Different people behind different networks answering alike are not one network's repeats.
            for n in 0..<6 { #expect(try await send("198.51.100.\(n + 10)", level: 4) == .seeOther) }
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            #expect(!officer.lastBody.contains("ส่งคำตอบซ้ำกัน"))
            for _ in 0..<6 { #expect(try await send("203.0.113.77", level: 3) == .seeOther) }
            _ = try await officer.get("/agencies/banpong/2566/surveys")
            #expect(officer.lastBody.contains("15 มี.ค. 2566: EIT ส่วนที่ 1 มี 1 เครือข่ายที่ส่งคำตอบซ้ำกัน"))
            #expect(!officer.lastBody.contains("203.0.113"), "no address on the page")
        }
    }
}
