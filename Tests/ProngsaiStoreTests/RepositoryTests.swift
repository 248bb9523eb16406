import Foundation
import ProngsaiCore
import ProngsaiStore
import Testing
import TestSupport

@Suite("repositories on SQLite and PostgreSQL")
struct RepositoryTests {
    let officer = AuditActor(userID: nil, name: "officer-test")

    func seed(_ repositories: Repositories) async throws -> (Agency, Assessment) {
        let agency = Agency(code: "banpong", name: .init(th: "องค์การบริหารส่วนตำบลบ้านโป่ง", en: "Ban Pong SAO"),
                            shortName: .init(th: "อบต.บ้านโป่ง", en: "Ban Pong"), type: "อบต.", province: "เชียงราย", district: "เวียงป่าเป้า")
        try await repositories.agencies.create(agency, by: officer, logger: testLogger)
        let assessment = Assessment(agencyID: agency.id, frameworkID: "ita-2566", fiscalYear: 2566)
        try await repositories.assessments.create(assessment, by: officer, logger: testLogger)
        return (agency, assessment)
    }

    @Test("SQLite commits wait for the disk only with --durable (synchronous FULL = 2, NORMAL = 1)")
    func durable() async throws {
        try await withTemporaryDirectory { folder in
            for (durable, expected) in [(false, 1), (true, 2)] {
                let database = try Database.open(.sqlite(path: folder.appendingPathComponent("d-\(durable).sqlite").path), logger: testLogger, durable: durable)
                let row = try await database.sql.raw("PRAGMA synchronous").first()
                #expect(try row?.decode(column: "synchronous", as: Int.self) == expected)
                try await database.shutdown()
            }
        }
    }

