import Foundation
import ProngsaiCore
import Testing
import TestSupport

@Suite("what to do next and why the level")
struct NextStepsTests {
    let today = CivilDate(iso: "2023-03-15")!

    @Test("the reference case is ผ่าน because EIT part 2 is under 85; a score short of a level says so")
    func levelGap() throws {
        let framework = try Fixtures.framework()
        let figures = AssessmentFigures.compute(framework: framework, results: FiguresTests.published(framework), items: FiguresTests.items(framework, failing: ["O13"]))
        let gap = try #require(figures.levelGap)
        #expect(gap.level.name.th == "ผ่าน" && gap.next.name.th == "ผ่านดี")
        #expect(gap.short.map(\.id) == ["eit2"], "only EIT part 2 (81.73) is under 85; the ITA 95.35 is not short")
        #expect(gap.short.first?.value.displayString == "81.73")

        let high = [StoredResult(key: "iit", score: 96, source: .published), StoredResult(key: "eit1", score: 96, source: .published),
                    StoredResult(key: "eit2", score: 96, source: .published)]
        let all = AssessmentFigures.compute(framework: framework, results: high, items: FiguresTests.items(framework, failing: []))
        #expect(all.level?.name.th == "ผ่านดีเยี่ยม")
        #expect(all.levelGap == nil, "nothing above the top level")
        let low = [StoredResult(key: "iit", score: 60, source: .published), StoredResult(key: "eit1", score: 60, source: .published),
                   StoredResult(key: "eit2", score: 60, source: .published)]
        let failing = AssessmentFigures.compute(framework: framework, results: low, items: FiguresTests.items(framework, failing: []))
        let lowGap = try #require(failing.levelGap)
        #expect(lowGap.short.first?.id == nil, "the ITA itself is short first")
        #expect(failing.result.map { $0.score < lowGap.next.minScore } == true)
        #expect(AssessmentFigures.compute(framework: framework, results: [], items: []).levelGap == nil, "no result, no reason")
    }

    @Test("steps come from the state: surveys, samples, items with their divisions, links, measures, documents; urgent and dated first")
    func steps() throws {
        let framework = try Fixtures.framework()
        let results = [StoredResult(key: "iit", score: 90, source: .published)]
        let figures = AssessmentFigures.compute(framework: framework, results: results, items: [],
                                                tallies: ["eit1": ResponseTally(try FiguresTests.responses(framework, part: "eit1", count: 10, level: 4))],
                                                populations: ["eit1": 1000])
        let windows = [
            SurveyWindow(assessmentID: "a", partID: "eit1", publicCode: "x", opensOn: CivilDate(iso: "2023-03-01")!, closesOn: CivilDate(iso: "2023-03-20")!, requiresCode: false, population: 1000),
            SurveyWindow(assessmentID: "a", partID: "eit2", publicCode: "y", opensOn: CivilDate(iso: "2023-04-01")!, closesOn: CivilDate(iso: "2023-05-20")!, requiresCode: false, population: nil),
            SurveyWindow(assessmentID: "a", partID: "iit", publicCode: "z", opensOn: CivilDate(iso: "2023-01-01")!, closesOn: CivilDate(iso: "2023-02-01")!, requiresCode: true, population: nil),
        ]
        let o1 = try #require(framework.checklistTools[0].checklist.item("O1"))
        let revisions = [
            EvidenceRevision(itemID: "O1", revision: 1, createdAt: "", createdBy: "", explanation: "", components: Array(o1.components.indices), links: ["https://x.go.th/dead"], files: []),
            EvidenceRevision(itemID: "O2", revision: 1, createdAt: "", createdBy: "", explanation: "", components: [0], links: ["https://x.go.th/a"], files: []),
        ]
        let assignments = [ItemAssignment(itemID: "O2", divisionID: "d-palad", assigneeID: nil, dueOn: CivilDate(iso: "2023-03-20")),
                           ItemAssignment(itemID: "O5", divisionID: "d-klang", assigneeID: nil, dueOn: CivilDate(iso: "2023-03-01"))]
        let snapshots = [EvidenceSnapshot(itemID: "O1", url: "https://x.go.th/dead", fetchedAt: "2023-03-14T00:00:00Z", status: 404, contentType: "text/html", sha256: nil, size: 0, error: nil, changed: false)]
        let readiness = Readiness.compute(framework: framework, items: [], revisions: revisions, reviews: [], assignments: assignments, snapshots: snapshots, today: today)
        let late = Measure(assessmentID: "a", number: 1, title: "late", start: CivilDate(iso: "2022-10-01")!, end: CivilDate(iso: "2023-03-01")!, status: .inProgress)
        let slow = Measure(assessmentID: "a", number: 2, title: "slow", start: CivilDate(iso: "2022-10-01")!, end: CivilDate(iso: "2023-09-30")!, status: .inProgress)
        let fine = Measure(assessmentID: "a", number: 3, title: "fine", start: CivilDate(iso: "2023-03-01")!, end: CivilDate(iso: "2023-09-30")!, status: .planned)
        let done = Measure(assessmentID: "a", number: 4, title: "done", start: CivilDate(iso: "2022-10-01")!, end: CivilDate(iso: "2023-01-01")!, status: .done)
        let measures = [late, slow, fine, done].map { ($0, MeasureRollup.of($0, updates: [], today: today)) }
        let steps = NextSteps.compute(figures: figures, windows: windows, readiness: readiness, assignments: assignments, measures: measures,
                                      documentsMade: false, today: today)
        let kinds = steps.map(\.kind)
        #expect(!kinds.contains { if case .surveyNotSetUp = $0 { true } else { false } }, "every part has a window")
        #expect(!kinds.contains { if case .sampleShort(part: "iit", _, _) = $0 { true } else { false } }, "the IIT has a published score: its survey is not needed")
        #expect(kinds.contains(.sampleShort(part: "eit1", responses: 10, target: NextStepsTests.target(framework, 1000))))
        #expect(kinds.contains(.awaitingAssessor(part: "eit2", responses: 0)), "EIT part 2 is typed in by the assessor: no window to open")
        #expect(!kinds.contains(.surveyNotOpen(part: "eit2")))
        #expect(kinds.contains(.itemOverdue(item: "O5", divisions: ["d-klang"])))
        #expect(kinds.contains(.itemDueSoon(item: "O2", divisions: ["d-palad"])))
        let o2 = try #require(framework.checklistTools[0].checklist.item("O2"))
        #expect(kinds.contains(.missingComponents(item: "O2", missing: o2.components.count - 1)))
        #expect(kinds.contains(.deadLink(item: "O1", url: "https://x.go.th/dead")))
        #expect(kinds.contains(.itemsWithoutEvidence(count: 41)), "43 items, 2 with evidence")
        #expect(kinds.contains(.measureOverdue(number: 1, title: "late")))
        #expect(kinds.contains(.measureBehind(number: 2, title: "slow", percent: 0, expected: 45)), "166 of 365 days gone (Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28 + 15): 45%")
        #expect(!kinds.contains { if case .measureBehind(number: 3, _, _, _) = $0 { true } else { false } }, "two weeks into its period is not behind")
        #expect(!kinds.contains { if case .measureOverdue(number: 4, _) = $0 { true } else { false } }, "a done measure is never late")
        #expect(kinds.contains(.documentsNotMade))
        // Urgent steps first, by date; then the others by date; undated last within each group.
        let urgent = steps.prefix { $0.urgent }
        #expect(urgent.count == steps.filter(\.urgent).count)
        let urgentDates = urgent.compactMap(\.date)
        #expect(urgentDates == urgentDates.sorted(by: <))
        #expect(steps.last?.kind == .documentsNotMade || steps.last?.date == nil)
        let made = NextSteps.compute(figures: figures, windows: windows, readiness: readiness, assignments: assignments, measures: [], documentsMade: true, today: today)
        #expect(!made.map(\.kind).contains(.documentsNotMade))
        let none = NextSteps.compute(figures: figures, windows: [], readiness: readiness, assignments: [], measures: [], documentsMade: true, today: today)
        #expect(none.map(\.kind).contains(.surveyNotSetUp(part: "eit1")) && !none.map(\.kind).contains(.surveyNotSetUp(part: "eit2")))
    }

