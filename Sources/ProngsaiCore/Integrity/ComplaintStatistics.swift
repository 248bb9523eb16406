/// One case as the monthly statistics (O29) see it: no words, no people, only when, what and where it stands.
public struct CaseRecord: Sendable, Hashable {
    public var receivedOn: CivilDate
    public var category: ComplaintCategory
    public var status: CaseStatus
    /// The step that concluded the case carries an outcome note. A case marked concluded without one still
    /// counts as in progress, so closing cases cannot improve the figures.
    public var outcomeNoted: Bool

    public init(receivedOn: CivilDate, category: ComplaintCategory, status: CaseStatus, outcomeNoted: Bool) {
        self.receivedOn = receivedOn
        self.category = category
        self.status = status
        self.outcomeNoted = outcomeNoted
    }
}

/// The public monthly statistics of corruption complaints (O29): per month of the fiscal year and category,
/// how many were received and where they stand now.
public struct ComplaintStatistics: Sendable, Hashable {
    public struct Counts: Sendable, Hashable {
        public var received = 0
        public var inProgress = 0
        public var concluded = 0
        public var forwarded = 0
        public var notAccepted = 0

        public init(received: Int = 0, inProgress: Int = 0, concluded: Int = 0, forwarded: Int = 0, notAccepted: Int = 0) {
            self.received = received
            self.inProgress = inProgress
            self.concluded = concluded
            self.forwarded = forwarded
            self.notAccepted = notAccepted
        }

        /// In column order: received, in progress, concluded, forwarded, not accepted.
        public var values: [Int] { [received, inProgress, concluded, forwarded, notAccepted] }
    }

    public struct Row: Sendable, Hashable {
        /// The first day of the month.
        public var month: CivilDate
        public var category: ComplaintCategory
        public var counts: Counts
        /// The same counts as published: small numbers covered (see `Cell`).
        public var cells: [Cell]
    }

    /// A published figure.
    public enum Cell: Sendable, Hashable, CustomStringConvertible {
        case count(Int)
        /// 0, 1 or 2 in a row that has cases: a reporter in a small agency is not singled out.
        case fewerThanThree
        /// Covered because the row's total would give away a small number.
        case covered

        public var description: String {
            switch self {
            case .count(let n): String(n)
            case .fewerThanThree: "<3"
            case .covered: "*"
            }
        }
    }

    public var fiscalYear: FiscalYear
    /// Twelve months (October first) × every category, in that order.
    public var rows: [Row]

    public var total: Counts {
        rows.reduce(into: Counts()) { sum, row in
            sum.received += row.counts.received
            sum.inProgress += row.counts.inProgress
            sum.concluded += row.counts.concluded
            sum.forwarded += row.counts.forwarded
            sum.notAccepted += row.counts.notAccepted
        }
    }

    /// The statistics of the cases received in `fiscalYear`.
    public static func compute(_ cases: [CaseRecord], fiscalYear: FiscalYear) -> ComplaintStatistics {
        let months = (0..<12).map { offset -> CivilDate in
            let month = (9 + offset) % 12 + 1
            return CivilDate(year: fiscalYear.gregorianYear - (month >= 10 ? 1 : 0), month: month, day: 1)!
        }
        var counts: [CivilDate: [ComplaintCategory: Counts]] = [:]
        for record in cases where FiscalYear(containing: record.receivedOn) == fiscalYear {
            let month = CivilDate(year: record.receivedOn.year, month: record.receivedOn.month, day: 1)!
            var c = counts[month, default: [:]][record.category, default: Counts()]
            c.received += 1
            switch record.status {
            case .concluded where record.outcomeNoted: c.concluded += 1
            case .forwarded: c.forwarded += 1
            case .notAccepted: c.notAccepted += 1
            default: c.inProgress += 1
            }
            counts[month, default: [:]][record.category] = c
        }
        let rows = months.flatMap { month in
            ComplaintCategory.allCases.map { category in
                let c = counts[month]?[category] ?? Counts()
                return Row(month: month, category: category, counts: c, cells: publish(c.values))
            }
        }
        return ComplaintStatistics(fiscalYear: fiscalYear, rows: rows)
    }

    /// Cells as published: a row with no case shows its zeros; in a row with cases every figure under 3
    /// (0 included) shows as "<3", and when the row's total would still pin down a figure of 1 or 2
    /// (eight cases as 2+2+2+2), the smallest other figure and then the total are covered too.
    /// `values[0]` is the total of the rest.
    public static func publish(_ values: [Int]) -> [Cell] {
        guard values[0] > 0 else { return values.map { .count($0) } }
        var cells = values.map { $0 < 3 ? Cell.fewerThanThree : .count($0) }
        while let exposed = exposedCell(cells, values: values), exposed >= 0 {
            let candidates = (1..<values.count).filter { if case .count = cells[$0] { values[$0] > 0 } else { false } }
            if let smallest = candidates.min(by: { values[$0] < values[$1] }) {
                cells[smallest] = .covered
            } else if case .count = cells[0] {
                cells[0] = .covered
            } else {
                break
            }
        }
        return cells
    }

    /// The index of a cell holding 1 or 2 that every reading of the published row agrees on, if any.
    static func exposedCell(_ cells: [Cell], values: [Int]) -> Int? {
        // A covered total leaves the rest free.
        let totalChoices: [Int]
        switch cells[0] {
        case .count(let n): totalChoices = [n]
        case .fewerThanThree: totalChoices = [1, 2]
        case .covered: return nil
        }
        let bound = totalChoices.max()!
        let choices: [[Int]] = cells.dropFirst().map { cell in
            switch cell {
            case .count(let n): [n]
            case .fewerThanThree: [0, 1, 2]
            case .covered: bound >= 3 ? Array(3...bound) : []
            }
        }
        var seen: [Set<Int>] = Array(repeating: [], count: values.count)
        func walk(_ index: Int, _ picked: [Int], _ sum: Int) {
            if index == choices.count {
                guard totalChoices.contains(sum) else { return }
                seen[0].insert(sum)
                for (i, v) in picked.enumerated() { seen[i + 1].insert(v) }
                return
            }
            for v in choices[index] where sum + v <= bound { walk(index + 1, picked + [v], sum + v) }
        }
        walk(0, [], 0)
        return values.indices.first { i in
            (1...2).contains(values[i]) && seen[i].count == 1
        }
    }
}
