import Foundation
import ProngsaiReports
import Testing
import TestSupport

/// The converter against stand-in programs that behave like LibreOffice at its worst.
@Suite("PDF conversion: a chatty, a crashing and a hanging LibreOffice")
struct PDFConverterTests {
    /// A script standing in for soffice: `body` runs with $OUT the output folder and $IN the input file.
    func fake(_ body: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("fake-soffice").path
        let script = """
            #!/bin/sh
            for a in "$@"; do case "$prev" in --outdir) OUT="$a";; esac; prev="$a"; IN="$a"; done
            NAME=$(basename "$IN" .docx)
            \(body)
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test("output far beyond a pipe's buffer is read while it runs (no hang); the PDF comes back")
    func chatty() async throws {
        try await withTemporaryDirectory { folder in
            let command = try fake("head -c 300000 /dev/zero | tr '\\\\0' x; printf '%%PDF-1.4 fake' > \"$OUT/$NAME.pdf\"", in: folder)
            let pdf = try await PDFConverter(command: command, timeoutSeconds: 20).pdf(fromDOCX: Data([1, 2, 3]), name: "memo")
            #expect(String(decoding: pdf, as: UTF8.self) == "%PDF-1.4 fake")
        }
    }

    @Test("a crash is told apart from a timeout, and a failure keeps its output")
    func crashTimeoutFailure() async throws {
        try await withTemporaryDirectory { folder in
            let crashing = try fake("echo about to crash; kill -SEGV $$", in: folder)
            await #expect {
                try await PDFConverter(command: crashing, timeoutSeconds: 20).pdf(fromDOCX: Data([1]))
            } throws: { error in
                guard case .crashed(let signal, let output)? = error as? PDFConverter.Failure else { return false }
                return signal == 11 && output.contains("about to crash")
            }
        }
        try await withTemporaryDirectory { folder in
            let hanging = try fake("sleep 30", in: folder)
            await #expect {
                try await PDFConverter(command: hanging, timeoutSeconds: 1).pdf(fromDOCX: Data([1]))
            } throws: { error in
                if case .timedOut(1)? = error as? PDFConverter.Failure { return true }
                return false
            }
        }
        try await withTemporaryDirectory { folder in
            let failing = try fake("echo 'Error: source file could not be loaded' >&2; exit 1", in: folder)
            await #expect {
                try await PDFConverter(command: failing, timeoutSeconds: 20).pdf(fromDOCX: Data([1]))
            } throws: { error in
                guard case .failed(1, let output)? = error as? PDFConverter.Failure else { return false }
                return output.contains("could not be loaded")
            }
        }
    }
}
