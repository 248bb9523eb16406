import Foundation
import Logging
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

/// Importing a framework file into the database, and turning an OIT sheet into a framework file: shared
/// by `prongsai framework …` and the administrator's frameworks page.
public enum FrameworkImport {
    public enum Failure: Error, CustomStringConvertible, Sendable {
        /// The file is not a valid framework: every problem with its JSON path.
        case invalid(FrameworkError)
        /// The id is built in or imported already; a changed framework needs a new id.
        case exists(String)
        /// The OIT sheet's own mistakes, by row.
        case sheet(OITSheet.Problems)
        case unreadable(String)

        public var description: String {
            switch self {
            case .invalid(let error): error.description
            case .exists(let id): "a framework with the id \"\(id)\" is installed already; a framework in use never changes, so give the new version a new id"
            case .sheet(let problems): problems.description
            case .unreadable(let message): message
            }
        }

        /// Lines for the page, in the reader's language.
        public func lines(_ language: Language) -> [String] {
            let th = language == .th
            switch self {
            case .invalid(let error): return error.problems.map { "\($0.path): \(th ? FrameworkImport.thai($0.message) : $0.message)" }
            case .exists(let id): return [th ? "มีกรอบการประเมินรหัส \(id) อยู่แล้ว กรอบที่ใช้งานแล้วแก้ไขไม่ได้ ให้ตั้งรหัสใหม่ (เช่น \(id)-v2)" : description]
            case .sheet(let problems): return problems.problems.map { th ? "แถวที่ \($0.row) คอลัมน์ \($0.column): \($0.message.th)" : $0.description }
            case .unreadable(let message): return [th ? "อ่านไฟล์ไม่ได้: \(message)" : message]
            }
        }
    }

    /// The loader's messages are English; the page gives the gist in Thai before the path and the detail.
    static func thai(_ message: String) -> String {
        if message.contains("is missing") { return "ไม่มีค่านี้ (\(message))" }
        if message.contains("must add up to 1") { return "น้ำหนักรวมต้องเท่ากับ 1 (\(message))" }
        if message.contains("duplicate") { return "รหัสซ้ำ (\(message))" }
        if message.contains("must be") { return "ค่าไม่ถูกต้อง (\(message))" }
        return message
    }

    /// Validates and stores a framework file. Refuses an id that is built in or already imported.
    public static func store(_ data: Data, source: String, catalog: FrameworkCatalog, repositories: Repositories, actor: AuditActor, logger: Logger) async throws -> Framework {
        let framework: Framework
        do { framework = try FrameworkLoader.load(data: data, source: source) } catch { throw Failure.invalid(error) }
        if try await catalog.contains(framework.id) { throw Failure.exists(framework.id) }
        do {
            try await repositories.frameworks.store(framework, document: String(decoding: data, as: UTF8.self), by: actor, logger: logger)
        } catch is FrameworkRepository.Exists {
            throw Failure.exists(framework.id)
        }
        return framework
    }

    /// Rows of an OIT sheet: XLSX (by its ZIP signature) or CSV (UTF-8, with or without a BOM).
    public static func sheetRows(_ data: Data) throws -> [[String]] {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do { return try XLSXReader.rows(data) } catch { throw Failure.unreadable("\(error)") }
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        do { return try CSV.parse(text) } catch { throw Failure.unreadable("CSV: \(error)") }
    }

    /// A framework document with its OIT list replaced by the sheet's, checked as a whole framework.
    public static func applySheet(_ sheet: Data, to document: JSONValue, source: String) throws -> (Framework, JSONValue) {
        let updated: JSONValue
        do { updated = try OITSheet.apply(try sheetRows(sheet), to: document) } catch let problems as OITSheet.Problems { throw Failure.sheet(problems) }
        do { return (try FrameworkLoader.load(document: updated, source: source), updated) } catch { throw Failure.invalid(error) }
    }

    /// A starting file for a new framework: a copy of `from` under a new id and fiscal year.
    public static func newDocument(from framework: Framework, id: String, fiscalYear: Int) -> JSONValue {
        guard var root = framework.document.objectValue else { return framework.document }
        root["id"] = .string(id)
        root["fiscalYear"] = .number(Decimal(fiscalYear))
        if var title = root["title"]?.objectValue {
            if let th = title["th"]?.stringValue { title["th"] = .string(th.replacingOccurrences(of: String(framework.fiscalYear), with: String(fiscalYear))) }
            if let en = title["en"]?.stringValue {
                title["en"] = .string(en.replacingOccurrences(of: String(framework.fiscalYear), with: String(fiscalYear))
                    .replacingOccurrences(of: String(framework.fiscalYear - 543), with: String(fiscalYear - 543)))
            }
            root["title"] = .object(title)
        }
        return .object(root)
    }
}
