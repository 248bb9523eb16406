import Foundation
import ProngsaiCore

/// Responses per day as vertical bars, drawn on the server.
public struct DailyChart: Sendable {
    public var title: String
    public var days: [(label: String, count: Int)]

    public init(title: String, days: [(label: String, count: Int)]) {
        self.title = title
        self.days = days
    }

    public func svg() -> String {
        let barWidth = 22.0
        let gap = 6.0
        let height = 120.0
        let top = 18.0
        let bottom = 34.0
        let width = max(200, Double(days.count) * (barWidth + gap) + gap)
        let peak = Double(max(days.map(\.count).max() ?? 1, 1))
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height + top + bottom))" width="\(Int(width))" role="img" aria-label="\(Markup.escape(title))" class="chart">
            <title>\(Markup.escape(title))</title>

            """
        for (i, day) in days.enumerated() {
            let x = gap + Double(i) * (barWidth + gap)
            let h = height * Double(day.count) / peak
            let y = top + height - h
            out += """
                <g><title>\(Markup.escape(day.label)): \(day.count)</title>\
                <rect x="\(Int(x))" y="\(NumberText.oneDecimal(y))" width="\(Int(barWidth))" height="\(NumberText.oneDecimal(h))" fill="#0b5c8e" rx="2"/>\
                <text x="\(Int(x + barWidth / 2))" y="\(NumberText.oneDecimal(y - 4))" text-anchor="middle" font-size="11" fill="#222">\(day.count)</text>\
                <text x="\(Int(x + barWidth / 2))" y="\(Int(top + height + 14))" text-anchor="middle" font-size="10" fill="#555">\(Markup.escape(day.label))</text></g>

                """
        }
        return out + "</svg>"
    }
}
