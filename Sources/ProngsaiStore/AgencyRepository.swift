import Foundation
import Logging
import ProngsaiCore
import SQLKit

public protocol AgencyRepository: Sendable {
    func create(_ agency: Agency, by actor: Actor, logger: Logger) async throws
    func all(logger: Logger) async throws -> [Agency]
    func find(id: String, logger: Logger) async throws -> Agency?
    func find(code: String, logger: Logger) async throws -> Agency?
    func createDivision(_ division: Division, by actor: Actor, logger: Logger) async throws
    func divisions(agencyID: String, logger: Logger) async throws -> [Division]
}

public struct SQLAgencyRepository: AgencyRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ agency: Agency, by actor: Actor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "agencies")
                .columns("id", "code", "name_th", "name_en", "short_th", "short_en", "type", "province", "district", "website", "created_at")
                .values(
                    SQLBind(agency.id), SQLBind(agency.code), SQLBind(agency.name.th), SQLBind(agency.name.en),
                    SQLBind(agency.shortName.th), SQLBind(agency.shortName.en), SQLBind(agency.type),
                    SQLBind(agency.province), SQLBind(agency.district), SQLBind(agency.website), SQLBind(StoredTime.now()))
                .run()
            try await recordAudit(on: db, actor: actor, agencyID: agency.id, action: "create", entity: "agency", entityID: agency.id,
                                  detail: ["code": .string(agency.code), "name": .string(agency.name.th)])
        }
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

    public func createDivision(_ division: Division, by actor: Actor, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.insert(into: "divisions")
                .columns("id", "agency_id", "code", "name_th", "name_en")
                .values(SQLBind(division.id), SQLBind(division.agencyID), SQLBind(division.code), SQLBind(division.name.th), SQLBind(division.name.en))
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
                name: LocalizedText(th: try row.decode(column: "name_th", as: String.self), en: try row.decode(column: "name_en", as: String.self)))
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
            website: try row.decode(column: "website", as: String.self))
    }
}
