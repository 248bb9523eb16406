import Foundation
import ProngsaiCore
import ProngsaiStore
import SQLKit
import Synchronization
import Testing
import TestSupport

@Suite("complaints on SQLite and PostgreSQL: sealed at rest, hashed receipts, custodian flow, key rotation")
struct ComplaintRepositoryTests {
    let actor = AuditActor(userID: "handler-1", name: "handler")
    static let keyA = try! ComplaintKeys(parsing: ComplaintKeys.generateLine(id: "a"))

    func agency(_ repositories: Repositories, code: String = "banpong") async throws -> Agency {
        let agency = Agency(code: code, name: .init(th: "อบต.ทดสอบ \(code)", en: "Test \(code)"), shortName: .init(th: "ทดสอบ", en: "Test"),
                            type: "อบต.", province: "ราชบุรี", district: "บ้านโป่ง")
        try await repositories.agencies.create(agency, by: actor, logger: testLogger)
        return agency
    }

    /// Words no field may hold in the clear.
    static let secretWhat = "นายสมชายเรียกรับเงินใต้โต๊ะสามหมื่นบาทเพื่อผ่านงานตรวจรับถนนลาดยาง"
    static let secretName = "นางสาวผู้แจ้งลับมาก ใจกล้า"
    static let secretPhone = "0812345678"
    static let secretFile = "PNG-SECRET-PAYLOAD-ZZZ"
    static let secretStep = "ผลสอบพบว่าปลัดรับเงินจริง"
    static let secretReply = "ข้อความตอบกลับลับเฉพาะผู้แจ้ง"