    @Test("migrations apply once and record their version", arguments: TestEngine.available)
    func migrations(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let migrator = Migrator(database: database)
            #expect(try await migrator.appliedVersions() == Array(1...22))
            #expect(Migrations.all.map(\.version) == Array(1...22))
            let again = try await migrator.migrate(logger: testLogger)
            #expect(again.applied.isEmpty)
        }
    }

    @Test("agencies and divisions, with Thai text intact", arguments: TestEngine.available)
    func agencies(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let (agency, _) = try await seed(repositories)
            let found = try await repositories.agencies.find(code: "banpong", logger: testLogger)
            #expect(found == agency)
            #expect(try await repositories.agencies.find(id: agency.id, logger: testLogger)?.name.th == "องค์การบริหารส่วนตำบลบ้านโป่ง")
            #expect(try await repositories.agencies.find(code: "nope", logger: testLogger) == nil)
            for (code, th) in [("palad", "สำนักปลัด"), ("finance", "กองคลัง")] {
                try await repositories.agencies.createDivision(Division(agencyID: agency.id, code: code, name: .init(th: th, en: code)), by: officer, logger: testLogger)
            }
            let divisions = try await repositories.agencies.divisions(agencyID: agency.id, logger: testLogger)
            #expect(divisions.map(\.name.th) == ["กองคลัง", "สำนักปลัด"])
            // The same division code twice in one agency is refused by the database.
            await #expect(throws: (any Error).self) {
                try await repositories.agencies.createDivision(Division(agencyID: agency.id, code: "palad", name: .init(th: "x", en: "x")), by: officer, logger: testLogger)
            }
            await #expect(throws: (any Error).self) {
                try await repositories.agencies.create(Agency(code: "banpong", name: .init(th: "ซ้ำ", en: "dup"), shortName: .init(th: "", en: ""), type: "", province: "", district: ""), by: officer, logger: testLogger)
            }
        }
    }

    @Test("users, roles scoped to an agency, sessions", arguments: TestEngine.available)
    func users(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let (agency, _) = try await seed(repositories)
            let user = User(username: "officer", displayName: "เจ้าหน้าที่", passwordHash: "$2b$10$abcdefghijklmnopqrstuv")
            try await repositories.users.create(user, grants: [RoleGrant(userID: user.id, agencyID: agency.id, role: .officer)], by: officer, logger: testLogger)
            #expect(try await repositories.users.find(username: "officer", logger: testLogger) == user)
            #expect(try await repositories.users.grants(userID: user.id, logger: testLogger) == [RoleGrant(userID: user.id, agencyID: agency.id, role: .officer)])
            let session = StoredSession(tokenHash: "h1", userID: user.id, csrfToken: "c1", expiresAt: Date().addingTimeInterval(3600))
            try await repositories.sessions.create(session, logger: testLogger)
            #expect(try await repositories.sessions.find(tokenHash: "h1", now: Date(), logger: testLogger)?.csrfToken == "c1")
            #expect(try await repositories.sessions.find(tokenHash: "h1", now: Date().addingTimeInterval(7200), logger: testLogger) == nil, "expired")
            try await repositories.sessions.delete(tokenHash: "h1", logger: testLogger)
            #expect(try await repositories.sessions.find(tokenHash: "h1", now: Date(), logger: testLogger) == nil)
            let audit = try await repositories.audit.entries(agencyID: agency.id, limit: 10, logger: testLogger)
            let userEntry = try #require(audit.first { $0.entity == "user" })
            #expect(!userEntry.detail.contains("$2b$"), "the audit log never holds a password hash")
        }
    }

    @Test("results and OIT items keep exact decimals, upsert, and are audited", arguments: TestEngine.available)
    func results(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let (agency, assessment) = try await seed(repositories)
            let palad = Division(agencyID: agency.id, code: "palad", name: .init(th: "สำนักปลัด", en: "Palad"))
            let finance = Division(agencyID: agency.id, code: "finance", name: .init(th: "กองคลัง", en: "Finance"))
            try await repositories.agencies.createDivision(palad, by: officer, logger: testLogger)
            try await repositories.agencies.createDivision(finance, by: officer, logger: testLogger)
            try await repositories.assessments.setResult(assessment, key: "eit2", to: StoredResult(key: "eit2", score: Fixtures.decimal("81.73"), source: .published), by: officer, logger: testLogger)
            try await repositories.assessments.setResult(assessment, key: "eit2", to: StoredResult(key: "eit2", score: Fixtures.decimal("81.725"), source: .published), by: officer, logger: testLogger)
            try await repositories.assessments.setResult(assessment, key: "iit", to: StoredResult(key: "iit", score: Fixtures.decimal("97.82"), source: .published), by: officer, logger: testLogger)
            var results = try await repositories.assessments.results(assessmentID: assessment.id, logger: testLogger)
            #expect(results == [StoredResult(key: "eit2", score: Fixtures.decimal("81.725"), source: .published),
                                StoredResult(key: "iit", score: Fixtures.decimal("97.82"), source: .published)])
            try await repositories.assessments.setResult(assessment, key: "iit", to: nil, by: officer, logger: testLogger)
            results = try await repositories.assessments.results(assessmentID: assessment.id, logger: testLogger)
            #expect(results.map(\.key) == ["eit2"])

            try await repositories.assessments.setItem(assessment, OITItemResult(itemID: "O13", passed: false, progress: .inProgress, note: "ยังขาดปัญหาอุปสรรค", divisionIDs: [palad.id, finance.id]), by: officer, logger: testLogger)
            try await repositories.assessments.setItem(assessment, OITItemResult(itemID: "O1", passed: nil), by: officer, logger: testLogger)
            try await repositories.assessments.setItem(assessment, OITItemResult(itemID: "O13", passed: true, progress: .done, note: "แก้ไขแล้ว", divisionIDs: [palad.id]), by: officer, logger: testLogger)
            let items = try await repositories.assessments.items(assessmentID: assessment.id, logger: testLogger).sorted { $0.itemID < $1.itemID }
            #expect(items.count == 2)
            #expect(items[0] == OITItemResult(itemID: "O1", passed: nil))
            #expect(items[1] == OITItemResult(itemID: "O13", passed: true, progress: .done, note: "แก้ไขแล้ว", divisionIDs: [palad.id]))

            let audit = try await repositories.audit.entries(agencyID: agency.id, limit: 100, logger: testLogger)
            let itemChange = try #require(audit.first { $0.action == "set-item" && $0.detail.contains("\"after\":{\"passed\":true") })
            #expect(itemChange.actor == "officer-test")
            #expect(itemChange.detail.contains("\"before\":{\"passed\":false,\"progress\":\"in-progress\"}"))
            let resultChange = try #require(audit.first { $0.action == "set-result" && $0.detail.contains("81.725") })
            #expect(resultChange.detail.contains("\"before\":\"81.73\""))
            #expect(audit.contains { $0.action == "clear-result" })
            // agency + assessment, 2 divisions, 4 result writes, 3 item writes: every write is in the audit log.
            let writes = 11
            #expect(audit.count == writes)
        }
    }

    @Test("a failed transaction leaves nothing behind", arguments: TestEngine.available)
    func rollback(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let (_, assessment) = try await seed(repositories)
            // An item for an assessment that does not exist violates the foreign key: neither row nor audit entry is kept.
            var ghost = assessment
            ghost.id = "no-such-assessment"
            let before = try await repositories.audit.entries(agencyID: nil, limit: 100, logger: testLogger).count
            await #expect(throws: (any Error).self) {
                try await repositories.assessments.setItem(ghost, OITItemResult(itemID: "O1", passed: true), by: officer, logger: testLogger)
            }
            #expect(try await repositories.audit.entries(agencyID: nil, limit: 100, logger: testLogger).count == before)
        }
    }
}
