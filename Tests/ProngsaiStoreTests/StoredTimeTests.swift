import Foundation
import ProngsaiCore
import ProngsaiStore
import Testing

@Suite("times and dates by arithmetic agree with Foundation's calendar and ISO 8601 formatter")
struct StoredTimeTests {
    @Test("20,000 random instants from 1900 to 2600: days and Bangkok dates as the Gregorian calendar counts them; from 1970 written and read as Foundation does, to the millisecond")
    func agree() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        var bangkok = calendar
        bangkok.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        var random = SplitMix64(seed: 2566)
        for _ in 0..<20_000 {
            // Stored times are of the present: written from 1970 on; days and dates from 1900.
            let millis = Int64.random(in: -2_208_988_800_000...19_880_000_000_000, using: &random)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            if millis >= 0 {
                let written = StoredTime.now(date)
                #expect(written == formatter.string(from: date), "\(millis)")
                let read = try #require(StoredTime.parse(written))
                #expect(Int64((read.timeIntervalSince1970 * 1000).rounded()) == millis, "\(written)")
            }
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let day = try #require(CivilDate(year: c.year!, month: c.month!, day: c.day!))
            #expect(CivilDate(daysSince1970: day.daysSince1970) == day)
            #expect(day.daysSince1970 == Int((Double(millis) / 86_400_000).rounded(.down)))
            let local = bangkok.dateComponents([.year, .month, .day], from: date)
            #expect(CivilDate.today(date) == CivilDate(year: local.year!, month: local.month!, day: local.day!))
        }
        #expect(StoredTime.parse("2023-03-15T08:30:00Z") == formatter.date(from: "2023-03-15T08:30:00.000Z"))
        #expect(StoredTime.parse("2023-02-30T08:30:00Z") == nil, "no 30 February")
        #expect(StoredTime.parse("yesterday") == nil)
        #expect(StoredTime.parse("2023-03-15T08:30:00." + String(repeating: "9", count: 40) + "Z") == nil, "a long fraction is refused, not overflowed")
        #expect(CivilDate(iso: "2024-02-28")!.adding(days: 1) == CivilDate(iso: "2024-02-29"))
        #expect(CivilDate(iso: "2023-10-01")!.days(to: CivilDate(iso: "2024-09-30")!) == 365)
    }
}
