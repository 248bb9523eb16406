import _CryptoExtras
import Crypto
import Foundation

/// The keys that seal complaint fields: read from configuration (`--complaint-keys FILE` or
/// `PRONGSAI_COMPLAINT_KEYS`), never stored in the database. One key per line, `ID:BASE64` (32 bytes);
/// the first seals, every one opens, so a new key goes first and `prongsai complaints rekey` moves
/// every sealed field onto it before an old one is removed (docs/complaints.md).
public struct ComplaintKeys: Sendable {
    public struct Entry: Sendable {
        public var id: String
        public let bytes: [UInt8]
        var key: SymmetricKey { SymmetricKey(data: bytes) }
    }

    public let entries: [Entry]
    public var current: Entry { entries[0] }

    public init(parsing text: String) throws(ComplaintKeyError) {
        var entries: [Entry] = []
        for (number, raw) in text.split(whereSeparator: { $0 == "\n" || $0 == "," }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, Self.validID(parts[0]) else {
                throw ComplaintKeyError("key \(number + 1): write ID:BASE64, the ID of letters, digits, - or _ (1–32)")
            }
            guard let bytes = Data(base64Encoded: parts[1]), bytes.count == 32 else {
                throw ComplaintKeyError("key \(parts[0]): the key must be 32 bytes in base 64 (make one with `prongsai complaints keygen`)")
            }
            guard !entries.contains(where: { $0.id == parts[0] }) else { throw ComplaintKeyError("key \(parts[0]) is listed twice") }
            entries.append(Entry(id: parts[0], bytes: [UInt8](bytes)))
        }
        guard !entries.isEmpty else { throw ComplaintKeyError("no key given") }
        self.entries = entries
    }

    public static func validID(_ id: String) -> Bool {
        (1...32).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// A new key line: `ID:BASE64`.
    public static func generateLine(id: String) -> String {
        id + ":" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}

public struct ComplaintKeyError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Seals and opens complaint fields with AES-GCM. A sealed field reads `KEYID:BASE64(nonce ‖ ciphertext ‖ tag)`
/// and is bound to its place (case, field) as authenticated data, so a sealed value copied into another case
/// or field does not open.
public struct ComplaintVault: Sendable {
    public let keys: ComplaintKeys

    public init(keys: ComplaintKeys) { self.keys = keys }

    public func seal(_ bytes: some DataProtocol, place: String) throws -> String {
        let box = try AES.GCM.seal(bytes, using: keys.current.key, authenticating: Data(place.utf8))
        guard let combined = box.combined else { throw ComplaintKeyError("AES-GCM gave no combined form") }
        return keys.current.id + ":" + combined.base64EncodedString()
    }

    public func seal(_ text: String, place: String) throws -> String { try seal(Data(text.utf8), place: place) }

    public func openBytes(_ sealed: String, place: String) throws -> Data {
        let parts = sealed.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let entry = keys.entries.first(where: { $0.id == parts[0] }) else {
            throw ComplaintKeyError("a sealed field names key \"\(parts.first ?? "")\", which is not configured")
        }
        guard let combined = Data(base64Encoded: parts[1]) else { throw ComplaintKeyError("a sealed field is damaged") }
        return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: entry.key, authenticating: Data(place.utf8))
    }

    public func open(_ sealed: String, place: String) throws -> String {
        String(decoding: try openBytes(sealed, place: place), as: UTF8.self)
    }

    /// Whether a sealed field is sealed with a key other than the current one.
    public func isStale(_ sealed: String) -> Bool { !sealed.hasPrefix(keys.current.id + ":") }
}

/// Receipt codes are kept only as a slow hash (scrypt, 16 MB and some 50 ms each), salted with the agency:
/// the code is the reporter's password. The hash is deterministic so the case can be found by it.
public enum ReceiptHash {
    /// At most this many hashes are made at once on a node (each holds 16 MB and a core): a flood of
    /// follow-up tries waits its turn instead of taking the node's memory and every core.
    public static let concurrent = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    static let gate = SlowWorkGate(width: concurrent)

    /// The hash, made when a turn is free.
    public static func slow(_ code: String, agencyID: String) async throws -> String {
        try await gate.run { try of(code, agencyID: agencyID) }
    }

    public static func of(_ code: String, agencyID: String) throws -> String {
        let key = try KDF.Scrypt.deriveKey(from: Data(code.utf8), salt: Data(("prongsai-receipt-v1:" + agencyID).utf8),
                                           outputByteCount: 32, rounds: 1 << 14, blockSize: 8, parallelism: 1)
        return key.withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }
}

/// Lets `width` pieces of work run at once; the rest wait in order.
public actor SlowWorkGate {
    public let width: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(width: Int) { self.width = width }

    /// Runs `work` outside the gate's own isolation once a turn is free.
    public nonisolated func run<R: Sendable>(_ work: @Sendable () throws -> R) async throws -> R {
        await enter()
        do {
            let result = try work()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }

    private func enter() async {
        if running < width { running += 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}
