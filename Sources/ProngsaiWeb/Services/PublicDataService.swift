import Foundation
import Logging
import ProngsaiCore
import ProngsaiStore

/// What the public pages and the open API both publish, computed once: a round's results, an agency's
/// transparency page for a year, and its complaint statistics (O29). The pages render it as HTML, CSV or
/// JSON; the API maps it to the types of `openapi.yaml`.
struct PublicDataService: Sendable {
    let repositories: Repositories
    let catalog: FrameworkCatalog

    // MARK: A round's results

    /// A round's results: every figure of the public results page.
    struct RoundResults: Sendable {
        var round: AssessmentRound
        var framework: Framework
        var nation: RoundStatistics.Summary
        var byType: [(name: String, summary: RoundStatistics.Summary)]
        var byProvince: [(name: String, summary: RoundStatistics.Summary)]
        /// Empty when no agency of the round names its ministry.
        var byMinistry: [(name: String, summary: RoundStatistics.Summary)]
        var ranking: [RoundStatistics.Ranked]
        /// When the stored figures were computed (nil: computed for this request).
        var computedAt: String?
    }

    /// The round's results with agency names in `language`; nil when there is no such round.
    func roundResults(id: String, language: Language, logger: Logger) async throws -> RoundResults? {
        guard let round = try await repositories.rounds.find(id: id, logger: logger) else { return nil }
        let framework = try await catalog.framework(round.frameworkID)
        let (entries, computedAt) = try await entries(round, framework: framework, language: language, logger: logger)
        let byMinistry = entries.contains { !$0.ministry.isEmpty }
            ? RoundStatistics.groups(entries, levels: framework.levels) { $0.ministry.isEmpty ? (language == .th ? "ไม่ระบุ" : "Not given") : $0.ministry } : []
        return RoundResults(
            round: round, framework: framework, nation: RoundStatistics.summary(entries, levels: framework.levels),
            byType: RoundStatistics.groups(entries, levels: framework.levels) { $0.type },
            byProvince: RoundStatistics.groups(entries, levels: framework.levels) { $0.province },
            byMinistry: byMinistry, ranking: RoundStatistics.ranking(entries), computedAt: computedAt)
    }

    /// Every agency of the round with its ITA score and level (nil while incomplete), and when the figures
    /// were computed: the figures the national recompute stored, or for a round never recomputed, computed
    /// now the same way (a page view stores nothing).
    func entries(_ round: AssessmentRound, framework: Framework, language: Language, logger: Logger) async throws -> (entries: [RoundEntry], computedAt: String?) {
        let stored = try await repositories.roundScores.scores(roundID: round.id, logger: logger)
        var scores = stored.scores
        if stored.computedAt == nil {
            let computed = try await RoundRescore(repositories: repositories, catalog: catalog).compute(round, logger: logger).scores
            scores = Dictionary(computed.map { ($0.agencyID, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let levels = Dictionary(framework.levels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let agencies = try await repositories.rounds.agencies(roundID: round.id, logger: logger)
        let entries = agencies.map { agency in
            let score = scores[agency.id]
            var entry = RoundEntry(code: agency.code, name: agency.name.text(language), type: agency.type, province: agency.province,
                                   score: score?.score, level: score?.levelID.flatMap { levels[$0] }, previous: score?.previous, ministry: agency.ministry)
            entry.figures = score?.figures ?? [:]
            return entry
        }
        return (entries, stored.computedAt)
    }

    // MARK: An agency's transparency page

    /// What the public sees of an agency's year.
    struct Transparency: Sendable {
        var agency: Agency
        var assessment: Assessment
        var framework: Framework
        /// Per item, the revision the officer approved last, without withdrawn files: all the public sees.
        var published: [String: EvidenceRevision]
        var windows: [SurveyWindow]
        /// The year's integrity measures with their roll-ups (O42/O43 are public by nature).
        var measures: [(Measure, MeasureRollup)]
        /// The year's complaint statistics (O29), counted from the cases.
        var complaints: ComplaintStatistics

        /// The public EIT survey's window, when one is open for a public link.
        var eitWindow: SurveyWindow? {
            windows.first { window in framework.surveyTool(forPart: window.partID).map { $0.survey.collection(of: window.partID) == .publicLink } ?? false }
        }
    }

    /// The agency's year as the public sees it; nil when there is no such agency or year.
    func transparency(agencyCode code: String, year: Int, today: CivilDate, logger: Logger) async throws -> Transparency? {
        guard let agency = try await repositories.agencies.find(code: code, logger: logger),
              let assessment = try await repositories.assessments.find(agencyID: agency.id, fiscalYear: year, logger: logger)
        else { return nil }
        let measures = try await repositories.improvement.measures(assessmentID: assessment.id, logger: logger)
        let updates = try await repositories.improvement.updates(assessmentID: assessment.id, logger: logger)
        return Transparency(
            agency: agency, assessment: assessment, framework: try await catalog.framework(assessment.frameworkID),
            published: PublicEvidence.select(
                revisions: try await repositories.evidence.revisions(assessmentID: assessment.id, itemID: nil, logger: logger),
                published: try await repositories.evidenceStore.publishedRevisions(assessmentID: assessment.id, logger: logger),
                withdrawn: try await repositories.evidenceStore.withdrawnFiles(assessmentID: assessment.id, logger: logger)),
            windows: try await repositories.surveys.windows(assessmentID: assessment.id, logger: logger),
            measures: measures.filter { $0.status != .cancelled }.map { ($0, MeasureRollup.of($0, updates: updates, today: today)) },
            complaints: ComplaintStatistics.compute(try await ComplaintRepository.records(in: repositories.database, agencyID: agency.id, logger: logger),
                                                    fiscalYear: FiscalYear(assessment.fiscalYear)))
    }

    // MARK: Complaint statistics (O29)

    /// The agency's complaint statistics for a fiscal year, small figures covered as published; nil when
    /// there is no such agency.
    static func complaintStatistics(in repositories: Repositories, agencyCode code: String, year: Int, logger: Logger) async throws -> (Agency, ComplaintStatistics)? {
        guard let agency = try await repositories.agencies.find(code: code, logger: logger) else { return nil }
        let records = try await ComplaintRepository.records(in: repositories.database, agencyID: agency.id, logger: logger)
        return (agency, ComplaintStatistics.compute(records, fiscalYear: FiscalYear(year)))
    }
}
