import Foundation

/// An agency as typed into the form or a CSV row, checked field by field.
public struct AgencyInput: Sendable, Hashable {
    public var code: String
    public var nameTH: String
    public var nameEN: String
    public var shortTH: String
    public var shortEN: String
    public var type: String
    public var province: String
    public var district: String
    public var website: String
    public var ministry: String

    public init(code: String = "", nameTH: String = "", nameEN: String = "", shortTH: String = "", shortEN: String = "", type: String = "",
                province: String = "", district: String = "", website: String = "", ministry: String = "") {
        self.code = code
        self.nameTH = nameTH
        self.nameEN = nameEN
        self.shortTH = shortTH
        self.shortEN = shortEN
        self.type = type
        self.province = province
        self.district = district
        self.website = website
        self.ministry = ministry
    }

    public init(_ agency: Agency) {
        self.init(code: agency.code, nameTH: agency.name.th, nameEN: agency.name.en, shortTH: agency.shortName.th, shortEN: agency.shortName.en,
                  type: agency.type, province: agency.province, district: agency.district, website: agency.website, ministry: agency.ministry)
    }

    /// Agency types of Thai public bodies, as officers write them.
    public static let types = [
        "อบต.", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "อบจ.", "กรุงเทพมหานคร", "เมืองพัทยา", "กระทรวง", "กรม", "จังหวัด",
        "มหาวิทยาลัย", "รัฐวิสาหกิจ", "องค์การมหาชน", "หน่วยงานอิสระ", "หน่วยงานอื่น",
    ]

    /// The CSV columns, in order.
    public static let columns = ["code", "name_th", "name_en", "type", "province", "district", "website", "short_th", "short_en", "ministry"]

    /// Problems by field name; empty when the agency can be saved.
    public func problems() -> [String: LocalizedText] {
        var out: [String: LocalizedText] = [:]
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        if !(2...40).contains(code.count) || !code.allSatisfy(allowed.contains) || code.hasPrefix("-") {
            out["code"] = LocalizedText(th: "รหัสหน่วยงานยาว 2–40 ตัว ใช้ได้เฉพาะ a–z 0–9 และ -", en: "The code is 2–40 characters of a–z, 0–9 and -")
        }
        if nameTH.trimmingCharacters(in: .whitespaces).isEmpty { out["name_th"] = LocalizedText(th: "กรุณากรอกชื่อหน่วยงานภาษาไทย", en: "Enter the Thai name") }
        if nameTH.count > 200 || nameEN.count > 200 { out["name_th"] = LocalizedText(th: "ชื่อยาวเกิน 200 ตัวอักษร", en: "The name is over 200 characters") }
        if !Self.types.contains(type) {
            out["type"] = LocalizedText(th: "ประเภทหน่วยงานไม่ถูกต้อง (เช่น อบต., เทศบาลตำบล, กรม)", en: "Unknown agency type (e.g. อบต., เทศบาลตำบล, กรม)")
        }
        if province.trimmingCharacters(in: .whitespaces).isEmpty { out["province"] = LocalizedText(th: "กรุณากรอกจังหวัด", en: "Enter the province") }
        if ministry.count > 200 { out["ministry"] = LocalizedText(th: "ชื่อกระทรวงยาวเกิน 200 ตัวอักษร", en: "The ministry is over 200 characters") }
        if !website.isEmpty, !(website.hasPrefix("https://") || website.hasPrefix("http://")) || website.count > 300 || URL(string: website) == nil {
            out["website"] = LocalizedText(th: "เว็บไซต์ต้องขึ้นต้นด้วย https:// หรือ http://", en: "The website must start with https:// or http://")
        }
        return out
    }

    /// The agency, keeping `id` when editing.
    public func agency(id: String = UUID().uuidString.lowercased()) -> Agency {
        func clean(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
        let th = clean(nameTH)
        let en = clean(nameEN).isEmpty ? th : clean(nameEN)
        return Agency(id: id, code: clean(code), name: LocalizedText(th: th, en: en),
                      shortName: LocalizedText(th: clean(shortTH).isEmpty ? th : clean(shortTH), en: clean(shortEN).isEmpty ? en : clean(shortEN)),
                      type: clean(type), province: clean(province), district: clean(district), website: clean(website), ministry: clean(ministry))
    }

    /// One CSV row of `columns` (missing trailing cells are empty).
    public init(row: [String]) {
        func cell(_ i: Int) -> String { i < row.count ? row[i].trimmingCharacters(in: .whitespacesAndNewlines) : "" }
        self.init(code: cell(0), nameTH: cell(1), nameEN: cell(2), shortTH: cell(7), shortEN: cell(8), type: cell(3), province: cell(4),
                  district: cell(5), website: cell(6), ministry: cell(9))
    }
}
