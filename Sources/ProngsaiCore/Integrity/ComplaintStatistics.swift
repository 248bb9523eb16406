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
        while exposedCell(cells, values: values) != nil {
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

    /// The range a reader can tell a published cell holds: a figure exactly; "<3" 0–2 (1–2 for the total of
    /// a row with cases); "*" 3 or more, up to `bound`.
    static func range(_ cell: Cell, total: Bool, bound: Int) -> ClosedRange<Int> {
        switch cell {
        case .count(let n): n...n
        case .fewerThanThree: total ? 1...2 : 0...2
        case .covered: 3...max(3, bound)
        }
    }

    /// The index (0 for the total) of a cell holding 1 or 2 that every reading of the published figures
    /// agrees on, if any. The parts add up to the total; each may be anywhere in its range, so the values a
    /// part can take form a range too: it is pinned when that range is one number.
    static func exposedCell(_ cells: [Cell], values: [Int]) -> Int? {
        if case .covered = cells[0] { return nil }
        let total = range(cells[0], total: true, bound: values.reduce(0, +))
        let parts = cells.dropFirst().map { range($0, total: false, bound: total.upperBound) }
        if let pinned = pinnedPart(total: total, parts: parts, values: Array(values.dropFirst())) { return pinned + 1 }
        let lowSum = parts.reduce(0) { $0 + $1.lowerBound }, highSum = parts.reduce(0) { $0 + $1.upperBound }
        if (1...2).contains(values[0]), max(total.lowerBound, lowSum) == min(total.upperBound, highSum) { return 0 }
        return nil
    }

    /// The index of a part holding 1 or 2 whose value every reading agrees on, when the parts add up to a
    /// total in `total` and each lies in its range: the values a part can take form a range too, and it is
    /// pinned when that range is one number.
    static func pinnedPart(total: ClosedRange<Int>, parts: [ClosedRange<Int>], values: [Int]) -> Int? {
        let lowSum = parts.reduce(0) { $0 + $1.lowerBound }, highSum = parts.reduce(0) { $0 + $1.upperBound }
        return parts.indices.first { index in
            let part = parts[index]
            guard (1...2).contains(values[index]) else { return false }
            return max(part.lowerBound, total.lowerBound - (highSum - part.upperBound)) == min(part.upperBound, total.upperBound - (lowSum - part.lowerBound))
        }
    }

    /// The year's totals as published: the row rule, then each column checked against the months' cells
    /// above it, so that the total of a column cannot give away a small figure either (one month's "<3" in
    /// a column of exact figures): such a total is covered.
    public var totalCells: [Cell] {
        let totals = total.values
        var cells = Self.publish(totals)
        let withCases = rows.filter { $0.counts.received > 0 }
        guard !withCases.isEmpty else { return cells }
        for column in 0..<totals.count {
            let total: ClosedRange<Int>
            switch cells[column] {
            case .covered: continue
            case .count(let n): total = n...n
            case .fewerThanThree: total = 0...2
            }
            // The column as a sum of the months' cells, each read as the reader would: a month's "<3" in the
            // received column is 1–2 (the row has cases); elsewhere 0–2.
            let parts = withCases.map { Self.range($0.cells[column], total: column == 0, bound: totals[column]) }
            if Self.pinnedPart(total: total, parts: parts, values: withCases.map { $0.counts.values[column] }) != nil { cells[column] = .covered }
        }
        return cells
    }
}
