import Foundation
import ProngsaiCore
import Testing

@Suite("integrity channels: receipt codes, case workflow, deadlines, O29 statistics")
struct IntegrityTests {
    @Test("receipt codes: 16 characters of a 32-letter alphabet, read back forgiving case, dashes and look-alikes")
    func receiptCodes() throws {
        let code = ReceiptCode.random()
        #expect(code.value.count == 16)
        #expect(code.value.allSatisfy { ReceiptCode.alphabet.contains($0) })
        #expect(code.grouped.split(separator: "-").map(\.count) == [4, 4, 4, 4])
        #expect(ReceiptCode(typed: code.grouped.lowercased()) == code)
        #expect(ReceiptCode(typed: " " + code.value.prefix(8) + " " + code.value.dropFirst(8) + " ") == code)
        #expect(ReceiptCode(typed: "0000-1111-2222-3333")?.value == "0000111122223333")
        #expect(ReceiptCode(typed: "oooo-iiii-llll-3333")?.value == "0000111111113333", "O reads as 0, I and L as 1")
        #expect(ReceiptCode(typed: "ABCD-EFGH-JKMN-PQR") == nil, "15 characters")
        #expect(ReceiptCode(typed: "ABCD-EFGH-JKMN-PQRST") == nil, "17 characters")
        #expect(ReceiptCode(typed: "ABCD-EFGH-JKMN-PQRU") == nil, "U is not in the alphabet")
        #expect(ReceiptCode(typed: "ABCD-EFGH-JKMN-PQR!") == nil)
        #expect(code.lastFour == String(code.value.suffix(4)))
        #expect(!String(describing: code).contains(code.value), "a code never prints itself into a log")
    }

    @Test("receipt codes are not guessable: 20,000 codes are all different and every character is about equally likely at every place")
    func receiptEntropy() {
        let codes = (0..<20_000).map { _ in ReceiptCode.random().value }
        #expect(Set(codes).count == codes.count)
        // Per position, each of 32 symbols is expected 625 times; a chi-square over 31 degrees of freedom above
        // 80 would happen by chance far less than once in a million runs.
        for position in 0..<16 {
            var counts: [Character: Int] = [:]
            for code in codes { counts[code[code.index(code.startIndex, offsetBy: position)], default: 0] += 1 }
            #expect(counts.count == 32, "position \(position) uses every symbol")
            let expected = Double(codes.count) / 32
            let chi = counts.values.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
            #expect(chi < 80, "position \(position): chi-square \(chi)")
        }
        #expect(ReceiptCode.bits == 16 * 5)
    }

