import Crypto
import Foundation
import Logging
import ProngsaiCore
import SQLKit

extension SQLEvidenceRepository {
    /// The newest snapshot of each link of an assessment.
    public func snapshots(assessmentID: String, logger: Logger) async throws -> [EvidenceSnapshot] {
        let rows = try await database.sql.select().column("*").from("evidence_snapshots").where("assessment_id", .equal, assessmentID)
            .orderBy("fetched_at").all()
        var latest: [String: EvidenceSnapshot] = [:]
        for row in rows {
            let snapshot = EvidenceSnapshot(
                itemID: try row.decode(column: "item_id", as: String.self), url: try row.decode(column: "url", as: String.self),
                fetchedAt: try row.decode(column: "fetched_at", as: String.self),
                status: try row.decodeNil(column: "status") ? nil : row.decode(column: "status", as: Int.self),
                contentType: try row.decode(column: "content_type", as: String.self),
                sha256: try row.decodeNil(column: "sha256") ? nil : row.decode(column: "sha256", as: String.self),
                size: try row.decode(column: "size", as: Int.self),
                error: try row.decodeNil(column: "error") ? nil : row.decode(column: "error", as: String.self),
                changed: try row.decode(column: "changed", as: Int.self) != 0)
            latest["\(snapshot.itemID) \(snapshot.url)"] = snapshot
        }
        return Array(latest.values).sorted { ($0.itemID, $0.url) < ($1.itemID, $1.url) }
    }

    /// Stores what one fetch found; the bytes go to the blob store like evidence files.
    @discardableResult
    /// Claims a link for one fetch: true for the node whose claim lands (none yet, or the last one older than
    /// `renewBefore`, left by a fetch that finished or a node that died), false for every other.
    public func claimLink(assessmentID: String, itemID: String, url: String, now: Date, renewBefore: Date, logger: Logger) async throws -> Bool {
        try await !database.sql.raw("""
            INSERT INTO link_claims (assessment_id, item_id, url, claimed_at) VALUES (\(bind: assessmentID), \(bind: itemID), \(bind: url), \(bind: StoredTime.now(now)))
            ON CONFLICT (assessment_id, item_id, url) DO UPDATE SET claimed_at = excluded.claimed_at
            WHERE link_claims.claimed_at < \(bind: StoredTime.now(renewBefore))
            RETURNING url
            """).all().isEmpty
    }

    public func saveSnapshot(assessmentID: String, itemID: String, url: String, result: FetchResult, previous: EvidenceSnapshot?, logger: Logger) async throws -> EvidenceSnapshot {
        var sha: String?
        if result.error == nil, !result.bytes.isEmpty {
            sha = try await storeBlob(result.bytes, contentType: result.contentType.isEmpty ? "application/octet-stream" : result.contentType)
        }
        let snapshot = EvidenceSnapshot(
            itemID: itemID, url: url, fetchedAt: StoredTime.now(), status: result.status, contentType: result.contentType, sha256: sha,
            size: result.bytes.count, error: result.error, changed: previous?.sha256 != nil && sha != nil && previous?.sha256 != sha)
        try await database.sql.insert(into: "evidence_snapshots")
            .columns("id", "assessment_id", "item_id", "url", "fetched_at", "status", "content_type", "sha256", "size", "error", "changed")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(assessmentID), SQLBind(itemID), SQLBind(url), SQLBind(snapshot.fetchedAt),
                    SQLBind(snapshot.status), SQLBind(snapshot.contentType), SQLBind(sha), SQLBind(snapshot.size), SQLBind(snapshot.error), SQLBind(snapshot.changed ? 1 : 0))
            .run()
        return snapshot
    }

    /// Every assessment's current evidence links: (assessment, item, url).
    public func currentLinks(logger: Logger) async throws -> [(assessmentID: String, itemID: String, url: String)] {
        let rows = try await database.sql.select().column("assessment_id").column("item_id").column("revision").column("links").from("oit_evidence_revisions").all()
        var latest: [String: (assessmentID: String, itemID: String, revision: Int, links: String)] = [:]
        for row in rows {
            let key = "\(try row.decode(column: "assessment_id", as: String.self)) \(try row.decode(column: "item_id", as: String.self))"
            let revision = try row.decode(column: "revision", as: Int.self)
            if let existing = latest[key], existing.revision > revision { continue }
            latest[key] = (try row.decode(column: "assessment_id", as: String.self), try row.decode(column: "item_id", as: String.self), revision,
                           try row.decode(column: "links", as: String.self))
        }
        return latest.values.flatMap { entry in
            ((try? JSONParser.parse(entry.links).arrayValue) ?? []).compactMap(\.stringValue).map { (entry.assessmentID, entry.itemID, $0) }
        }
    }

    /// Keeps bytes by their SHA-256 (in the folder, or in the database when there is none) and returns it.
    /// Storing the same bytes twice keeps one copy.
    public func storeBlob(_ bytes: [UInt8], contentType: String) async throws -> String {
        let digest = NumberText.hex(SHA256.hash(data: bytes))
        if let folder { try await BlobFolder(root: folder).write(bytes, sha256: digest) }
        try await database.sql.insert(into: "blobs").columns("sha256", "size", "content_type", "data", "created_at")
            .values(SQLBind(digest), SQLBind(bytes.count), SQLBind(contentType), folder == nil ? SQLBind(Data(bytes)) : SQLBind(Optional<Data>.none),
                    SQLBind(StoredTime.now()))
            .ignoringConflicts(with: ["sha256"]).run()
        return digest
    }

}

