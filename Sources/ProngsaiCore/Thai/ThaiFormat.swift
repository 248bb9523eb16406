import Foundation

/// Thai document conventions: Thai digits, Buddhist-era dates, fiscal years.
public enum ThaiFormat {
    static let thaiDigits: [Character] = ["๐", "๑", "๒", "๓", "๔", "๕", "๖", "๗", "๘", "๙"]

    /// Replaces Arabic digits with Thai digits: "95.35" → "๙๕.๓๕".
    public static func thaiDigits(_ text: String) -> String {
        String(text.map { c in
            if let v = c.asciiValue, v >= 48, v <= 57 { thaiDigits[Int(v - 48)] } else { c }
        })
    }

    /// Replaces Thai digits with Arabic digits.
    public static func arabicDigits(_ text: String) -> String {
        String(text.map { c in
            if let i = thaiDigits.firstIndex(of: c) { Character(String(i)) } else { c }
        })
    }

    public static let monthNames = [
        "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
        "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
    ]
    public static let shortMonthNames = [
        "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
    ]
    public static let englishMonthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    /// The Buddhist-era year of a Gregorian year: 2023 → 2566.
    public static func buddhistYear(_ gregorian: Int) -> Int { gregorian + 543 }

    /// "18 กันยายน 2566", or with Thai digits "๑๘ กันยายน ๒๕๖๖".
    public static func longDate(_ date: CivilDate, thaiDigits useThai: Bool = false) -> String {
        let text = "\(date.day) \(monthNames[date.month - 1]) \(buddhistYear(date.year))"
        return useThai ? thaiDigits(text) : text
    }

    /// "18 ก.ย. 2566".
    public static func shortDate(_ date: CivilDate) -> String {
        "\(date.day) \(shortMonthNames[date.month - 1]) \(buddhistYear(date.year))"
    }

    /// "18 September 2023".
    public static func englishDate(_ date: CivilDate) -> String {
        "\(date.day) \(englishMonthNames[date.month - 1]) \(date.year)"
    }

    /// A moment in Thailand's time: "18 ก.ย. 2566 14:05 น." (Thai) or "18 September 2023 14:05" (English).
    public static func dateTime(_ moment: Date, thai: Bool = true) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let c = calendar.dateComponents([.hour, .minute], from: moment)
        let time = NumberText.padded(c.hour ?? 0, width: 2) + ":" + NumberText.padded(c.minute ?? 0, width: 2)
        let day = CivilDate.today(moment)
        return thai ? "\(shortDate(day)) \(time) น." : "\(englishDate(day)) \(time)"
    }
}

