import Foundation
import _NIOFileSystem

/// Evidence files and web-page copies on disk under their SHA-256 (`ab/ab12…`), read and written with
/// NIO's non-blocking file system, so a large upload or download never holds up an event loop.
struct BlobFolder: Sendable {
    let root: String

    func path(_ sha256: String) -> FilePath {
        FilePath(root).appending(String(sha256.prefix(2))).appending(sha256)
    }

    /// Writes the bytes under their hash through a temporary name (a crash leaves no half file); a file
    /// already there is left as it is (the same hash, the same bytes).
    func write(_ bytes: [UInt8], sha256: String) async throws {
        let files = FileSystem.shared
        let target = path(sha256)
        let directory = target.removingLastComponent()
        try await files.createDirectory(at: directory, withIntermediateDirectories: true, permissions: nil)
        if try await files.info(forFileAt: target, infoAboutSymbolicLink: false) != nil { return }
        let temporary = directory.appending(sha256 + ".tmp-" + UUID().uuidString)
        _ = try await files.withFileHandle(forWritingAt: temporary, options: .newFile(replaceExisting: false)) { handle in
            try await handle.write(contentsOf: bytes, toAbsoluteOffset: 0)
        }
        do {
            try await files.moveItem(at: temporary, to: target)
        } catch {
            // Another request stored the same content first; the bytes are identical.
            _ = try? await files.removeItem(at: temporary, strategy: .platformDefault, recursively: false)
            guard try await files.info(forFileAt: target, infoAboutSymbolicLink: false) != nil else { throw error }
        }
    }

    /// The bytes stored under a hash, or nil when there is no such file.
    func read(_ sha256: String) async throws -> [UInt8]? {
        do {
            let buffer = try await FileSystem.shared.withFileHandle(forReadingAt: path(sha256)) { handle in
                try await handle.readToEnd(maximumSizeAllowed: .unlimited)
            }
            return Array(buffer.readableBytesView)
        } catch let error as FileSystemError where error.code == .notFound {
            return nil
        }
    }
}
