import Foundation
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import SQLKit
import Testing
import TestSupport

actor Acknowledged {
    var count = 0
    func add() { count += 1 }
}

@Suite("backup and restore", .serialized)
struct BackupTests {
    static func answers() throws -> SurveyResponse {
        let survey = try #require(try Fixtures.framework().surveyTool(forPart: "eit1")).survey
        return SurveyResponse(Dictionary(uniqueKeysWithValues: survey.questions.map { ($0.id, $0.scale == "yes-no" ? Answer.yesNo(false) : .level(4)) }))
    }

    static func answerCount(_ database: Database) async throws -> Int {
        let pending = try await database.sql.raw("SELECT COUNT(*) AS n FROM survey_pending").first()?.decode(column: "n", as: Int.self) ?? 0
        let released = try await database.sql.raw("SELECT COUNT(*) AS n FROM survey_responses").first()?.decode(column: "n", as: Int.self) ?? 0
        return pending + released
    }

    @Test("a backup taken during a survey load restores into a fresh database with every answer acknowledged before it, and the files",
          arguments: TestEngine.available)
    func duringLoad(engine: TestEngine) async throws {
        try await withTemporaryDirectory { dir in
            try await withTestDatabase(engine) { database in
                let folder = engine == .sqlite ? dir.appendingPathComponent("files").path : nil
                let repositories = Repositories(database: database, filesFolder: folder)
                let world = try await SeededWorld.seed(repositories, catalog: try FrameworkCatalog.builtin())
                let base = try await Self.answerCount(database)
                try await repositories.surveys.saveWindow(
                    SurveyWindow(assessmentID: world.assessment.id, partID: "eit1", publicCode: "bkp001", opensOn: CivilDate(iso: "2023-01-01")!,
                                 closesOn: CivilDate(iso: "2023-12-31")!, requiresCode: false, population: nil),
                    assessment: world.assessment, by: .system, logger: testLogger)
                let pdf = Array("%PDF-1.4 evidence for the backup test".utf8)
                let revision = try await repositories.evidenceStore.addRevision(assessment: world.assessment, itemID: "O1", explanation: "", components: [], links: [],
                                                                                files: [(name: "plan.pdf", kind: .pdf, bytes: pdf)], by: .system, logger: testLogger)
                let sha = try #require(revision.files.first?.sha256)
                let response = try Self.answers()
                let acknowledged = Acknowledged()
                let path = dir.appendingPathComponent("backup.bin").path
                let load = Task {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for writer in 0..<4 {
                            group.addTask {
                                for index in 0..<40 {
                                    let outcome = try await repositories.surveys.submit(assessmentID: world.assessment.id, partID: "eit1", submissionID: "w\(writer)-\(index)",
                                                                                        code: nil, response: response, logger: testLogger)
                                    if outcome == .recorded { await acknowledged.add() }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                while await acknowledged.count < 30 { try await Task.sleep(for: .milliseconds(2)) }
                let before = await acknowledged.count
                let summary = try await Backup.make(database, filesFolder: folder, to: path)
                try await load.value
                let total = await acknowledged.count
                #expect(total == 160)
                #expect(summary.engine == (engine == .sqlite ? "sqlite" : "postgres"))

                // Restore into a fresh database.
                let target: DatabaseLocation
                var cleanup: (@Sendable () async throws -> Void)?
                switch database.location {
                case .sqlite:
                    target = .sqlite(path: dir.appendingPathComponent("restored/restored.sqlite").path)
                case .postgres(let url, let schema):
                    let name = "r_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
                    try await database.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
                    var components = try #require(URLComponents(string: url))
                    components.path = "/" + name
                    target = .postgres(url: try #require(components.string), searchPath: schema)
                    cleanup = { try await database.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
                }
                let restoredFolder = engine == .sqlite ? dir.appendingPathComponent("restored/files").path : nil
                let restoredSummary = try await Backup.restore(from: path, into: target, filesFolder: restoredFolder, force: false, logger: testLogger)
                #expect(restoredSummary.files == (engine == .sqlite ? 1 : 0))
                let restored = try Database.open(target, logger: testLogger)
                do {
                    let count = try await Self.answerCount(restored) - base
                    #expect(count >= before, "every answer acknowledged before the backup began is in it (\(count) of \(before))")
                    #expect(count <= total)
                    let again = Repositories(database: restored, filesFolder: restoredFolder)
                    #expect(try await again.evidenceStore.file(sha256: sha, logger: testLogger)?.bytes == pdf)
                    #expect(try await again.agencies.find(code: "banpong", logger: testLogger) != nil)
                    try await restored.shutdown()
                } catch {
                    try? await restored.shutdown()
                    throw error
                }
                // A target holding data is refused without --force, and replaced with it.
                await #expect(throws: Backup.Failure.self) {
                    _ = try await Backup.restore(from: path, into: target, filesFolder: restoredFolder, force: false, logger: testLogger)
                }
                _ = try await Backup.restore(from: path, into: target, filesFolder: restoredFolder, force: true, logger: testLogger)
                // The wrong kind of backup for the engine is refused with a clear message.
                let wrong: DatabaseLocation = engine == .sqlite ? .postgres(url: "postgres://127.0.0.1:1/none") : .sqlite(path: dir.appendingPathComponent("x.sqlite").path)
                await #expect(throws: Backup.Failure.self) {
                    _ = try await Backup.restore(from: path, into: wrong, filesFolder: nil, force: true, logger: testLogger)
                }
                try await cleanup?()
            }
        }
    }
}
