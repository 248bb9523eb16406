import ArgumentParser
import Foundation
import ProngsaiCore

struct FrameworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework",
        abstract: "List, export and validate fiscal-year framework files.",
        subcommands: [List.self, Export.self, Validate.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in frameworks.")
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let frameworks: [Framework]
            do { frameworks = try BuiltinFrameworks.all() } catch { throw InputError(message: error.description) }
            var out = Output()
            if json {
                let list = JSONValue.array(frameworks.map { f in
                    .object(JSONObject([
                        ("id", .string(f.id)), ("fiscalYear", .number(Decimal(f.fiscalYear))),
                        ("title", .object(JSONObject([("th", .string(f.title.th)), ("en", .string(f.title.en))]))),
                    ]))
                })
                out.line(list.serialized())
            } else {
                for f in frameworks { out.line("\(f.id)\t\(f.fiscalYear)\t\(f.title.th)") }
            }
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
