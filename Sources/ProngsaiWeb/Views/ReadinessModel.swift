import Foundation
import ProngsaiCore
import ProngsaiReports

/// OIT readiness on the dashboard: progress per sub-indicator, items at risk, projected OIT and ITA.
struct ReadinessModel {
    struct Row {
        var id: String
        var name: String
        var items: Int
        var withEvidence: Int
        var complete: Int
        var approved: Int
        var percent: Int
    }

    struct RiskRow {
        var id: String
        var title: String
        var url: String
        var reasons: String
    }

    var rows: [Row]
    var risks: [RiskRow]
    var hasRisks: Bool
    /// Past the first ten, the items at risk sit behind "more".
    var moreRisks: [RiskRow] = []
    var moreRisksLabel: String?
    var projectedOIT: String
    var projectedITA: String
    var projectedLevel: String
    /// "ใช้ผลที่บันทึกแล้ว 43 ข้อ · ประเมินจากหลักฐาน 0 ข้อ (ครบ 0 ข้อ)": what the projection rests on.
    var projectionBasis: String

    static func make(_ loaded: AssessmentController.Loaded, figures: AssessmentFigures, readiness: Readiness, context: AppRequestContext) -> ReadinessModel {
        let language = context.language
        let th = language == .th
        func date(_ d: CivilDate) -> String { th ? ThaiFormat.shortDate(d) : ThaiFormat.englishDate(d) }
        let risks = readiness.atRisk.map { item in
            RiskRow(id: item.id, title: item.title.text(language),
                    url: SiteURL.itemPage(agency: loaded.agency.code, year: loaded.assessment.fiscalYear, item: item.id).path,
                    reasons: item.risks.map { risk in
                        switch risk {
                        case .overdue(let d): th ? "เลยกำหนดส่ง \(date(d))" : "overdue since \(date(d))"
                        case .dueSoon(let d): th ? "ใกล้กำหนดส่ง \(date(d))" : "due \(date(d))"
                        case .missingComponents(let n): th ? "ขาดองค์ประกอบ \(n) รายการ" : "\(n) components missing"
                        case .noEvidence: th ? "ยังไม่มีหลักฐาน" : "no evidence yet"
                        case .deadLink(let url): th ? "ลิงก์ใช้งานไม่ได้ \(url)" : "dead link \(url)"
                        case .changedLink(let url): th ? "เนื้อหาลิงก์เปลี่ยนไป \(url)" : "link content changed \(url)"
                        }
                    }.joined(separator: " · "))
        }
        let projection = figures.projection(readiness)
        let oit = projection.oit
        let full = projection.result
        return ReadinessModel(
            rows: readiness.subindicators.map { Row(id: $0.id, name: $0.name.text(language), items: $0.items, withEvidence: $0.withEvidence,
                                                    complete: $0.complete, approved: $0.approved, percent: $0.items == 0 ? 0 : $0.complete * 100 / $0.items) },
            risks: Array(risks.prefix(10)), hasRisks: !risks.isEmpty,
            moreRisks: Array(risks.dropFirst(10)),
            moreRisksLabel: risks.count > 10 ? (context.language == .th ? "อีก \(risks.count - 10) ข้อ" : "\(risks.count - 10) more") : nil,
            projectedOIT: oit?.displayString ?? "–", projectedITA: full?.score.displayString ?? "–",
            projectedLevel: full?.level.name.text(language) ?? "–",
            projectionBasis: th
                ? "ฐานของการคาดการณ์: ผลที่บันทึกแล้ว (ประกาศหรือผู้ประเมินตรวจ) \(readiness.fromResults) ข้อ · ข้อที่ยังไม่มีผลคาดจากหลักฐาน \(readiness.fromEvidence) ข้อ (หลักฐานครบ \(readiness.completeEvidence) ข้อ)"
                : "Basis: recorded results (published or judged) for \(readiness.fromResults) items · \(readiness.fromEvidence) items projected from their evidence (\(readiness.completeEvidence) complete)")
    }
}
