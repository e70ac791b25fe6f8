import CivilTime
public import Foundation

/// The moment and time zone that relative dates ("tomorrow", "next Friday") are read against.
///
/// Recognition never reads the clock or the system time zone, so the same inputs always give
/// the same dates; the runtime passes its injected clock's time and the user's time zone.
public struct RecognitionCalendar: Sendable, Hashable {
    public var now: Date
    public var timeZone: TimeZone

    public init(now: Date, timeZone: TimeZone) {
        self.now = now
        self.timeZone = timeZone
    }

    /// The calendar day `now` falls on in `timeZone`.
    var today: CalendarDay {
        // Reading a date asks for today each time; the time zone's offset does it without building a calendar,
        // which cost more than the reading itself. Foundation's Gregorian calendar is Julian before 1582 and
        // `CalendarDay` stops at 9999, so moments outside those years still go through the calendar.
        if Self.arithmeticRange.contains(now) {
            let local = now.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: now))
            return CalendarDay(daysSinceEpoch: Int((local / 86_400).rounded(.down)))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDay(daysSinceEpoch: 0)
    }

    /// Moments whose day in any time zone falls between 1583 and 9999, where days since the epoch give the
    /// same day as Foundation's calendar.
    private static let arithmeticRange =
        Date(timeIntervalSince1970: -12_212_553_600 + 86_400)...Date(timeIntervalSince1970: 253_402_214_400 - 86_400)
}