    static func target(_ framework: Framework, _ population: Int) -> Int { framework.sampling!.minimumSample(population: population) }
}

@Suite("another agency type's words in the agency's own text")
struct AgencyWordsTests {
    @Test("an อบต. text saying เทศบาล is flagged with where it is; its own words and other agency types are not")
    func foreign() {
        let texts: [(place: String, text: String)] = [
            ("O16", "จัดทำข้อมูลสถิติการให้บริการของส่วนงานในเทศบาล และเผยแพร่ผ่านเว็บไซต์เทศบาล"),
            ("O42", "องค์การบริหารส่วนตำบลบ้านโป่งดำเนินการวิเคราะห์ผล อบต. เผยแพร่"),
            ("มาตรการที่ 1", "ประสานงานกับองค์การบริหารส่วนจังหวัดเชียงราย"),
        ]
        let found = AgencyWords.foreign(in: texts, agencyType: "อบต.")
        #expect(found.map(\.place) == ["O16", "มาตรการที่ 1"])
        #expect(found.map(\.word) == ["เทศบาล", "องค์การบริหารส่วนจังหวัด"])
        #expect(found.first?.excerpt.contains("ส่วนงานในเทศบาล") == true)
        let town = AgencyWords.foreign(in: texts, agencyType: "เทศบาลเมือง")
        #expect(town.map(\.place) == ["O42", "มาตรการที่ 1"], "a town sees the อบต. words instead")
        #expect(AgencyWords.foreign(in: texts, agencyType: "กรม").isEmpty, "only local governments are checked")
    }
}

@Suite("how stored files are served")
struct ServedFileTests {
    @Test("typed by content: HTML bytes never served as HTML, PDFs and images inline, snapshots and office files as attachments")
    func served() {
        let html = Array("<html><script>alert(1)</script></html>".utf8)
        let pdf = Array("%PDF-1.4\n".utf8)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]
        #expect(ServedFile.of(html) == ServedFile(contentType: "application/octet-stream", inline: false))
        #expect(ServedFile.of(pdf) == ServedFile(contentType: "application/pdf", inline: true))
        #expect(ServedFile.of(png).inline && ServedFile.of(png).contentType == "image/png")
        #expect(!ServedFile.of(pdf, snapshot: true).inline, "a snapshot only downloads")
        #expect(ServedFile.of(pdf).disposition(name: "รายงาน.pdf").hasPrefix("inline; filename*=UTF-8''%E0%B8%A3"))
        #expect(ServedFile.of(html).disposition(name: "a.html").hasPrefix("attachment;"))
    }
}
