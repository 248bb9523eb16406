import Foundation
import Logging
import ProngsaiCore
import SQLKit

public protocol AgencyRepository: Sendable {
    func create(_ agency: Agency, by actor: AuditActor, logger: Logger) async throws
    func all(logger: Logger) async throws -> [Agency]
    func find(id: String, logger: Logger) async throws -> Agency?
    func find(code: String, logger: Logger) async throws -> Agency?
    func createDivision(_ division: Division, by actor: AuditActor, logger: Logger) async throws
    func divisions(agencyID: String, logger: Logger) async throws -> [Division]
    /// Name, type, place and website; the code stays (it is in every link).
    func update(_ agency: Agency, by actor: AuditActor, logger: Logger) async throws
    /// All or nothing: one bad row (a duplicate code) leaves no agency created.
    func createAll(_ agencies: [Agency], by actor: AuditActor, logger: Logger) async throws
    /// Renames, or retires and brings back, a division; its items and history stay.
    func updateDivision(_ division: Division, by actor: AuditActor, logger: Logger) async throws
}

/// A code already taken (agency, division or username).
public struct DuplicateError: Error, Sendable, Equatable {
    public var what: String
    public var value: String
    public init(what: String, value: String) {
        self.what = what
        self.value = value
    }
}

public struct SQLAgencyRepository: AgencyRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ agency: Agency, by actor: AuditActor, logger: Logger) async throws {
        try await createAll([agency], by: actor, logger: logger)
    }

    public func createAll(_ agencies: [Agency], by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            for agency in agencies {
                if try await db.select().column("id").from("agencies").where("code", .equal, agency.code).first() != nil {
                    throw DuplicateError(what: "agency", value: agency.code)
                }
                try await Self.insert(agency, on: db, actor: actor)
            }
        }
    }

    public func update(_ agency: Agency, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.update("agencies")
                .set("name_th", to: agency.name.th).set("name_en", to: agency.name.en)
                .set("short_th", to: agency.shortName.th).set("short_en", to: agency.shortName.en)
                .set("type", to: agency.type).set("province", to: agency.province).set("district", to: agency.district)
                .set("website", to: agency.website).set("ministry", to: agency.ministry)
                .where("id", .equal, agency.id).run()
            try await recordAudit(on: db, actor: actor, agencyID: agency.id, action: "update", entity: "agency", entityID: agency.id,
                                  detail: ["code": .string(agency.code), "name": .string(agency.name.th)])
        }
    }

    public func updateDivision(_ division: Division, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.update("divisions")
                .set("name_th", to: division.name.th).set("name_en", to: division.name.en).set("active", to: division.active ? 1 : 0)
                .where("id", .equal, division.id).where("agency_id", .equal, division.agencyID).run()
            try await recordAudit(on: db, actor: actor, agencyID: division.agencyID, action: division.active ? "update" : "deactivate",
                                  entity: "division", entityID: division.id,
                                  detail: ["code": .string(division.code), "name": .string(division.name.th), "active": .bool(division.active)])
        }
    }

    static func insert(_ agency: Agency, on db: any SQLDatabase, actor: AuditActor) async throws {
        try await db.insert(into: "agencies")
                .columns("id", "code", "name_th", "name_en", "short_th", "short_en", "type", "province", "district", "website", "ministry", "created_at")
                .values(
                    SQLBind(agency.id), SQLBind(agency.code), SQLBind(agency.name.th), SQLBind(agency.name.en),
                    SQLBind(agency.shortName.th), SQLBind(agency.shortName.en), SQLBind(agency.type),
                    SQLBind(agency.province), SQLBind(agency.district), SQLBind(agency.website), SQLBind(agency.ministry), SQLBind(StoredTime.now()))
                .run()
        try await recordAudit(on: db, actor: actor, agencyID: agency.id, action: "create", entity: "agency", entityID: agency.id,
                              detail: ["code": .string(agency.code), "name": .string(agency.name.th)])
    }

    public func all(logger: Logger) async throws -> [Agency] {
        try await database.sql.select().column("*").from("agencies").orderBy("name_th").all().map(Self.agency)
    }

    public func find(id: String, logger: Logger) async throws -> Agency? {
        try await database.sql.select().column("*").from("agencies").where("id", .equal, id).first().map(Self.agency)
    }

    public func find(code: String, logger: Logger) async throws -> Agency? {
        try await database.sql.select().column("*").from("agencies").where("code", .equal, code).first().map(Self.agency)
    }

    public func createDivision(_ division: Division, by actor: AuditActor, logger: Logger) async throws {
        try await database.transaction { db in
            if try await db.select().column("id").from("divisions").where("agency_id", .equal, division.agencyID)
                .where("code", .equal, division.code).first() != nil
            {
                throw DuplicateError(what: "division", value: division.code)
            }
            try await db.insert(into: "divisions")
                .columns("id", "agency_id", "code", "name_th", "name_en", "active")
                .values(SQLBind(division.id), SQLBind(division.agencyID), SQLBind(division.code), SQLBind(division.name.th), SQLBind(division.name.en),
                        SQLBind(division.active ? 1 : 0))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: division.agencyID, action: "create", entity: "division", entityID: division.id,
                                  detail: ["code": .string(division.code), "name": .string(division.name.th)])
        }
    }

    public func divisions(agencyID: String, logger: Logger) async throws -> [Division] {
        try await database.sql.select().column("*").from("divisions").where("agency_id", .equal, agencyID).orderBy("code").all().map { row in
            Division(
                id: try row.decode(column: "id", as: String.self),
                agencyID: try row.decode(column: "agency_id", as: String.self),
                code: try row.decode(column: "code", as: String.self),
                name: LocalizedText(th: try row.decode(column: "name_th", as: String.self), en: try row.decode(column: "name_en", as: String.self)),
                active: try row.decode(column: "active", as: Int.self) != 0)
        }
    }

    static func agency(_ row: any SQLRow) throws -> Agency {
        Agency(
            id: try row.decode(column: "id", as: String.self),
            code: try row.decode(column: "code", as: String.self),
            name: LocalizedText(th: try row.decode(column: "name_th", as: String.self), en: try row.decode(column: "name_en", as: String.self)),
            shortName: LocalizedText(th: try row.decode(column: "short_th", as: String.self), en: try row.decode(column: "short_en", as: String.self)),
            type: try row.decode(column: "type", as: String.self),
            province: try row.decode(column: "province", as: String.self),
            district: try row.decode(column: "district", as: String.self),
            website: try row.decode(column: "website", as: String.self),
            ministry: try row.decode(column: "ministry", as: String.self))
    }
}

extension DuplicateError: DomainError {
    public var userMessage: LocalizedText { LocalizedText(th: "มี\(what) \(value) อยู่แล้ว", en: "The \(what) \(value) exists already") }
    public var kind: DomainErrorKind { .conflict }
}
