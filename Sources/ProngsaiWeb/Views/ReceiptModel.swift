/// The receipt code, once, with the "save your code" step; then the page that says it is saved.
struct ReceiptModel {
    var agencyName: String
    /// "ABCD-EFGH-JKMN-PQRS".
    var code: String
    var codeValue: String
    /// The case's reference, shown with the code on the slip (not a key to anything by itself).
    var reference: String?
    var action: String
    var lang: String
    var problem: String?
    var saved: Bool
    var followURL: String
}
