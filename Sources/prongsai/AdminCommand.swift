import ArgumentParser
import Foundation
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage system administrators.", subcommands: [Create.self, ResetTwoFactor.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a system administrator, e.g. the first one of a new install.",
            discussion: "Without --password-file a password is generated and printed once. Refuses a username that exists.")

        @OptionGroup var options: DatabaseOptions
        @Option(help: "The new administrator's username (a–z, 0–9, . _ -).") var username: String
        @Option(help: "The name shown in the app (default: the username).") var displayName: String?
        @Option(help: "Read the password from this file (its first line; at least 12 characters).") var passwordFile: String?

        func run() async throws {
            var password: String?
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                    throw InputError(message: "\(passwordFile): cannot read the password file")
                }
                password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            }
            try await withMigratedDatabase(options) { repositories, location in
                let logger = makeLogger()
                let chosen: String
                do {
                    chosen = try await Accounts.createAdministrator(
                        username: username, displayName: displayName, password: password, repositories: repositories, logger: logger)
                } catch let problem as Accounts.Problem {
                    throw InputError(message: "\(location): \(problem.description)")
                }
                var out = Output()
                out.line("Created administrator \"\(username)\" in \(location).")
                if password == nil {
                    out.line("Password (shown only now): \(chosen)")
                    out.line("Sign in and change it under \"บัญชีของฉัน\" (My account).")
                }
                out.flush()
            }
        }
    }
}

extension AdminCommand {
    /// For an administrator who lost both the phone and the recovery codes (no one else can reset it in the app).
    struct ResetTwoFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-two-factor",
            abstract: "Turn off a user's two-factor sign-in (a lost phone); they enrol again at their next sign-in.")

        @OptionGroup var options: DatabaseOptions
        @Option(help: "The user's username.") var username: String

        func run() async throws {
            try await withMigratedDatabase(options) { repositories, location in
                let logger = makeLogger()
                guard let user = try await repositories.users.find(username: username, logger: logger) else {
                    throw InputError(message: "\(location): no user \"\(username)\"")
                }
                try await repositories.users.disableTwoFactor(userID: user.id, by: AuditActor(userID: nil, name: "command line"), logger: logger)
                var out = Output()
                out.line("Two-factor sign-in is off for \"\(username)\"; they set it up again at their next sign-in.")
                out.flush()
            }
        }
    }
}

/// Opens the database, applies missing migrations, runs `body`, and shuts the database down.
func withMigratedDatabase(_ options: DatabaseOptions, _ body: (Repositories, DatabaseLocation) async throws -> Void) async throws {
    try await withMigratedDatabase(try options.location(), body)
}

func databaseLocation(_ text: String) throws -> DatabaseLocation {
    do { return try DatabaseLocation(parsing: text) } catch { throw ValidationError(error.message) }
}

func withMigratedDatabase(_ location: DatabaseLocation, _ body: (Repositories, DatabaseLocation) async throws -> Void) async throws {
    let logger = makeLogger()
    let database = try openDatabase(location)
    do {
        try await database.prepareEngine()
        try await Migrator(database: database).migrate(logger: logger)
        try await body(Repositories(database: database), location)
        try await database.shutdown()
    } catch let error as InputError {
        try? await database.shutdown()
        throw error
    } catch {
        try? await database.shutdown()
        throw InputError(message: "\(location): \(String(describing: error))")
    }
}
