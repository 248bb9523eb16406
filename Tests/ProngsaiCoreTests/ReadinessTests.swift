import Foundation
import ProngsaiCore
import Testing
import TestSupport

@Suite("OIT readiness")
struct ReadinessTests {
    let ita = try! Fixtures.framework()
    let today = CivilDate(iso: "2023-03-15")!

    func revision(_ item: String, components: [Int], links: [String] = ["https://x.go.th/a"]) -> EvidenceRevision {
        EvidenceRevision(itemID: item, revision: 1, createdAt: "", createdBy: "", explanation: "", components: components, links: links, files: [])
    }

    @Test("judged items keep their result; others pass only with evidence for every component")
    func projection() {
        let o1 = ita.checklistTools[0].checklist.item("O1")!
        let readiness = Readiness.compute(
            framework: ita, items: [OITItemResult(itemID: "O3", passed: false)],
            revisions: [revision("O1", components: Array(o1.components.indices)), revision("O2", components: [0]), revision("O4", components: [0, 1, 2], links: [])],
            reviews: [ItemReview(itemID: "O5", status: .submitted)],
            assignments: [ItemAssignment(itemID: "O2", divisionID: nil, assigneeID: nil, dueOn: CivilDate(iso: "2023-03-20")),
                          ItemAssignment(itemID: "O5", divisionID: nil, assigneeID: nil, dueOn: CivilDate(iso: "2023-03-01")),
                          ItemAssignment(itemID: "O6", divisionID: nil, assigneeID: nil, dueOn: CivilDate(iso: "2023-03-01"))],
            today: today)
        #expect(readiness.projectedItems["O1"] == true)
        #expect(readiness.projectedItems["O2"] == false, "one component of two")
        #expect(readiness.projectedItems["O3"] == false, "the judged result stands")
        #expect(readiness.projectedItems["O4"] == false, "ticks without any link or file are no evidence")
        let nine1 = readiness.subindicators[0]
        #expect((nine1.id, nine1.items, nine1.withEvidence, nine1.complete) == ("9.1", 10, 2, 1))
        let risks = Dictionary(uniqueKeysWithValues: readiness.atRisk.map { ($0.id, $0.risks) })
        #expect(risks["O2"] == [.dueSoon(CivilDate(iso: "2023-03-20")!), .missingComponents(1)])
        #expect(risks["O5"] == [.noEvidence], "already handed in, so the due date is no longer a risk")
        #expect(risks["O6"] == [.overdue(CivilDate(iso: "2023-03-01")!), .noEvidence])
        #expect(risks["O1"] == nil)
        #expect(risks["O3"] == [.noEvidence], "a recorded result does not hide missing evidence")
        #expect((readiness.fromResults, readiness.fromEvidence, readiness.completeEvidence) == (1, 42, 1), "the projection's basis")
        let passing = readiness.projectedItems.filter(\.value).count
        #expect(passing == 1)

        // The projection: only O1 would pass, so 9.1 = 10 and the rest 0; OIT = mean(mean(10, 0, 0, 0, 0), 0) = 1.
        let parts = AssessmentScoring.gather(framework: ita, results: [StoredResult(key: "iit", score: 90, source: .published), StoredResult(key: "eit1", score: 90, source: .published),
                                                                       StoredResult(key: "eit2", score: 90, source: .published)], items: [])
        let projection = readiness.projection(framework: ita, gathered: parts)
        #expect(projection.oit == 1)
        #expect(projection.result?.score.displayString == "54.40", "0.3 × 90 + 0.3 × 90 + 0.4 × 1")
        let noSurveys = readiness.projection(framework: ita, gathered: AssessmentScoring.gather(framework: ita, results: [], items: []))
        #expect(noSurveys.oit == 1 && noSurveys.result == nil, "no ITA while the surveys are missing")
    }
}
