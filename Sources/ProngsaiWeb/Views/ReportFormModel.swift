import ProngsaiCore

/// The public report form (O28).
struct ReportFormModel {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    var agencyName: String
    var action: String
    var lang: String
    /// False until complaint keys are configured.
    var open: Bool
    var categories: [Option]
    var named: Bool
    var fields: ReportController.Fields
    var problems: [String]
    var challengeQuestion: String
    var challengeToken: String
    var maxFiles: Int
    var maxFileMB: Int
    var followURL: String
    var statisticsURL: String
    var otherLanguage: String
    var otherLanguageName: String
    /// Templates see stored values only.
    var hasProblems = false
}
