import Foundation

/// Turns DOCX into PDF with LibreOffice (`soffice --headless --convert-to pdf`), when it is installed.
public struct PDFConverter: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case failed(status: Int32, output: String)
        case timedOut(seconds: Int)
        case noOutput

        public var description: String {
            switch self {
            case .failed(let status, let output): "LibreOffice exited with status \(status): \(output.prefix(400))"
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
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = [
            "-env:UserInstallation=" + work.appendingPathComponent("profile").absoluteString,
            "--headless", "--norestore", "--convert-to", "pdf", "--outdir", work.path, input.path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = work.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let seconds = timeoutSeconds
        let watchdog = Task {
            try await Task.sleep(for: .seconds(seconds))
            if process.isRunning { process.terminate() }
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let timedOut = watchdog.isCancelled == false && process.terminationReason == .uncaughtSignal
        watchdog.cancel()
        if timedOut { throw Failure.timedOut(seconds: seconds) }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard status == 0 else { throw Failure.failed(status: status, output: text) }
        let result = work.appendingPathComponent(name + ".pdf")
        guard let data = try? Data(contentsOf: result), !data.isEmpty else { throw Failure.noOutput }
        return data
    }
}
