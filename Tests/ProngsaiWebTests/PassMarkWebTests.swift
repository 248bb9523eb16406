import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport

@Suite("the pass mark comes from the framework's levels, not from code", .serialized)
struct PassMarkWebTests {
    /// FY2566 with its pass mark moved from 85 to 80.
    static func eighty() throws -> Framework {
        var document = try Fixtures.framework().document.objectValue!
        let levels = document["levels"]!.arrayValue!.map { level -> JSONValue in
            var object = level.objectValue!
            if object["minScore"]?.numberValue == 85 { object["minScore"] = 80 }
            if object["minEveryPart"]?.numberValue == 85 { object["minEveryPart"] = 80 }
            return .object(object)
        }
        document["levels"] = .array(levels)
        return try FrameworkLoader.load(document: .object(document), source: "pass-mark-80.json")
    }

    @Test("a framework whose pass mark is 80: level, low marks, the pass-mark line and label all follow it")
    func passMarkEighty() async throws {
        let framework = try Self.eighty()
        #expect(framework.passMark == 80)
        #expect(try Fixtures.framework().passMark == 85)
        try await withApp(.sqlite, catalog: FrameworkCatalog([framework])) { client, _, _ in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies/banpong/2566")
            #expect(officer.lastBody.contains(#"data-testid="ita-score">95.35<"#))
            // EIT part 2 (81.73) clears 80, so every part does: ผ่านดี, where FY2566's 85 gives ผ่าน.
            #expect(officer.lastBody.contains(#"data-testid="level">ผ่านดี<"#))
            #expect(officer.lastBody.contains(#"data-testid="pass-mark">เกณฑ์ผ่าน 80 คะแนน<"#))
            #expect(!officer.lastBody.contains(#" low""#), "no figure is marked low against 80")
            #expect(officer.lastBody.contains(">80</text>"), "the charts draw the pass line at 80")
            #expect(!officer.lastBody.contains(">85</text>"))
            #expect(officer.lastBody.contains(#"data-testid="level-reason">ได้ระดับผ่านดี เพราะ EIT ส่วนที่ 1 = 94.96 &lt; 95, EIT ส่วนที่ 2 = 81.73 &lt; 95: ต้องยกทุกส่วนถึง 95 จึงได้ผ่านดีเยี่ยม<"#))
        }
        try await withApp(.sqlite) { client, _, _ in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies/banpong/2566")
            #expect(officer.lastBody.contains(#"data-testid="level">ผ่าน<"#))
            #expect(officer.lastBody.contains(#"data-testid="pass-mark">เกณฑ์ผ่าน 85 คะแนน<"#))
            #expect(officer.lastBody.contains(#" low""#), "EIT part 2 is low against 85")
            #expect(officer.lastBody.contains(">85</text>"))
            #expect(officer.lastBody.contains(#"data-testid="level-reason">ได้ระดับผ่าน เพราะ EIT ส่วนที่ 2 = 81.73 &lt; 85: ต้องยกทุกส่วนถึง 85 จึงได้ผ่านดี<"#))
        }
    }

    /// Pages and documents only format what Core decides: no pass mark written into their code.
    @Test("no literal pass mark in the web app or the document renderers")
    func noLiteral() throws {
        var offenders: [String] = []
        for (place, line) in try Self.presentationLines() {
            // A DOCX cell margin of 85 twentieths of a point is not a score.
            if line.contains(#"w:w="85""#) { continue }
            if line.range(of: #"(^|[^0-9.])85([^0-9]|$)"#, options: .regularExpression) != nil { offenders.append("\(place): \(line)") }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    /// Every figure comes from `AssessmentFigures` (Core); the web app and the documents call no scorer and
    /// derive no score, sample target, level or threshold comparison themselves.
    @Test("no score computation in the web app or the document renderers")
    func noScoring() throws {
        let forbidden = [
            "Scorer.", "AssessmentScoring.", "IndicatorScores.resolve", "WhatIf.evaluate", "Levels.evaluate", "SampleProgress(",
            "minimumSample(", "Fraction(", ".roundedForDisplay <", ".roundedForDisplay >", ".roundedForDisplay -", "anonymity.visible(",
            "anonymity.allowsFigures(", ".weakBelow }", "minScore", "minEveryPart",
        ]
        var offenders: [String] = []
        for (place, code) in try Self.presentationLines() where !code.hasPrefix("//") {
            for pattern in forbidden where code.contains(pattern) { offenders.append("\(place): \(pattern) in \(code)") }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    /// Every line of the web app's and the document renderers' Swift and Mustache sources, trimmed,
    /// with "folder/file:line".
    static func presentationLines() throws -> [(place: String, line: String)] {
        var out: [(place: String, line: String)] = []
        for folder in ["Sources/ProngsaiWeb", "Sources/ProngsaiReports"] {
            let root = Fixtures.packageRoot.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in files where ["swift", "mustache"].contains(file.pathExtension) {
                let text = try String(contentsOf: file, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    out.append(("\(folder)/\(file.lastPathComponent):\(number + 1)", line.trimmingCharacters(in: .whitespaces)))
                }
            }
        }
        return out
    }
}
