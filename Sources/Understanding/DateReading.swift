import CivilTime

/// Reads calendar dates, ISO or natural, relative to a given day.
struct DateReading {
    enum Result: Equatable {
        case date(CalendarDay)
        /// The words are a date, but not a real one ("Feb 30", "2026-13-01").
        case invalid
    }

    let today: CalendarDay

    /// The date all the words say; `nil` when they say something else.
    func date(_ input: ArraySlice<String>) -> Result? {
        // "the" and "of" carry nothing: "the 31st of December", "end of the month".
        let words = input.filter { $0 != "the" && $0 != "of" && $0 != "," }
        // "by the 20th": a day of the month alone, written in digits with its ordinal's letters after "the", is its
        // next coming (today counts); "the 15th of May" is read whole. "the first" and a bare "20" are other things.
        let dayFirst = input.count >= 2 && input.first == "the" ? Self.digitOrdinal(input[input.startIndex + 1]) : nil
        if let dayFirst, words.count == 1 { return nextDayOfMonth(dayFirst) }
        guard !words.isEmpty, dayFirst != nil || !["the", "of"].contains(input.first ?? ""), input.last != "the" else {
            return nil
        }
        // "end of Q2"; a bare "Q2" is more often part of a deal's name ("Acme Q2 Renewal").
        if words.count == 2, words[0] == "end", let end = quarterEnd(words[1]) { return end }
        // "end of June", "mid March" or "mid-March", "start of May": that day of the month, this year or, once it is over, next year.
        let halves = words.count == 1 ? words[0].split(separator: "-").map(String.init) : Array(words)
        if halves.count == 2, let part = Self.monthParts[halves[0]], let month = Self.months[halves[1]] {
            for year in today.year...(today.year + 1) {
                let day = part ?? CalendarDay.length(ofMonth: month, year: year)
                if let date = CalendarDay(year: year, month: month, day: day), date >= today { return .date(date) }
            }
            return .invalid
        }
        switch words.count {
        case 1: return single(words[0])
        default: return relative(words) ?? calendarDate(words)
        }
    }

    /// Whether a word may be what makes words a date: every date holds a digit ("12/31", "20th", "q2", "in 3 days"), a
    /// weekday or a month ("mid-March" too), a unit of time ("in a week", "end of the month") or a word for a day
    /// ("today", "eom").
    static func mayBeOfADate(_ word: String) -> Bool {
        // The digits a date is read from are ASCII ones.
        if word.holdsASCIIDigit || dateWords.contains(word) { return true }
        return word.utf8.contains(0x2D) && word.split(separator: "-").contains { dateWords.contains(String($0)) }
    }

    private static let dateWords: Set<String> = Set(weekdays.keys).union(months.keys).union(daysFromToday.keys)
        .union(periodEnds).union(["day", "days", "week", "weeks", "month", "months", "quarter", "year", "years"])

    /// Words for a day by how many days it is from today.
    private static let daysFromToday: [String: Int] = [
        "today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1,
        "yesterday": -1,
    ]
    /// The end of this month, quarter or year.
    private static let periodEnds: Set<String> = ["eom", "eoq", "eoy"]

    /// Words for a part of a month and the day they mean; `nil` for its last day.
    private static let monthParts: [String: Int?] = [
        "end": nil, "mid": 15, "middle": 15, "beginning": 1, "start": 1,
    ]

    // MARK: One word

    private func single(_ word: String) -> Result? {
        if let days = Self.daysFromToday[word] { return .date(today.adding(days: days)) }
        switch word {
        case "eom": return .date(today.lastOfMonth)
        case "eoq": return .date(today.firstOfQuarter.adding(months: 3).adding(days: -1))
        case "eoy": return .date(CalendarDay(year: today.year, month: 12, day: 31) ?? today)
        default: break
        }
        if let weekday = Self.weekdays[word] { return .date(upcoming(weekday)) }
        return numeric(word)
    }

    /// The last day of quarter "q2", this year or, once it is over, next year.
    private func quarterEnd(_ word: String) -> Result? {
        guard word.count == 2, word.first == "q", let quarter = Int(word.dropFirst()), (1...4).contains(quarter),
            let first = CalendarDay(year: today.year, month: quarter * 3 - 2, day: 1)
        else { return nil }
        var end = first.adding(months: 3).adding(days: -1)
        if end < today { end = first.adding(months: 15).adding(days: -1) }
        return .date(end)
    }

