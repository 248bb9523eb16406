/// An error a person's request can cause (a wrong step, a bad file, a taken name), with what to tell them
/// in Thai and English and what kind of refusal it is. The web layer maps every one to a status code in one
/// place (ErrorMiddleware), so none becomes a 500; the command line prints the English.
public protocol DomainError: Error {
    var userMessage: LocalizedText { get }
    var kind: DomainErrorKind { get }
}

public enum DomainErrorKind: Sendable, Hashable {
    /// The input is wrong (400/422).
    case invalid
    /// Not this person's to do (403).
    case forbidden
    /// It clashes with what is stored (409).
    case conflict
}

extension WorkflowError: DomainError {
    public var userMessage: LocalizedText { message }
    public var kind: DomainErrorKind { forbidden ? .forbidden : .conflict }
}

extension ScoreInputError: DomainError {
    public var userMessage: LocalizedText { LocalizedText(th: "ข้อมูลคะแนนไม่ถูกต้อง: \(description)", en: "Invalid score input: \(description)") }
    public var kind: DomainErrorKind { .invalid }
}

extension FrameworkError: DomainError {
    public var userMessage: LocalizedText {
        LocalizedText(th: "ไฟล์กรอบการประเมิน \(source) ไม่ถูกต้อง (\(problems.count) จุด): " + problems.prefix(3).map { "\($0)" }.joined(separator: "; "), en: description)
    }
    public var kind: DomainErrorKind { .invalid }
}

extension JSONSyntaxError: DomainError {
    public var userMessage: LocalizedText { LocalizedText(th: "ข้อมูล JSON ไม่ถูกต้อง: \(description)", en: "Invalid JSON: \(description)") }
    public var kind: DomainErrorKind { .invalid }
}

extension CSV.SyntaxError: DomainError {
    public var userMessage: LocalizedText { LocalizedText(th: "ไฟล์ CSV ไม่ถูกต้อง: \(description)", en: "Invalid CSV: \(description)") }
    public var kind: DomainErrorKind { .invalid }
}
