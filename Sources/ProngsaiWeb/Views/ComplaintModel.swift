import ProngsaiCore
import ProngsaiStore

/// One complaint case as its handler works on it.
struct ComplaintModel {
    struct Option {
        var value: String
        var label: String
    }

    struct File {
        var name: String
        var url: String
    }

    struct Message {
        var fromReporter: Bool
        var from: String
        var body: String
        var date: String
        var files: [File]
        var hasFiles: Bool
    }

    struct Step {
        var from: String
        var to: String
        var note: String
        var forwardedTo: String?
        var by: String
        var at: String
    }

    var agencyName: String
    var listURL: String
    var reference: String
    var category: String
    var status: String
    var received: String
    var due: String?
    var overdue: Bool
    var details: ComplaintDetails
    var named: Bool
    /// Shown only under an approved request of this handler (and audited when shown).
    var identity: ReporterIdentity?
    var pendingRequest: Bool
    var problem: String?
    var identityAction: String
    var messages: [Message]
    var steps: [Step]
    var from: String
    var next: [Option]
    var targets: [Option]
    var stepAction: String
    var replyAction: String
    var open: Bool
    var noteDraft: String
    var replyDraft: String
    var canStep = false
}
