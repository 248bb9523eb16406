import Foundation
import ProngsaiCore
import ProngsaiStore

/// A round whose agencies are scored every way the product knows: published part scores, survey answers
/// released through the survey path (counted tallies), OIT items judged one by one, published item results
/// over them, incomplete agencies, and last year's assessments for the change from year to year.
public enum RoundFixture {
    /// Creates `count` agencies (codes `r01`…) in `ministries`, a round of FY2566 under ita-2566 holding them,
    /// and their varied results. Returns the round.
    public static func make(_ repositories: Repositories, count: Int, ministries: [String] = ["มหาดไทย", "ศึกษาธิการ", ""],
                            codePrefix: String = "r") async throws -> AssessmentRound {
        let framework = try require(try BuiltinFrameworks.all().first { $0.id == "ita-2566" })
        let round = AssessmentRound(fiscalYear: 2566, frameworkID: framework.id, title: "ITA 2566 รอบทดสอบ")
        try await repositories.rounds.create(round, by: .system, logger: testLogger)
        var generator = SystemRandomNumberGenerator()
        let items = framework.checklistTools.flatMap { $0.checklist.items.map(\.id) }
        var codes: [String] = []
        for n in 1...count {
            let code = codePrefix + NumberText.padded(n, width: 2)
            codes.append(code)
            let agency = Agency(code: code, name: .init(th: "หน่วยงาน \(n)", en: "Agency \(n)"), shortName: .init(th: "\(n)", en: "\(n)"),
                                type: ["อบต.", "เทศบาลตำบล", "กรม"][n % 3], province: ["เชียงราย", "ราชบุรี"][n % 2], district: "",
                                ministry: ministries[n % ministries.count])
            try await repositories.agencies.create(agency, by: .system, logger: testLogger)
            if n % 4 == 0 {
                let before = Assessment(agencyID: agency.id, frameworkID: framework.id, fiscalYear: 2565)
                try await repositories.assessments.create(before, by: .system, logger: testLogger)
                for key in ["iit", "eit1", "eit2", "oit"] {
                    let score = Decimal(Int.random(in: 6_000...10_000, using: &generator)) / 100
                    try await repositories.assessments.setResult(before, key: key, to: StoredResult(key: key, score: score, source: .published), by: .system, logger: testLogger)
                }
            }
        }
        try await repositories.rounds.add(codes: codes, to: round, by: .system, logger: testLogger)
        for (index, code) in codes.enumerated() {
            let n = index + 1
            let agency = try require(try await repositories.agencies.find(code: code, logger: testLogger))
            let assessment = try require(try await repositories.assessments.find(agencyID: agency.id, fiscalYear: 2566, logger: testLogger))
            // The last agency has nothing yet (incomplete).
            if n == count { continue }
            // IIT from answers released through the survey path; EIT published.
            let iit = framework.surveyTool(forPart: "iit")!.survey.questions
            let responses = (0..<Int.random(in: 8...20, using: &generator)).map { _ in
                SurveyResponse(Dictionary(uniqueKeysWithValues: iit.compactMap { question -> (String, Answer)? in
                    if Int.random(in: 0..<10, using: &generator) == 0 { return nil }  // unanswered
                    switch framework.scales[question.scale] {
                    case .yesNo?: return (question.id, .yesNo(Bool.random(using: &generator)))
                    case .ordinal(let points, _)?: return (question.id, .level(Int.random(in: 1...points.count, using: &generator)))
                    case nil: return nil
                    }
                }))
            }
            try await repositories.surveys.importResponses(responses, assessment: assessment, partID: "iit", by: .system, logger: testLogger)
            let pending = try await repositories.surveys.pending(logger: testLogger).filter { $0.assessmentID == assessment.id }
            _ = try await repositories.surveys.release(ids: pending.map(\.id), assessmentID: assessment.id, partID: "iit", minimum: 1,
                                                       on: CivilDate(year: 2023, month: 3, day: 1)!, seed: nil, logger: testLogger)
            for key in ["eit1", "eit2"] {
                let score = Decimal(Int.random(in: 7_000...10_000, using: &generator)) / 100
                try await repositories.assessments.setResult(assessment, key: key, to: StoredResult(key: key, score: score, source: .published), by: .system, logger: testLogger)
            }
            if n % 3 == 0 {
                // OIT as a published score.
                let score = Decimal(Int.random(in: 8_000...10_000, using: &generator)) / 100
                try await repositories.assessments.setResult(assessment, key: "oit", to: StoredResult(key: "oit", score: score, source: .published), by: .system, logger: testLogger)
            } else {
                // OIT item by item, mostly passing; one agency leaves an item unjudged (incomplete).
                for item in items where !(n == 2 && item == items.last) {
                    let passed = Int.random(in: 0..<10, using: &generator) > 0
                    try await repositories.assessments.setItem(assessment, OITItemResult(itemID: item, passed: passed), by: .system, logger: testLogger)
                }
                if n % 3 == 1 {
                    try await repositories.assessments.recordPublished([PublishedItemResult(itemID: items[0], passed: false, reason: "ไม่พบข้อมูล", source: .url("https://example.go.th/o1"))],
                                                                       assessment: assessment, by: .system, logger: testLogger)
                }
            }
        }
        return round
    }
}

private struct Missing: Error {}

private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw Missing() }
    return value
}
