import Crypto
import Foundation
import HummingbirdBcrypt
import Logging
import ProngsaiCore
import ProngsaiStore

/// Loads the reference agency (อบต.บ้านโป่ง, FY2566) with demo accounts.
public enum DemoLoader {
    public struct Account: Sendable {
        public var username: String
        public var password: String
        public var role: Role
    }

    /// `--demo` was pointed at a database that holds real data.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public var description: String {
            "this database holds agencies or users that the demo did not create; --demo never touches such a database (use a new file, or leave out --demo)"
        }
    }

    /// Loads the reference case into an empty database, or finds it in a database the demo made before,
    /// and returns the demo accounts with fresh passwords (their old sessions end). Refuses a database
    /// holding anything else, so a real agency's passwords are never reset.
    /// - Parameter complaints: when given (`serve --demo` with its key file), a few sample complaint cases and
    ///   answered questions, marked as demo data, so the integrity channels have something to show.
    public static func load(into repositories: Repositories, catalog: FrameworkCatalog, complaints: ComplaintRepository? = nil,
                            logger: Logger) async throws -> [Account] {
        let isDemo = try await repositories.settings.get(SettingsRepository.demoKey) == "1"
        if !isDemo {
            guard try await !repositories.settings.holdsData() else { throw Refused() }
            try await repositories.settings.set(SettingsRepository.demoKey, "1")
        }
        let data = try DemoData.referenceCase()
        guard let agencyJSON = data["agency"]?.objectValue, let code = agencyJSON["code"]?.stringValue,
            let frameworkID = data["framework"]?.stringValue, let year = data["fiscalYear"]?.numberValue
        else { throw DatabaseConfigurationError(message: "demo data is malformed") }
        let framework = try await catalog.framework(frameworkID)
        let actor = AuditActor(userID: nil, name: "demo-loader")
        func text(_ v: JSONValue?) -> LocalizedText {
            LocalizedText(th: v?["th"]?.stringValue ?? "", en: v?["en"]?.stringValue ?? "")
        }
        let agency: Agency
        if let existing = try await repositories.agencies.find(code: code, logger: logger) {
            agency = existing
        } else {
            agency = Agency(
                code: code, name: text(agencyJSON["name"]), shortName: text(agencyJSON["shortName"]),
                type: agencyJSON["type"]?.stringValue ?? "", province: agencyJSON["province"]?.stringValue ?? "",
                district: agencyJSON["district"]?.stringValue ?? "", website: agencyJSON["website"]?.stringValue ?? "",
                ministry: "กระทรวงมหาดไทย")
            try await repositories.agencies.create(agency, by: actor, logger: logger)
            var divisionIDs: [String: String] = [:]
            for value in data["divisions"]?.arrayValue ?? [] {
                let division = Division(agencyID: agency.id, code: value["code"]?.stringValue ?? "", name: text(value["name"]))
                try await repositories.agencies.createDivision(division, by: actor, logger: logger)
                divisionIDs[division.code] = division.id
            }
            let assessment = Assessment(agencyID: agency.id, frameworkID: frameworkID, fiscalYear: NSDecimalNumber(decimal: year).intValue)
            try await repositories.assessments.create(assessment, by: actor, logger: logger)
            // Published scores of the survey parts (the OIT is scored from its items below).
            for part in framework.partIDs {
                if let score = data["published"]?[part]?.numberValue {
                    try await repositories.assessments.setResult(assessment, key: part, to: StoredResult(key: part, score: score, source: .published), by: actor, logger: logger)
                }
            }
            // The reference agency's OIT results are the ones the NACC published: recorded as published
            // results, with this data file (taken from the agency's report) as their source.
            let failed = Set((data["oitFailed"]?.arrayValue ?? []).compactMap(\.stringValue))
            let source = PublishedSource.file(name: "banpong-2566.json (รายงานผลการประเมิน ITA อบต.บ้านโป่ง ปี 2566)",
                                              sha256: NumberText.hex(SHA256.hash(data: try DemoData.bytes())))
            var published: [PublishedItemResult] = []
            for value in data["items"]?.arrayValue ?? [] {
                guard let id = value["id"]?.stringValue else { continue }
                published.append(PublishedItemResult(itemID: id, passed: !failed.contains(id), source: source))
                let item = OITItemResult(
                    itemID: id, passed: nil,
                    progress: ItemProgress(rawValue: value["progress"]?.stringValue ?? "") ?? .notStarted,
                    note: value["note"]?.stringValue ?? "",
                    divisionIDs: (value["divisions"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { divisionIDs[$0] } })
                try await repositories.assessments.setItem(assessment, item, by: actor, logger: logger)
                // The first division the report names looks after the item's evidence.
                if let lead = item.divisionIDs.first {
                    try await repositories.evidence.assign(ItemAssignment(itemID: id, divisionID: lead, assigneeID: nil, dueOn: nil),
                                                          assessment: assessment, by: actor, logger: logger)
                }
            }
            try await repositories.assessments.recordPublished(published, assessment: assessment, by: actor, logger: logger)
            try await loadImprovement(data, assessment: assessment, into: repositories, by: actor, logger: logger)
        }
        let divisions = try await repositories.agencies.divisions(agencyID: agency.id, logger: logger)
        let plans: [(String, String, Role, String?)] = [
            ("admin", "ผู้ดูแลระบบ (สาธิต)", .admin, nil),
            ("officer", "นางสาวอังคณา สุวรรณอุบล (สาธิต)", .officer, nil),
            ("palad", "เจ้าหน้าที่สำนักปลัด (สาธิต)", .division, divisions.first { $0.code == "palad" }?.id),
            ("assessor", "ผู้ประเมิน (สาธิต)", .assessor, nil),
            ("viewer", "ผู้ดูข้อมูล (สาธิต)", .viewer, nil),
            ("handler", "นิติกร ผู้รับเรื่องร้องเรียน (สาธิต)", .handler, nil),
            ("custodian", "ปลัด อบต. ผู้ควบคุมข้อมูลผู้ร้องเรียน (สาธิต)", .custodian, nil),
        ]
        var accounts: [Account] = []
        for (username, name, role, division) in plans {
            let password = randomPassword()
            let hash = Bcrypt.hash(password, cost: 10)
            if let existing = try await repositories.users.find(username: username, logger: logger) {
                try await repositories.users.setPassword(userID: existing.id, passwordHash: hash, mustChange: false, keeping: nil, by: actor, logger: logger)
            } else {
                let user = User(username: username, displayName: name, passwordHash: hash)
                let grant = RoleGrant(userID: user.id, agencyID: role == .admin ? nil : agency.id, role: role, divisionID: division)
                try await repositories.users.create(user, grants: [grant], by: actor, logger: logger)
            }
            accounts.append(Account(username: username, password: password, role: role))
        }
        if let complaints, try await ComplaintRepository.cases(in: repositories.database, agencyID: agency.id, logger: logger).isEmpty {
            try await loadIntegrity(agency: agency, complaints: complaints, repositories: repositories, logger: logger)
        }
        try await loadRound(agency: agency, framework: framework, repositories: repositories, catalog: catalog, logger: logger)
        return accounts
    }

    /// A sample round (`/results/demo-2566`): the reference agency and five made-up neighbours with
    /// published scores, recomputed as an assessing body would.
    static func loadRound(agency: Agency, framework: Framework, repositories: Repositories, catalog: FrameworkCatalog, logger: Logger) async throws {
        guard try await repositories.rounds.find(id: roundID, logger: logger) == nil else { return }
        let actor = AuditActor(userID: nil, name: "demo-loader")
        let round = AssessmentRound(id: roundID, fiscalYear: 2566, frameworkID: framework.id, title: "ITA 2566 หลายหน่วยงาน (ข้อมูลสาธิต)")
        try await repositories.rounds.create(round, by: actor, logger: logger)
        // iit, eit1, eit2, oit of each made-up agency, in tenths.
        let samples: [(String, String, String, String, [Int])] = [
            ("demo-a", "อบต.ตัวอย่างหนึ่ง (สาธิต)", "อบต.", "กระทรวงมหาดไทย", [965, 921, 884, 975]),
            ("demo-b", "เทศบาลตำบลตัวอย่าง (สาธิต)", "เทศบาลตำบล", "กระทรวงมหาดไทย", [912, 856, 803, 825]),
            ("demo-c", "อบต.ตัวอย่างสอง (สาธิต)", "อบต.", "กระทรวงมหาดไทย", [884, 799, 762, 650]),
            ("demo-d", "โรงพยาบาลตัวอย่าง (สาธิต)", "หน่วยงานอื่น", "กระทรวงสาธารณสุข", [978, 962, 954, 1000]),
            ("demo-e", "วิทยาลัยตัวอย่าง (สาธิต)", "หน่วยงานอื่น", "กระทรวงศึกษาธิการ", [933, 907, 899, 925]),
        ]
        var made: [(Agency, [Int])] = []
        for (code, name, type, ministry, scores) in samples where try await repositories.agencies.find(code: code, logger: logger) == nil {
            let sample = Agency(code: code, name: LocalizedText(th: name, en: name), shortName: LocalizedText(th: name, en: name),
                                type: type, province: agency.province, district: "", ministry: ministry)
            try await repositories.agencies.create(sample, by: actor, logger: logger)
            made.append((sample, scores))
        }
        try await repositories.rounds.add(codes: [agency.code] + made.map(\.0.code), to: round, by: actor, logger: logger)
        var rows: [(assessment: Assessment, scores: [String: Decimal])] = []
        for (sample, scores) in made {
            guard let assessment = try await repositories.assessments.find(agencyID: sample.id, fiscalYear: 2566, logger: logger) else { continue }
            rows.append((assessment, Dictionary(uniqueKeysWithValues: zip(["iit", "eit1", "eit2", "oit"], scores.map { Decimal($0) / 10 }))))
        }
        try await repositories.rounds.importScores(rows, by: actor, logger: logger)
        _ = try await RoundRescore(repositories: repositories, catalog: catalog).run(round, logger: logger)
    }

    static let roundID = "demo-2566"

    /// The reference report's measures (all carried out over the fiscal year), its indicator 1–8
    /// guidance with the progress it ticked, and its memo. Indicators that a measure answers are marked
    /// as weak points, as the report's measures name them ("จากผลการประเมิน ITA ตัวชี้วัดที่ 4 …").
    /// Sample integrity-channel data (FY2566), each text marked as demo data.
    static func loadIntegrity(agency: Agency, complaints: ComplaintRepository, repositories: Repositories, logger: Logger) async throws {
        let handler = AuditActor(userID: try await repositories.users.find(username: "handler", logger: logger)?.id, name: "handler")
        let samples: [(ComplaintCategory, String, CivilDate, [(CaseStatus, String, ForwardTarget?)])] = [
            (.procurement, "(ข้อมูลสาธิต) ผู้รับจ้างงานซ่อมถนนหมู่ 4 ใช้วัสดุไม่ตรงตามสัญญา แต่กรรมการตรวจรับลงนามรับงาน",
             CivilDate(year: 2022, month: 11, day: 14)!,
             [(.screening, "(สาธิต) รับเรื่องและแต่งตั้งผู้กลั่นกรอง", nil), (.investigating, "(สาธิต) มีมูล ตั้งคณะกรรมการสอบข้อเท็จจริง", nil),
              (.concluded, "(สาธิต) ผลสอบพบวัสดุไม่ตรงสัญญา ให้ผู้รับจ้างแก้ไขและหักค่าปรับ ตักเตือนกรรมการตรวจรับ", nil)]),
            (.bribery, "(ข้อมูลสาธิต) มีผู้แจ้งว่าถูกเรียกเงินเพื่อเร่งออกใบอนุญาต", CivilDate(year: 2023, month: 2, day: 6)!,
             [(.screening, "(สาธิต) รับเรื่องแล้ว อยู่ระหว่างกลั่นกรอง", nil), (.forwarded, "(สาธิต) เกี่ยวข้องกับเจ้าหน้าที่ระดับสูง ส่งสำนักงาน ป.ป.ช. ตามอำนาจหน้าที่", .nacc)]),
            (.publicProperty, "(ข้อมูลสาธิต) มีการนำรถยนต์ส่วนกลางไปใช้ในงานส่วนตัววันหยุด", CivilDate(year: 2023, month: 6, day: 19)!,
             [(.screening, "(สาธิต) รับเรื่องแล้ว ขอข้อมูลสมุดบันทึกการใช้รถ", nil)]),
        ]
        for (category, what, day, steps) in samples {
            var filed = try await complaints.file(ComplaintReport(category: category, identity: nil, details: ComplaintDetails(what: what, place: "อบต.บ้านโป่ง")),
                                                  agencyID: agency.id, code: ReceiptCode.random(), today: day, logger: logger)
            var moment = Date(timeIntervalSince1970: TimeInterval(day.daysSince1970) * 86_400 + 3 * 3600)
            for (to, note, target) in steps {
                moment = moment.addingTimeInterval(5 * 86_400)
                try await complaints.step(filed, CaseStep(from: filed.status, to: to, note: note, forwardedTo: target), actor: handler, now: moment, logger: logger)
                filed.status = to
            }
        }
        let officer = AuditActor(userID: try await repositories.users.find(username: "officer", logger: logger)?.id, name: "officer")
        let questions: [(String, String, String, TimeInterval)] = [
            ("ชาวบ้านหมู่ 2", "(ข้อมูลสาธิต) ขอทราบขั้นตอนและเอกสารการขออนุญาตก่อสร้างอาคาร", "(สาธิต) ยื่นคำขอที่กองช่าง พร้อมสำเนาโฉนดและแบบแปลน 3 ชุด พิจารณาภายใน 45 วัน", 1_672_560_000),
            ("", "(ข้อมูลสาธิต) จะชำระภาษีที่ดินและสิ่งปลูกสร้างออนไลน์ได้หรือไม่", "(สาธิต) ชำระผ่านแอปธนาคารด้วย QR ในใบแจ้งประเมินได้ถึง 30 เมษายน", 1_676_000_000),
        ]
        for (asker, body, answer, at) in questions {
            let asked = try await repositories.questions.ask(agencyID: agency.id, asker: asker, body: body, now: Date(timeIntervalSince1970: at), logger: logger)
            try await repositories.questions.moderate(asked, status: .published, answer: answer, actor: officer, now: Date(timeIntervalSince1970: at + 2 * 86_400), logger: logger)
        }
    }

    static func loadImprovement(_ data: JSONValue, assessment: Assessment, into repositories: Repositories, by actor: AuditActor, logger: Logger) async throws {
        let year = FiscalYear(assessment.fiscalYear)
        var answered = Set<String>()
        for value in data["measures"]?.arrayValue ?? [] {
            let indicators = (value["indicators"]?.arrayValue ?? []).compactMap(\.stringValue)
            answered.formUnion(indicators)
            let measure = Measure(
                assessmentID: assessment.id, number: value["no"]?.numberValue.map { NSDecimalNumber(decimal: $0).intValue } ?? 0,
                title: value["title"]?.stringValue ?? "", method: value["method"]?.stringValue ?? "", start: year.start, end: year.end,
                responsible: value["responsible"]?.stringValue ?? "", indicators: indicators, items: ["O42", "O43"], target: "",
                status: .done, summary: value["summary"]?.stringValue ?? "", outcome: value["outcome"]?.stringValue ?? "")
            try await repositories.improvement.saveMeasure(assessment, measure, by: actor, logger: logger)
        }
        let rows = (data["guidance"]?.arrayValue ?? []).compactMap { value -> AnalysisRow? in
            guard let id = value["indicator"]?.stringValue else { return nil }
            return AnalysisRow(
                indicatorID: id, weak: answered.contains(id), guidance: value["guidance"]?.stringValue ?? "",
                responsible: value["responsible"]?.stringValue ?? "", period: value["period"]?.stringValue ?? "",
                progress: ItemProgress(rawValue: value["progress"]?.stringValue ?? "") ?? .notStarted, note: value["note"]?.stringValue ?? "")
        }
        if !rows.isEmpty { try await repositories.improvement.saveAnalysis(assessment, rows: rows, by: actor, logger: logger) }
        if let memoJSON = data["memo"], let memo = SQLImprovementRepository.memo(memoJSON) {
            try await repositories.improvement.saveMemo(assessment, memo, by: actor, logger: logger)
        }
    }

    static func randomPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return String((0..<12).map { _ in alphabet.randomElement()! })
    }
}
