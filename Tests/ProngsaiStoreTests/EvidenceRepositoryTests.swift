import Foundation
import ProngsaiCore
import ProngsaiStore
import Testing
import TestSupport

@Suite("OIT evidence storage on SQLite and PostgreSQL")
struct EvidenceRepositoryTests {
    let actor = AuditActor(userID: nil, name: "palad")
    let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)

    @Test("revisions are added, never replaced; files are stored once by SHA-256", arguments: TestEngine.available)
    func revisions(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            try await withTemporaryDirectory { folder in
                // On SQLite the bytes go to a folder; on PostgreSQL into the database.
                let repositories = Repositories(database: database, filesFolder: engine == .sqlite ? folder.path : nil)
                let agency = Agency(code: "a", name: .init(th: "ก", en: "A"), shortName: .init(th: "", en: ""), type: "", province: "", district: "")
                try await repositories.agencies.create(agency, by: actor, logger: testLogger)
                let division = Division(agencyID: agency.id, code: "palad", name: .init(th: "สำนักปลัด", en: "Palad"))
                try await repositories.agencies.createDivision(division, by: actor, logger: testLogger)
                let assessment = Assessment(agencyID: agency.id, frameworkID: "ita-2566", fiscalYear: 2566)
                try await repositories.assessments.create(assessment, by: actor, logger: testLogger)
                let assignment = ItemAssignment(itemID: "O13", divisionID: division.id, assigneeID: nil, dueOn: CivilDate(iso: "2023-04-30"))
                try await repositories.evidence.assign(assignment, assessment: assessment, by: actor, logger: testLogger)
                #expect(try await repositories.evidence.assignments(assessmentID: assessment.id, logger: testLogger) == [assignment])

                let first = try await repositories.evidence.addRevision(assessment: assessment, itemID: "O13", explanation: "รายงานประจำปี 2565",
                    components: [0, 1], links: ["https://www.tambonbanpong.go.th/report"], keep: [], files: [("report.pdf", .pdf, pdf)], by: actor, logger: testLogger)
                let second = try await repositories.evidence.addRevision(assessment: assessment, itemID: "O13", explanation: "เพิ่มปัญหาอุปสรรค",
                    components: [3, 0, 1, 2], links: [], keep: first.files, files: [("same-bytes.pdf", .pdf, pdf)], by: actor, logger: testLogger)
                #expect(first.revision == 1 && second.revision == 2)
                let stored = try await repositories.evidence.revisions(assessmentID: assessment.id, itemID: "O13", logger: testLogger)
                #expect(stored.map(\.revision) == [1, 2])
                #expect(stored[0].links == ["https://www.tambonbanpong.go.th/report"])
                #expect(stored[1].components == [0, 1, 2, 3])
                #expect(stored[1].files.map(\.name) == ["report.pdf", "same-bytes.pdf"], "the kept file and the new one")
                #expect(stored[0].files[0].sha256 == stored[1].files[1].sha256, "same bytes, one blob")
                #expect(stored[0].files[0].sha256 == "a580a4a92ef8d5c28ba07d43410bd8bdd0ea470461593dc7e5fbb354174098b9", "SHA-256 of the bytes, as sha256sum gives it")
                #expect(stored[0].files[0].size == pdf.count)
                let file = try #require(try await repositories.evidence.file(sha256: stored[0].files[0].sha256, logger: testLogger))
                #expect(file.bytes == pdf)
                #expect(file.contentType == "application/pdf")
                #expect(try await repositories.evidence.file(sha256: "../../etc/passwd", logger: testLogger) == nil)
                if engine == .sqlite {
                    let sha = stored[0].files[0].sha256
                    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(String(sha.prefix(2))).appendingPathComponent(sha).path))
                }
            }
        }
    }
}
