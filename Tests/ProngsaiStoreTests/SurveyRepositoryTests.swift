import Foundation
import ProngsaiCore
import ProngsaiStore
import SQLKit
import Testing
import TestSupport

@Suite("survey storage on SQLite and PostgreSQL")
struct SurveyRepositoryTests {
    let actor = Actor(userID: nil, name: "officer-test")
    let day = CivilDate(iso: "2023-03-15")!

    func seed(_ repositories: Repositories) async throws -> Assessment {
        let agency = Agency(code: "a1", name: .init(th: "หน่วยงานทดสอบ", en: "Test"), shortName: .init(th: "", en: ""), type: "อบต.", province: "", district: "")
        try await repositories.agencies.create(agency, by: actor, logger: testLogger)
        let assessment = Assessment(agencyID: agency.id, frameworkID: "ita-2566", fiscalYear: 2566)
        try await repositories.assessments.create(assessment, by: actor, logger: testLogger)
        return assessment
    }

    @Test("codes are spent once; retries are recorded once; nothing links a code or receipt to an answer", arguments: TestEngine.available)
    func submit(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let assessment = try await seed(repositories)
            let window = SurveyWindow(assessmentID: assessment.id, partID: "iit", publicCode: "abc234", opensOn: CivilDate(iso: "2023-01-01")!,
                                      closesOn: CivilDate(iso: "2023-06-30")!, requiresCode: true, population: 57)
            try await repositories.surveys.saveWindow(window, assessment: assessment, by: actor, logger: testLogger)
            #expect(try await repositories.surveys.window(publicCode: "abc234", logger: testLogger) == window)
            let codes = try await repositories.surveys.generateCodes(assessment: assessment, partID: "iit", count: 40, by: actor, logger: testLogger)
            #expect(Set(codes).count == 40)
            #expect(codes.allSatisfy { OneTimeCode.normalize($0) == $0 })
            let answer = SurveyResponse(["i1a": .level(4), "i4": .yesNo(false)])
            func submit(_ id: String, _ code: String?) async throws -> SubmitOutcome {
                try await repositories.surveys.submit(assessmentID: assessment.id, partID: "iit", submissionID: id, code: code, response: answer, on: day, logger: testLogger)
            }
            #expect(try await submit("s1", codes[0]) == .recorded)
            #expect(try await submit("s1", codes[0]) == .duplicate, "a retried form")
            #expect(try await submit("s2", codes[0]) == .codeSpent)
            #expect(try await submit("s3", "ZZZZ-ZZZZ") == .codeUnknown)
            #expect(try await submit("s3", codes[1]) == .recorded, "a refused code leaves the receipt unused")
            let stored = try await repositories.surveys.responses(assessmentID: assessment.id, partID: "iit", logger: testLogger)
            #expect(stored.count == 2)
            #expect(stored[0] == StoredResponse(partID: "iit", submittedOn: day, response: answer))
            let spent = try await repositories.surveys.codes(assessmentID: assessment.id, partID: "iit", logger: testLogger).filter(\.spent).map(\.code)
            #expect(Set(spent) == [codes[0], codes[1]])
            let daily = try await repositories.surveys.dailyCounts(assessmentID: assessment.id, logger: testLogger)
            #expect(daily["iit"]?.map(\.count) == [2])

            // The schema itself holds nothing that could identify a respondent.
            let columns = try await database.sql.select().column("*").from("survey_responses").first()?.allColumns.sorted()
            #expect(columns == ["answers", "assessment_id", "id", "part_id", "submitted_on"])
            let codeColumns = try await database.sql.select().column("*").from("survey_codes").first()?.allColumns.sorted()
            #expect(codeColumns == ["assessment_id", "code", "part_id", "spent"])
            let row = try #require(try await database.sql.select().column("*").from("survey_responses").first())
            #expect(try row.decode(column: "submitted_on", as: String.self) == "2023-03-15", "the date only, no time")
        }
    }

    @Test("EIT part 2 entries land together or not at all", arguments: TestEngine.available)
    func importAll(engine: TestEngine) async throws {
        try await withTestDatabase(engine) { database in
            let repositories = Repositories(database: database)
            let assessment = try await seed(repositories)
            let responses = (1...3).map { SurveyResponse(["e1": .level($0)]) }
            try await repositories.surveys.importResponses(responses, assessment: assessment, partID: "eit2", on: day, by: actor, logger: testLogger)
            #expect(try await repositories.surveys.responses(assessmentID: assessment.id, partID: "eit2", logger: testLogger).count == 3)
            var ghost = assessment
            ghost.id = "missing"
            await #expect(throws: (any Error).self) {
                try await repositories.surveys.importResponses(responses, assessment: ghost, partID: "eit2", on: day, by: actor, logger: testLogger)
            }
            #expect(try await repositories.surveys.responses(assessmentID: assessment.id, partID: nil, logger: testLogger).count == 3)
        }
    }
}
