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

    /// One more burst (an address past the day's threshold) for a survey part on `day`.
    public func recordBurst(assessmentID: String, partID: String, day: CivilDate) async throws {
        try await database.sql.insert(into: "survey_bursts").columns("assessment_id", "part_id", "day", "events")
            .values(SQLBind(assessmentID), SQLBind(partID), SQLBind(day.iso), SQLBind(1))
            .onConflict(with: ["assessment_id", "part_id", "day"]) { $0.set("events", to: SQLRaw("survey_bursts.events + 1")) }
            .run()
    }

    /// Bursts per part and day, oldest first.
    public func bursts(assessmentID: String) async throws -> [(partID: String, day: CivilDate, events: Int)] {
        try await database.sql.select().column("part_id").column("day").column("events").from("survey_bursts")
            .where("assessment_id", .equal, assessmentID).orderBy("day").all().compactMap { row in
                guard let day = CivilDate(iso: try row.decode(column: "day", as: String.self)) else { return nil }
                return (try row.decode(column: "part_id", as: String.self), day, try row.decode(column: "events", as: Int.self))
            }
    }

    /// Whether the database holds anything (an agency or a user): `--demo` refuses such a database unless
    /// the demo made it.
    public func holdsData() async throws -> Bool {
        let agency = try await database.sql.select().column("id").from("agencies").limit(1).first()
        let user = try await database.sql.select().column("id").from("users").limit(1).first()
        return agency != nil || user != nil
    }
}
