import ArgumentParser
import Foundation
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb

/// `prongsai rescore --round ROUND`: the national recompute of a round's figures.
struct RescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Recompute every agency's figures of a round from the stored answers and items, and store them for the results pages.",
        discussion: """
            ROUND is a round id, or a fiscal year when exactly one round has that year. Progress goes to standard \
            error; the summary (or with --json, a JSON object) to standard output. With --verify, every agency is \
            also scored on its own, the way its dashboard does, and any difference is an error (exit code 1).
            """)

    @Option(help: "The round id, or its fiscal year (e.g. 2568).") var round: String
    @Flag(help: "Also score every agency one at a time and compare.") var verify = false
    @Flag(help: "Print the summary as JSON.") var json = false
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let roundKey = round
        let verify = verify
        let json = json
        try await withMigratedDatabase(options) { repositories, location in
            let logger = makeLogger()
            let rounds = try await repositories.rounds.all(logger: logger)
            let chosen: AssessmentRound
            if let byID = rounds.first(where: { $0.id == roundKey }) {
                chosen = byID
            } else {
                let byYear = rounds.filter { String($0.fiscalYear) == roundKey }
                guard byYear.count == 1 else {
                    let known = rounds.map { "\($0.id) (\($0.fiscalYear), \($0.title))" }.joined(separator: "; ")
                    throw InputError(message: byYear.isEmpty
                        ? "--round \(roundKey): no round with that id or fiscal year in \(location)" + (known.isEmpty ? "" : ". Rounds: \(known)")
                        : "--round \(roundKey): \(byYear.count) rounds have that fiscal year; give the round id: \(known)")
                }
                chosen = byYear[0]
            }
            let catalog = try FrameworkCatalog.builtin(store: repositories.frameworks)
            let rescore = RoundRescore(repositories: repositories, catalog: catalog)
            let report: RoundRescore.Report
            do {
                report = try await rescore.run(chosen, logger: logger) { step in
                    switch step {
                    case .loaded(let n): progressLine("loaded \(n) assessments (this year and the year before)")
                    case .scored(let done, let total): progressLine("scored \(done)/\(total)")
                    case .saved(let n): progressLine("saved \(n) agencies' figures")
                    }
                }
            } catch let error as any DomainError {
                throw InputError(message: "round \(chosen.id): \(error.userMessage.en)")
            }
            var mismatches: [String] = []
            if verify {
                progressLine("verifying: scoring each agency on its own")
                let stored = try await repositories.roundScores.scores(roundID: chosen.id, logger: logger).scores
                let single = try await rescore.oneAtATime(chosen, logger: logger)
                if single.count != stored.count { mismatches.append("\(single.count) agencies one at a time, \(stored.count) stored") }
                for one in single where stored[one.agencyID] != one {
                    mismatches.append("agency \(one.agencyID): stored \(stored[one.agencyID].map { "\($0)" } ?? "nothing"), one at a time \(one)")
                }
            }
            guard mismatches.isEmpty else {
                throw InputError(message: "round \(chosen.id): the recompute differs from one-at-a-time scoring for \(mismatches.count) agencies: "
                    + mismatches.prefix(5).joined(separator: "; "))
            }
            var out = Output()
            let seconds = String(format: "%.2f", report.totalSeconds)
            if json {
                let fields: [(String, JSONValue)] = [
                    ("round", .string(chosen.id)), ("fiscalYear", .number(Decimal(chosen.fiscalYear))),
                    ("agencies", .number(Decimal(report.agencies))), ("complete", .number(Decimal(report.complete))),
                    ("seconds", .number(Decimal(string: seconds) ?? 0)),
                    ("loadSeconds", .number(Decimal(string: String(format: "%.2f", report.loadSeconds)) ?? 0)),
                    ("scoreSeconds", .number(Decimal(string: String(format: "%.2f", report.scoreSeconds)) ?? 0)),
                    ("saveSeconds", .number(Decimal(string: String(format: "%.2f", report.saveSeconds)) ?? 0)),
                    ("verified", .bool(verify)),
                ]
                out.line(JSONValue.object(JSONObject(fields)).serialized())
            } else {
                out.line("Round \(chosen.id) (\(chosen.title), fiscal year \(chosen.fiscalYear)): \(report.agencies) agencies, \(report.complete) with a complete score, "
                    + "in \(seconds) s (load \(String(format: "%.2f", report.loadSeconds)) s, score \(String(format: "%.2f", report.scoreSeconds)) s, "
                    + "save \(String(format: "%.2f", report.saveSeconds)) s)." + (verify ? " Every agency scored one at a time gives the same figures." : ""))
            }
            out.flush()
        }
    }
}

/// A progress line on standard error (stdout stays the command's result).
func progressLine(_ text: String) {
    FileHandle.standardError.write(Data("\(text)\n".utf8))
}