    /// "2026-12-31", "2026/12/31", "12/31/2026", "12/31/26", "12/31", "31/12/2026" (when the first
    /// number cannot be a month).
    private func numeric(_ word: String) -> Result? {
        // Each form starts with a digit; other words are refused before they are split three times.
        guard let first = word.first, first.isASCII, first.isNumber else { return nil }
        for separator in ["-", "/", "."] as [Character] {
            let parts = word.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts.count <= 3,
                parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } })
            else { continue }
            let numbers = parts.compactMap { Int($0) }
            guard numbers.count == parts.count else { return nil }
            if parts[0].count == 4 {
                guard parts.count == 3, separator != "." else { return nil }
                return exact(year: numbers[0], month: numbers[1], day: numbers[2])
            }
            // A dotted pair is a decimal number, not a date.
            if separator == "." && parts.count == 2 { return nil }
            if separator == "-" && parts.count == 2 { return nil }
            var month = numbers[0]
            var day = numbers[1]
            if separator == "." || (month > 12 && day <= 12) { swap(&month, &day) }
            guard parts.count == 3 else { return nextOccurrence(month: month, day: day) }
            var year = numbers[2]
            if parts[2].count == 2 { year += 2000 } else if parts[2].count != 4 { return nil }
            return exact(year: year, month: month, day: day)
        }
        return nil
    }

    // MARK: Relative phrases

    private func relative(_ words: [String]) -> Result? {
        let first = words[0]
        let rest = words.dropFirst()
        if words == ["day", "after", "tomorrow"] { return .date(today.adding(days: 2)) }
        if words == ["day", "before", "yesterday"] { return .date(today.adding(days: -2)) }
        // "Friday next week", "tuesday this week": the same day as "next Friday", "this Tuesday".
        if words.count == 3, Self.weekdays[first] != nil, words[2] == "week", ["next", "this", "last"].contains(words[1]) {
            return relative([words[1], first])
        }
        if words.count == 2, let weekday = Self.weekdays[words[1]] {
            switch first {
            case "this", "coming": return .date(upcoming(weekday))
            case "next":
                // The given day of next week (weeks start on Monday).
                return .date(today.startOfWeek.adding(days: 7 + weekday - 1))
            case "last", "past", "previous":
                let back = (today.weekday - weekday + 7) % 7
                return .date(today.adding(days: back == 0 ? -7 : -back))
            default: return nil
            }
        }
        if words.count == 2, first == "next" || first == "this" {
            let next = first == "next"
            switch words[1] {
            case "week": return .date(next ? today.startOfWeek.adding(days: 7) : today)
            case "month": return .date(next ? today.firstOfMonth.adding(months: 1) : today)
            case "quarter": return .date(next ? today.firstOfQuarter.adding(months: 3) : today)
            case "year": return .date(next ? CalendarDay(year: today.year + 1, month: 1, day: 1) ?? today : today)
            default: return nil
            }
        }
        if first == "end" || first == "eod" {
            return periodEnd(Array(rest))
        }
        if ["start", "beginning", "begining"].contains(first) {
            return periodStart(Array(rest))
        }
        // "in 3 days", "in a week", "in two weeks"
        if first == "in", let offset = offset(rest) { return .date(offset) }
        // "3 days from now", "two weeks from today", "a week later"
        if words.count >= 3, words.suffix(2) == ["from", "now"] || words.suffix(2) == ["from", "today"],
            let offset = offset(words.dropLast(2))
        {
            return .date(offset)
        }
        if words.last == "later" || words.last == "hence", let offset = offset(words.dropLast()) {
            return .date(offset)
        }
        if words.last == "ago", let offset = offset(words.dropLast(), backwards: true) { return .date(offset) }
        return nil
    }

    /// "end of (this|next)? week|month|quarter|year".
    private func periodEnd(_ words: [String]) -> Result? {
        guard let start = periodStart(words), case .date(let first) = start else { return nil }
        switch words.last {
        case "week": return .date(first.adding(days: 6))
        case "month": return .date(first.lastOfMonth)
        case "quarter": return .date(first.adding(months: 3).adding(days: -1))
        case "year": return .date(first.adding(months: 12).adding(days: -1))
        default: return nil
        }
    }

    /// "start of (this|next)? week|month|quarter|year".
    private func periodStart(_ words: [String]) -> Result? {
        guard let unit = words.last, (1...2).contains(words.count) else { return nil }
        let steps: Int
        switch words.count == 2 ? words[0] : "this" {
        case "this", "current": steps = 0
        case "next": steps = 1
        case "last", "previous": steps = -1
        default: return nil
        }
        switch unit {
        case "week": return .date(today.startOfWeek.adding(days: 7 * steps))
        case "month": return .date(today.firstOfMonth.adding(months: steps))
        case "quarter": return .date(today.firstOfQuarter.adding(months: 3 * steps))
        case "year":
            return CalendarDay(year: today.year + steps, month: 1, day: 1).map(Result.date)
        default: return nil
        }
    }

    /// "3 days", "a week", "two months", "1 year", added to today.
    private func offset(_ words: ArraySlice<String>, backwards: Bool = false) -> CalendarDay? {
        guard words.count >= 2, let unit = words.last else { return nil }
        let countWords = words.dropLast()
        let count: Int
        if countWords == ["a"] || countWords == ["an"] || countWords == ["one"] {
            count = 1
        } else if let value = NumberReading.number(countWords), value >= 0, value <= 10_000,
            value == value.rounded()
        {
            count = Int(value)
        } else {
            return nil
        }
        let signed = backwards ? -count : count
        switch unit {
        case "day", "days": return today.adding(days: signed)
        case "week", "weeks": return today.adding(days: 7 * signed)
        case "month", "months": return today.adding(months: signed)
        case "year", "years": return today.adding(months: 12 * signed)
        default: return nil
        }
    }

    // MARK: Month names

    /// "Dec 31", "December 31st 2026", "31 Dec 2026", "31st of December".
    private func calendarDate(_ words: [String]) -> Result? {
        guard words.count == 2 || words.count == 3 else { return nil }
        var year: Int?
        var pair = words
        if words.count == 3 {
            guard words[2].count == 4, let value = Int(words[2]), (1000...9999).contains(value) else { return nil }
            year = value
            pair = Array(words.prefix(2))
        }
        let month: Int
        let day: Int
        if let m = Self.months[pair[0]], let d = Self.dayOfMonth(pair[1]) {
            (month, day) = (m, d)
        } else if let d = Self.dayOfMonth(pair[0]), let m = Self.months[pair[1]] {
            (month, day) = (m, d)
        } else {
            return nil
        }
        if let year { return exact(year: year, month: month, day: day) }
        return nextOccurrence(month: month, day: day)
    }

    /// "20th", "1st": a day of the month in digits with its ordinal's letters; `nil` for anything else.
    private static func digitOrdinal(_ word: String) -> Int? {
        guard word.first?.isNumber == true, word.last?.isLetter == true else { return nil }
        return dayOfMonth(word)
    }

    private static func dayOfMonth(_ word: String) -> Int? {
        var digits = Substring(word)
        for suffix in ["st", "nd", "rd", "th"] where digits.hasSuffix(suffix) {
            digits = digits.dropLast(2)
            break
        }
        guard (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let day = Int(digits)
        else { return ordinals[word] }
        return day
    }

    // MARK: Helpers

    private func exact(year: Int, month: Int, day: Int) -> Result {
        CalendarDay(year: year, month: month, day: day).map(Result.date) ?? .invalid
    }

    /// The next month's day `day` on or after today, this month's when it is still to come; months without it
    /// are passed over ("the 31st" in April is May 31).
    private func nextDayOfMonth(_ day: Int) -> Result {
        guard (1...31).contains(day) else { return .invalid }
        for months in 0..<3 {
            let first = today.firstOfMonth.adding(months: months)
            if let candidate = CalendarDay(year: first.year, month: first.month, day: day), candidate >= today {
                return .date(candidate)
            }
        }
        return .invalid
    }

    /// The next such day on or after today; February 29 waits for the next leap year.
    private func nextOccurrence(month: Int, day: Int) -> Result {
        guard (1...12).contains(month), (1...CalendarDay.length(ofMonth: month, year: 2000)).contains(day) else {
            return .invalid
        }
        for year in today.year...(today.year + 8) {
            if let candidate = CalendarDay(year: year, month: month, day: day), candidate >= today {
                return .date(candidate)
            }
        }
        return .invalid
    }

    /// The next day with this weekday, on or after today.
    private func upcoming(_ weekday: Int) -> CalendarDay {
        today.adding(days: (weekday - today.weekday + 7) % 7)
    }

    static let weekdays: [String: Int] = [
        "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3, "thursday": 4,
        "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
    ]

    static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

    static let ordinals: [String: Int] = [
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
        "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
        "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
        "twentieth": 20, "thirtieth": 30,
    ]
}
