import ArgumentParser
import Foundation
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb

struct FrameworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework",
        abstract: "List, export, validate, create and import fiscal-year framework files.",
        subcommands: [List.self, Export.self, Validate.self, New.self, Import.self, ImportOIT.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in frameworks, and with --database the imported ones too.")
        @Flag(help: "Print JSON.") var json = false
        @Option(help: "Also list the frameworks imported into this database (sqlite:PATH or postgres://…).") var database: String?

        func run() async throws {
            struct Row { var id: String; var fiscalYear: Int; var title: LocalizedText; var builtIn: Bool }
            var rows: [Row]
            do { rows = try BuiltinFrameworks.all().map { Row(id: $0.id, fiscalYear: $0.fiscalYear, title: $0.title, builtIn: true) } } catch {
                throw InputError(message: error.description)
            }
            if let database {
                try await withMigratedDatabase(try databaseLocation(database)) { repositories, _ in
                    let catalog = try FrameworkCatalog.builtin(store: repositories.frameworks)
                    rows = try await catalog.entries(logger: makeLogger()).map { Row(id: $0.id, fiscalYear: $0.fiscalYear, title: $0.title, builtIn: $0.builtIn) }
                        .sorted { ($0.fiscalYear, $0.id) < ($1.fiscalYear, $1.id) }
                }
            }
            var out = Output()
            if json {
                let list = JSONValue.array(rows.map { f in
                    var members: [(String, JSONValue)] = [
                        ("id", .string(f.id)), ("fiscalYear", .number(Decimal(f.fiscalYear))),
                        ("title", .object(JSONObject([("th", .string(f.title.th)), ("en", .string(f.title.en))]))),
                    ]
                    if database != nil { members.append(("builtIn", .bool(f.builtIn))) }
                    return .object(JSONObject(members))
                })
                out.line(list.serialized())
            } else {
                for f in rows { out.line("\(f.id)\t\(f.fiscalYear)\t\(f.builtIn ? "built-in" : "imported")\t\(f.title.th)") }
            }
            out.flush()
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a starting file for a new framework: a copy of another under a new id and fiscal year.",
            discussion: "Edit the file (or replace its OIT list with `framework import-oit`), check it with `framework validate`, then `framework import` it.")
        @Option(help: "The framework to start from (built in, or imported with --database).") var from: String
        @Option(help: "The new framework's id, e.g. ita-2570.") var id: String
        @Option(help: "The new framework's fiscal year (Buddhist era), e.g. 2570.") var fiscalYear: Int
        @Option(help: "Write to this file instead of standard output.") var output: String?
        @Option(help: "Where imported frameworks are found.") var database: String?

        func validate() throws {
            if !(2500...2800).contains(fiscalYear) { throw ValidationError("--fiscal-year is a Buddhist-era year, e.g. 2570.") }
            if id.isEmpty || id.contains(where: { $0.isWhitespace || $0 == "/" }) { throw ValidationError("--id must be a word without spaces, e.g. ita-2570.") }
        }

        func run() async throws {
            var source: Framework?
            source = try? BuiltinFrameworks.load(id: from)
            if source == nil, let database {
                try await withMigratedDatabase(try databaseLocation(database)) { repositories, _ in
                    source = try await FrameworkCatalog.builtin(store: repositories.frameworks).find(from)
                }
            }
            guard let source else { throw InputError(message: "no framework \"\(from)\" (see `prongsai framework list`)") }
            let text = FrameworkImport.newDocument(from: source, id: id, fiscalYear: fiscalYear).serialized() + "\n"
            if let output {
                do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch { throw InputError(message: "\(output): cannot write: \(error.localizedDescription)") }
                var out = Output()
                out.line("Wrote \(output): framework \(id) for fiscal year \(fiscalYear), copied from \(from).")
                out.flush()
            } else {
                var out = Output()
                out.raw(text)
                out.flush()
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a framework file and store it in the database, where every app node finds it.",
            discussion: "A stored framework never changes: a new version needs a new id.")
        @Argument(help: "The framework file (JSON).") var path: String
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: path) else { throw InputError(message: "\(path): cannot read the file") }
            try await withMigratedDatabase(options) { repositories, location in
                let catalog = try FrameworkCatalog.builtin(store: repositories.frameworks)
                let framework: Framework
                do {
                    framework = try await FrameworkImport.store(data, source: path, catalog: catalog, repositories: repositories,
                                                                actor: AuditActor(userID: nil, name: "command line"), logger: makeLogger())
                } catch let failure as FrameworkImport.Failure {
                    throw InputError(message: failure.description)
                }
                let items = framework.checklistTools.reduce(0) { $0 + $1.checklist.items.count }
                var out = Output()
                out.line("Imported framework \(framework.id) (fiscal year \(framework.fiscalYear), \(items) OIT items) into \(location).")
                out.flush()
            }
        }
    }

    struct ImportOIT: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-oit",
            abstract: "Replace a framework file's OIT list with the one in a sheet (XLSX or CSV).",
            discussion: "Columns: \(OITSheet.columns.joined(separator: ", ")); one row per item, components one per line in the cell or separated by \" | \". `--template` prints a starting sheet (CSV).")
        @Argument(help: "The sheet: .xlsx or .csv.") var sheet: String?
        @Option(help: "The framework file to update in place.") var into: String?
        @Flag(help: "Print a template sheet (CSV) and exit.") var template = false

        func validate() throws {
            if !template && (sheet == nil || into == nil) { throw ValidationError("Give SHEET and --into FILE (or --template).") }
        }

        func run() async throws {
            var out = Output()
            if template {
                out.raw(CSV.write(OITSheet.template()))
                out.flush()
                return
            }
            guard let sheet, let into else { return }
            guard let data = FileManager.default.contents(atPath: sheet) else { throw InputError(message: "\(sheet): cannot read the file") }
            let current: Framework
            do { current = try FrameworkLoader.load(path: into) } catch { throw InputError(message: error.description) }
            let updated: JSONValue
            let framework: Framework
            do { (framework, updated) = try FrameworkImport.applySheet(data, to: current.document, source: into) } catch let failure as FrameworkImport.Failure {
                throw InputError(message: "\(sheet): " + failure.description)
            }
            do { try (updated.serialized() + "\n").write(toFile: into, atomically: true, encoding: .utf8) } catch {
                throw InputError(message: "\(into): cannot write: \(error.localizedDescription)")
            }
            let items = framework.checklistTools.reduce(0) { $0 + $1.checklist.items.count }
            out.line("\(into): OIT list replaced from \(sheet): \(items) items in \(framework.checklistTools.first?.checklist.subindicators.count ?? 0) sub-indicators.")
            out.flush()
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a framework as a framework file (JSON).")
        @Argument(help: "A built-in framework id, e.g. ita-2566.") var id: String?
        @Option(help: "Export a framework file instead (validated first).") var file: String?

        func validate() throws {
            if (id == nil) == (file == nil) { throw ValidationError("Give either a framework id or --file PATH.") }
        }

        func run() throws {
            let framework: Framework
            do {
                if let file { framework = try FrameworkLoader.load(path: file) } else { framework = try BuiltinFrameworks.load(id: id!) }
            } catch { throw InputError(message: error.description) }
            var out = Output()
            out.line(framework.document.serialized())
            out.flush()
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a framework file and report every problem with its JSON path.")
        @Argument(help: "Path to the framework file.") var path: String
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            do {
                let f = try FrameworkLoader.load(path: path)
                var out = Output()
                let items = f.checklistTools.reduce(0) { $0 + $1.checklist.items.count }
                let questions = f.surveyTools.reduce(0) { $0 + $1.survey.questions.count }
                if json {
                    out.line(JSONValue.object(JSONObject([
                        ("valid", .bool(true)), ("id", .string(f.id)), ("fiscalYear", .number(Decimal(f.fiscalYear))),
                        ("tools", .number(Decimal(f.tools.count))), ("questions", .number(Decimal(questions))),
                        ("items", .number(Decimal(items))),
                    ])).serialized())
                } else {
                    out.line("\(path): valid framework \(f.id) (fiscal year \(f.fiscalYear)): \(f.tools.count) tools, \(questions) questions, \(items) checklist items")
                }
                out.flush()
            } catch {
                throw InputError(message: error.description)
            }
        }
    }
}
