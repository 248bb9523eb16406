import Foundation

/// A public agency under assessment (อบต., เทศบาล, กรม …).
public struct Agency: Sendable, Hashable, Identifiable {
    public var id: String
    /// A short, URL-safe code ("banpong").
    public var code: String
    public var name: LocalizedText
    public var shortName: LocalizedText
    /// The agency type as written in Thai ("อบต.", "เทศบาล", "กรม").
    public var type: String
    public var province: String
    public var district: String
    public var website: String
    /// The ministry (or other parent body) the agency reports to, for grouped results; empty when none is given.
    public var ministry: String

    public init(id: String = UUID().uuidString.lowercased(), code: String, name: LocalizedText, shortName: LocalizedText,
                type: String, province: String, district: String, website: String = "", ministry: String = "") {
        self.id = id
        self.code = code
        self.name = name
        self.shortName = shortName
        self.type = type
        self.province = province
        self.district = district
        self.website = website
        self.ministry = ministry
    }
}

/// A division of an agency (สำนักปลัด, กองคลัง, กองช่าง …) that owns OIT items and measures.
public struct Division: Sendable, Hashable, Identifiable {
    public var id: String
    public var agencyID: String
    public var code: String
    public var name: LocalizedText
    /// A retired division stays in the history and keeps its items; it takes no new work.
    public var active: Bool

    public init(id: String = UUID().uuidString.lowercased(), agencyID: String, code: String, name: LocalizedText, active: Bool = true) {
        self.id = id
        self.agencyID = agencyID
        self.code = code
        self.name = name
        self.active = active
    }
}

/// What a user may do, always scoped to one agency (a system administrator's grant has no agency).
public enum Role: String, Sendable, CaseIterable, Hashable {
    case admin
    case officer
    case division
    case assessor
    case viewer
    /// Handles corruption complaints (O27–O29): reads cases, replies, takes workflow steps.
    case handler
    /// Keeps reporters' identities: approves another person's reasoned request to see one.
    case custodian

    public var name: LocalizedText {
        switch self {
        case .admin: LocalizedText(th: "ผู้ดูแลระบบ", en: "Administrator")
        case .officer: LocalizedText(th: "เจ้าหน้าที่ ITA", en: "ITA officer")
        case .division: LocalizedText(th: "เจ้าหน้าที่ส่วนราชการ", en: "Division staff")
        case .assessor: LocalizedText(th: "ผู้ประเมิน", en: "Assessor")
        case .viewer: LocalizedText(th: "ผู้ดูข้อมูล", en: "Viewer")
        case .handler: LocalizedText(th: "ผู้รับผิดชอบเรื่องร้องเรียนการทุจริต", en: "Complaint handler")
        case .custodian: LocalizedText(th: "ผู้ควบคุมข้อมูลผู้ร้องเรียน", en: "Reporter-identity custodian")
        }
    }
}

public struct User: Sendable, Hashable, Identifiable {
    public var id: String
    public var username: String
    public var displayName: String
    /// bcrypt hash; never the password.
    public var passwordHash: String
    public var active: Bool
    /// Signed in with a temporary password: must choose their own before anything else.
    public var mustChangePassword: Bool
    /// The confirmed TOTP secret (base32) when two-factor sign-in is on.
    public var twoFactorSecret: String?
    /// A secret offered on the enrolment page and not yet confirmed with a code.
    public var twoFactorPending: String?

    public var twoFactorEnabled: Bool { twoFactorSecret != nil }

    public init(id: String = UUID().uuidString.lowercased(), username: String, displayName: String, passwordHash: String, active: Bool = true,
                mustChangePassword: Bool = false, twoFactorSecret: String? = nil, twoFactorPending: String? = nil) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.active = active
        self.mustChangePassword = mustChangePassword
        self.twoFactorSecret = twoFactorSecret
        self.twoFactorPending = twoFactorPending
    }
}

/// A role given to a user for one agency (nil: every agency, for system administrators).
public struct RoleGrant: Sendable, Hashable {
    public var userID: String
    public var agencyID: String?
    public var role: Role
    public var divisionID: String?

    public init(userID: String, agencyID: String?, role: Role, divisionID: String? = nil) {
        self.userID = userID
        self.agencyID = agencyID
        self.role = role
        self.divisionID = divisionID
    }
}

/// One agency's assessment for one fiscal year under one framework.
public struct Assessment: Sendable, Hashable, Identifiable {
    public var id: String
    public var agencyID: String
    public var frameworkID: String
    public var fiscalYear: Int

