import CivilTime
import Foundation

/// Salesforce's date and datetime text: `2026-11-29` and `2026-11-29T10:00:00.000+0000`, always in UTC.
///
/// Stored values use exactly these forms, so comparing the text compares the instants.
enum SalesforceTime {
    /// A calendar day (proleptic Gregorian, UTC).
    typealias Day = CalendarDay

    /// `2026-11-29T10:00:00.000+0000`.
    static func dateTimeText(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = Int(milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000)
        let remainder = Int(milliseconds - Int64(days) * 86_400_000)
        let day = Day(daysSinceEpoch: days)
        let hours = remainder / 3_600_000
        let minutes = remainder / 60_000 % 60
        let seconds = remainder / 1000 % 60
        let millis = remainder % 1000
        return day.isoText + "T" + pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(millis, 3)
            + "+0000"
    }

    /// `2026-11-29`.
    static func dateText(_ date: Date) -> String { Day(date).isoText }

    /// Parses `yyyy-MM-dd`; `nil` unless it is a real calendar day.
    static func parseDay(_ text: String) -> Day? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            let day = Day(year: year, month: month, day: day)
        else { return nil }
        return day
    }

    /// Parses an ISO 8601 datetime as Salesforce accepts it: `2026-11-29T10:00:00Z`, with optional
    /// milliseconds and a `Z`, `+hhmm` or `+hh:mm` offset.
    static func parseDateTime(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, let day = parseDay(String(decoding: bytes[0..<10], as: UTF8.self)),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            let hours = number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"), let minutes = number(bytes, 14, 2),
            bytes[16] == UInt8(ascii: ":"), let seconds = number(bytes, 17, 2),
            hours < 24, minutes < 60, seconds < 60
        else { return nil }
        var index = 19
        var millis = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > start, let fraction = number(bytes, start, min(index - start, 3)) else { return nil }
            millis = fraction * [100, 10, 1][min(index - start, 3) - 1]
        }
        var offsetSeconds = 0
        if index < bytes.count {
            if bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count {
                index += 1
            } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                let rest = bytes[(index + 1)...].filter { $0 != UInt8(ascii: ":") }
                guard rest.count == 4, let offsetHours = number(Array(rest), 0, 2),
                    let offsetMinutes = number(Array(rest), 2, 2)
                else { return nil }
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
                index = bytes.count
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let seconds1970 = Double(day.daysSinceEpoch * 86_400 + hours * 3600 + minutes * 60 + seconds - offsetSeconds)
        return Date(timeIntervalSince1970: seconds1970 + Double(millis) / 1000)
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
