import ArgumentParser
import Foundation
import ProngsaiCore
import ProngsaiReports

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score an assessment from published figures or raw responses (CONTRACT.md).",
        discussion: """
            FILE is a JSON score input, or - for standard input. With --what-if, also score the assessment \
            with hypothetical changes and show the difference, e.g. --what-if pass:O13 --what-if eit2=86.
            """
    )

    @Argument(help: "The score input file, or - for stdin.") var file: String
    @Flag(help: "Print the CONTRACT.md JSON result.") var json = false
    @Option(name: .customLong("what-if"), help: "A hypothetical change: pass:ITEM, fail:ITEM or PART=SCORE. Repeatable.")
    var whatIf: [String] = []
    @Option(help: "Language of the table: th or en.") var lang: String = "th"

    func validate() throws {
        if Language(rawValue: lang) == nil { throw ValidationError("--lang must be th or en.") }
    }

    func run() throws {
        let source = file == "-" ? "<stdin>" : file
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: file) else {
                throw InputError(message: "\(file): cannot read the file")
            }
            data = d
        }
        let document: JSONValue
        do { document = try JSONParser.parse(data) } catch { throw InputError(message: "\(source): \(error.description)") }
        let framework: Framework
        let inputs: ScoreInputs
        do {
            let request = try ScoreRequest.parse(document)
            switch request.framework {
            case .builtin(let id):
                do { framework = try BuiltinFrameworks.load(id: id) } catch {
                    throw InputError(message: "\(source): framework: \(error.problems.map(\.message).joined(separator: "; "))")
                }
            case .file(let path):
                do { framework = try FrameworkLoader.load(path: path) } catch {
                    throw InputError(message: "\(source): frameworkFile: \(error.description)")
                }
            }
            inputs = try request.inputs(for: framework)
        } catch let error as ScoreInputError {
            throw InputError(message: "\(source): \(error.description)")
        }
        let language = Language(rawValue: lang) ?? .th
        var out = Output()
        do {
            if whatIf.isEmpty {
                let result = try Scorer.score(framework, inputs)
                out.line(json ? result.json(framework: framework).serialized() : ScoreText.render(result, framework: framework, language: language))
            } else {
                var changes: [WhatIfChange] = []
                for text in whatIf { changes.append(try WhatIfChange(parsing: text)) }
                let outcome = try WhatIf.evaluate(changes, inputs: inputs, framework: framework)
                out.line(json ? outcome.json(framework: framework).serialized() : ScoreText.render(outcome, framework: framework, language: language))
            }
        } catch {
            throw InputError(message: "\(source): \(error.description)")
        }
        out.flush()
    }
}
