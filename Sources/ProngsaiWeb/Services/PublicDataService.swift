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
        var ranking: [RoundStatistics.Ranked]
    }

    /// The round's results with agency names in `language`; nil when there is no such round.
    func roundResults(id: String, language: Language, logger: Logger) async throws -> RoundResults? {
        guard let round = try await repositories.rounds.find(id: id, logger: logger) else { return nil }
        let framework = try await catalog.framework(round.frameworkID)
        let entries = try await entries(round, language: language, logger: logger)
        return RoundResults(
            round: round, framework: framework, nation: RoundStatistics.summary(entries, levels: framework.levels),
            byType: RoundStatistics.groups(entries, levels: framework.levels) { $0.type },
            byProvince: RoundStatistics.groups(entries, levels: framework.levels) { $0.province },
            ranking: RoundStatistics.ranking(entries))
    }

    /// Every agency of the round with its ITA score and level (nil while incomplete).
    func entries(_ round: AssessmentRound, language: Language, logger: Logger) async throws -> [RoundEntry] {
        let service = AssessmentService(repositories: repositories, catalog: catalog)
        let ids = Set(try await repositories.rounds.agencyIDs(roundID: round.id, logger: logger))
        let agencies = try await repositories.agencies.all(logger: logger).filter { ids.contains($0.id) }.sorted { $0.code < $1.code }
        var out: [RoundEntry] = []
        for agency in agencies {
            guard let assessment = try await repositories.assessments.find(agencyID: agency.id, fiscalYear: round.fiscalYear, logger: logger) else { continue }
            let figures = try await service.figures(of: assessment, logger: logger).figures
            // Year over year: the agency's own score the fiscal year before, whichever framework it used.
            let before = try await repositories.assessments.find(agencyID: agency.id, fiscalYear: round.fiscalYear - 1, logger: logger)
            var previous: Decimal?
            if let before { previous = try await service.figures(of: before, logger: logger).figures.score }
            out.append(RoundEntry(code: agency.code, name: agency.name.text(language), type: agency.type, province: agency.province,
                                  score: figures.score, level: figures.level, previous: previous))
        }
        return out
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
