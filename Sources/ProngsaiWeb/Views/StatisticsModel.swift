import ProngsaiCore
import ProngsaiStore

/// The public monthly statistics of corruption complaints (O29).
struct StatisticsModel {
    struct Row {
        var category: String
        var cells: [String]
    }

    struct Month {
        var name: String
        var quiet: Bool
        var rows: [Row]
    }

    var agencyName: String
    var fiscalYear: Int
    var months: [Month]
    var anyCase: Bool
    /// The year's totals (received, in progress, concluded, forwarded, not accepted), covered like the months.
    var totals: [String]
    var csvURL: String
    var reportURL: String
    var updated: String
    var previousYear: String
    var nextYear: String?

    static func make(agency: Agency, stats: ComplaintStatistics, language: Language, today: CivilDate) -> StatisticsModel {
        let year = stats.fiscalYear.buddhistYear
        let base = SiteURL.reportStatistics(agency: agency.code).path
        let months = stride(from: 0, to: stats.rows.count, by: ComplaintCategory.allCases.count).map { start -> Month in
            let rows = stats.rows[start..<start + ComplaintCategory.allCases.count]
            let month = rows.first!.month
            let name = language == .th ? ThaiFormat.monthNames[month.month - 1] + " " + String(ThaiFormat.buddhistYear(month.year))
                : ThaiFormat.englishMonthNames[month.month - 1] + " " + String(month.year)
            return Month(name: name, quiet: rows.allSatisfy { $0.counts.received == 0 },
                         rows: rows.filter { $0.counts.received > 0 }.map { Row(category: $0.category.name.text(language), cells: $0.cells.map(\.description)) })
        }
        return StatisticsModel(
            agencyName: agency.name.text(language), fiscalYear: year, months: months, anyCase: stats.total.received > 0,
            totals: stats.totalCells.map(\.description),
            csvURL: SiteURL.reportStatisticsCSV(agency: agency.code).path + "?year=\(year)",
            reportURL: SiteURL.report(agency: agency.code).path + "?lang=\(language.rawValue)",
            updated: language == .th ? ThaiFormat.longDate(today) : ThaiFormat.englishDate(today),
            previousYear: base + "?year=\(year - 1)&lang=\(language.rawValue)",
            nextYear: year < FiscalYear(containing: today).buddhistYear ? base + "?year=\(year + 1)&lang=\(language.rawValue)" : nil)
    }
}
