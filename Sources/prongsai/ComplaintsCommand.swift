import ArgumentParser
import Foundation
import ProngsaiStore

/// The keys that seal corruption complaints: make one, and move every sealed field onto the first key.
struct ComplaintsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaints",
        abstract: "Keys that encrypt corruption complaints (docs/complaints.md).",
        subcommands: [Keygen.self, Rekey.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new key line (ID:BASE64) to put first in the keys file.")
        @Option(help: "The key's name (letters, digits, - or _), e.g. the date it was made.") var id: String?

        func run() throws {
            let name = id ?? "k" + String(Int(Date().timeIntervalSince1970))
            guard ComplaintKeys.validID(name) else { throw ValidationError("--id must be 1–32 letters, digits, - or _.") }
            print(ComplaintKeys.generateLine(id: name))
        }
    }

    struct Rekey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal every complaint field again with the first key of the keys file (after adding a new key first); then the old key may go.")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "The keys file (default: $PRONGSAI_COMPLAINT_KEYS_FILE or $PRONGSAI_COMPLAINT_KEYS).") var complaintKeys: String?

        func run() async throws {
            guard let keys = try loadComplaintKeys(file: complaintKeys, demoBeside: nil) else {
                throw InputError(message: "no complaint keys: give --complaint-keys FILE or set PRONGSAI_COMPLAINT_KEYS_FILE")
            }
            let location = try options.location()
            let database = try openDatabase(location)
            do {
                let repository = ComplaintRepository(database: database, vault: ComplaintVault(keys: keys))
                let moved = try await repository.rekey(progress: { done, total in
                    FileHandle.standardError.write(Data("rekey: \(done)/\(total) cases\n".utf8))
                }, logger: makeLogger())
                try await database.shutdown()
                print("\(moved) fields sealed again with key \(keys.current.id)")
            } catch {
                try? await database.shutdown()
                throw InputError(message: "\(location): rekey failed: \(error)")
            }
        }
    }
}

/// The complaint keys from `--complaint-keys FILE`, `$PRONGSAI_COMPLAINT_KEYS_FILE` or `$PRONGSAI_COMPLAINT_KEYS`;
/// for the demo (an SQLite location given) a key file beside its database, made the first time.
func loadComplaintKeys(file: String?, demoBeside demo: DatabaseLocation?) throws -> ComplaintKeys? {
    let env = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
    var text: String?
    var source = "PRONGSAI_COMPLAINT_KEYS"
    if let path = file ?? env["PRONGSAI_COMPLAINT_KEYS_FILE"] {
        source = path
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw InputError(message: "\(path): cannot read the complaint keys: \(error.localizedDescription)") }
    } else if let inline = env["PRONGSAI_COMPLAINT_KEYS"] {
        text = inline
    } else if let demo, case .sqlite(let database) = demo {
        let path = database + ".complaint-keys"
        source = path
        if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            text = existing
        } else {
            let line = ComplaintKeys.generateLine(id: "demo") + "\n"
            guard FileManager.default.createFile(atPath: path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw InputError(message: "\(path): cannot write the demo's complaint key")
            }
            text = line
        }
    }
    guard let text else { return nil }
    do { return try ComplaintKeys(parsing: text) } catch { throw InputError(message: "\(source): \(error.description)") }
}
