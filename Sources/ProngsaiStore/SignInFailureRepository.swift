import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// Wrong sign-in attempts, per account name and per client address, in the database so that every app
/// node applies the same waits.
public struct SignInFailureRepository: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    public static func accountKey(_ username: String) -> String { "account:" + username.lowercased() }
    public static func addressKey(_ address: String) -> String { "address:" + address }

    /// The latest time any of `keys` is locked until, when that is after `now`.
    public func lockedUntil(keys: [String], now: Date, logger: Logger) async throws -> Date? {
        let rows = try await database.sql.select().column("locked_until").from("sign_in_failures").where("key", .in, keys).all()
        return rows.compactMap { try? $0.decode(column: "locked_until", as: String?.self) }.compactMap { $0 }
            .compactMap(StoredTime.parse).filter { $0 > now }.max()
    }

    /// Counts one more failure for `key` under `throttle`; returns the time it is locked until, if any.
    @discardableResult
    public func recordFailure(key: String, throttle: SignInThrottle, now: Date, logger: Logger) async throws -> Date? {
        try await database.transaction { db in
            let row = try await db.select().column("failures").column("last_failure_at").from("sign_in_failures").where("key", .equal, key).first()
            var failures = 1
            if let row, let last = StoredTime.parse(try row.decode(column: "last_failure_at", as: String.self)),
               now.timeIntervalSince(last) < throttle.memory {
                failures = try row.decode(column: "failures", as: Int.self) + 1
            }
            let wait = throttle.wait(afterFailures: failures)
            let until = wait > 0 ? now.addingTimeInterval(wait) : nil
            try await db.delete(from: "sign_in_failures").where("key", .equal, key).run()
            try await db.insert(into: "sign_in_failures").columns("key", "failures", "last_failure_at", "locked_until")
                .values(SQLBind(key), SQLBind(failures), SQLBind(StoredTime.now(now)), SQLBind(until.map { StoredTime.now($0) }))
                .run()
            return until
        }
    }

    /// An audit entry when sign-in for an account or an address starts to wait.
    public func auditLock(account: String, address: String, until: Date, logger: Logger) async throws {
        try await recordAudit(on: database.sql, actor: AuditActor(userID: nil, name: "sign-in"), agencyID: nil, action: "sign-in.locked",
                              entity: "account", entityID: String(account.prefix(100)),
                              detail: ["address": .string(address), "lockedUntil": .string(StoredTime.now(until))])
    }

    public func clear(keys: [String], logger: Logger) async throws {
        try await database.sql.delete(from: "sign_in_failures").where("key", .in, keys).run()
    }
}
