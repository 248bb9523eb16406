import ProngsaiCore

/// A handler's list of the agency's complaint cases, overdue first.
struct ComplaintsModel {
    struct Row {
        var id: String
        var url: String
        var category: String
        var status: String
        var received: String
        var due: String
        var overdue: Bool
    }

    var agencyName: String
    var agencies: String
    var rows: [Row]
    var overdue: Int
    var problem: String?
    var deadlinesAction: String
    var deadlines: CaseDeadlines
    var publicURL: String
    var statisticsURL: String
    var requestsURL: String?
    var anyOverdue = false
}
