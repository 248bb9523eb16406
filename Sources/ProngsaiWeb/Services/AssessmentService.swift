import Foundation
import Logging
import ProngsaiCore
import ProngsaiStore

/// One agency's assessments as the use cases need them, without a request: a page loads one after its
/// access check, a background job on any node loads one by id.
struct AssessmentService: Sendable {
    let repositories: Repositories
    let catalog: FrameworkCatalog

    /// Everything about one assessment the pages and documents read: answers only counted (`tallies`), never
    /// listed. Pages that show no survey figure (an item's page, my items, evidence, documents) pass
    /// `responses: false` and read no survey table at all.
    func load(agency: Agency, assessment: Assessment, responses withResponses: Bool = true, logger: Logger) async throws -> AssessmentController.Loaded {
        let framework = try await catalog.framework(assessment.frameworkID)
        let judged = try await repositories.assessments.items(assessmentID: assessment.id, logger: logger)
        let published = try await repositories.assessments.publishedItems(assessmentID: assessment.id, logger: logger)
        return AssessmentController.Loaded(
            agency: agency, assessment: assessment, framework: framework,
            results: try await repositories.assessments.results(assessmentID: assessment.id, logger: logger),
            items: ItemResults.effective(judged: judged, published: published), judged: judged, published: published,
            divisions: try await repositories.agencies.divisions(agencyID: agency.id, logger: logger),
            tallies: withResponses ? try await repositories.surveys.tallies(assessmentID: assessment.id, logger: logger) : [:],
            figuresCache: catalog.figures)
    }

    /// The same by the assessment's id (nil when it or its agency is gone).
    func load(assessmentID: String, responses: Bool = true, logger: Logger) async throws -> AssessmentController.Loaded? {
        guard let assessment = try await repositories.assessments.find(id: assessmentID, logger: logger),
              let agency = try await repositories.agencies.find(id: assessment.agencyID, logger: logger)
        else { return nil }
        return try await load(agency: agency, assessment: assessment, responses: responses, logger: logger)
    }

    /// One assessment's figures, decided in Core, with its year.
    func figures(of assessment: Assessment, logger: Logger) async throws -> ImprovementController.YearFigures {
        let framework = try await catalog.framework(assessment.frameworkID)
        let results = try await repositories.assessments.results(assessmentID: assessment.id, logger: logger)
        let items = ItemResults.effective(judged: try await repositories.assessments.items(assessmentID: assessment.id, logger: logger),
                                          published: try await repositories.assessments.publishedItems(assessmentID: assessment.id, logger: logger))
        return ImprovementController.YearFigures(
            year: assessment.fiscalYear,
            figures: catalog.figures.figures(framework: framework, results: results, items: items,
                                               tallies: try await repositories.surveys.tallies(assessmentID: assessment.id, logger: logger)))
    }

    /// Every assessment of the agency with its figures, oldest first.
    func history(agencyID: String, logger: Logger) async throws -> [ImprovementController.YearFigures] {
        var out: [ImprovementController.YearFigures] = []
        for assessment in try await repositories.assessments.all(agencyID: agencyID, logger: logger).sorted(by: { $0.fiscalYear < $1.fiscalYear }) {
            out.append(try await figures(of: assessment, logger: logger))
        }
        return out
    }

    /// Saves the published scores that changed (each with its audit entry); an emptied field (`.some(nil)`)
    /// removes its score. The published-scores page and the open API both write through here.
    func storePublished(_ parsed: [String: Decimal?], keys: [String], in assessment: Assessment, current results: [StoredResult],
                        by actor: AuditActor, logger: Logger) async throws {
        let current = Dictionary(results.map { ($0.key, $0.score) }, uniquingKeysWith: { a, _ in a })
        for key in keys {
            guard let value = parsed[key] else { continue }
            if value == current[key] { continue }
            try await repositories.assessments.setResult(
                assessment, key: key, to: value.map { StoredResult(key: key, score: $0, source: .published) },
                by: actor, logger: logger)
        }
    }
}
