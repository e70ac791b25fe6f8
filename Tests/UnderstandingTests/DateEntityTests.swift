import DialogModel
import Foundation
import ParleyJSON
import Testing
import Understanding

/// Dates are read against Monday 2026-03-02.
@Suite struct DateEntityTests {
    /// Absolute, natural and relative dates, in UTC.
    @Test(arguments: [
        ("2026-12-31", "2026-12-31"), ("12/31/2026", "2026-12-31"), ("31/12/2026", "2026-12-31"),
        ("12/31/26", "2026-12-31"), ("Dec 31", "2026-12-31"), ("December 31st", "2026-12-31"),
        ("31 Dec 2026", "2026-12-31"), ("Dec 31, 2027", "2027-12-31"), ("the 31st of December", "2026-12-31"),
        ("today", "2026-03-02"), ("tomorrow", "2026-03-03"), ("yesterday", "2026-03-01"),
        ("day after tomorrow", "2026-03-04"), ("friday", "2026-03-06"), ("this friday", "2026-03-06"),
        ("next Friday", "2026-03-13"), ("monday", "2026-03-02"), ("next monday", "2026-03-09"),
        ("Friday next week", "2026-03-13"), ("thursday this week", "2026-03-05"), ("friday last week", "2026-02-27"),
        ("by the 20th", "2026-03-20"), ("the 2nd", "2026-03-02"), ("the 1st", "2026-04-01"), ("the 15th of May", "2026-05-15"),
        ("last friday", "2026-02-27"), ("in 3 days", "2026-03-05"), ("in two weeks", "2026-03-16"),
        ("in a month", "2026-04-02"), ("3 days from now", "2026-03-05"), ("end of month", "2026-03-31"),
        ("end of the month", "2026-03-31"), ("end of next month", "2026-04-30"), ("next month", "2026-04-01"),
        ("end of the quarter", "2026-03-31"), ("next quarter", "2026-04-01"), ("end of the year", "2026-12-31"),
        ("next week", "2026-03-09"), ("on Friday", "2026-03-06"), ("by the end of the month", "2026-03-31"),
        ("end of June", "2026-06-30"), ("by the end of February", "2027-02-28"), ("end of march", "2026-03-31"),
        ("mid March", "2026-03-15"), ("mid-april", "2026-04-15"), ("middle of June", "2026-06-15"),
        ("mid February", "2027-02-15"), ("start of May", "2026-05-01"), ("beginning of March", "2027-03-01"),
    ])
    func datesInUTC(answer: String, expected: String) {
        #expect(value(.date, answer) == .string(expected))
    }

    /// A date without a year is the next such date on or after today.
    @Test func datesWithoutYearLookAhead() {
        #expect(value(.date, "Mar 2") == .string("2026-03-02"))
        #expect(value(.date, "Mar 1") == .string("2027-03-01"))
        #expect(value(.date, "Feb 29") == .string("2028-02-29"))
        #expect(value(.date, "1/15") == .string("2027-01-15"))
    }

    /// Dates that do not exist are refused as invalid dates.
    @Test(arguments: ["Feb 30", "2026-02-29", "2026-13-01", "13/45/2026", "April 31"])
    func invalidDates(answer: String) {
        #expect(recognize(.date, answer) == .invalid(reason: "That date isn't valid"))
    }

    /// Text that holds no date is refused.
    @Test func notDates() {
        #expect(recognize(.date, "whenever") == .invalid(reason: "That isn't a date I understand"))
    }

    /// Relative dates follow the calendar's time zone: in Auckland it is already Tuesday 3 March.
    @Test(arguments: [
        ("today", "2026-03-03"), ("tomorrow", "2026-03-04"), ("friday", "2026-03-06"), ("monday", "2026-03-09"),
        ("next friday", "2026-03-13"), ("in 3 days", "2026-03-06"),
    ])
    func datesInAnotherTimeZone(answer: String, expected: String) {
        #expect(value(.date, answer, calendar: auckland) == .string(expected))
    }

    /// "Today" is the day Foundation's Gregorian calendar gives in the calendar's time zone: around midnight,
    /// daylight saving changes and half-hour offsets, and before 1583 and after 9999, where it is the calendar's own answer.
    @Test(arguments: [
        "UTC", "America/Los_Angeles", "America/St_Johns", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Kiritimati",
        "Pacific/Pago_Pago", "Europe/Berlin",
    ])
    func todayInTimeZone(identifier: String) throws {
        let timeZone = try #require(TimeZone(identifier: identifier))
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        let moments: [Double] = [
            0, -1, 86_399.5, 1_772_442_000, 1_772_409_600 - 0.25, 1_774_746_000, 1_774_746_000 + 3_600, 1_792_886_400,
            1_798_761_599, -12_212_553_600 + 86_400, -12_212_553_600, -20_000_000_000, 253_402_214_400 - 86_400,
        ]
        for moment in moments + (0..<200).map({ 1_700_000_000 + Double($0) * 40_007.3 }) {
            let now = Date(timeIntervalSince1970: moment)
            let parts = gregorian.dateComponents([.year, .month, .day], from: now)
            let expected = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            let calendar = RecognitionCalendar(now: now, timeZone: timeZone)
            #expect(value(.date, "today", calendar: calendar) == .string(expected), "\(identifier) at \(moment)")
        }
    }

    /// Dates are found in free text; short weekday names that are ordinary words are not.
    @Test func findingDates() {
        let recognizer = EntityRecognizer(type: .date, calendar: utc)
        let matches = recognizer.find(in: "call Sun Microsystems next friday and again on 2026-04-01")
        #expect(matches.map(\.text) == ["next friday", "2026-04-01"])
        #expect(matches.map(\.value) == [.string("2026-03-13"), .string("2026-04-01")])
    }
}
