import ArgumentParser
import Foundation

// Exit codes (CONTRACT.md): 0 success, 1 invalid input, 2 bad usage. Nothing on stdout unless 0.
do {
    var command = try Prongsai.parseAsRoot()
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.runAsync()
    } else {
        try command.run()
    }
} catch let error as InputError {
    FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
    exit(1)
} catch {
    let code = Prongsai.exitCode(for: error)
    let message = Prongsai.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    exit(code == .validationFailure ? 2 : code.rawValue == 1 ? 1 : 2)
}

extension AsyncParsableCommand {
    /// Opens the existential so the async `run()` is the one called.
    mutating func runAsync() async throws { try await run() }
}