/// Fetches new evidence links within seconds and re-checks every link daily; a Service run by
/// the app's service group, so it stops with the server.
public struct LinkChecker: Sendable {
    public let evidence: SQLEvidenceRepository
    public let fetcher: SafeFetcher
    public var recheckAfter: TimeInterval
    /// Fetches per assessment in one round: an agency with thousands of links takes several rounds and
    /// does not hold up the others (nor make the checker hammer one web server).
    public var budgetPerAssessment: Int
    public let logger: Logger

    public init(evidence: SQLEvidenceRepository, fetcher: SafeFetcher, recheckAfter: TimeInterval = 86_400, budgetPerAssessment: Int = 100, logger: Logger) {
        self.evidence = evidence
        self.fetcher = fetcher
        self.recheckAfter = recheckAfter
        self.budgetPerAssessment = budgetPerAssessment
        self.logger = logger
    }

    /// Fetches links never fetched, and links last fetched longer ago than `recheckAfter`. Returns how many it fetched.
    @discardableResult
    public func checkDue(now: Date = Date()) async throws -> Int {
        let links = try await evidence.currentLinks(logger: logger)
        var snapshotsByAssessment: [String: [String: EvidenceSnapshot]] = [:]
        var fetched = 0
        var spent: [String: Int] = [:]
        for link in links {
            if spent[link.assessmentID, default: 0] >= budgetPerAssessment { continue }
            if snapshotsByAssessment[link.assessmentID] == nil {
                let list = try await evidence.snapshots(assessmentID: link.assessmentID, logger: logger)
                snapshotsByAssessment[link.assessmentID] = Dictionary(list.map { ("\($0.itemID) \($0.url)", $0) }, uniquingKeysWith: { a, _ in a })
            }
            let previous = snapshotsByAssessment[link.assessmentID]?["\(link.itemID) \(link.url)"]
            if let previous, let at = StoredTime.parse(previous.fetchedAt), now.timeIntervalSince(at) < recheckAfter { continue }
            // Another node may be fetching it this very round: only the node whose claim lands fetches.
            guard try await evidence.claimLink(assessmentID: link.assessmentID, itemID: link.itemID, url: link.url, now: now,
                                               renewBefore: now.addingTimeInterval(-min(600, recheckAfter)), logger: logger) else { continue }
            spent[link.assessmentID, default: 0] += 1
            let result = await fetcher.fetch(link.url)
            let snapshot = try await evidence.saveSnapshot(assessmentID: link.assessmentID, itemID: link.itemID, url: link.url, result: result, previous: previous, logger: logger)
            snapshotsByAssessment[link.assessmentID]?["\(link.itemID) \(link.url)"] = snapshot
            if snapshot.dead { logger.notice("evidence link is dead: \(link.url) (\(snapshot.error ?? snapshot.status.map(String.init) ?? "?"))") }
            fetched += 1
        }
        return fetched
    }
}
