import Foundation
import Logging
import ProngsaiCore
import SQLKit

/// What one assessment is scored from, read in bulk for a whole round: its stored scores, its OIT items
/// (judged, with the published results over them) and its counted survey answers. The same inputs the
/// agency's own pages score from, so a round's figures equal the agency's.
public struct ScoringInputs: Sendable {
    public var assessmentID: String
    public var agencyID: String
    public var frameworkID: String
    public var results: [StoredResult] = []
    public var items: [OITItemResult] = []
    public var published: [PublishedItemResult] = []
    public var tallies: [String: ResponseTally] = [:]

    /// The items the figures count: the published result wins over the agency's own judgement.
    public var effectiveItems: [OITItemResult] { ItemResults.effective(judged: items, published: published) }
}

/// One agency's figures in a round, as the national recompute stores them.
public struct RoundScore: Sendable, Hashable {
    public var agencyID: String
    public var assessmentID: String
    /// Full precision; nil while the agency's results are incomplete.
    public var score: Decimal?
    public var levelID: String?
    /// The agency's score the fiscal year before, when it has one.
    public var previous: Decimal?
    /// Tool and part figures by id, full precision.
    public var figures: [String: Decimal]

    public init(agencyID: String, assessmentID: String, score: Decimal?, levelID: String?, previous: Decimal?, figures: [String: Decimal]) {
        self.agencyID = agencyID
        self.assessmentID = assessmentID
        self.score = score
        self.levelID = levelID
        self.previous = previous
        self.figures = figures
    }
}

