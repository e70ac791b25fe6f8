import CivilTime
import Foundation
import Testing

@Suite("Calendar days")
struct CalendarDayTests {
    /// Days since 1970 convert both ways, across leap days and before the epoch.
    @Test func daysSinceEpochRoundTrip() {
        for days in [-1, 0, 59, 365, 11_016, 20_514, 2_932_896] {
            let day = CalendarDay(daysSinceEpoch: days)
            #expect(day.daysSinceEpoch == days)
            #expect(CalendarDay(year: day.year, month: day.month, day: day.day) == day)
        }
        #expect(CalendarDay(daysSinceEpoch: 0).isoText == "1970-01-01")
        #expect(CalendarDay(daysSinceEpoch: 11_016).isoText == "2000-02-29")
    }

    /// Only real dates exist; February has 29 days in leap years only.
    @Test func invalidDatesAreRefused() {
        #expect(CalendarDay(year: 2026, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDay(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2026, month: 13, day: 1) == nil)
    }

    /// Weekdays are ISO (Monday 1 … Sunday 7); weeks start on Monday or, as in Salesforce, on Sunday.
    @Test func weeks() throws {
        let wednesday = try #require(CalendarDay(year: 2026, month: 3, day: 4))
        #expect(wednesday.weekday == 3)
        #expect(wednesday.startOfWeek.isoText == "2026-03-02")
        #expect(wednesday.startOfSundayWeek.isoText == "2026-03-01")
        let sunday = try #require(CalendarDay(year: 2026, month: 3, day: 1))
        #expect(sunday.startOfSundayWeek == sunday)
    }

    /// Adding months keeps the day where the month has it, in both directions across years.
    @Test func monthArithmetic() throws {
        let day = try #require(CalendarDay(year: 2026, month: 1, day: 31))
        #expect(day.adding(months: 1).isoText == "2026-02-28")
        #expect(day.adding(months: -2).isoText == "2025-11-30")
        #expect(day.firstOfQuarter.isoText == "2026-01-01")
        #expect(try #require(CalendarDay(year: 2026, month: 8, day: 9)).firstOfQuarter.isoText == "2026-07-01")
        #expect(day.firstOfYear.isoText == "2026-01-01")
    }

    /// A moment belongs to its UTC day, and a day starts at midnight UTC.
    @Test func dates() {
        let moment = Date(timeIntervalSince1970: 1_772_442_000)  // 2026-03-02T09:00:00Z
        #expect(CalendarDay(moment).isoText == "2026-03-02")
        #expect(CalendarDay(moment).startDate == Date(timeIntervalSince1970: 1_772_409_600))
        #expect(CalendarDay(Date(timeIntervalSince1970: -1)).isoText == "1969-12-31")
    }
}
