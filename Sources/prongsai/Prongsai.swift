import ArgumentParser
import Foundation

struct Prongsai: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prongsai",
        abstract: "Prongsai (โปร่งใส): Thailand's Integrity and Transparency Assessment, end to end.",
        subcommands: [AdminCommand.self, FrameworkCommand.self, ScoreCommand.self, MigrateCommand.self, ServeCommand.self, BackupCommand.self, RestoreCommand.self, ComplaintsCommand.self, RescoreCommand.self]
    )
}

/// Invalid input (exit code 1); the message names the file and the field.
struct InputError: Error {
    var message: String
}

/// Prints to stdout only once the command has succeeded.
struct Output {
    private(set) var text = ""
    mutating func line(_ s: String) { text += s + "\n" }
    mutating func raw(_ s: String) { text += s }
    func flush() {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
