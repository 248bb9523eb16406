import Foundation
import HummingbirdBcrypt
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb

/// Two agencies and one user per role, for the web tests. Passwords are known to the tests.
public struct SeededWorld: Sendable {
    public var banpong: Agency
    public var other: Agency
    public var assessment: Assessment
    public var otherAssessment: Assessment
    public static let password = "correct horse 2566"

    /// The reference agency (via the demo loader) plus a second agency with its own officer.
    public static func seed(_ repositories: Repositories, catalog: FrameworkCatalog) async throws -> SeededWorld {
        _ = try await DemoLoader.load(into: repositories, catalog: catalog, logger: testLogger)
        let banpong = try await repositories.agencies.find(code: "banpong", logger: testLogger)!
        let assessment = try await repositories.assessments.find(agencyID: banpong.id, fiscalYear: 2566, logger: testLogger)!
        let actor = AuditActor.system
        let other = Agency(code: "muang", name: .init(th: "เทศบาลเมืองทดสอบ", en: "Test Town"), shortName: .init(th: "ทม.ทดสอบ", en: "Test"),
                           type: "เทศบาล", province: "ลำปาง", district: "เมือง")
        try await repositories.agencies.create(other, by: actor, logger: testLogger)
        let otherAssessment = Assessment(agencyID: other.id, frameworkID: "ita-2566", fiscalYear: 2566)
        try await repositories.assessments.create(otherAssessment, by: actor, logger: testLogger)
        let hash = Bcrypt.hash(password, cost: 4)
        // Demo accounts get random passwords; give every account the known test password.
        for username in ["admin", "officer", "palad", "assessor", "viewer", "handler", "custodian"] {
            let user = try await repositories.users.find(username: username, logger: testLogger)!
            try await repositories.users.setPassword(userID: user.id, passwordHash: hash, mustChange: false, keeping: nil, by: actor, logger: testLogger)
        }
        let otherOfficer = User(username: "muang-officer", displayName: "เจ้าหน้าที่เทศบาล", passwordHash: hash)
        try await repositories.users.create(otherOfficer, grants: [RoleGrant(userID: otherOfficer.id, agencyID: other.id, role: .officer)], by: actor, logger: testLogger)
        return SeededWorld(banpong: banpong, other: other, assessment: assessment, otherAssessment: otherAssessment)
    }
}