    public init(id: String = UUID().uuidString.lowercased(), agencyID: String, frameworkID: String, fiscalYear: Int) {
        self.id = id
        self.agencyID = agencyID
        self.frameworkID = frameworkID
        self.fiscalYear = fiscalYear
    }
}

/// Where a stored score came from.
public enum ResultSource: String, Sendable, Hashable {
    /// Published by the assessing body and entered by hand.
    case published
    /// Computed by Prongsai from responses or item results.
    case computed
}

/// A stored score of a survey part or a checklist tool.
public struct StoredResult: Sendable, Hashable {
    public var key: String
    public var score: Decimal
    public var source: ResultSource

    public init(key: String, score: Decimal, source: ResultSource) {
        self.key = key
        self.score = score
        self.source = source
    }
}

/// The agency's own progress on an OIT item.
public enum ItemProgress: String, Sendable, Hashable, CaseIterable {
    case notStarted = "not-started"
    case inProgress = "in-progress"
    case done

    public var name: LocalizedText {
        switch self {
        case .notStarted: LocalizedText(th: "ยังไม่ได้ดำเนินการ", en: "Not started")
        case .inProgress: LocalizedText(th: "อยู่ระหว่างดำเนินการ", en: "In progress")
        case .done: LocalizedText(th: "ดำเนินการแล้ว", en: "Done")
        }
    }
}

/// One OIT item of an assessment: its result, progress and responsible divisions.
public struct OITItemResult: Sendable, Hashable {
    public var itemID: String
    /// nil until judged; true passes (100), false fails (0).
    public var passed: Bool?
    public var progress: ItemProgress
    public var note: String
    public var divisionIDs: [String]

    public init(itemID: String, passed: Bool?, progress: ItemProgress = .notStarted, note: String = "", divisionIDs: [String] = []) {
        self.itemID = itemID
        self.passed = passed
        self.progress = progress
        self.note = note
        self.divisionIDs = divisionIDs
    }
}

/// Who did something, for the audit log.
public struct AuditActor: Sendable, Hashable {
    public var userID: String?
    public var name: String

    public init(userID: String?, name: String) {
        self.userID = userID
        self.name = name
    }

    public static let system = AuditActor(userID: nil, name: "system")
}

/// One write, as the audit log keeps it.
public struct AuditEntry: Sendable, Hashable {
    public var id: String
    /// ISO-8601 UTC.
    public var at: String
    public var userID: String?
    public var actor: String
    public var agencyID: String?
    public var action: String
    public var entity: String
    public var entityID: String
    /// What changed, as JSON text.
    public var detail: String

    public init(id: String, at: String, userID: String?, actor: String, agencyID: String?, action: String, entity: String, entityID: String, detail: String) {
        self.id = id
        self.at = at
        self.userID = userID
        self.actor = actor
        self.agencyID = agencyID
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.detail = detail
    }
}

/// When and how a survey part is open to respondents.
public struct SurveyWindow: Sendable, Hashable {
    public var assessmentID: String
    public var partID: String
    /// The short public link code: /s/{publicCode}.
    public var publicCode: String
    public var opensOn: CivilDate
    public var closesOn: CivilDate
    /// Respondents must give a one-time code (always for the IIT; optional for the EIT).
    public var requiresCode: Bool
    /// Staff with at least a year of service (IIT) or service users (EIT), for the minimum sample.
    public var population: Int?

    public init(assessmentID: String, partID: String, publicCode: String, opensOn: CivilDate, closesOn: CivilDate, requiresCode: Bool, population: Int?) {
        self.assessmentID = assessmentID
        self.partID = partID
        self.publicCode = publicCode
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.requiresCode = requiresCode
        self.population = population
    }

    public enum State: String, Sendable { case notYetOpen = "not-yet-open", open, closed }

    public func state(on day: CivilDate) -> State {
        day < opensOn ? .notYetOpen : day > closesOn ? .closed : .open
    }
}

/// One anonymous response as stored: the part, the date (no time) and the answers.
public struct StoredResponse: Sendable, Hashable {
    public var partID: String
    public var submittedOn: CivilDate
    public var response: SurveyResponse

    public init(partID: String, submittedOn: CivilDate, response: SurveyResponse) {
        self.partID = partID
        self.submittedOn = submittedOn
        self.response = response
    }
}
