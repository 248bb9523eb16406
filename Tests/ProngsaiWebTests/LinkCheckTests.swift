import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Synchronization
import Testing
import TestSupport

/// How many times each `/counted/…` page was fetched.
let countedHits = Mutex<[String: Int]>([:])

/// A stand-in agency website on loopback: pages, a page that changes, redirects, a missing page, a big page.
func withWebsite<R: Sendable>(_ body: @escaping @Sendable (Int) async throws -> R) async throws -> R {
    let counter = Mutex(0)
    let router = Router()
    router.get("/page") { _, _ in "สวัสดี หน้าหลักฐาน" }
    router.get("/changing") { _, _ in "version \(counter.withLock { $0 += 1; return $0 })" }
    router.get("/redirect") { _, _ in Response(status: .found, headers: [.location: "/page"]) }
    router.get("/loop") { _, _ in Response(status: .found, headers: [.location: "/loop"]) }
    router.get("/big") { _, _ in String(repeating: "x", count: 50_000) }
    router.get("/echo/**") { request, _ in request.head.path ?? "" }
    router.get("/counted/*") { request, _ in
        try await Task.sleep(for: .milliseconds(20))
        return "hit \(countedHits.withLock { hits in hits[request.uri.path, default: 0] += 1; return hits[request.uri.path]! })"
    }
    let port = Mutex<Int?>(nil)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } })
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var found: Int?
        for _ in 0..<100 {
            found = port.withLock { $0 }
            if found != nil { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        defer { group.cancelAll() }
        return try await body(try #require(found))
    }
}

@Suite("evidence links: the safe fetcher and the link checker", .serialized)
struct LinkCheckTests {
    @Test("http(s) only, no private addresses unless allowed, limited redirects, a size cap")
    func fetcher() async throws {
        try await withWebsite { port in
            let base = "http://127.0.0.1:\(port)"
            let strict = SafeFetcher()
            let refused = await strict.fetch(base + "/page")
            #expect(refused.status == nil)
            #expect(refused.error?.contains("private or local address") == true)
            let local = await SafeFetcher(allowPrivateAddresses: true).fetch("http://localhost:\(port)/page")
            #expect(local.status == 200)
            let open = SafeFetcher(allowPrivateAddresses: true, maxBytes: 10_000, maxRedirects: 3)
            let page = await open.fetch(base + "/page")
            #expect(page.status == 200)
            #expect(String(decoding: page.bytes, as: UTF8.self) == "สวัสดี หน้าหลักฐาน")
            let redirected = await open.fetch(base + "/redirect")
            #expect(redirected.status == 200 && redirected.finalURL == base + "/page")
            #expect(await open.fetch(base + "/loop").error?.contains("too many redirects") == true)
            #expect(await open.fetch(base + "/big").error?.contains("larger than") == true)
            #expect(await open.fetch(base + "/missing").status == 404)
            #expect(await open.fetch("ftp://example.org/file").error == "only http and https links can be checked")
            #expect(await open.fetch("http://127.0.0.1:1/").error?.contains("could not connect") == true)
            #expect(await strict.fetch("http://10.1.2.3/").error?.contains("private") == true)
            #expect(await strict.fetch("http://[::1]:\(port)/page").error?.contains("private") == true)
            // Every IANA special-purpose range is refused, whatever the port.
            for target in ["http://192.0.2.7/", "http://198.51.100.7/", "http://203.0.113.7/", "http://198.19.1.1/", "http://240.0.0.1/",
                           "http://0.0.0.0/", "http://[64:ff9b::a00:1]/", "http://[2002:c000:0201::1]/", "http://[2001:db8::1]/", "http://[fd00::1]/"] {
                #expect(await strict.fetch(target).error?.contains("private") == true, "\(target)")
            }
            // The path is sent as given: "%2F" stays "%2F", Thai goes out percent-encoded.
            let echoed = await open.fetch(base + "/echo/a%2Fb/" + "หน้า")
            #expect(String(decoding: echoed.bytes, as: UTF8.self) == "/echo/a%2Fb/%E0%B8%AB%E0%B8%99%E0%B9%89%E0%B8%B2")
        }
    }

    @Test("special-purpose and own addresses by their bytes; public ones pass")
    func specialAddresses() throws {
        for ip in ["10.0.0.1", "100.64.0.1", "169.254.1.1", "172.31.255.255", "192.0.0.8", "192.88.99.1", "192.168.1.1", "198.18.0.0",
                   "198.19.255.255", "224.0.0.1", "255.255.255.255", "::", "::1", "::ffff:10.0.0.1", "64:ff9b::808:808", "100::1",
                   "2001::1", "2001:db8::1", "2002::1", "fc00::1", "fe80::1", "ff02::1", "3fff::1"] {
            #expect(SpecialAddresses.isSpecial(ip), "\(ip)")
        }
        for ip in ["8.8.8.8", "203.150.1.10", "172.32.0.1", "198.20.0.1", "100.128.0.1", "2606:4700::1111", "2404:6800:4001::1", "::ffff:8.8.8.8"] {
            #expect(!SpecialAddresses.isSpecial(ip), "\(ip)")
        }
        #expect(SpecialAddresses.isSpecial("not an address"))
        // This machine's own addresses, as `hostname -I` lists them, are refused too.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/hostname")
        process.arguments = ["-I"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let own = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        for ip in own { #expect(SpecialAddresses.isOwn(ip), "\(ip)") }
        #expect(SpecialAddresses.isOwn("127.0.0.1"))
    }

    @Test("three nodes' checkers at once fetch each link once a day between them", arguments: TestEngine.available)
    func sharedAcrossNodes(engine: TestEngine) async throws {
        try await withWebsite { port in
            try await withApp(engine) { client, _, repositories in
                let tag = UUID().uuidString.prefix(8)
                let urls = (0..<12).map { "http://127.0.0.1:\(port)/counted/\(tag)-\($0)" }
                var officer = Browser(client)
                _ = try await officer.signIn("officer")
                _ = try await officer.get("/agencies/banpong/2566/items/O2")
                #expect(try await officer.upload("/agencies/banpong/2566/items/O2/evidence", fields: [("links", urls.joined(separator: "\n"))], files: []).status == .seeOther)
                let fetched = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<3 {
                        group.addTask {
                            try await LinkChecker(evidence: repositories.evidenceStore, fetcher: SafeFetcher(allowPrivateAddresses: true), logger: testLogger).checkDue()
                        }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(fetched == 12, "each link by one node")
                let hits = countedHits.withLock { hits in urls.map { hits[URL(string: $0)!.path, default: 0] } }
                #expect(hits == Array(repeating: 1, count: 12))
                // The next round, the same day, on any node: nothing.
                #expect(try await LinkChecker(evidence: repositories.evidenceStore, fetcher: SafeFetcher(allowPrivateAddresses: true), logger: testLogger).checkDue() == 0)
            }
        }
    }

    @Test("the checker keeps a copy of every link, flags dead and changed ones, and the pages show it", arguments: TestEngine.available)
    func checker(engine: TestEngine) async throws {
        try await withWebsite { port in
            try await withApp(engine) { client, world, repositories in
                let base = "http://127.0.0.1:\(port)"
                var officer = Browser(client)
                _ = try await officer.signIn("officer")
                _ = try await officer.get("/agencies/banpong/2566/items/O1")
                let saved = try await officer.upload("/agencies/banpong/2566/items/O1/evidence",
                                                     fields: [("links", "\(base)/changing\n\(base)/missing\n\(base)/page")], files: [])
                #expect(saved.status == .seeOther)
                // A budget of 2 fetches per assessment and round: the third link waits for the next round.
                let thrifty = LinkChecker(evidence: repositories.evidenceStore, fetcher: SafeFetcher(allowPrivateAddresses: true), budgetPerAssessment: 2, logger: testLogger)
                #expect(try await thrifty.checkDue() == 2)
                #expect(try await thrifty.checkDue() == 1, "the rest in the next round")
                try await repositories.database.sql.delete(from: "evidence_snapshots").run()
                try await repositories.database.sql.delete(from: "link_claims").run()
                let checker = LinkChecker(evidence: repositories.evidenceStore, fetcher: SafeFetcher(allowPrivateAddresses: true), logger: testLogger)
                #expect(try await checker.checkDue() == 3)
                #expect(try await checker.checkDue() == 0, "nothing is due again within a day")
                #expect(try await checker.checkDue(now: Date().addingTimeInterval(2 * 86_400)) == 3)
                let snapshots = try await repositories.evidenceStore.snapshots(assessmentID: world.assessment.id, logger: testLogger)
                let byURL = Dictionary(uniqueKeysWithValues: snapshots.map { ($0.url, $0) })
                #expect(byURL["\(base)/changing"]?.changed == true)
                #expect(byURL["\(base)/page"]?.changed == false)
                #expect(byURL["\(base)/missing"]?.dead == true)
                let copy = try #require(byURL["\(base)/page"]?.sha256)
                let stored = try #require(try await repositories.evidence.file(sha256: copy, logger: testLogger))
                #expect(String(decoding: stored.bytes, as: UTF8.self) == "สวัสดี หน้าหลักฐาน")
                _ = try await officer.get("/agencies/banpong/2566/items/O1")
                #expect(officer.lastBody.contains("ใช้งานไม่ได้: ไม่พบหน้านี้ (HTTP 404)"))
                #expect(officer.lastBody.contains("ใช้งานได้ (") && officer.lastBody.contains(" ไบต์)"), "sizes in Thai")
                #expect(officer.lastBody.contains("เนื้อหาเปลี่ยนไปจากครั้งก่อน"))
                #expect(officer.lastBody.contains("/agencies/banpong/2566/files/\(copy)"))
                #expect(try await officer.get("/agencies/banpong/2566/files/\(copy)").status == .ok, "the saved copy is there for the assessor")
                _ = try await officer.get("/agencies/muang/2566")
                var muang = Browser(client)
                _ = try await muang.signIn("muang-officer")
                #expect(try await muang.get("/agencies/muang/2566/files/\(copy)").status == .notFound)
            }
        }
    }
}
