import Foundation
import ProngsaiCore
import Testing
import TestSupport

@Suite("analysis of last year's result and measures")
struct ImprovementTests {
    let ita = try! Fixtures.framework()
    let year = FiscalYear(2566)

    @Test("the framework file carries the weak-point rule and default guidance for every indicator")
    func policy() {
        #expect(ita.improvement.weakBelow == 85)
        #expect(ita.improvement.lowest == 3)
        #expect(Set(ita.improvement.guidance.keys) == Set((1...10).map(String.init)))
        #expect(ita.indicatorRef("9.2")?.label(.th) == "ตัวชี้วัดย่อยที่ 9.2 \(ita.indicatorRef("9.2")!.name.th)")
        #expect(ita.indicatorRef("4")?.parent == nil && ita.indicatorRef("9.4")?.parent == "9")
    }

    @Test("a bad improvement section is reported with its path")
    func badPolicy() throws {
        var document = ita.document.objectValue!
        document["improvement"] = ["weakBelow": 120, "lowest": -1, "guidance": ["42": ["th": "x", "en": "x"]]]
        do {
            _ = try FrameworkLoader.load(document: .object(document), source: "edited.json")
            Issue.record("an invalid improvement section loads")
        } catch {
            let text = String(describing: error)
            #expect(text.contains("$.improvement.weakBelow"))
            #expect(text.contains("$.improvement.lowest"))
            #expect(text.contains("$.improvement.guidance.42"))
        }
    }

    @Test("weak points: below 85, or among the three lowest (ties included); sub-indicators are not ranked")
    func weakPoints() {
        let high: [String: Decimal] = ["1": 99, "2": 98, "3": 97, "4": 96, "5": 95.5, "6": 95.5, "7": 99, "8": 99, "9": 99, "10": 99, "9.2": 10]
        #expect(AnalysisDraft.weakPoints(framework: ita, scores: high) == ["4", "5", "6"])
        let low: [String: Decimal] = ["1": 84.99, "2": 70, "3": 60, "4": 50, "8": 99]
        #expect(AnalysisDraft.weakPoints(framework: ita, scores: low) == ["1", "2", "3", "4"])
        #expect(AnalysisDraft.weakPoints(framework: ita, scores: [:]).isEmpty)
    }

    @Test("the draft has one row per indicator with the framework's guidance; a refresh keeps what the officer wrote")
    func draftAndRefresh() {
        let draft = AnalysisDraft.draft(framework: ita, scores: ["4": 80], fiscalYear: year)
        #expect(draft.map(\.indicatorID) == (1...10).map(String.init))
        let four = draft.first { $0.indicatorID == "4" }!
        #expect(four.weak && four.score == 80 && four.period == "ต.ค.65 - ก.ย.66")
        #expect(four.guidance == ita.improvement.guidance["4"]?.th)
        var edited = draft
        edited[0].guidance = "ของเจ้าหน้าที่"
        edited[0].progress = .done
        let refreshed = AnalysisDraft.refresh(edited, framework: ita, scores: ["1": 70, "4": 99], fiscalYear: year)
        #expect(refreshed[0].guidance == "ของเจ้าหน้าที่" && refreshed[0].progress == .done && refreshed[0].weak)
    }

    @Test("indicator scores: published figures win; OIT sub-indicators are computed from the items")
    func indicatorScores() throws {
        let partial = try Scorer.partial(ita, Fixtures.referenceInputs(ita))
        let scores = IndicatorScores.resolve(framework: ita, results: [StoredResult(key: "ind:9", score: 90, source: .published)], partial: partial)
        #expect(scores["9.2"] == 87.5)
        #expect(scores["9"] == 90, "published")
        #expect(scores["10"] == 100)
    }

    @Test("roll-ups: latest month's progress, done is 100, overdue after the end unless done or cancelled, overall half-up")
    func rollups() {
        let start = CivilDate(iso: "2022-10-01")!, end = CivilDate(iso: "2023-02-28")!
        let a = Measure(assessmentID: "a", number: 1, title: "A", start: start, end: end, status: .inProgress)
        let b = Measure(assessmentID: "a", number: 2, title: "B", start: start, end: CivilDate(iso: "2023-09-30")!, status: .done)
        let c = Measure(assessmentID: "a", number: 3, title: "C", start: start, end: end, status: .cancelled)
        let updates = [
            MeasureUpdate(measureID: a.id, month: "2023-02", percent: 45, createdBy: "x", createdAt: Date(timeIntervalSince1970: 10)),
            MeasureUpdate(measureID: a.id, month: "2023-01", percent: 90, createdBy: "x", createdAt: Date(timeIntervalSince1970: 20)),
        ]
        let today = CivilDate(iso: "2023-03-15")!
        let ra = MeasureRollup.of(a, updates: updates, today: today)
        #expect(ra.percent == 45, "the latest month, not the latest entry")
        #expect(ra.overdue)
        #expect(MeasureRollup.of(b, updates: [], today: today).percent == 100)
        #expect(!MeasureRollup.of(c, updates: [], today: today).overdue)
        #expect(!MeasureRollup.of(a, updates: updates, today: end).overdue, "the last day is not late")
        let rollups = [(a, ra), (b, MeasureRollup.of(b, updates: [], today: today)), (c, MeasureRollup.of(c, updates: [], today: today))]
        #expect(MeasureRollup.overall(rollups) == 73, "(45 + 100) / 2 = 72.5, half up")
        #expect(MeasureRollup.overall([]) == nil)
    }

    @Test("periods and months as Thai documents write them")
    func labels() {
        #expect(MeasurePeriod.label(year.start, year.end) == "ต.ค.65 - ก.ย.66")
        #expect(MeasurePeriod.englishLabel(year.start, year.end) == "Oct 2022 – Sep 2023")
        #expect(MeasureUpdate(measureID: "m", month: "2023-03", percent: 1, createdBy: "", createdAt: Date()).monthLabel == "มี.ค. 2566")
        #expect(MeasureUpdate.month("2023-12") == "2023-12")
        for bad in ["2023-13", "23-01", "2023-1", "abcd-ef", ""] { #expect(MeasureUpdate.month(bad) == nil, "\(bad)") }
        let effect = MeasureEffect.of(Measure(assessmentID: "a", number: 1, title: "", start: year.start, end: year.end, indicators: ["4", "8"]),
                                      before: ["4": 80.25], after: ["4": 90, "8": 70])
        #expect(effect[0].change == 9.75)
        #expect(effect[1].change == nil, "no earlier figure, no change")
    }
}
