import Foundation

/// How ready the agency's OIT answers are, and what the OIT would score if judged as they stand.
public struct Readiness: Sendable {
    public struct SubIndicatorProgress: Sendable {
        public var id: String
        public var name: LocalizedText
        public var items: Int
        public var withEvidence: Int
        public var complete: Int
        public var approved: Int
    }

    public enum Risk: Sendable, Hashable {
        case overdue(CivilDate)
        case dueSoon(CivilDate)
        case missingComponents(Int)
        case noEvidence
        case deadLink(String)
        case changedLink(String)
    }

    public struct ItemAtRisk: Sendable {
        public var id: String
        public var title: LocalizedText
        public var risks: [Risk]
    }

    public var subindicators: [SubIndicatorProgress]
    public var atRisk: [ItemAtRisk]
    /// Item by item: the judged result where there is one, else passing when evidence covers every component.
    public var projectedItems: [String: Bool]
    /// What the projection rests on: items with a recorded result (published or judged), and items
    /// projected from their evidence alone (of which `completeEvidence` pass).
    public var fromResults: Int = 0
    public var fromEvidence: Int = 0
    public var completeEvidence: Int = 0

    /// Items due within `soonDays` and not yet with the ITA officer count as at risk.
    public static func compute(framework: Framework, items: [OITItemResult], revisions: [EvidenceRevision], reviews: [ItemReview],
                               assignments: [ItemAssignment], snapshots: [EvidenceSnapshot] = [], today: CivilDate, soonDays: Int = 7) -> Readiness {
        let judged = Dictionary(items.compactMap { item in item.passed.map { (item.itemID, $0) } }, uniquingKeysWith: { a, _ in a })
        let latest = EvidenceRevision.latestByItem(revisions)
        let status = Dictionary(reviews.map { ($0.itemID, $0.status) }, uniquingKeysWith: { a, _ in a })
        let due = Dictionary(assignments.compactMap { a in a.dueOn.map { (a.itemID, $0) } }, uniquingKeysWith: { a, _ in a })
        let handedIn: Set<ItemStatus> = [.submitted, .approved, .sent, .judged, .clarification, .final]
        var progress: [SubIndicatorProgress] = []
        var risks: [ItemAtRisk] = []
        var projected: [String: Bool] = [:]
        var basis = (results: 0, evidence: 0, complete: 0)
        for (_, checklist) in framework.checklistTools {
            for sub in checklist.subindicators {
                var row = SubIndicatorProgress(id: sub.id, name: sub.name, items: sub.items.count, withEvidence: 0, complete: 0, approved: 0)
                for item in sub.items {
                    let revision = latest[item.id]
                    let coverage = EvidenceCoverage.of(item, latest: revision)
                    let hasEvidence = coverage.hasEvidence
                    let complete = coverage.complete
                    if hasEvidence { row.withEvidence += 1 }
                    if complete { row.complete += 1 }
                    if let s = status[item.id], [.approved, .sent, .judged, .clarification, .final].contains(s) { row.approved += 1 }
                    projected[item.id] = judged[item.id] ?? complete
                    if judged[item.id] != nil { basis.results += 1 } else { basis.evidence += 1; if complete { basis.complete += 1 } }
                    // Risks show whatever result is recorded: a published or judged result does not make the
                    // evidence on the public page any less missing or dead.
                    var found: [Risk] = []
                    if let date = due[item.id], !handedIn.contains(status[item.id] ?? .notStarted) {
                        if date < today { found.append(.overdue(date)) } else if date <= today.adding(days: soonDays) { found.append(.dueSoon(date)) }
                    }
                    if !hasEvidence {
                        found.append(.noEvidence)
                    } else if !complete {
                        found.append(.missingComponents(coverage.missingComponents.count))
                    }
                    for link in revision?.links ?? [] {
                        guard let snapshot = snapshots.first(where: { $0.itemID == item.id && $0.url == link }) else { continue }
                        if snapshot.dead { found.append(.deadLink(link)) } else if snapshot.changed { found.append(.changedLink(link)) }
                    }
                    if !found.isEmpty { risks.append(ItemAtRisk(id: item.id, title: item.title, risks: found)) }
                }
                progress.append(row)
            }
        }
        return Readiness(subindicators: progress, atRisk: risks, projectedItems: projected,
                         fromResults: basis.results, fromEvidence: basis.evidence, completeEvidence: basis.complete)
    }

    /// What the OIT, and the ITA where every other part is known, would score if the items were judged as
    /// they stand (`projectedItems`). Pages show this beside the real figures, labelled as a projection.
    public struct Projection: Sendable {
        public var oit: Decimal?
        public var result: ScoreResult?
    }

    public func projection(framework: Framework, gathered: AssessmentScoring.Gathered) -> Projection {
        var inputs = gathered.inputs
        for (tool, _) in framework.checklistTools { inputs.checklists[tool.id] = .items(projectedItems) }
        let partial = try? Scorer.partial(framework, inputs)
        let checklistIDs = Set(framework.checklistTools.map(\.tool.id))
        let othersKnown = gathered.missing.allSatisfy { checklistIDs.contains($0) }
        return Projection(oit: framework.checklistTools.first.flatMap { partial?.tools[$0.tool.id] },
                          result: othersKnown ? try? Scorer.score(framework, inputs) : nil)
    }
}
