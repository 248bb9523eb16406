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

/// A stand-in agency website on loopback: pages, a page that changes, redirects, a missing page, a big page.
func withWebsite<R: Sendable>(_ body: @escaping @Sendable (Int) async throws -> R) async throws -> R {
    let counter = Mutex(0)
    let router = Router()
    router.get("/page") { _, _ in "สวัสดี หน้าหลักฐาน" }
    router.get("/changing") { _, _ in "version \(counter.withLock { $0 += 1; return $0 })" }
    router.get("/redirect") { _, _ in Response(status: .found, headers: [.location: "/page"]) }
    router.get("/loop") { _, _ in Response(status: .found, headers: [.location: "/loop"]) }
    router.get("/big") { _, _ in String(repeating: "x", count: 50_000) }
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