    @Test("what a reporter writes is sealed: no table row and no byte of the database file holds it; the code only as a slow hash", arguments: TestEngine.available)
    func sealedAtRest(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let agency = try await agency(repositories)
            let complaints = ComplaintRepository(database: database, vault: ComplaintVault(keys: Self.keyA))
            let code = ReceiptCode.random()
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(Self.secretFile.utf8)
            let report = ComplaintReport(category: .bribery, identity: ReporterIdentity(name: Self.secretName, phone: Self.secretPhone),
                                         details: ComplaintDetails(what: Self.secretWhat, place: "ที่ทำการ อบต.", when: "มีนาคม 2566", who: "ปลัด"),
                                         attachments: [ComplaintAttachment(name: "หลักฐานลับ.png", contentType: "image/png", bytes: png)])
            let today = CivilDate(year: 2023, month: 3, day: 15)!
            let filed = try await complaints.file(report, agencyID: agency.id, code: code, today: today, logger: testLogger)
            try await complaints.step(filed, CaseStep(from: .received, to: .screening, note: Self.secretStep), actor: actor, now: Date(), logger: testLogger)
            try await complaints.addMessage(caseID: filed.id, author: .staff, actor: actor, agencyID: agency.id, body: Self.secretReply, today: today, logger: testLogger)

            // Everything opens with the key.
            let found = try #require(try await complaints.find(code: code, agencyID: agency.id, logger: testLogger))
            #expect(found.id == filed.id && found.named && found.status == .screening)
            #expect(try await complaints.details(of: found, logger: testLogger).what == Self.secretWhat)
            #expect(try await complaints.identity(of: found, logger: testLogger)?.phone == Self.secretPhone)
            let messages = try await complaints.messages(of: found.id, logger: testLogger)
            #expect(messages.map(\.body) == [Self.secretWhat, Self.secretReply])
            #expect(messages[0].author == .reporter && messages[1].author == .staff)
            let file = try #require(messages[0].files.first)
            #expect(file.name == "หลักฐานลับ.png")
            #expect(try await complaints.attachment(caseID: found.id, fileID: file.id, logger: testLogger)?.bytes == png)
            #expect(try await complaints.steps(of: found.id, logger: testLogger).map(\.note) == [Self.secretStep])

            // A wrong code, and the right code at another agency, open nothing.
            #expect(try await complaints.find(code: ReceiptCode.random(), agencyID: agency.id, logger: testLogger) == nil)
            let other = try await self.agency(repositories, code: "other")
            #expect(try await complaints.find(code: code, agencyID: other.id, logger: testLogger) == nil)

            // Every text column of every complaint table, read raw.
            var raw = ""
            for table in ["complaints", "complaint_messages", "complaint_files", "complaint_steps"] {
                for row in try await database.sql.select().column("*").from(table).all() {
                    for column in row.allColumns { raw += ((try? row.decode(column: column, as: String?.self)) ?? nil) ?? "" ; raw += "\n" }
                }
            }
            for secret in [Self.secretWhat, Self.secretName, Self.secretPhone, Self.secretFile, Self.secretStep, Self.secretReply, "หลักฐานลับ", code.value, code.grouped] {
                #expect(!raw.contains(secret), "\(secret.prefix(12))… is in a row")
            }
            #expect(raw.contains("a:"), "sealed fields name their key")
            // The receipt hash is 32 bytes of scrypt, not the code.
            let hash = try #require(try await database.sql.select().column("receipt_hash").from("complaints").first()?.decode(column: "receipt_hash", as: String.self))
            let expected = try ReceiptHash.of(code.value, agencyID: agency.id)
            #expect(hash.count == 64 && hash == expected)

            // The SQLite file and its log, byte for byte.
            if case .sqlite(let path) = database.location {
                try await database.checkpoint(thorough: true)
                var bytes = Data()
                for suffix in ["", "-wal"] { bytes += (try? Data(contentsOf: URL(fileURLWithPath: path + suffix))) ?? Data() }
                for secret in [Self.secretWhat, Self.secretName, Self.secretPhone, Self.secretFile, Self.secretStep, Self.secretReply, code.value] {
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret.prefix(12))… is in the database file")
                }
            }
        }
    }

    @Test("a sealed field copied into another case or field does not open; a wrong key opens nothing")
    func boundToPlace() throws {
        let vault = ComplaintVault(keys: Self.keyA)
        let sealed = try vault.seal("ลับ", place: "complaint/A/details")
        #expect(try vault.open(sealed, place: "complaint/A/details") == "ลับ")
        #expect(throws: (any Error).self) { try vault.open(sealed, place: "complaint/B/details") }
        #expect(throws: (any Error).self) { try vault.open(sealed, place: "complaint/A/identity") }
        let other = ComplaintVault(keys: try ComplaintKeys(parsing: ComplaintKeys.generateLine(id: "a")))
        #expect(throws: (any Error).self) { try other.open(sealed, place: "complaint/A/details") }
        #expect(sealed != (try vault.seal("ลับ", place: "complaint/A/details")), "a fresh nonce each time")
        for bad in ["", "a", "a:notbase64", "a:" + Data(count: 31).base64EncodedString(), "bad id:" + Data(count: 32).base64EncodedString()] {
            #expect(throws: ComplaintKeyError.self, "\(bad)") { try ComplaintKeys(parsing: bad) }
        }
    }

    @Test("key rotation: a new key first, rekey, then the old key may go; without any key nothing opens", arguments: TestEngine.available)
    func rotation(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let agency = try await agency(repositories)
            let old = ComplaintRepository(database: database, vault: ComplaintVault(keys: Self.keyA))
            var codes: [ReceiptCode] = []
            for index in 0..<3 {
                let code = ReceiptCode.random()
                codes.append(code)
                let filed = try await old.file(ComplaintReport(category: .procurement, identity: index == 0 ? ReporterIdentity(name: Self.secretName) : nil,
                                                               details: ComplaintDetails(what: Self.secretWhat + " \(index)"),
                                                               attachments: [ComplaintAttachment(name: "f.pdf", contentType: "application/pdf", bytes: Array("%PDF-1.4 x".utf8))]),
                                               agencyID: agency.id, code: code, today: CivilDate(year: 2023, month: 3, day: 1)!, logger: testLogger)
                try await old.step(filed, CaseStep(from: .received, to: .screening, note: Self.secretStep), actor: actor, now: Date(), logger: testLogger)
            }
            let newLine = ComplaintKeys.generateLine(id: "b")
            let oldLine = "a:" + Self.keyA.current.bytes.withUnsafeBufferPointer { Data($0).base64EncodedString() }
            let both = ComplaintRepository(database: database, vault: ComplaintVault(keys: try ComplaintKeys(parsing: newLine + "\n" + oldLine)))
            let moved = try await both.rekey(logger: testLogger)
            // Per case: details, a message, a file's name and bytes, a step; the first also an identity.
            #expect(moved == 3 * 5 + 1)
            #expect(try await both.rekey(logger: testLogger) == 0, "a second run has nothing to move")
            let onlyNew = ComplaintRepository(database: database, vault: ComplaintVault(keys: try ComplaintKeys(parsing: newLine)))
            for (index, code) in codes.enumerated() {
                let found = try #require(try await onlyNew.find(code: code, agencyID: agency.id, logger: testLogger), "receipt hashes do not depend on the key")
                #expect(try await onlyNew.details(of: found, logger: testLogger).what == Self.secretWhat + " \(index)")
                let messages = try await onlyNew.messages(of: found.id, logger: testLogger)
                #expect(try await onlyNew.attachment(caseID: found.id, fileID: messages[0].files[0].id, logger: testLogger)?.bytes == Array("%PDF-1.4 x".utf8))
                #expect(try await onlyNew.steps(of: found.id, logger: testLogger).first?.note == Self.secretStep)
                if index == 0 { #expect(try await onlyNew.identity(of: found, logger: testLogger)?.name == Self.secretName) }
                // The old key alone no longer opens what was moved.
                await #expect(throws: (any Error).self) { try await old.details(of: found, logger: testLogger) }
            }
        }
    }

    @Test("identity needs a second person: no one approves their own request, a request is decided once, approval lasts 7 days, every step audited", arguments: TestEngine.available)
    func custodian(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let agency = try await agency(repositories)
            let complaints = ComplaintRepository(database: database, vault: ComplaintVault(keys: Self.keyA))
            let filed = try await complaints.file(ComplaintReport(category: .bribery, identity: ReporterIdentity(name: Self.secretName), details: ComplaintDetails(what: Self.secretWhat)),
                                                  agencyID: agency.id, code: ReceiptCode.random(), today: CivilDate(year: 2023, month: 3, day: 1)!, logger: testLogger)
            let now = Date(timeIntervalSince1970: 1_678_000_000)
            let handler = AuditActor(userID: "u-handler", name: "handler")
            let custodian = AuditActor(userID: "u-custodian", name: "custodian")
            let request = try await complaints.requestIdentity(filed, actor: handler, reason: "ต้องสอบปากคำผู้แจ้งเพิ่มเติม", now: now, logger: testLogger)
            #expect(try await complaints.grantedRequest(caseID: filed.id, userID: handler.userID!, now: now, logger: testLogger) == nil)
            await #expect(throws: ComplaintError.ownRequest) {
                try await complaints.decide(requestID: request.id, agencyID: agency.id, approve: true, note: "ok", actor: handler, now: now, logger: testLogger)
            }
            let other = try await self.agency(repositories, code: "other")
            await #expect(throws: CaseNotFound.self, "another agency's custodian cannot decide it") {
                try await complaints.decide(requestID: request.id, agencyID: other.id, approve: true, note: "ok", actor: custodian, now: now, logger: testLogger)
            }
            try await complaints.decide(requestID: request.id, agencyID: agency.id, approve: true, note: "เหตุผลเพียงพอ", actor: custodian, now: now, logger: testLogger)
            await #expect(throws: ComplaintError.notPending) {
                try await complaints.decide(requestID: request.id, agencyID: agency.id, approve: false, note: "x", actor: custodian, now: now, logger: testLogger)
            }
            #expect(try await complaints.grantedRequest(caseID: filed.id, userID: handler.userID!, now: now.addingTimeInterval(86_400), logger: testLogger)?.id == request.id)
            #expect(try await complaints.grantedRequest(caseID: filed.id, userID: "someone-else", now: now, logger: testLogger) == nil, "only the requester")
            #expect(try await complaints.grantedRequest(caseID: filed.id, userID: handler.userID!, now: now.addingTimeInterval(8 * 86_400), logger: testLogger) == nil,
                    "the approval lapses after 7 days")
            try await complaints.recordIdentityRead(filed, actor: handler, requestID: request.id, logger: testLogger)
            let actions = try await repositories.audit.entries(entityID: filed.id, logger: testLogger).map(\.action)
            #expect(Set(actions) == ["complaint.identity.requested", "complaint.identity.approved", "complaint.identity.read"])
        }
    }

    @Test("steps: a case moves only from where the handler saw it; the statistics equal a count of the case rows", arguments: TestEngine.available)
    func stepsAndStatistics(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let agency = try await agency(repositories)
            let complaints = ComplaintRepository(database: database, vault: ComplaintVault(keys: Self.keyA))
            var generator = SystemRandomNumberGenerator()
            var filed: [ComplaintCase] = []
            for _ in 0..<40 {
                let day = CivilDate(daysSince1970: CivilDate(year: 2022, month: 10, day: 1)!.daysSince1970 + Int.random(in: 0..<365, using: &generator))
                filed.append(try await complaints.file(ComplaintReport(category: ComplaintCategory.allCases.randomElement(using: &generator)!, identity: nil,
                                                                       details: ComplaintDetails(what: "เรื่องทดสอบสถิติ")),
                                                       agencyID: agency.id, code: ReceiptCode.random(), today: day, logger: testLogger))
            }
            let note = "บันทึกผลการดำเนินการทดสอบ"
            for (index, complaint) in filed.enumerated() {
                var current = complaint
                let path: [CaseStatus] = [[], [.screening], [.notAccepted], [.screening, .investigating], [.screening, .forwarded], [.screening, .investigating, .concluded]][index % 6]
                for next in path {
                    try await complaints.step(current, CaseStep(from: current.status, to: next, note: note, forwardedTo: next == .forwarded ? .pacc : nil),
                                              actor: actor, now: Date(), logger: testLogger)
                    current.status = next
                }
            }
            // A handler acting on a stale page is refused and nothing changes.
            let stale = filed[1]
            await #expect(throws: CaseConflict.self) {
                try await complaints.step(stale, CaseStep(from: .received, to: .notAccepted, note: note), actor: actor, now: Date(), logger: testLogger)
            }
            #expect(try await complaints.find(id: stale.id, logger: testLogger)?.status == .screening)

            let stats = ComplaintStatistics.compute(try await complaints.records(agencyID: agency.id, logger: testLogger), fiscalYear: FiscalYear(2566))
            // Counted again straight from the rows with SQL.
            for row in stats.rows {
                let prefix = NumberText.padded(row.month.year, width: 4) + "-" + NumberText.padded(row.month.month, width: 2) + "-%"
                func count(_ statuses: [CaseStatus]) async throws -> Int {
                    try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("complaints")
                        .where("agency_id", .equal, agency.id).where("category", .equal, row.category.rawValue)
                        .where(SQLColumn("received_on"), .like, SQLBind(prefix)).where("status", .in, statuses.map(\.rawValue))
                        .first()!.decode(column: "n", as: Int.self)
                }
                #expect(row.counts.received == (try await count(CaseStatus.allCases)))
                #expect(row.counts.inProgress == (try await count([.received, .screening, .investigating])))
                #expect(row.counts.concluded == (try await count([.concluded])))
                #expect(row.counts.forwarded == (try await count([.forwarded])))
                #expect(row.counts.notAccepted == (try await count([.notAccepted])))
            }
            #expect(stats.total.received == 40)
            // Two handlers replying at once: both kept, numbered one after the other.
            let first = filed[0].id
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<6 {
                    group.addTask { try await complaints.addMessage(caseID: first, author: .reporter, body: "ข้อความ \(n)", today: CivilDate(year: 2023, month: 5, day: 1)!, logger: testLogger) }
                }
                try await group.waitForAll()
            }
            #expect(try await complaints.messages(of: filed[0].id, logger: testLogger).map(\.seq) == Array(1...7))
        }
    }

    @Test("slow hashes wait their turn: never more than the gate's width at once, and every one is made")
    func slowHashGate() async throws {
        // One at a time: the test pool has two threads or more, so without the gate two would overlap.
        let gate = SlowWorkGate(width: 1)
        final class Counts: Sendable {
            let state = Mutex((running: 0, peak: 0, done: 0))
        }
        let counts = Counts()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    _ = try await gate.run {
                        counts.state.withLock { $0.running += 1; $0.peak = max($0.peak, $0.running) }
                        Thread.sleep(forTimeInterval: 0.01)
                        counts.state.withLock { $0.running -= 1; $0.done += 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = counts.state.withLock { $0 }
        #expect(final.done == 12 && final.running == 0)
        #expect(final.peak == 1)
        #expect(ReceiptHash.concurrent >= 1)
    }
}