/// Bulk reads and writes of the national recompute: a handful of statements for the whole round, with
/// the per-question counts grouped into one text per assessment and part by the database (a round of
/// 8,300 agencies has about two million count rows, and 25,000 grouped texts).
public struct RoundScoreRepository: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    static let unit: UInt8 = 0x1F
    static let record: UInt8 = 0x1E

    /// The round's agencies' assessments of `fiscalYear` (the round's own year, or the year before) with
    /// everything they are scored from. The six statements run at once (on PostgreSQL, each on its own
    /// connection), and each grouped text is split as bytes.
    public func inputs(roundID: String, fiscalYear: Int, logger: Logger) async throws -> [ScoringInputs] {
        let db = database.sql
        let chosen: SQLQueryString = """
            SELECT a.id FROM assessments a JOIN round_agencies r ON r.agency_id = a.agency_id \
            WHERE r.round_id = \(bind: roundID) AND a.fiscal_year = \(bind: fiscalYear)
            """
        let assessments: SQLQueryString = """
            SELECT a.id, a.agency_id, a.framework_id FROM assessments a JOIN round_agencies r ON r.agency_id = a.agency_id \
            WHERE r.round_id = \(bind: roundID) AND a.fiscal_year = \(bind: fiscalYear)
            """
        let concat = database.engine == .postgres ? "string_agg" : "group_concat"
        let (u, r) = (String(UnicodeScalar(Self.unit)), String(UnicodeScalar(Self.record)))
        // Stored scores: key, score, source.
        let resultsQuery: SQLQueryString = """
            SELECT assessment_id, \(unsafeRaw: concat)(result_key || \(bind: u) || score || \(bind: u) || source, \(bind: r)) AS t \
            FROM assessment_results WHERE assessment_id IN (\(chosen)) GROUP BY assessment_id
            """
        // Judged items: id and passed (-1 while unjudged).
        let itemsQuery: SQLQueryString = """
            SELECT assessment_id, \(unsafeRaw: concat)(item_id || \(bind: u) || COALESCE(passed, -1), \(bind: r)) AS t \
            FROM oit_item_results WHERE assessment_id IN (\(chosen)) GROUP BY assessment_id
            """
        // Published item results (only whether each passed counts for the figures).
        let publishedQuery: SQLQueryString = """
            SELECT assessment_id, \(unsafeRaw: concat)(item_id || \(bind: u) || passed, \(bind: r)) AS t \
            FROM published_item_results WHERE assessment_id IN (\(chosen)) GROUP BY assessment_id
            """
        // Respondents per part, and the counts per question and answer, one text per assessment and part.
        let daysQuery: SQLQueryString = """
            SELECT assessment_id, part_id, CAST(SUM(n) AS BIGINT) AS n FROM survey_days WHERE assessment_id IN (\(chosen)) \
            GROUP BY assessment_id, part_id
            """
        let talliesQuery: SQLQueryString = """
            SELECT assessment_id, part_id, \(unsafeRaw: concat)(question_id || \(bind: u) || answer || \(bind: u) || n, \(bind: r)) AS t \
            FROM survey_tallies WHERE assessment_id IN (\(chosen)) GROUP BY assessment_id, part_id
            """

        async let assessmentRows = db.raw(assessments).all()
        async let resultRows = grouped(resultsQuery)
        async let itemRows = grouped(itemsQuery)
        async let publishedRows = grouped(publishedQuery)
        async let dayRows = db.raw(daysQuery).all()
        async let tallyRows = db.raw(talliesQuery).all()

        var byID: [String: ScoringInputs] = [:]
        for row in try await assessmentRows {
            let id = try row.decode(column: "id", as: String.self)
            byID[id] = ScoringInputs(assessmentID: id, agencyID: try row.decode(column: "agency_id", as: String.self),
                                     frameworkID: try row.decode(column: "framework_id", as: String.self))
        }
        for (id, fields) in try await resultRows {
            byID[id]?.results = fields.compactMap { f in
                guard f.count == 3, let score = Decimal(string: f[1], locale: Locale(identifier: "en_US_POSIX")), let source = ResultSource(rawValue: f[2]) else { return nil }
                return StoredResult(key: f[0], score: score, source: source)
            }
        }
        for (id, fields) in try await itemRows {
            byID[id]?.items = fields.compactMap { f in
                guard f.count == 2, let passed = Int(f[1]) else { return nil }
                return OITItemResult(itemID: f[0], passed: passed < 0 ? nil : passed != 0)
            }
        }
        for (id, fields) in try await publishedRows {
            byID[id]?.published = fields.compactMap { f in
                guard f.count == 2, let passed = Int(f[1]) else { return nil }
                return PublishedItemResult(itemID: f[0], passed: passed != 0, reason: "", source: .url(""))
            }
        }
        var respondents: [String: [String: Int]] = [:]
        for row in try await dayRows {
            respondents[try row.decode(column: "assessment_id", as: String.self), default: [:]][try row.decode(column: "part_id", as: String.self)] =
                try row.decode(column: "n", as: Int.self)
        }
        // The counts' texts are most of what is read: split them on every core.
        let texts = try await tallyRows.map { row in
            (try row.decode(column: "assessment_id", as: String.self), try row.decode(column: "part_id", as: String.self), try row.decode(column: "t", as: String.self))
        }
        let parsed = await Parallel.map(texts) { id, part, text in
            (id, part, Self.split(text).compactMap { f -> (question: String, answer: Answer, count: Int)? in
                guard f.count == 3, let answer = Answer(storageText: f[1]), let n = Int(f[2]) else { return nil }
                return (f[0], answer, n)
            })
        }
        var counts: [String: [String: [(question: String, answer: Answer, count: Int)]]] = [:]
        for (id, part, entries) in parsed { counts[id, default: [:]][part] = entries }
        for (id, parts) in respondents {
            byID[id]?.tallies = Dictionary(uniqueKeysWithValues: parts.map { part, n in (part, ResponseTally(respondents: n, counts: counts[id]?[part] ?? [])) })
        }
        return byID.values.sorted { $0.assessmentID < $1.assessmentID }
    }

    /// Rows of (assessment id, grouped text) split into records of fields.
    func grouped(_ query: SQLQueryString) async throws -> [(String, [[String]])] {
        try await database.sql.raw(query).all().map { row in
            (try row.decode(column: "assessment_id", as: String.self), Self.split(try row.decode(column: "t", as: String.self)))
        }
    }

    /// Records of fields, split on the separator bytes (ASCII, never inside UTF-8 text of other characters).
    static func split(_ text: String) -> [[String]] {
        text.utf8.split(separator: record, omittingEmptySubsequences: true).map { fields in
            fields.split(separator: unit, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Replaces the round's stored figures with `scores` in one transaction and stamps the round.
    public func replace(roundID: String, with scores: [RoundScore], logger: Logger) async throws {
        try await database.transaction { db in
            try await db.delete(from: "round_scores").where("round_id", .equal, roundID).run()
            for start in stride(from: 0, to: scores.count, by: 1_000) {
                var insert = db.insert(into: "round_scores").columns("round_id", "agency_id", "assessment_id", "score", "level", "previous_score", "figures")
                for score in scores[start..<min(start + 1_000, scores.count)] {
                    let figures = JSONValue.object(JSONObject(score.figures.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value.description)) }))
                    insert = insert.values(SQLBind(roundID), SQLBind(score.agencyID), SQLBind(score.assessmentID), SQLBind(score.score?.description),
                                           SQLBind(score.levelID), SQLBind(score.previous?.description), SQLBind(figures.serialized()))
                }
                try await insert.run()
            }
            try await db.update("rounds").set("scored_at", to: StoredTime.now()).where("id", .equal, roundID).run()
        }
    }

    /// When the round's stored figures were computed (nil: never, or no such round): one small read.
    public func computedAt(roundID: String, logger: Logger) async throws -> String? {
        let row = try await database.sql.select().column("scored_at").from("rounds").where("id", .equal, roundID).first()
        return try row.flatMap { try $0.decodeNil(column: "scored_at") ? nil : try $0.decode(column: "scored_at", as: String.self) }
    }

    /// The round's stored figures by agency id, and when they were computed (nil: never).
    public func scores(roundID: String, logger: Logger) async throws -> (computedAt: String?, scores: [String: RoundScore]) {
        guard let computedAt = try await computedAt(roundID: roundID, logger: logger) else { return (nil, [:]) }
        var out: [String: RoundScore] = [:]
        func decimal(_ row: any SQLRow, _ column: String) throws -> Decimal? {
            try row.decodeNil(column: column) ? nil : Decimal(string: try row.decode(column: column, as: String.self), locale: Locale(identifier: "en_US_POSIX"))
        }
        for row in try await database.sql.select().column("*").from("round_scores").where("round_id", .equal, roundID).all() {
            var figures: [String: Decimal] = [:]
            if case .object(let object)? = try? JSONParser.parse(try row.decode(column: "figures", as: String.self)) {
                for (key, value) in object.members { if case .string(let text) = value, let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) { figures[key] = d } }
            }
            let agencyID = try row.decode(column: "agency_id", as: String.self)
            out[agencyID] = RoundScore(agencyID: agencyID, assessmentID: try row.decode(column: "assessment_id", as: String.self),
                                       score: try decimal(row, "score"), levelID: try row.decodeNil(column: "level") ? nil : try row.decode(column: "level", as: String.self),
                                       previous: try decimal(row, "previous_score"), figures: figures)
        }
        return (computedAt, out)
    }
}
