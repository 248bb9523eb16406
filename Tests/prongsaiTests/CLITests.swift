import Foundation
import ProngsaiCore
import ProngsaiStore
import Testing
import TestSupport

/// Runs the real `prongsai` binary, as outside tools do (CONTRACT.md).
struct CLI {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: URL = {
        // The test bundle sits next to the built products.
        let products = Bundle.main.bundleURL.lastPathComponent.hasSuffix(".xctest") ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
        for candidate in [products, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("prongsai")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Fixtures.packageRoot.appendingPathComponent(".build/debug/prongsai")
    }()

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.packageRoot
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

let referenceInput = """
    {"framework": "ita-2566", "results": {"iit": {"score": 97.82}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"failed": ["O13"]}}}
    """

@Suite("prongsai command line", .serialized)
struct CLITests {
    @Test("framework list --json")
    func list() throws {
        let run = try CLI.run(["framework", "list", "--json"])
        #expect(run.status == 0)
        let list = try #require(try JSONParser.parse(run.stdout).arrayValue)
        let ita = try #require(list.first { $0["id"]?.stringValue == "ita-2566" })
        #expect(ita["fiscalYear"]?.numberValue == 2566)
        #expect(ita["title"]?["th"]?.stringValue?.isEmpty == false)
        #expect(ita["title"]?["en"]?.stringValue?.isEmpty == false)
    }

    @Test("framework export prints a framework file that validates and loads back")
    func export() async throws {
        let run = try CLI.run(["framework", "export", "ita-2566"])
        #expect(run.status == 0)
        let exported = try JSONParser.parse(run.stdout)
        #expect(exported == (try Fixtures.framework()).document)
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("next.json").path
            try run.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            let validate = try CLI.run(["framework", "validate", path])
            #expect(validate.status == 0)
            #expect(validate.stdout.contains("valid framework ita-2566"))
            let again = try CLI.run(["framework", "export", "--file", path])
            #expect(try JSONParser.parse(again.stdout) == exported)
        }
    }

