/// The reporter's follow-up page: the code opens the case's status and conversation.
struct FollowModel {
    struct Message {
        var fromReporter: Bool
        var from: String
        var body: String
        var date: String
        var files: [String]
        var hasFiles: Bool
    }

    struct Case {
        var reference: String
        var status: String
        var received: String
        var open: Bool
        var messages: [Message]
    }

    var agencyName: String
    var action: String
    var lang: String
    var problem: String?
    var notice: String?
    /// Carried in the reply form (POST only, never in an address) so the reporter need not type it again.
    var code: String
    /// Makes one reply count once however often it is sent.
    var replyToken: String
    var found: Case?
    var reportURL: String
}
