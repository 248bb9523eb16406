/// A custodian's list of requests to see reporters' identities.
struct RequestsModel {
    struct Entry {
        var id: String
        var reference: String
        var requestedBy: String
        var reason: String
        var at: String
        var pending: Bool
        /// The custodian's own request: they cannot decide it.
        var own: Bool
        var status: String
        var decidedBy: String?
        var decisionNote: String?
        var action: String
    }

    var agencyName: String
    var agencies: String
    var problem: String?
    var requests: [Entry]
}
