import Foundation
import Synchronization

/// Turns DOCX into PDF with LibreOffice (`soffice --headless --convert-to pdf`), when it is installed.
public struct PDFConverter: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case failed(status: Int32, output: String)
        /// Stopped by a signal it did not get from us (a crash).
        case crashed(signal: Int32, output: String)
        case timedOut(seconds: Int)
        case noOutput

        public var description: String {
            switch self {
            case .failed(let status, let output): "LibreOffice exited with status \(status): \(output.prefix(400))"
            case .crashed(let signal, let output): "LibreOffice crashed (signal \(signal)): \(output.prefix(400))"
            case .timedOut(let seconds): "LibreOffice did not finish within \(seconds) s"
            case .noOutput: "LibreOffice finished but wrote no PDF"
            }
        }
    }

    /// The LibreOffice program.
    public var command: String
    public var timeoutSeconds: Int

    public init(command: String, timeoutSeconds: Int = 180) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
    }

    /// The first of `soffice` or `libreoffice` on PATH, or nil when LibreOffice is not installed.
    public static func locate(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        let folders = (path ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["soffice", "libreoffice"] {
            for folder in folders {
                let candidate = folder + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Converts one document. Each conversion gets its own LibreOffice profile folder, so several can
    /// run at once and nothing is left in the user's home.
    public func pdf(fromDOCX docx: Data, name: String = "document") async throws -> Data {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("prongsai-pdf-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let input = work.appendingPathComponent(name + ".docx")
        try docx.write(to: input)
        let process = Process()
        let arguments = [
            "-env:UserInstallation=" + work.appendingPathComponent("profile").absoluteString,
            "--headless", "--norestore", "--convert-to", "pdf", "--outdir", work.path, input.path,
        ]
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = work.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        // The child's output is read while it runs (a child that writes more than a pipe holds would
        // otherwise wait for us forever), on Foundation's own queue, not a thread of the task pool.
        let collected = Collected()
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                collected.finish()
            } else {
                collected.append(chunk)
            }
        }
        let seconds = timeoutSeconds
        let stoppedByUs = Mutex(false)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(seconds))
            if process.isRunning {
                stoppedByUs.withLock { $0 = true }
                // SIGKILL, to the child's process group (Foundation starts it as a group leader), so the
                // `soffice` wrapper and the soffice.bin it starts both stop; SIGTERM may be masked in the
                // child (Process.terminate is not enough).
                let pid = process.processIdentifier
                if kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
            }
        }
        let status: Int32
        do {
            status = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } catch {
            watchdog.cancel()
            output.fileHandleForReading.readabilityHandler = nil
            throw error
        }
        watchdog.cancel()
        try? output.fileHandleForWriting.close()
        // What is left in the pipe arrives within moments; a grandchild still holding it (LibreOffice's
        // soffice.bin outliving the wrapper we stopped) is not waited for.
        for _ in 0..<10 where !collected.ended { try? await Task.sleep(for: .milliseconds(50)) }
        output.fileHandleForReading.readabilityHandler = nil
        let text = String(decoding: collected.data, as: UTF8.self)
        if process.terminationReason == .uncaughtSignal {
            // A timeout is our own terminate; any other signal is a crash.
            if stoppedByUs.withLock({ $0 }) { throw Failure.timedOut(seconds: seconds) }
            throw Failure.crashed(signal: status, output: text)
        }
        guard status == 0 else { throw Failure.failed(status: status, output: text) }
        let result = work.appendingPathComponent(name + ".pdf")
        guard let data = try? Data(contentsOf: result), !data.isEmpty else { throw Failure.noOutput }
        return data
    }
}

/// Output gathered from a child process as it comes.
private final class Collected: Sendable {
    private let state = Mutex((data: Data(), ended: false))
    func append(_ chunk: Data) { state.withLock { $0.data.append(chunk) } }
    func finish() { state.withLock { $0.ended = true } }
    var ended: Bool { state.withLock { $0.ended } }
    var data: Data { state.withLock { $0.data } }
}
