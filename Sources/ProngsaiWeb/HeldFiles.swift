import Crypto
import Foundation
import ProngsaiCore
import ProngsaiStore

/// Files chosen on a form that came back with an error: their bytes are stored at once and the form
/// carries each as a signed token, so the person does not choose them again. A token names the file's
/// hash, size, type and name and the person it was made for, under an HMAC key kept in the database
/// (every app node verifies it); a forged or another person's token is ignored.
struct HeldFiles {
    static let settingsKey = "held-files-key"
    let key: SymmetricKey

    static func load(_ settings: SettingsRepository) async throws -> HeldFiles {
        HeldFiles(key: try await storedKey(settingsKey, in: settings))
    }

    func token(_ file: EvidenceFile, userID: String) -> String {
        let name = file.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        let type = file.contentType.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let body = [file.sha256, String(file.size), type, name].joined(separator: ".")
        return body + "." + mac(body, userID: userID)
    }

    /// The file a token names, when its signature holds for this person.
    func file(_ token: String, userID: String) -> EvidenceFile? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0].count == 64, let size = Int(parts[1]), size >= 0 else { return nil }
        let body = parts[0...3].joined(separator: ".")
        guard constantTimeEqual(mac(body, userID: userID), parts[4]),
              let type = parts[2].removingPercentEncoding, let name = parts[3].removingPercentEncoding else { return nil }
        return EvidenceFile(sha256: parts[0], name: name, contentType: type, size: size)
    }

    func mac(_ body: String, userID: String) -> String {
        NumberText.hex(Array(HMAC<SHA256>.authenticationCode(for: Array((userID + "|" + body).utf8), using: key)))
    }
}

/// An HMAC key kept in the settings table under `name` (made on first use), so every app node signs and
/// verifies with the same one.
func storedKey(_ name: String, in settings: SettingsRepository) async throws -> SymmetricKey {
    let text = try await settings.value(name) {
        SymmetricKey(size: .bits256).withUnsafeBytes { NumberText.hex(Array($0)) }
    }
    return SymmetricKey(data: Array(text.utf8))
}

