public import Foundation

/// A day of the proleptic Gregorian calendar, with the arithmetic relative dates need.
///
/// Pure integer arithmetic (days since 1970-01-01), so results never depend on time zones or
/// daylight saving changes.
public struct CalendarDay: Sendable, Hashable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or `nil` for dates such as February 30.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...9999).contains(year),
            (1...CalendarDay.length(ofMonth: month, year: year)).contains(day)
        else { return nil }
        self.init(validYear: year, month: month, day: day)
    }

    /// A day whose month and day are known to be valid; arithmetic may take the year past 9999.
    private init(validYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The day in UTC that holds `date`.
    public init(_ date: Date) {
        self.init(daysSinceEpoch: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var weekday: Int {
        // 1970-01-01 was a Thursday.
        let offset = ((daysSinceEpoch % 7) + 7) % 7
        return (offset + 3) % 7 + 1
    }

    /// `YYYY-MM-DD`.
    public var isoText: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Midnight UTC at the start of the day.
    public var startDate: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400) }

    public func adding(days: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Adds months, keeping the day of month where the target month has it (Jan 31 + 1 month → Feb 28).
    public func adding(months: Int) -> CalendarDay {
        let index = year * 12 + (month - 1) + months
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        let newMonth = index - newYear * 12 + 1
        let newDay = min(day, CalendarDay.length(ofMonth: newMonth, year: newYear))
        return CalendarDay(validYear: newYear, month: newMonth, day: newDay)
    }

    public var firstOfMonth: CalendarDay { CalendarDay(validYear: year, month: month, day: 1) }

    public var lastOfMonth: CalendarDay {
        CalendarDay(validYear: year, month: month, day: CalendarDay.length(ofMonth: month, year: year))
    }

    /// The first day of the calendar quarter this day is in.
    public var firstOfQuarter: CalendarDay {
        CalendarDay(validYear: year, month: (month - 1) / 3 * 3 + 1, day: 1)
    }

    /// The first day of the year this day is in.
    public var firstOfYear: CalendarDay { CalendarDay(validYear: year, month: 1, day: 1) }

    /// The Monday of this day's week (ISO 8601).
    public var startOfWeek: CalendarDay { adding(days: 1 - weekday) }

    /// The Sunday of this day's week, where weeks start on Sunday (Salesforce's default).
    public var startOfSundayWeek: CalendarDay { adding(days: -(weekday % 7)) }

    /// The number of days in a month.
    public static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
