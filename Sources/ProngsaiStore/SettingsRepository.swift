import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// Install-wide settings, one text value per key.
public struct SettingsRepository: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    /// Set on a database the demo loader created: `--demo` may reset its demo accounts, and only its.
    public static let demoKey = "demo"

    public func get(_ key: String) async throws -> String? {
        try await database.sql.select().column("value").from("settings").where("key", .equal, key).first()?.decode(column: "value", as: String.self)
    }

    public func set(_ key: String, _ value: String) async throws {
        try await database.transaction { db in
            try await db.delete(from: "settings").where("key", .equal, key).run()
            try await db.insert(into: "settings").columns("key", "value").values(SQLBind(key), SQLBind(value)).run()
        }
    }

    /// The value of `key`, set to `make()` the first time; every node reads the same value (the first
    /// insert wins, later ones are ignored).
    public func value(_ key: String, orSet make: () -> String) async throws -> String {
        if let value = try await get(key) { return value }
        try await database.sql.insert(into: "settings").columns("key", "value").values(SQLBind(key), SQLBind(make()))
            .ignoringConflicts(with: ["key"]).run()
        return try await get(key) ?? make()
    }

    /// Whether the database holds anything (an agency or a user): `--demo` refuses such a database unless
    /// the demo made it.
    public func holdsData() async throws -> Bool {
        let agency = try await database.sql.select().column("id").from("agencies").limit(1).first()
        let user = try await database.sql.select().column("id").from("users").limit(1).first()
        return agency != nil || user != nil
    }
}