/// A calendar date without time or zone (Gregorian year, as stored).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads "2023-09-18".
    public init?(iso: String) {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Today's date in Thailand (UTC+7), where the assessment lives.
    public static func today(_ now: Date = Date()) -> CivilDate {
        CivilDate(daysSince1970: Int(((now.timeIntervalSince1970 + 7 * 3600) / 86_400).rounded(.down)))
    }

    /// Days from 1970-01-01 (negative before), in the proleptic Gregorian calendar; by arithmetic
    /// (H. Hinnant's `days_from_civil`), not a `Calendar`, which is slow to make.
    public var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    public init(daysSince1970 days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        day = dayOfYear - (153 * mp + 2) / 5 + 1
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var iso: String { NumberText.padded(year, width: 4) + "-" + NumberText.padded(month, width: 2) + "-" + NumberText.padded(day, width: 2) }
    public var description: String { iso }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// A Thai fiscal year in the Buddhist era: FY2566 runs 1 Oct 2565 – 30 Sep 2566 (1 Oct 2022 – 30 Sep 2023).
public struct FiscalYear: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var buddhistYear: Int

    public init(_ buddhistYear: Int) { self.buddhistYear = buddhistYear }

    /// The fiscal year a date falls in.
    public init(containing date: CivilDate) {
        buddhistYear = ThaiFormat.buddhistYear(date.year) + (date.month >= 10 ? 1 : 0)
    }

    public var gregorianYear: Int { buddhistYear - 543 }
    public var start: CivilDate { CivilDate(year: gregorianYear - 1, month: 10, day: 1)! }
    public var end: CivilDate { CivilDate(year: gregorianYear, month: 9, day: 30)! }

    public func contains(_ date: CivilDate) -> Bool { date >= start && date <= end }

    /// "ต.ค.65 - ก.ย.66", as Thai reports write a fiscal period.
    public var shortPeriod: String {
        let a = (buddhistYear - 1) % 100
        let b = buddhistYear % 100
        return "ต.ค." + NumberText.padded(a, width: 2) + " - ก.ย." + NumberText.padded(b, width: 2)
    }

    /// "1 ตุลาคม 2565 – 30 กันยายน 2566".
    public var longPeriod: String { "\(ThaiFormat.longDate(start)) – \(ThaiFormat.longDate(end))" }

    public var description: String { "\(buddhistYear)" }

    public static func < (a: FiscalYear, b: FiscalYear) -> Bool { a.buddhistYear < b.buddhistYear }
}

extension ThaiFormat {
    /// A file size as people read it: "613 ไบต์", "1.2 กิโลไบต์", "3.4 เมกะไบต์" (English: bytes, KB, MB).
    public static func byteSize(_ bytes: Int, thai: Bool = true) -> String {
        if bytes < 1024 { return "\(bytes) " + (thai ? "ไบต์" : (bytes == 1 ? "byte" : "bytes")) }
        if bytes < 1_048_576 { return NumberText.oneDecimal(Double(bytes) / 1024) + (thai ? " กิโลไบต์" : " KB") }
        return NumberText.oneDecimal(Double(bytes) / 1_048_576) + (thai ? " เมกะไบต์" : " MB")
    }
}

/// What a link check found, in words: the fetcher's English reasons given in Thai for the officer.
public enum LinkCheckText {
    public static func describe(_ snapshot: EvidenceSnapshot) -> LocalizedText {
        if let error = snapshot.error {
            return LocalizedText(th: "ใช้งานไม่ได้: " + thai(error), en: "dead: " + error)
        }
        let status = snapshot.status ?? 0
        if !(200..<400).contains(status) {
            let reason = status == 404 ? "ไม่พบหน้านี้" : status == 403 ? "เว็บไซต์ไม่อนุญาตให้เข้าถึง" : status >= 500 ? "เว็บไซต์ขัดข้อง" : "เปิดไม่ได้"
            return LocalizedText(th: "ใช้งานไม่ได้: \(reason) (HTTP \(status))", en: "dead (HTTP \(status))")
        }
        if snapshot.changed {
            return LocalizedText(th: "เนื้อหาเปลี่ยนไปจากครั้งก่อน (\(ThaiFormat.byteSize(snapshot.size)))", en: "content changed (\(ThaiFormat.byteSize(snapshot.size, thai: false)))")
        }
        return LocalizedText(th: "ใช้งานได้ (\(ThaiFormat.byteSize(snapshot.size)))", en: "working (HTTP \(status), \(ThaiFormat.byteSize(snapshot.size, thai: false)))")
    }

    /// The fetcher's reasons (SafeFetcher) in Thai; anything else is kept as it is.
    static func thai(_ error: String) -> String {
        func after(_ prefix: String, until end: String? = nil) -> String? {
            guard let range = error.range(of: prefix) else { return nil }
            var rest = String(error[range.upperBound...])
            if let end, let stop = rest.range(of: end) { rest = String(rest[..<stop.lowerBound]) }
            return rest
        }
        if let host = after("the address ", until: " does not resolve") { return "ไม่พบเว็บไซต์ \(host)" }
        if let host = after("could not connect to ", until: ":") { return "เชื่อมต่อเว็บไซต์ \(host) ไม่ได้" }
        if let host = after("refused: ", until: " points to") { return "ไม่ตรวจลิงก์ที่ชี้ไปยังเครือข่ายภายใน (\(host))" }
        if error.contains("only http and https") { return "ตรวจได้เฉพาะลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://" }
        if error.contains("too many redirects") { return "เว็บไซต์ส่งต่อไปยังที่อื่นหลายครั้งเกินไป" }
        if error.contains("connection could not be made") { return "เชื่อมต่อไม่ได้" }
        if error.contains("timed out") || error.contains("timeout") { return "เว็บไซต์ไม่ตอบสนองภายในเวลาที่กำหนด" }
        if error.contains("too large") { return "หน้าเว็บมีขนาดใหญ่เกินกำหนด" }
        return error
    }
}

/// Numbers and dates as Thai officers type them.
public enum TypedValue {
    /// "1,200", "๑,๒๐๐", " 57 " → 1200 / 57; nil for anything else (no sign, no decimals).
    public static func wholeNumber(_ text: String) -> Int? {
        let plain = ThaiFormat.arabicDigits(text).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
            .replacingOccurrences(of: " ", with: "")
        guard !plain.isEmpty, plain.allSatisfy(\.isASCII), plain.allSatisfy(\.isNumber), plain.count <= 12 else { return nil }
        return Int(plain)
    }

    /// A date from a date picker ("2023-01-01"), a Buddhist-era ISO form ("2566-01-01"), or as Thai write it:
    /// "1 ธ.ค. 2567", "1 ธันวาคม 2567", "1/12/2567" (day/month/Buddhist year), in Thai or Arabic digits.
    public static func date(_ text: String) -> CivilDate? {
        let trimmed = ThaiFormat.arabicDigits(text.trimmingCharacters(in: .whitespaces))
        var found: CivilDate?
        if let iso = CivilDate(iso: trimmed) {
            found = iso
        } else if trimmed.contains("/") {
            let parts = trimmed.split(separator: "/").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if parts.count == 3 { found = CivilDate(year: parts[2], month: parts[1], day: parts[0]) }
        } else {
            let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
            if words.count == 3, let day = Int(words[0]), let year = Int(words[2]) {
                let month = ThaiFormat.shortMonthNames.firstIndex(of: words[1]) ?? ThaiFormat.monthNames.firstIndex(of: words[1])
                    ?? ThaiFormat.shortMonthNames.firstIndex(of: words[1] + ".")
                if let month { found = CivilDate(year: year, month: month + 1, day: day) }
            }
        }
        guard var date = found else { return nil }
        if date.year > 2400, let gregorian = CivilDate(year: date.year - 543, month: date.month, day: date.day) { date = gregorian }
        return (2000...2200).contains(date.year) ? date : nil
    }
}