    @Test("the case workflow: only the guideline's steps, each with an outcome note; forwarding names the body")
    func workflow() throws {
        let note = "ตรวจสอบเอกสารแล้วพบมูล"
        try CaseStep(from: .received, to: .screening, note: note).check()
        try CaseStep(from: .screening, to: .investigating, note: note).check()
        try CaseStep(from: .investigating, to: .concluded, note: note).check()
        try CaseStep(from: .screening, to: .forwarded, note: note, forwardedTo: .nacc).check()
        try CaseStep(from: .received, to: .notAccepted, note: note).check()
        #expect(throws: ComplaintError.stepNotAllowed(from: .received, to: .concluded)) { try CaseStep(from: .received, to: .concluded, note: note).check() }
        #expect(throws: ComplaintError.stepNotAllowed(from: .concluded, to: .investigating)) { try CaseStep(from: .concluded, to: .investigating, note: note).check() }
        #expect(throws: ComplaintError.noteRequired) { try CaseStep(from: .investigating, to: .concluded, note: "   เสร็จ   ").check() }
        #expect(throws: ComplaintError.forwardTargetRequired) { try CaseStep(from: .screening, to: .forwarded, note: note).check() }
        #expect(throws: ComplaintError.forwardTargetRequired) { try CaseStep(from: .received, to: .screening, note: note, forwardedTo: .police).check() }
        for status in CaseStatus.allCases { #expect(status.isFinal == status.next.isEmpty) }
    }

    @Test("deadlines: due dates count from the day a case reached its status; nothing is due once final")
    func deadlines() throws {
        let rules = try CaseDeadlines(parsing: "15, 30, 90")
        let day = CivilDate(year: 2023, month: 1, day: 20)!
        #expect(rules.due(status: .received, since: day) == CivilDate(year: 2023, month: 2, day: 4))
        #expect(rules.due(status: .screening, since: day) == CivilDate(year: 2023, month: 2, day: 19))
        #expect(rules.due(status: .investigating, since: day) == CivilDate(year: 2023, month: 4, day: 20))
        #expect(rules.due(status: .concluded, since: day) == nil)
        #expect(rules.stored == "15,30,90")
        for bad in ["", "15,30", "0,30,90", "15,30,366", "a,b,c", "15,30,90,1"] {
            #expect(throws: ComplaintError.badDeadlines, "\(bad)") { try CaseDeadlines(parsing: bad) }
        }
    }

    static func randomRecords(_ count: Int, using generator: inout some RandomNumberGenerator) -> [CaseRecord] {
        (0..<count).map { _ in
            let day = CivilDate(daysSince1970: CivilDate(year: 2022, month: 9, day: 1)!.daysSince1970 + Int.random(in: 0..<420, using: &generator))
            return CaseRecord(receivedOn: day, category: ComplaintCategory.allCases.randomElement(using: &generator)!,
                              status: CaseStatus.allCases.randomElement(using: &generator)!, outcomeNoted: Bool.random(using: &generator))
        }
    }

    @Test("O29 counts equal a plain count of the cases, month by month in fiscal order; concluded counts only with an outcome note")
    func statisticsCounts() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let records = Self.randomRecords(Int.random(in: 0..<200, using: &generator), using: &generator)
            let stats = ComplaintStatistics.compute(records, fiscalYear: FiscalYear(2566))
            #expect(stats.rows.count == 12 * ComplaintCategory.allCases.count)
            #expect(stats.rows.first?.month == CivilDate(year: 2022, month: 10, day: 1))
            #expect(stats.rows.last?.month == CivilDate(year: 2023, month: 9, day: 1))
            for row in stats.rows {
                let mine = records.filter {
                    $0.category == row.category && $0.receivedOn.year == row.month.year && $0.receivedOn.month == row.month.month
                }
                #expect(row.counts.received == mine.count)
                #expect(row.counts.concluded == mine.filter { $0.status == .concluded && $0.outcomeNoted }.count)
                #expect(row.counts.forwarded == mine.filter { $0.status == .forwarded }.count)
                #expect(row.counts.notAccepted == mine.filter { $0.status == .notAccepted }.count)
                #expect(row.counts.inProgress == mine.filter { !$0.status.isFinal || ($0.status == .concluded && !$0.outcomeNoted) }.count)
            }
            #expect(stats.total.received == records.filter { FiscalYear(containing: $0.receivedOn) == FiscalYear(2566) }.count)
        }
    }

    @Test("O29 cells: zeros in a quiet row, under 3 as <3, and a row whose total would give away a 1 or 2 covers more")
    func statisticsCells() {
        typealias Cell = ComplaintStatistics.Cell
        #expect(ComplaintStatistics.publish([0, 0, 0, 0, 0]) == [.count(0), .count(0), .count(0), .count(0), .count(0)])
        #expect(ComplaintStatistics.publish([1, 1, 0, 0, 0]) == Array(repeating: Cell.fewerThanThree, count: 5))
        #expect(ComplaintStatistics.publish([7, 4, 3, 0, 0]) == [.count(7), .count(4), .count(3), .fewerThanThree, .fewerThanThree])
        // 8 = 2+2+2+2 would give every 2 away: the total is covered.
        #expect(ComplaintStatistics.publish([8, 2, 2, 2, 2]) == [.covered, .fewerThanThree, .fewerThanThree, .fewerThanThree, .fewerThanThree])
        // 5 = 3 + 2 + 0 + 0: "<3" could be 0, 1 or 2 in three places, so nothing is given away.
        #expect(ComplaintStatistics.publish([5, 3, 2, 0, 0]) == [.count(5), .count(3), .fewerThanThree, .fewerThanThree, .fewerThanThree])

        // The year's totals: shown when no small month is pinned by them, covered when one would be.
        func record(_ month: Int, _ category: ComplaintCategory) -> CaseRecord {
            CaseRecord(receivedOn: CivilDate(year: month >= 10 ? 2022 : 2023, month: month, day: 5)!, category: category, status: .received, outcomeNoted: false)
        }
        let shown = ComplaintStatistics.compute(Array(repeating: record(3, .procurement), count: 3) + Array(repeating: record(4, .procurement), count: 4),
                                                fiscalYear: FiscalYear(2566))
        #expect(shown.totalCells == [.count(7), .count(7), .fewerThanThree, .fewerThanThree, .fewerThanThree])
        let pinned = ComplaintStatistics.compute(Array(repeating: record(3, .procurement), count: 3) + [record(11, .bribery)], fiscalYear: FiscalYear(2566))
        #expect(pinned.totalCells[0] == .covered && pinned.totalCells[1] == .covered, "4 − 3 would give the November case away")
        let one = ComplaintStatistics.compute([record(11, .bribery)], fiscalYear: FiscalYear(2566))
        #expect(one.totalCells[0] == .fewerThanThree)
        // Two months with "<3" under a total "<3" would each be 1: the total is covered instead.
        let two = ComplaintStatistics.compute([record(11, .bribery), record(12, .other)], fiscalYear: FiscalYear(2566))
        #expect(two.totalCells[0] == .covered)

        // For any row: figures shown are true, and no figure of 1 or 2 can be worked out from what is shown.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let parts = (0..<4).map { _ in [0, 0, 1, 2, 3, 4, 7].randomElement(using: &generator)! }
            let values = [parts.reduce(0, +)] + parts
            let cells = ComplaintStatistics.publish(values)
            for (cell, value) in zip(cells, values) {
                switch cell {
                case .count(let n): #expect(n == value)
                case .fewerThanThree: #expect(value < 3)
                case .covered: #expect(value >= 3)
                }
            }
            if values[0] > 0 {
                // Brute force over every row the public could read the cells as.
                let choices: [[Int]] = cells.map { cell in
                    switch cell {
                    case .count(let n): [n]
                    case .fewerThanThree: [0, 1, 2]
                    case .covered: Array(3...40)
                    }
                }
                var seen = Array(repeating: Set<Int>(), count: 5)
                for a in choices[1] { for b in choices[2] { for c in choices[3] { for d in choices[4] {
                    let total = a + b + c + d
                    guard choices[0].contains(total), !(values[0] > 0 && total == 0) else { continue }
                    for (i, v) in [total, a, b, c, d].enumerated() { seen[i].insert(v) }
                } } } }
                for i in 0..<5 where (1...2).contains(values[i]) {
                    #expect(seen[i].count > 1, "\(values) published \(cells) gives away place \(i)")
                }
            }
        }
    }
}
