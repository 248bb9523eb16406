import Foundation
import ProngsaiCore

/// Horizontal bar charts drawn on the server as SVG: no JavaScript, prints cleanly, readable by screen readers.
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Decimal
        /// Below the pass mark, as Core decides it: drawn red.
        public var low: Bool
        public init(label: String, value: Decimal, low: Bool) {
            self.label = label
            self.value = value
            self.low = low
        }
    }

    public var title: String
    public var bars: [Bar]
    /// A dashed line at this score: the framework's pass mark.
    public var threshold: Decimal?

    public init(title: String, bars: [Bar], threshold: Decimal?) {
        self.title = title
        self.bars = bars
        self.threshold = threshold
    }

    public func svg() -> String {
        let labelWidth = 260.0
        let barArea = 340.0
        let valueWidth = 70.0
        let rowHeight = 30.0
        let width = labelWidth + barArea + valueWidth
        let height = Double(bars.count) * rowHeight + 24
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" role="img" aria-label="\(Markup.escape(title))" class="chart">
            <title>\(Markup.escape(title))</title>
            """
        for (i, bar) in bars.enumerated() {
            let y = Double(i) * rowHeight + 4
            let value = min(max(NSDecimalNumber(decimal: bar.value).doubleValue, 0), 100)
            let w = barArea * value / 100
            let fill = bar.low ? "#c0392b" : "#1b7f5a"
            out += """
                <g><title>\(Markup.escape(bar.label)): \(bar.value.displayString)</title>\
                <text x="\(Int(labelWidth - 8))" y="\(y + 19)" text-anchor="end" font-size="14" fill="#222">\(Markup.escape(Self.clip(bar.label, 26)))</text>\
                <rect x="\(Int(labelWidth))" y="\(y + 4)" width="\(Int(barArea))" height="20" fill="#eef1f4" rx="3"/>\
                <rect x="\(Int(labelWidth))" y="\(y + 4)" width="\(NumberText.oneDecimal(w))" height="20" fill="\(fill)" rx="3"/>\
                <text x="\(Int(labelWidth + barArea + 8))" y="\(y + 19)" font-size="14" font-weight="bold" fill="#222">\(bar.value.displayString)</text></g>

                """
        }
        if let threshold {
            out += Self.passLine(threshold, left: labelWidth, width: barArea, top: 2, height: height, colour: "#555")
        }
        return out + "</svg>"
    }

    /// The dashed line at the pass mark, labelled below the bars.
    static func passLine(_ threshold: Decimal, left: Double, width: Double, top: Double, height: Double, colour: String) -> String {
        let x = NumberText.oneDecimal(left + width * NSDecimalNumber(decimal: threshold).doubleValue / 100)
        return """
            <line x1="\(x)" y1="\(Int(top))" x2="\(x)" y2="\(Int(height - 18))" stroke="\(colour)" stroke-dasharray="4 3"/>\
            <text x="\(x)" y="\(Int(height - 4))" text-anchor="middle" font-size="12" fill="#555">\(threshold)</text>

            """
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}
