import Foundation
import HummingbirdBcrypt
import Logging
import NIOPosix
import ProngsaiCore
import ProngsaiStore

/// Account use cases shared by the web app and the command line.
public enum Accounts {
    /// bcrypt cost for stored passwords.
    public static let cost: UInt8 = 12

    /// Hashes off the event loop (bcrypt is slow on purpose).
    public static func hash(_ password: String, cost: UInt8 = Accounts.cost) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A username: 3–40 of a–z, 0–9, ".", "_" and "-", starting with a letter or digit.
    public static func usernameProblem(_ username: String) -> LocalizedText? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (3...40).contains(username.count), username.allSatisfy(allowed.contains), let first = username.first, first.isLetter || first.isNumber else {
            return LocalizedText(th: "ชื่อผู้ใช้ต้องยาว 3–40 ตัว ใช้ได้เฉพาะ a–z 0–9 . _ - และขึ้นต้นด้วยตัวอักษรหรือตัวเลข",
                                 en: "A username is 3–40 characters of a–z, 0–9, \".\", \"_\" and \"-\", starting with a letter or digit")
        }
        return nil
    }

    /// A right code from the user's authenticator app, spent so it cannot be used again (sign-in and the
    /// two-factor page alike); false for a wrong code, a used one, or no two-factor secret.
    public static func spendCode(_ typed: String, user: User, at now: Date, repositories: Repositories, logger: Logger) async throws -> Bool {
        guard let secret = user.twoFactorSecret.flatMap(Base32.decode), let step = TOTP.matchingStep(typed, secret: secret, at: now) else { return false }
        return try await repositories.users.useTwoFactorStep(userID: user.id, step: step, logger: logger)
    }

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var message: LocalizedText
        public var description: String { message.en }
    }

    /// Creates a system administrator. With no password given, one is generated; either way it is
    /// returned, to be shown once. A password given must pass `PasswordPolicy`.
    public static func createAdministrator(username: String, displayName: String?, password: String?, repositories: Repositories,
                                           logger: Logger) async throws -> String {
        if let problem = usernameProblem(username) { throw Problem(message: problem) }
        if let password, let problem = PasswordPolicy.problem(password, username: username) { throw Problem(message: problem) }
        let chosen = password ?? PasswordPolicy.generate()
        let user = User(username: username, displayName: displayName ?? username, passwordHash: try await hash(chosen))
        do {
            try await repositories.users.create(user, grants: [RoleGrant(userID: user.id, agencyID: nil, role: .admin)],
                                                by: AuditActor(userID: nil, name: "command line"), logger: logger)
        } catch is DuplicateError {
            throw Problem(message: LocalizedText(th: "มีชื่อผู้ใช้ \(username) อยู่แล้ว", en: "the username \"\(username)\" is taken"))
        }
        return chosen
    }
}
