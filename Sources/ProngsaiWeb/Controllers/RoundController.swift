import Crypto
import Foundation
import Hummingbird
import Logging
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// An assessing body's rounds: a fiscal year and its framework for a list of agencies, and assessor teams
/// that assess a set of them. Administrators run them (everyone else gets 404); an assessor's queue lists
/// the items waiting for them across their agencies, oldest first.
struct RoundController {
    let repositories: Repositories
    let views: Views
    let catalog: FrameworkCatalog
    let configuration: AppConfiguration
    /// Public results pages already made, by round, the time its figures were computed, language and
    /// format (a national round's page takes seconds to make; its figures change only when recomputed).
    var resultsCache: ExpiringCache<String, CachedPage>? = nil

    struct CachedPage: Sendable {
        var headers: HTTPFields
        var body: ByteBuffer
    }

    /// The public results page of each round (no sign-in).
    func register(public router: Router<AppRequestContext>) {
        router.get(RouterPath(SiteURL.Pattern.roundResults), use: publicResults)
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.adminRounds.path), use: rounds)
        router.post(RouterPath(SiteURL.adminRounds.path), use: createRound)
        router.get(RouterPath(SiteURL.Pattern.adminRound), use: round)
        router.post(RouterPath(SiteURL.Pattern.adminRoundAgencies), use: addAgencies)
        router.post(RouterPath(SiteURL.Pattern.adminRoundTeams), use: createTeam)
        router.post(RouterPath(SiteURL.Pattern.adminTeam), use: setTeam)
        router.get(RouterPath(SiteURL.assessorQueue.path), use: queue)
        router.post(RouterPath(SiteURL.Pattern.adminRoundResults), use: importResults)
        router.get(RouterPath(SiteURL.Pattern.adminRoundResultsCSV), use: exportResults)
        router.post(RouterPath(SiteURL.Pattern.adminRoundRescore), use: recompute)
        router.post(RouterPath(SiteURL.Pattern.adminRoundItemResults), use: importItemResults)
        router.get(RouterPath(SiteURL.Pattern.adminRoundItemResultsCSV), use: exportItemResults)
    }

    func requireAdmin(_ context: AppRequestContext) throws {
        guard Access.isSystemAdmin(context) else { throw AppError.notFound }
    }

    /// The round's agencies, by code.
    func roundAgencies(_ round: AssessmentRound, logger: Logger) async throws -> [Agency] {
        try await repositories.rounds.agencies(roundID: round.id, logger: logger)
    }

    // MARK: Rounds

    struct RoundsPage {
        struct Row {
            var title: String
            var year: Int
            var framework: String
            var url: String
        }

        var rows: [Row]
        var action: String
        var frameworks: [String]
        var problem: String?
        var title: String
        var year: String
    }

    func rounds(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        return try await renderRounds(problem: nil, title: "", year: "", context: context)
    }

    func renderRounds(problem: String?, title: String, year: String, context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let rows = try await repositories.rounds.all(logger: context.logger).map {
            RoundsPage.Row(title: $0.title, year: $0.fiscalYear, framework: $0.frameworkID, url: SiteURL.adminRound(id: $0.id).path)
        }
        let model = RoundsPage(rows: rows, action: SiteURL.adminRounds.path, frameworks: try await catalog.entries(logger: context.logger).map(\.id), problem: problem,
                               title: title, year: year)
        var response = try views.page("rounds", title: context.language == .th ? "รอบการประเมิน" : "Assessment rounds", model: model, context: context)
        response.status = status
        return response
    }

    func createRound(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireAdmin(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let title = (form["title"] ?? "").trimmingCharacters(in: .whitespaces)
        let yearText = form["year"] ?? ""
        let frameworkID = form["framework"] ?? ""
        let th = context.language == .th
        guard let year = Int(ThaiFormat.arabicDigits(yearText)), (2500...2700).contains(year) else {
            return try await renderRounds(problem: th ? "ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2568" : "The fiscal year is a Buddhist-era year such as 2568",
                                          title: title, year: yearText, context: context, status: .unprocessableContent)
        }
        guard !title.isEmpty, title.count <= 200 else {
            return try await renderRounds(problem: th ? "กรุณาตั้งชื่อรอบการประเมิน" : "Give the round a name", title: title, year: yearText, context: context,
                                          status: .unprocessableContent)
        }
        guard let framework = try? await catalog.framework(frameworkID) else {
            return try await renderRounds(problem: th ? "ไม่พบกรอบการประเมินนี้" : "No such framework", title: title, year: yearText, context: context,
                                          status: .unprocessableContent)
        }
        let round = AssessmentRound(fiscalYear: year, frameworkID: framework.id, title: title)
        try await repositories.rounds.create(round, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.adminRound(id: round.id).path)
    }

    // MARK: One round

    struct RoundPage {
        struct Agency {
            var code: String
            var name: String
        }

        struct Team {
            var name: String
            var action: String
            var members: String
            var agencies: String
        }

        var title: String
        var year: Int
        var framework: String
        var agencies: [Agency]
        var teams: [Team]
        var agenciesAction: String
        var teamsAction: String
        var problem: String?
        var codes: String
        var roundsURL: String
        var publicResults: String = ""
        var resultsAction: String = ""
        var resultsCSV: String = ""
        var preview: Preview?
        var rescoreAction: String = ""
        var computedAt: String?
        var rescored: Bool = false
        var itemResultsAction: String = ""
        var itemResultsCSV: String = ""
        var itemPreview: ItemPreview?
    }

    /// A round's sheet of published OIT item results (code, item, result, reason), read back row by row.
    struct ItemPreview {
        struct Row {
            var line: Int
            var code: String
            var item: String
            var result: String
            var reason: String
            var error: String?
        }
        var rows: [Row]
        var problems: [String]
        var hasProblems: Bool
        var csv: String
        var filename: String
    }

    struct Preview {
        struct Row {
            var line: Int
            var code: String
            var cells: [String]
        }

        struct Problem {
            var line: Int
            var message: String
        }

        var keys: [String]
        var rows: [Row]
        var problems: [Problem]
        var hasProblems: Bool
        var csv: String
    }

    func loadRound(_ context: AppRequestContext) async throws -> AssessmentRound {
        try requireAdmin(context)
        guard let id = context.parameters.get("round"), let round = try await repositories.rounds.find(id: id, logger: context.logger) else { throw AppError.notFound }
        return round
    }

    func round(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        return try await renderRound(round, problem: nil, codes: "", context: context, rescored: request.uri.queryParameters.get("rescored") == "1")
    }

    func renderRound(_ round: AssessmentRound, problem: String?, codes: String, preview: Preview? = nil, itemPreview: ItemPreview? = nil,
                     context: AppRequestContext, status: HTTPResponse.Status = .ok, rescored: Bool = false) async throws -> Response {
        let members = try await roundAgencies(round, logger: context.logger)
        let agencies = Dictionary(members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let users = Dictionary(try await repositories.users.all(logger: context.logger).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let teams = try await repositories.rounds.teams(roundID: round.id, logger: context.logger)
        let computedAt = try await repositories.roundScores.scores(roundID: round.id, logger: context.logger).computedAt
        var model = RoundPage(
            title: round.title, year: round.fiscalYear, framework: round.frameworkID,
            agencies: members.map { .init(code: $0.code, name: $0.name.text(context.language)) },
            teams: teams.map { team in
                .init(name: team.name, action: SiteURL.adminTeam(round: round.id, team: team.id).path,
                      members: team.memberIDs.compactMap { users[$0]?.username }.sorted().joined(separator: "\n"),
                      agencies: team.agencyIDs.compactMap { agencies[$0]?.code }.sorted().joined(separator: "\n"))
            },
            agenciesAction: SiteURL.adminRoundAgencies(id: round.id).path, teamsAction: SiteURL.adminRoundTeams(id: round.id).path,
            problem: problem, codes: codes, roundsURL: SiteURL.adminRounds.path,
            publicResults: SiteURL.roundResults(id: round.id).path, resultsAction: SiteURL.adminRoundResults(id: round.id).path, resultsCSV: SiteURL.adminRoundResultsCSV(id: round.id).path, preview: preview)
        model.rescoreAction = SiteURL.adminRoundRescore(id: round.id).path
        model.computedAt = computedAt.flatMap(StoredTime.parse).map { ThaiFormat.dateTime($0, thai: context.language == .th) }
        model.rescored = rescored
        model.itemResultsAction = SiteURL.adminRoundItemResults(id: round.id).path
        model.itemResultsCSV = SiteURL.adminRoundItemResultsCSV(id: round.id).path
        model.itemPreview = itemPreview
        var response = try views.page("round", title: round.title, model: model, context: context)
        response.status = status
        return response
    }

    /// Codes typed one per line or comma-separated.
    static func codes(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isNewline || $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0.lowercased() != "code" && $0 != "รหัส" }
    }

    /// The first column of a CSV sheet (a header row "code" or "รหัส" is skipped).
    static func csvCodes(_ text: String) throws -> [String] {
        try CSV.parse(text.replacingOccurrences(of: "\u{FEFF}", with: "")).compactMap { $0.first?.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0.lowercased() != "code" && $0 != "รหัส" }
    }

    func addAgencies(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        var request = request
        let multipart = (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data")
        var codes: [String]
        var text = ""
        if multipart {
            let form = try await MultipartForm.read(&request, context: context, limit: 2_097_152)
            text = form["codes"]?.text ?? ""
            codes = Self.codes(text)
            if let file = form["file"], !file.data.isEmpty {
                do { codes += try Self.csvCodes(String(decoding: file.data, as: UTF8.self)) } catch {
                    return try await renderRound(round, problem: context.language == .th ? "อ่านไฟล์ CSV ไม่ได้: \(error)" : "Cannot read the CSV file: \(error)",
                                                 codes: text, context: context, status: .unprocessableContent)
                }
            }
        } else {
            text = try await FormData.read(&request, context: context)["codes"] ?? ""
            codes = Self.codes(text)
        }
        guard !codes.isEmpty else {
            return try await renderRound(round, problem: context.language == .th ? "กรุณาระบุรหัสหน่วยงานอย่างน้อยหนึ่งรหัส" : "Give at least one agency code",
                                         codes: text, context: context, status: .unprocessableContent)
        }
        do {
            try await repositories.rounds.add(codes: codes, to: round, by: context.actor, logger: context.logger)
        } catch let error as UnknownAgencies {
            return try await renderRound(round, problem: error.userMessage.text(context.language), codes: text, context: context, status: .unprocessableContent)
        }
        try await rescore(round, logger: context.logger)
        return redirect(to: SiteURL.adminRound(id: round.id).path)
    }

    func createTeam(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        var request = request
        let name = (try await FormData.read(&request, context: context)["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            return try await renderRound(round, problem: context.language == .th ? "กรุณาตั้งชื่อทีม" : "Give the team a name", codes: "", context: context,
                                         status: .unprocessableContent)
        }
        guard !(try await repositories.rounds.teams(roundID: round.id, logger: context.logger)).contains(where: { $0.name == name }) else {
            return try await renderRound(round, problem: context.language == .th ? "มีทีมชื่อนี้แล้ว" : "A team has this name already", codes: "", context: context,
                                         status: .conflict)
        }
        _ = try await repositories.rounds.createTeam(roundID: round.id, name: name, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.adminRound(id: round.id).path)
    }

    /// A team's members (usernames) and agencies (codes in the round), all or nothing.
    func setTeam(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        guard let teamID = context.parameters.get("team"),
              try await repositories.rounds.teams(roundID: round.id, logger: context.logger).contains(where: { $0.id == teamID }) else { throw AppError.notFound }
        var request = request
        let form = try await FormData.read(&request, context: context)
        let th = context.language == .th
        let usernames = Self.codes(form["members"] ?? "")
        let codes = Self.codes(form["agencies"] ?? "")
        var memberIDs: [String] = []
        var unknownPeople: [String] = []
        for name in usernames {
            if let user = try await repositories.users.find(username: name, logger: context.logger), user.active { memberIDs.append(user.id) } else { unknownPeople.append(name) }
        }
        let inRound = Set(try await repositories.rounds.agencyIDs(roundID: round.id, logger: context.logger))
        var agencyIDs: [String] = []
        var outside: [String] = []
        for code in codes {
            if let agency = try await repositories.agencies.find(code: code, logger: context.logger), inRound.contains(agency.id) { agencyIDs.append(agency.id) } else { outside.append(code) }
        }
        guard unknownPeople.isEmpty, outside.isEmpty else {
            var problems: [String] = []
            if !unknownPeople.isEmpty { problems.append((th ? "ไม่พบผู้ใช้ที่ใช้งานอยู่: " : "No active user: ") + unknownPeople.joined(separator: ", ")) }
            if !outside.isEmpty { problems.append((th ? "ไม่อยู่ในรอบนี้: " : "Not in this round: ") + outside.joined(separator: ", ")) }
            return try await renderRound(round, problem: problems.joined(separator: " · ") + (th ? " จึงยังไม่บันทึกทีม" : "; the team was not saved"), codes: "",
                                         context: context, status: .unprocessableContent)
        }
        try await repositories.rounds.setTeam(teamID, roundID: round.id, memberIDs: memberIDs, agencyIDs: agencyIDs, by: context.actor, logger: context.logger)
        return redirect(to: SiteURL.adminRound(id: round.id).path)
    }

    // MARK: Published results in and out

    /// The result keys of a framework: its survey parts, then its checklist tools.
    func resultKeys(_ round: AssessmentRound) async throws -> [String] {
        let framework = try await catalog.framework(round.frameworkID)
        return framework.partIDs + framework.checklistTools.map(\.tool.id)
    }

    /// A sheet of published scores (CSV or XLSX): a preview with every problem by row; applied, all or none,
    /// only when sent again with `confirm` and no problem left.
    func importResults(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        var request = request
        let form = try await MultipartForm.read(&request, context: context, limit: 20 * 1_048_576)
        let th = context.language == .th
        var cells: [[String]]
        do {
            if let file = form["file"], !file.data.isEmpty {
                if FileKind.sniff(file.data) == .xlsx {
                    cells = try XLSXReader.rows(Data(file.data))
                } else {
                    cells = try CSV.parse(String(decoding: file.data, as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: ""))
                }
            } else {
                cells = try CSV.parse(form["csv"]?.text ?? "")
            }
        } catch {
            return try await renderRound(round, problem: th ? "อ่านไฟล์ไม่ได้ (ใช้ CSV หรือ XLSX): \(error)" : "Cannot read the sheet (use CSV or XLSX): \(error)",
                                         codes: "", context: context, status: .unprocessableContent)
        }
        let inRound = try await roundAgencies(round, logger: context.logger)
        let keys = try await resultKeys(round)
        let sheet = PublishedScoresSheet.read(cells, keys: keys, codes: Set(inRound.map(\.code)))
        let preview = Preview(
            keys: sheet.keys,
            rows: sheet.rows.map { row in .init(line: row.line, code: row.code, cells: sheet.keys.map { row.scores[$0].map { "\($0)" } ?? "" }) },
            problems: sheet.problems.map { .init(line: $0.line, message: $0.message.text(context.language)) }, hasProblems: !sheet.problems.isEmpty,
            csv: CSV.write(cells, byteOrderMark: false))
        guard form["confirm"]?.text == "1", sheet.problems.isEmpty else {
            return try await renderRound(round, problem: nil, codes: "", preview: preview, context: context,
                                         status: sheet.problems.isEmpty ? .ok : .unprocessableContent)
        }
        var rows: [(assessment: Assessment, scores: [String: Decimal])] = []
        let byCode = Dictionary(inRound.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for row in sheet.rows {
            guard let agency = byCode[row.code],
                  let assessment = try await repositories.assessments.find(agencyID: agency.id, fiscalYear: round.fiscalYear, logger: context.logger) else { continue }
            rows.append((assessment, row.scores))
        }
        try await repositories.rounds.importScores(rows, by: context.actor, logger: context.logger)
        try await rescore(round, logger: context.logger)
        return redirect(to: SiteURL.adminRound(id: round.id).path)
    }

    /// Reads a sheet of published OIT item results for the round's agencies (`code, item, result, reason`;
    /// a failed item needs its reason) and previews it; with `confirm` and no problem, stores every row in
    /// one transaction, the file (name and SHA-256) as each result's source, and recomputes the round.
    func importItemResults(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        var request = request
        let form = try await MultipartForm.read(&request, context: context, limit: 20 * 1_048_576)
        let th = context.language == .th
        var text = form["csv"]?.text ?? ""
        var filename = form["filename"]?.text ?? "item-results.csv"
        do {
            if let file = form["file"], !file.data.isEmpty {
                filename = file.filename ?? filename
                text = FileKind.sniff(file.data) == .xlsx ? CSV.write(try XLSXReader.rows(Data(file.data)), byteOrderMark: false)
                    : String(decoding: file.data, as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: "")
            }
        } catch {
            return try await renderRound(round, problem: th ? "อ่านไฟล์ไม่ได้ (ใช้ CSV หรือ XLSX): \(error)" : "Cannot read the sheet (use CSV or XLSX): \(error)",
                                         codes: "", context: context, status: .unprocessableContent)
        }
        let framework = try await catalog.framework(round.frameworkID)
        let items = Dictionary(uniqueKeysWithValues: framework.checklistTools.flatMap(\.checklist.items).map { ($0.id.uppercased(), $0) })
        let agencies = Dictionary(try await roundAgencies(round, logger: context.logger).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        var rows: [ItemPreview.Row] = []
        var parsed: [(code: String, row: ItemTransferController.ParsedRow)] = []
        do {
            var cells = try CSV.parse(text).filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
            var first = 1
            if let header = cells.first?.first?.trimmingCharacters(in: .whitespaces).lowercased(), header == "code" || header == "รหัส" {
                cells.removeFirst()
                first = 2
            }
            if cells.isEmpty { problems.append(th ? "ไม่มีแถวข้อมูล" : "The sheet has no rows") }
            if cells.count > 500_000 { problems.append(th ? "ไฟล์มีเกิน 500,000 แถว" : "More than 500,000 rows") }
            var seen: [String: Set<String>] = [:]
            for (index, cell) in cells.prefix(500_000).enumerated() {
                let code = (cell.first ?? "").trimmingCharacters(in: .whitespaces)
                var row = ItemTransferController.parseRow(Array(cell.dropFirst()), line: index + first, items: items, seen: &seen[code, default: []], language: context.language)
                if agencies[code] == nil { row.error = th ? "ไม่มีหน่วยงานรหัส \"\(code)\" ในรอบนี้" : "no agency \"\(code)\" in this round" }
                parsed.append((code, row))
                rows.append(.init(line: row.line, code: code, item: row.item,
                                  result: row.passed == true ? (th ? "ผ่าน" : "Pass") : row.passed == false ? (th ? "ไม่ผ่าน" : "Fail") : "–",
                                  reason: row.reason, error: row.error))
            }
        } catch {
            problems.append((th ? "อ่านไฟล์ CSV ไม่ได้: " : "Cannot read the CSV: ") + "\(error)")
        }
        let bad = rows.contains { $0.error != nil } || !problems.isEmpty
        let preview = ItemPreview(rows: rows, problems: problems, hasProblems: bad, csv: text, filename: String(filename.filter { !$0.isNewline }.prefix(200)))
        guard form["confirm"]?.text == "1", !bad else {
            return try await renderRound(round, problem: nil, codes: "", itemPreview: preview, context: context, status: bad ? .unprocessableContent : .ok)
        }
        let source = PublishedSource.file(name: preview.filename.isEmpty ? "item-results.csv" : preview.filename, sha256: NumberText.hex(SHA256.hash(data: Data(text.utf8))))
        var byAgency: [String: [PublishedItemResult]] = [:]
        for (code, row) in parsed {
            guard let passed = row.passed else { continue }
            byAgency[code, default: []].append(PublishedItemResult(itemID: row.item, passed: passed, reason: row.reason, source: source))
        }
        var writes: [(assessment: Assessment, results: [PublishedItemResult])] = []
        for (code, results) in byAgency.sorted(by: { $0.key < $1.key }) {
            guard let agency = agencies[code],
                  let assessment = try await repositories.assessments.find(agencyID: agency.id, fiscalYear: round.fiscalYear, logger: context.logger) else { continue }
            writes.append((assessment, results))
        }
        try await repositories.rounds.importItemResults(writes, by: context.actor, logger: context.logger)
        try await rescore(round, logger: context.logger)
        return redirect(to: SiteURL.adminRound(id: round.id).path)
    }

    /// The round's published item results in the shape the import reads.
    func exportItemResults(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        let codes = Dictionary(try await roundAgencies(round, logger: context.logger).map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        var rows = [["code", "item", "result", "reason"]]
        let results = try await repositories.rounds.itemResults(round: round, logger: context.logger)
            .compactMap { r in codes[r.agencyID].map { (code: $0, item: r.itemID, passed: r.passed, reason: r.reason) } }
            .sorted { ($0.code, Self.itemOrder($0.item).0, Self.itemOrder($0.item).1) < ($1.code, Self.itemOrder($1.item).0, Self.itemOrder($1.item).1) }
        for r in results { rows.append([r.code, r.item, r.passed ? "pass" : "fail", r.reason]) }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"item-results-\(round.fiscalYear).csv\"", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: CSV.write(rows))))
    }

    /// O2 before O13: the letters, then the number.
    static func itemOrder(_ id: String) -> (String, Int) {
        (String(id.prefix { !$0.isNumber }), Int(String(id.drop { !$0.isNumber })) ?? 0)
    }

    /// The round's stored scores in the shape the import reads.
    func exportResults(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        let keys = try await resultKeys(round)
        var rows = [["code"] + keys]
        for agency in try await roundAgencies(round, logger: context.logger) {
            guard let assessment = try await repositories.assessments.find(agencyID: agency.id, fiscalYear: round.fiscalYear, logger: context.logger) else { continue }
            let stored = Dictionary(try await repositories.assessments.results(assessmentID: assessment.id, logger: context.logger).map { ($0.key, $0.score) },
                                    uniquingKeysWith: { a, _ in a })
            rows.append([agency.code] + keys.map { stored[$0].map { "\($0)" } ?? "" })
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"results-\(round.fiscalYear).csv\"", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: CSV.write(rows))))
    }

    // MARK: Public results

    /// Recomputes and stores the round's figures after a change the administrator made to it.
    func rescore(_ round: AssessmentRound, logger: Logger) async throws {
        _ = try await RoundRescore(repositories: repositories, catalog: catalog).run(round, logger: logger)
    }

    func recompute(_ request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await loadRound(context)
        try await rescore(round, logger: context.logger)
        return redirect(to: SiteURL.adminRound(id: round.id).path + "?rescored=1")
    }

    func publicResults(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard var id = context.parameters.get("round") else { throw AppError.notFound }
        let json = id.hasSuffix(".json")
        if json { id = String(id.dropLast(5)) }
        let language = publicLanguage(request, context)
        // Stored figures: the page made from them is kept (5 minutes, as long as caches may keep it) until they are recomputed.
        let key = try await repositories.roundScores.computedAt(roundID: id, logger: context.logger).map { "\(id)|\($0)|\(language.rawValue)|\(json)" }
        if let key, let page = resultsCache?.value(for: key, now: Date()) {
            return Response(status: .ok, headers: page.headers, body: .init(byteBuffer: page.body))
        }
        func kept(_ headers: HTTPFields, _ body: ByteBuffer) -> Response {
            if let key { resultsCache?.store(CachedPage(headers: headers, body: body), for: key, now: Date()) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
        guard let results = try await PublicDataService(repositories: repositories, catalog: catalog).roundResults(id: id, language: language, logger: context.logger)
        else { throw AppError.notFound }
        let (round, framework, nation, byType, byProvince, byMinistry, ranking, computedAt) =
            (results.round, results.framework, results.nation, results.byType, results.byProvince, results.byMinistry, results.ranking, results.computedAt)
        func shown(_ value: Decimal?) -> String { value.map { $0.displayString } ?? "–" }
        if json {
            func summary(_ s: RoundStatistics.Summary) -> JSONValue {
                let average: JSONValue = s.average.map { .number($0.roundedForDisplay) } ?? .null
                let passRate: JSONValue = s.passRate.map { .number($0.roundedForDisplay) } ?? .null
                let levels: [(String, JSONValue)] = s.levels.map { ($0.level.id, JSONValue.number(Decimal($0.count))) }
                let histogram: [JSONValue] = s.histogram.map { .number(Decimal($0)) }
                var fields: [(String, JSONValue)] = [("agencies", .number(Decimal(s.agencies))), ("scored", .number(Decimal(s.scored)))]
                fields += [("average", average), ("passed", .number(Decimal(s.passed))), ("passRate", passRate)]
                fields += [("levels", .object(JSONObject(levels))), ("histogram", .array(histogram))]
                fields += [("previousAverage", s.previousAverage.map { .number($0.roundedForDisplay) } ?? .null),
                           ("sameAgenciesAverage", s.sameAgenciesAverage.map { .number($0.roundedForDisplay) } ?? .null)]
                return .object(JSONObject(fields))
            }
            func ranked(_ r: RoundStatistics.Ranked) -> JSONValue {
                let level: JSONValue = r.entry.level.map { .string($0.id) } ?? .null
                let score: JSONValue = r.entry.score.map { .number($0.roundedForDisplay) } ?? .null
                var fields: [(String, JSONValue)] = [("rank", .number(Decimal(r.rank))), ("code", .string(r.entry.code)), ("name", .string(r.entry.name))]
                fields += [("score", score), ("level", level), ("ministry", .string(r.entry.ministry))]
                fields += [("figures", .object(JSONObject(r.entry.figures.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number($0.value.roundedForDisplay)) })))]
                fields += [("previous", r.entry.previous.map { .number($0.roundedForDisplay) } ?? .null), ("change", r.entry.change.map { .number($0) } ?? .null)]
                return .object(JSONObject(fields))
            }
            let roundInfo: [(String, JSONValue)] = [("id", .string(round.id)), ("title", .string(round.title)), ("fiscalYear", .number(Decimal(round.fiscalYear))),
                                                    ("framework", .string(round.frameworkID))]
            let typeGroups: [(String, JSONValue)] = byType.map { ($0.name, summary($0.summary)) }
            let provinceGroups: [(String, JSONValue)] = byProvince.map { ($0.name, summary($0.summary)) }
            let ministryGroups: [(String, JSONValue)] = byMinistry.map { ($0.name, summary($0.summary)) }
            let document = JSONValue.object(JSONObject([
                ("round", .object(JSONObject(roundInfo))), ("nation", summary(nation)),
                ("byType", .object(JSONObject(typeGroups))), ("byProvince", .object(JSONObject(provinceGroups))), ("byMinistry", .object(JSONObject(ministryGroups))),
                ("computedAt", computedAt.map { .string($0) } ?? .null),
                ("ranking", .array(ranking.map(ranked))),
            ]))
            return kept([.contentType: "application/json; charset=utf-8", .init("Access-Control-Allow-Origin")!: "*", .cacheControl: "public, max-age=300"],
                        ByteBuffer(string: document.serialized()))
        }
        let th = language == .th
        func row(_ name: String, _ s: RoundStatistics.Summary) -> ResultsPage.Group {
            .init(name: name, agencies: s.agencies, scored: s.scored, average: shown(s.average), passRate: s.passRate.map { $0.displayString + "%" } ?? "–",
                  levels: s.levels.map { "\($0.level.name.text(language)) \($0.count)" }.joined(separator: " · "),
                  yearOverYear: s.previousAverage.flatMap { before in s.sameAgenciesAverage.map { now in
                      (th ? "หน่วยงานเดียวกัน ปีก่อน " : "Same agencies, last year ") + before.displayString + " → " + now.displayString } })
        }
        let tools = framework.tools
        // Each bar is named by where its ten points start (the last holds 90–100).
        let bins = nation.histogram.enumerated().map { (label: "\($0.offset * 10)", count: $0.element) }
        let model = ResultsPage(
            title: round.title, year: round.fiscalYear, nation: row(th ? "ทั้งหมด" : "All", nation),
            histogram: DailyChart(title: th ? "การกระจายของคะแนน ITA" : "ITA score distribution", days: bins).svg(),
            byType: byType.map { row($0.name, $0.summary) }, byProvince: byProvince.map { row($0.name, $0.summary) },
            byMinistry: byMinistry.map { row($0.name, $0.summary) }, hasMinistries: !byMinistry.isEmpty,
            toolNames: tools.map { framework.shortName($0.id, language: language) },
            computedAt: computedAt.flatMap(StoredTime.parse).map { ThaiFormat.dateTime($0, thai: th) },
            ranking: ranking.map { ranked in
                .init(rank: ranked.rank, code: ranked.entry.code, name: ranked.entry.name, type: ranked.entry.type, province: ranked.entry.province,
                      score: shown(ranked.entry.score), level: ranked.entry.level?.name.text(language) ?? "–",
                      tools: tools.map { shown(ranked.entry.figures[$0.id]) },
                      change: ranked.entry.change.map { ($0 > 0 ? "+" : "") + $0.displayString } ?? "–")
            },
            jsonURL: SiteURL.roundResults(id: round.id).path + ".json",
            otherLanguage: SiteURL.roundResults(id: round.id).path + "?lang=\(th ? "en" : "th")", otherLanguageName: th ? "English" : "ภาษาไทย")
        var (headers, body) = try views.standaloneParts("round-results", model: model, language: language, labels: Strings.labels(language))
        headers[.cacheControl] = "public, max-age=300"
        return kept(headers, body)
    }

    struct ResultsPage {
        struct Group {
            var name: String
            var agencies: Int
            var scored: Int
            var average: String
            var passRate: String
            var levels: String
            var yearOverYear: String?
        }

        struct Ranked {
            var rank: Int
            var code: String
            var name: String
            var type: String
            var province: String
            var score: String
            var level: String
            var tools: [String]
            var change: String
        }

        var title: String
        var year: Int
        var nation: Group
        var histogram: String
        var byType: [Group]
        var byProvince: [Group]
        var byMinistry: [Group]
        var hasMinistries: Bool
        var toolNames: [String]
        var computedAt: String?
        var ranking: [Ranked]
        var jsonURL: String
        var otherLanguage: String
        var otherLanguageName: String
    }

    // MARK: The assessor's queue

    struct QueuePage {
        struct Row {
            var agency: String
            var year: Int
            var item: String
            var title: String
            var status: String
            var since: String
            var deadline: String?
            var url: String
            var waiting: Bool
        }

        var rows: [Row]
        var waiting: Int
    }

    func queue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyIDs = Set(context.grants.filter { $0.role == .assessor }.compactMap(\.agencyID))
        guard !agencyIDs.isEmpty else { throw AppError.notFound }
        let language = context.language
        let agencies = Dictionary(try await repositories.agencies.all(logger: context.logger).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let items = try await repositories.rounds.queue(agencyIDs: agencyIDs.sorted(), logger: context.logger)
        var rows: [QueuePage.Row] = []
        for item in items {
            guard let agency = agencies[item.agencyID], let framework = try? await catalog.framework(item.frameworkID) else { continue }
            let deadline = item.judgedOn.map { $0.adding(days: framework.clarificationDays) }
            // A judged item stays on the list only while the agency may still ask for a second look.
            if item.status == .judged, let deadline, deadline < configuration.today { continue }
            rows.append(.init(agency: agency.name.text(language), year: item.fiscalYear, item: item.itemID,
                              title: framework.checklistTools.lazy.compactMap { $0.1.item(item.itemID) }.first?.title.text(language) ?? "",
                              status: item.status.name.text(language),
                              since: StoredTime.parse(item.since).map { ThaiFormat.dateTime($0, thai: language == .th) } ?? item.since,
                              deadline: item.status == .judged ? deadline.map { language == .th ? ThaiFormat.longDate($0) : ThaiFormat.englishDate($0) } : nil,
                              url: SiteURL.itemPage(agency: agency.code, year: item.fiscalYear, item: item.itemID).path,
                              waiting: item.status != .judged))
        }
        // Waiting for the assessor first (oldest first), then judged items inside their window.
        rows = rows.filter(\.waiting) + rows.filter { !$0.waiting }
        let model = QueuePage(rows: rows, waiting: rows.filter(\.waiting).count)
        return try views.page("queue", title: language == .th ? "รายการรอตรวจ" : "Assessment queue", model: model, context: context)
    }
}
