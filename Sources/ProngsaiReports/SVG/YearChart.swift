import Foundation
import ProngsaiCore

/// Year-over-year scores as grouped horizontal bars: one group per tool or indicator, one bar per fiscal
/// year, with a legend and the pass mark. A missing figure is drawn as "—", never as zero.
public struct YearChart: Sendable {
    public struct Row: Sendable {
        public var label: String
        /// One value per year, in `years` order; nil when that year has no figure.
        public var values: [Decimal?]

        public init(label: String, values: [Decimal?]) {
            self.label = label
            self.values = values
        }
    }

    public var title: String
    public var years: [Int]
    public var rows: [Row]
    public var threshold: Decimal?

    /// Colours by age: the newest year in the site's blue, the year before in amber, older years muted.
    static let palette = ["#0b5c8e", "#e39b2d", "#7fb3d5", "#8e6bb0", "#95a5a6"]

    public init(title: String, years: [Int], rows: [Row], threshold: Decimal?) {
        self.title = title
        self.years = years
        self.rows = rows
        self.threshold = threshold
    }

    func colour(_ index: Int) -> String {
        let age = years.count - 1 - index
        return Self.palette[min(max(age, 0), Self.palette.count - 1)]
    }

    public func svg() -> String {
        let labelWidth = 260.0, barArea = 340.0, valueWidth = 70.0
        let barHeight = 14.0, gap = 10.0
        let groupHeight = Double(max(years.count, 1)) * barHeight + gap
        let legendHeight = 26.0
        let width = labelWidth + barArea + valueWidth
        let height = legendHeight + Double(rows.count) * groupHeight + 22
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" role="img" aria-label="\(Markup.escape(title))" class="chart">
            <title>\(Markup.escape(title))</title>

            """
        for (i, year) in years.enumerated() {
            let x = labelWidth + Double(i) * 90
            out += """
                <rect x="\(Int(x))" y="6" width="14" height="14" fill="\(colour(i))"/>\
                <text x="\(Int(x) + 20)" y="18" font-size="13" fill="#222">\(year)</text>

                """
        }
        for (r, row) in rows.enumerated() {
            let top = legendHeight + Double(r) * groupHeight
            let summary = zip(years, row.values).map { "\($0): \($1?.displayString ?? "—")" }.joined(separator: ", ")
            out += """
                <g><title>\(Markup.escape(row.label)) — \(Markup.escape(summary))</title>\
                <text x="\(Int(labelWidth - 8))" y="\(Int(top + groupHeight / 2 + 1))" text-anchor="end" font-size="13" fill="#222">\(Markup.escape(BarChart.clip(row.label, 28)))</text>

                """
            for (i, value) in row.values.enumerated() {
                let y = top + Double(i) * barHeight
                out += ##"<rect x="\##(Int(labelWidth))" y="\##(y)" width="\##(Int(barArea))" height="\##(barHeight - 2)" fill="#eef1f4"/>"##
                if let value {
                    let w = barArea * min(max(NSDecimalNumber(decimal: value).doubleValue, 0), 100) / 100
                    out += ##"<rect x="\##(Int(labelWidth))" y="\##(y)" width="\##(NumberText.oneDecimal(w))" height="\##(barHeight - 2)" fill="\##(colour(i))"/>"##
                }
                out += ##"<text x="\##(Int(labelWidth + barArea + 6))" y="\##(y + barHeight - 3)" font-size="12" fill="#222">\##(value?.displayString ?? "—")</text>"##
            }
            out += "</g>\n"
        }
        if let threshold {
            out += BarChart.passLine(threshold, left: labelWidth, width: barArea, top: legendHeight, height: height, colour: "#c0392b")
        }
        return out + "</svg>"
    }
}