    @Test("framework validate reports each problem with its path, exit 1, nothing on stdout")
    func validateBroken() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("broken.json").path
            try #"{"id": "x", "fiscalYear": 2570, "scales": {"s": {"points": [0, 100]}}, "tools": [{"id": "a", "kind": "survey", "weight": 0.7, "parts": ["a"], "indicators": [{"id": "1", "questions": [{"id": "q", "scale": "t"}]}]}], "levels": [{"id": "all", "minScore": 0}]}"#
                .write(toFile: path, atomically: true, encoding: .utf8)
            let run = try CLI.run(["framework", "validate", path])
            #expect(run.status == 1)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains(path))
            #expect(run.stderr.contains("$.tools[0].indicators[0].questions[0].scale: unknown scale \"t\""))
            #expect(run.stderr.contains("$.tools: tool weights must add up to 1, not 0.7"))
        }
    }

    @Test("score --json reproduces the reference case exactly")
    func scoreReference() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("in.json").path
            try referenceInput.write(toFile: path, atomically: true, encoding: .utf8)
            let run = try CLI.run(["score", path, "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let out = try JSONParser.parse(run.stdout)
            #expect(out["framework"]?.stringValue == "ita-2566")
            #expect(out["score"]?.numberValue == Fixtures.decimal("95.35"))
            #expect(out["level"] == ["id": "pass", "th": "ผ่าน", "en": "Pass"])
            #expect(out["tools"] == ["iit": .number(Fixtures.decimal("97.82")), "eit": .number(Fixtures.decimal("88.35")), "oit": .number(Fixtures.decimal("98.75"))])
            #expect(out["parts"] == ["iit": .number(Fixtures.decimal("97.82")), "eit1": .number(Fixtures.decimal("94.96")), "eit2": .number(Fixtures.decimal("81.73"))])
            #expect(out["indicators"]?["oit"]?["9"]?.numberValue == Fixtures.decimal("97.5"))
            #expect(out["indicators"]?["oit"]?["10"]?.numberValue == 100)
            #expect(out["subindicators"]?["oit"]?["9.2"]?.numberValue == Fixtures.decimal("87.5"))
            #expect(out["indicators"]?["iit"] == nil, "no breakdown for a part given as a score")
            #expect(out["respondents"] == .object(JSONObject()))
        }
    }

    @Test("score reads stdin and responses; the table is Thai or English")
    func scoreStdin() throws {
        let input = #"{"framework": "ita-2566", "results": {"iit": {"responses": [{"i1a": 4, "i4": "no"}, {"i1a": 2, "i4": "yes"}]}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"failed": ["O13"]}}}"#
        let json = try CLI.run(["score", "-", "--json"], stdin: input)
        #expect(json.status == 0, "\(json.stderr)")
        let out = try JSONParser.parse(json.stdout)
        #expect(out["respondents"]?["iit"]?.numberValue == 2)
        #expect(out["questions"]?["iit"]?["i1a"]?.numberValue == Fixtures.decimal("66.67"))
        #expect(out["questions"]?["iit"]?["i4"]?.numberValue == 50)
        let th = try CLI.run(["score", "-"], stdin: referenceInput)
        #expect(th.status == 0)
        #expect(th.stdout.contains("95.35"))
        #expect(th.stdout.contains("ระดับผลการประเมิน: ผ่าน"))
        let en = try CLI.run(["score", "-", "--lang", "en"], stdin: referenceInput)
        #expect(en.stdout.contains("Level: Pass"))
        #expect(en.stdout.contains("87.50"))
    }

    @Test("what-if shows the new figures and the change")
    func whatIf() throws {
        let run = try CLI.run(["score", "-", "--json", "--what-if", "pass:O13", "--what-if", "eit2=86"], stdin: referenceInput)
        #expect(run.status == 0, "\(run.stderr)")
        let out = try JSONParser.parse(run.stdout)
        #expect(out["after"]?["score"]?.numberValue == Fixtures.decimal("96.49"))
        #expect(out["after"]?["level"]?["id"]?.stringValue == "good")
        #expect(out["change"]?["score"]?.numberValue == Fixtures.decimal("1.14"))
        #expect(out["change"]?["levelChanged"]?.boolValue == true)
        let table = try CLI.run(["score", "-", "--what-if", "pass:O13"], stdin: referenceInput)
        #expect(table.stdout.contains("95.85"))
        #expect(table.stdout.contains("+0.50"))
    }

    @Test("a frameworkFile is read relative to the current directory")
    func frameworkFile() throws {
        let run = try CLI.run(["score", "Tests/Fixtures/mini-input.json", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try JSONParser.parse(run.stdout)["score"]?.numberValue == Fixtures.decimal("66.88"))
    }

    @Test("invalid input: exit 1, an English message naming file, field, respondent and question; nothing on stdout", arguments: [
        (#"{"framework": "ita-2566", "results": {"iit": {"responses": [{"i1a": 4}, {"i1a": 9}]}, "eit1": {"score": 94.96}, "eit2": {"score": 81.73}, "oit": {"failed": []}}}"#, "results.iit.responses[1].i1a: answer 9 is out of range"),
        (#"{"framework": "ita-2599", "results": {}}"#, "no built-in framework with id \"ita-2599\""),
        (#"{"framework": "ita-2566", "results": {"iit": {"score": 97.82}}}"#, "results.eit1: is missing"),
        ("{not json", "invalid JSON at line 1, column 2"),
        (#"{"frameworkFile": "missing.json", "results": {}}"#, "frameworkFile: missing.json"),
    ])
    func invalidInput(input: String, message: String) throws {
        let run = try CLI.run(["score", "-", "--json"], stdin: input)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("<stdin>"))
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("a missing file is invalid input")
    func missingFile() throws {
        let run = try CLI.run(["score", "/nonexistent/in.json"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("/nonexistent/in.json"))
    }

    @Test("bad usage: exit 2", arguments: [["score"], ["frobnicate"], ["score", "x.json", "--lang", "fr"], ["framework", "export"], ["score", "x.json", "--bogus"]])
    func badUsage(arguments: [String]) throws {
        let run = try CLI.run(arguments)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(!run.stderr.isEmpty)
    }

    @Test("--help succeeds")
    func help() throws {
        let run = try CLI.run(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("framework"))
    }

    @Test("migrate applies the schema once")
    func migrate() async throws {
        try await withTemporaryDirectory { dir in
            let db = "sqlite:" + dir.appendingPathComponent("m.sqlite").path
            let first = try CLI.run(["migrate", "--database", db])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("applied 0001 initial schema"))
            #expect(first.stdout.contains("applied 0002 surveys"))
            #expect(first.stdout.contains("applied 0003 oit evidence"))
            #expect(first.stdout.contains("applied 0006 improvement and documents"))
            let second = try CLI.run(["migrate"], environment: ["PRONGSAI_DATABASE_URL": db])
            #expect(second.stdout.contains("up to date"))
            let bad = try CLI.run(["migrate", "--database", "mysql://x"])
            #expect(bad.status == 2)
        }
    }

    @Test("admin create: a generated password printed once, a taken name and a weak password refused")
    func adminCreate() async throws {
        try await withTemporaryDirectory { dir in
            let db = "sqlite:" + dir.appendingPathComponent("a.sqlite").path
            let first = try CLI.run(["admin", "create", "--database", db, "--username", "root", "--display-name", "ผู้ดูแลระบบ"])
            #expect(first.status == 0, "\(first.stderr)")
            let line = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("Password (shown only now): ") })
            #expect(line.dropFirst("Password (shown only now): ".count).count == 16)
            let again = try CLI.run(["admin", "create", "--database", db, "--username", "root"])
            #expect(again.status == 1 && again.stdout.isEmpty && again.stderr.contains("the username \"root\" is taken"))
            let file = dir.appendingPathComponent("pw.txt")
            try "short\n".write(to: file, atomically: true, encoding: .utf8)
            let weak = try CLI.run(["admin", "create", "--database", db, "--username", "root2", "--password-file", file.path])
            #expect(weak.status == 1 && weak.stderr.contains("at least 12 characters"))
            try "ช้างเผือกสามเศียร 2570\n".write(to: file, atomically: true, encoding: .utf8)
            let chosen = try CLI.run(["admin", "create", "--database", db, "--username", "root2", "--password-file", file.path])
            #expect(chosen.status == 0 && !chosen.stdout.contains("Password"), "a password read from a file is not printed")
            // A lost phone: the command line turns two-factor sign-in off (an unknown name is refused).
            let reset = try CLI.run(["admin", "reset-two-factor", "--database", db, "--username", "root2"])
            #expect(reset.status == 0 && reset.stdout.contains("Two-factor sign-in is off for \"root2\""), "\(reset.stderr)")
            let unknown = try CLI.run(["admin", "reset-two-factor", "--database", db, "--username", "nobody"])
            #expect(unknown.status == 1 && unknown.stderr.contains("no user \"nobody\""))
        }
    }

    @Test("complaints keygen and rekey: a new key first, every sealed field moved onto it with progress; missing or bad keys refused")
    func complaintKeys() async throws {
        try await withTemporaryDirectory { dir in
            let made = try CLI.run(["complaints", "keygen", "--id", "2568-01"])
            #expect(made.status == 0)
            let newLine = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(newLine.range(of: #"^2568-01:[A-Za-z0-9+/]{43}=$"#, options: .regularExpression) != nil, "\(newLine)")
            #expect(try CLI.run(["complaints", "keygen", "--id", "bad id"]).status != 0)
            let path = dir.appendingPathComponent("c.sqlite").path
            let oldLine = try #require(try CLI.run(["complaints", "keygen", "--id", "old"]).stdout.split(separator: "\n").first.map(String.init))
            // A case sealed with the old key, through the store as the app does.
            let database = try Database.open(.sqlite(path: path), logger: testLogger)
            try await Migrator(database: database).migrate(logger: testLogger)
            let repositories = Repositories(database: database)
            let agency = Agency(code: "x", name: .init(th: "ทดสอบ", en: "Test"), shortName: .init(th: "ท", en: "T"), type: "อบต.", province: "", district: "")
            try await repositories.agencies.create(agency, by: .system, logger: testLogger)
            let old = ComplaintRepository(database: database, vault: ComplaintVault(keys: try ComplaintKeys(parsing: oldLine)))
            _ = try await old.file(ComplaintReport(category: .other, identity: ReporterIdentity(name: "ลับ"), details: ComplaintDetails(what: "เรื่องลับทดสอบการหมุนกุญแจ")),
                                   agencyID: agency.id, code: ReceiptCode.random(), today: CivilDate(year: 2025, month: 1, day: 1)!, logger: testLogger)
            try await database.shutdown()

            let keys = dir.appendingPathComponent("keys")
            try (newLine + "\n" + oldLine + "\n").write(to: keys, atomically: true, encoding: .utf8)
            let rekeyed = try CLI.run(["complaints", "rekey", "--database", "sqlite:" + path, "--complaint-keys", keys.path])
            #expect(rekeyed.status == 0, "\(rekeyed.stderr)")
            #expect(rekeyed.stdout.contains("3 fields sealed again with key 2568-01"), "\(rekeyed.stdout)")
            #expect(rekeyed.stderr.contains("rekey: 1/1 cases"))
            let none = try CLI.run(["complaints", "rekey", "--database", "sqlite:" + path], environment: ["PRONGSAI_COMPLAINT_KEYS": "", "PRONGSAI_COMPLAINT_KEYS_FILE": ""])
            #expect(none.status == 1 && none.stdout.isEmpty)
            try "nonsense\n".write(to: keys, atomically: true, encoding: .utf8)
            let bad = try CLI.run(["complaints", "rekey", "--database", "sqlite:" + path, "--complaint-keys", keys.path])
            #expect(bad.status == 1 && bad.stderr.contains(keys.path) && bad.stdout.isEmpty)
        }
    }

    @Test("rescore --round: by fiscal year or id, progress on stderr, JSON summary, --verify agrees; an unknown or ambiguous round is refused")
    func rescore() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("r.sqlite").path
            let database = try Database.open(.sqlite(path: path), logger: testLogger)
            try await Migrator(database: database).migrate(logger: testLogger)
            let round = try await RoundFixture.make(Repositories(database: database), count: 6)
            try await database.shutdown()

            let run = try CLI.run(["rescore", "--round", "2566", "--database", "sqlite:" + path, "--verify", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("loaded") && run.stderr.contains("scored 7/7") && run.stderr.contains("saved 6"), "\(run.stderr)")
            let summary = try JSONParser.parse(run.stdout)
            #expect(summary["round"] == .string(round.id) && summary["agencies"] == .number(6) && summary["complete"] == .number(4) && summary["verified"] == .bool(true))
            // The figures are stored: the page reads them, the database holds one row per agency.
            let reopened = try Database.open(.sqlite(path: path), logger: testLogger)
            let stored = try await RoundScoreRepository(database: reopened).scores(roundID: round.id, logger: testLogger)
            try await reopened.shutdown()
            #expect(stored.computedAt != nil && stored.scores.count == 6)
            let byID = try CLI.run(["rescore", "--round", round.id, "--database", "sqlite:" + path])
            #expect(byID.status == 0 && byID.stdout.contains("6 agencies, 4 with a complete score"), "\(byID.stdout)")

            let unknown = try CLI.run(["rescore", "--round", "2570", "--database", "sqlite:" + path])
            #expect(unknown.status == 1 && unknown.stdout.isEmpty && unknown.stderr.contains("no round with that id or fiscal year"))
            // Two rounds of one year: the id is needed.
            let again = try Database.open(.sqlite(path: path), logger: testLogger)
            try await RoundRepository(database: again).create(AssessmentRound(fiscalYear: 2566, frameworkID: "ita-2566", title: "อีกรอบ"), by: .system, logger: testLogger)
            try await again.shutdown()
            let ambiguous = try CLI.run(["rescore", "--round", "2566", "--database", "sqlite:" + path])
            #expect(ambiguous.status == 1 && ambiguous.stderr.contains("2 rounds have that fiscal year"))
            #expect(try CLI.run(["rescore", "--database", "sqlite:" + path]).status == 2)
            // A read database must be a copy carrying this version's schema; an empty one is refused before serving.
            let empty = dir.appendingPathComponent("empty.sqlite").path
            let refused = try CLI.run(["serve", "--database", "sqlite:" + path, "--read-database", "sqlite:" + empty, "--port", "0"])
            #expect(refused.status == 1 && refused.stderr.contains("does not have this version's schema") && refused.stdout.isEmpty, "\(refused.stderr)")
        }
    }

    @Test("framework new, import-oit (CSV), validate, import and list --database; a used id is refused")
    func frameworkLifecycle() async throws {
        try await withTemporaryDirectory { dir in
            let db = "sqlite:" + dir.appendingPathComponent("f.sqlite").path
            let file = dir.appendingPathComponent("ita-2570.json").path
            let made = try CLI.run(["framework", "new", "--from", "ita-2566", "--id", "ita-2570", "--fiscal-year", "2570", "--output", file])
            #expect(made.status == 0, "\(made.stderr)")
            var rows = [OITSheet.columns]
            for n in 1...26 { rows.append([n <= 13 ? "9" : "10", "", n <= 13 ? "9.1" : "10.1", "", "", "O\(n)", "ข้อ \(n)", "องค์ประกอบ"]) }
            let sheet = dir.appendingPathComponent("oit.csv")
            try CSV.write(rows).write(to: sheet, atomically: true, encoding: .utf8)
            var broken = rows
            broken[3][5] = ""
            let badSheet = dir.appendingPathComponent("bad.csv")
            try CSV.write(broken).write(to: badSheet, atomically: true, encoding: .utf8)
            let bad = try CLI.run(["framework", "import-oit", badSheet.path, "--into", file])
            #expect(bad.status == 1 && bad.stderr.contains("row 4, item: item is empty"))
            let applied = try CLI.run(["framework", "import-oit", sheet.path, "--into", file])
            #expect(applied.status == 0 && applied.stdout.contains("26 items"), "\(applied.stderr)")
            let valid = try CLI.run(["framework", "validate", file])
            #expect(valid.stdout.contains("valid framework ita-2570 (fiscal year 2570)") && valid.stdout.contains("26 checklist items"))
            let imported = try CLI.run(["framework", "import", file, "--database", db])
            #expect(imported.status == 0 && imported.stdout.contains("Imported framework ita-2570"), "\(imported.stderr)")
            let twice = try CLI.run(["framework", "import", file, "--database", db])
            #expect(twice.status == 1 && twice.stderr.contains("new id"))
            let list = try CLI.run(["framework", "list", "--json", "--database", db])
            let parsed = try JSONParser.parse(list.stdout).arrayValue ?? []
            #expect(parsed.map { $0["id"]?.stringValue } == ["ita-2566", "ita-2570"])
            #expect(parsed.map { $0["builtIn"]?.boolValue } == [true, false])
            let plain = try CLI.run(["framework", "list", "--json"])
            #expect((try JSONParser.parse(plain.stdout).arrayValue ?? []).count == 1, "without --database: the built-in frameworks, as CONTRACT.md says")
        }
    }
}
