import Foundation

/// Writes `bytes` to a temporary file with the given extension, runs an independent tool on it, and
/// returns what the tool printed; nil when the tool fails. `arguments(path)` builds the command line.
public func runTool(on bytes: [UInt8], fileExtension: String, _ arguments: (String) -> [String]) throws -> Data? {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString).\(fileExtension)")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments(file.path)
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? data : nil
}

/// Decodes the QR code in a PNG with zbarimg (Debian's zbar-tools), a reader independent of ours.
/// nil when it finds no code.
public func zbarDecode(_ png: [UInt8]) throws -> String? {
    guard let data = try runTool(on: png, fileExtension: "png", { ["zbarimg", "--raw", "-q", $0] }) else { return nil }
    var text = String(decoding: data, as: UTF8.self)
    if text.hasSuffix("\n") { text.removeLast() }
    return text
}

/// The text of every member of a zip file (DOCX, XLSX), read by Python's zipfile: a reader independent of
/// the ZIP writer the documents use.
public func zipText(_ bytes: [UInt8]) throws -> String {
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nsys.stdout.write(''.join(z.read(n).decode('utf-8', 'replace') for n in z.namelist()))"
    return String(decoding: try runTool(on: bytes, fileExtension: "zip", { ["python3", "-c", script, $0] }) ?? Data(), as: UTF8.self)
}
