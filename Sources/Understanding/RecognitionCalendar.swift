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
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDay(daysSinceEpoch: 0)
    }
}
