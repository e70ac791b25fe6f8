import CivilTime
import DialogModel

/// Calendar periods in a list whose values are relative date literals, as SOQL names them (`THIS_MONTH`,
/// `NEXT_QUARTER`, `LAST_YEAR` …), with `MONTH_1`…`MONTH_12` and `QUARTER_1`…`QUARTER_4` for a month or a quarter
/// named.
///
/// A person names a period the way they think of it; the list stores it the way it is relative to today, when it
/// can say so: in March 2026, "march" is `THIS_MONTH`, "april" `NEXT_MONTH` and "february" `LAST_MONTH`; "Q2" is
/// `NEXT_QUARTER`; "Q4 2025" is `LAST_QUARTER`; "from 2025" is `LAST_YEAR`; "year to date" is `THIS_YEAR`; and
/// "between april and june" is the second quarter. A month or quarter further away stays `MONTH_n` or `QUARTER_n`,
/// its next occurrence, except a quarter gone by, which a year must say; a period the list cannot name is not read.
struct PeriodReading {
    private let values: Set<String>
    private let today: CalendarDay

    /// A reading for `list`, or `nil` when its values are not relative date literals.
    init?(list: ListSpec, calendar: RecognitionCalendar) {
        let values = Set(list.items.map(\.value))
        guard !values.isDisjoint(with: ["THIS_MONTH", "THIS_QUARTER", "THIS_YEAR"]) else { return nil }
        self.values = values
        self.today = calendar.today
    }

    /// The value to store for a list value read as written: a named month or quarter becomes the relative literal
    /// it coincides with, when the list has that literal.
    func relative(_ value: String) -> String {
        let literal: String?
        if let month = Self.number(in: value, after: "MONTH_", upTo: 12) {
            let ahead = (month - today.month + 12) % 12
            literal = Self.literal("MONTH", ahead: ahead == 11 ? -1 : ahead)
        } else if let quarter = Self.number(in: value, after: "QUARTER_", upTo: 4) {
            // A quarter gone by is as far back as three ahead: only a year says which is meant.
            let ahead = (quarter - currentQuarter + 4) % 4
            literal = ahead < 2 ? Self.literal("QUARTER", ahead: ahead) : nil
        } else {
            literal = nil
        }
        return literal.flatMap { values.contains($0) ? $0 : nil } ?? value
    }

    /// `THIS_`, `NEXT_` or `LAST_` and the unit, for a period 0, 1 or -1 units from now.
    private static func literal(_ unit: String, ahead: Int) -> String? {
        switch ahead {
        case 0: "THIS_\(unit)"
        case 1: "NEXT_\(unit)"
        case -1: "LAST_\(unit)"
        default: nil
        }
    }

    /// Periods said in ways a list's synonyms cannot hold: with a year ("Q4 2025", "march 2027", "in 2025"), as a
    /// span of months ("between april and june", "apr-jun"), as a quarter's ordinal ("in the third quarter"), or
    /// as the year so far ("ytd", "year to date", "the year's wins so far"). A period the list cannot name ("march
    /// 2024") has no value; its words are no other period either.
    func find(in tokens: [WordToken]) -> [(value: String?, span: Range<Int>)] {
        var found: [(value: String?, span: Range<Int>)] = []
        var index = 0
        while index < tokens.count {
            if let (value, span) = period(at: index, in: tokens) {
                found.append((value.flatMap { values.contains($0) ? $0 : nil }, span))
                index = span.upperBound
            } else {
                index += 1
            }
        }
        return found
    }

    /// The period whose words start at `index`, and the words it takes; a `nil` value is a period the list cannot
    /// name, whose words are still not read as anything else.
    private func period(at index: Int, in tokens: [WordToken]) -> (String?, Range<Int>)? {
        let word = tokens[index].lower
        let next = index + 1 < tokens.count ? tokens[index + 1].lower : nil
        // "Q4 2025"
        if let quarter = Self.quarterNumber(word), let next, let year = Self.year(next) {
            return (quarterValue(year: year, quarter: quarter), index..<index + 2)
        }
        // "march 2027"
        if let month = DateReading.months[word], let next, let year = Self.year(next) {
            return (monthValue(year: year, month: month), index..<index + 2)
        }
        // "in 2025", "from 2025"
        if Self.yearPrepositions.contains(word), let next, let year = Self.year(next),
            index + 2 >= tokens.count || DateReading.months[tokens[index + 2].lower] == nil
        {
            return (Self.literal("YEAR", ahead: year - today.year), index + 1..<index + 2)
        }
        // "in the third quarter"
        if word == "the", let next, let quarter = Self.quarterOrdinals[next], index + 2 < tokens.count,
            tokens[index + 2].lower == "quarter", index > 0, Self.yearPrepositions.contains(tokens[index - 1].lower)
        {
            return (relative("QUARTER_\(quarter)"), index..<index + 3)
        }
        // "ytd", "year to date", "year-to-date"
        if word == "ytd" || word == "year-to-date" {
            return ("THIS_YEAR", index..<index + 1)
        }
        if word == "year", next == "to", index + 2 < tokens.count, tokens[index + 2].lower == "date" {
            return ("THIS_YEAR", index..<index + 3)
        }
        // "the year's closed-won deals so far"
        if word == "year's", index > 0, tokens[index - 1].lower == "the", Self.saysSoFar(tokens, after: index) {
            return ("THIS_YEAR", index..<index + 1)
        }
        return monthSpan(at: index, in: tokens)
    }

    /// "between april and june", "from apr to jun", "april through june", "apr-jun": a span of months that is a
    /// calendar quarter.
    private func monthSpan(at index: Int, in tokens: [WordToken]) -> (String?, Range<Int>)? {
        let word = tokens[index].lower
        let halves = word.split(separator: "-", omittingEmptySubsequences: false)
        if halves.count == 2, let first = DateReading.months[String(halves[0])],
            let last = DateReading.months[String(halves[1])]
        {
            return quarter(from: first, to: last).map { (relative("QUARTER_\($0)"), index..<index + 1) }
        }
        guard let first = DateReading.months[word], index + 2 < tokens.count,
            Self.spanJoiners.contains(tokens[index + 1].lower), let last = DateReading.months[tokens[index + 2].lower],
            let quarter = quarter(from: first, to: last)
        else { return nil }
        let opening = index > 0 && ["between", "from"].contains(tokens[index - 1].lower) ? index - 1 : index
        return (relative("QUARTER_\(quarter)"), opening..<index + 3)
    }

    private func quarter(from first: Int, to last: Int) -> Int? {
        first % 3 == 1 && last == first + 2 ? (first + 2) / 3 : nil
    }

    private var currentQuarter: Int { (today.month + 2) / 3 }

    private func quarterValue(year: Int, quarter: Int) -> String? {
        let ahead = (year * 4 + quarter) - (today.year * 4 + currentQuarter)
        return Self.literal("QUARTER", ahead: ahead) ?? ((2...3).contains(ahead) ? "QUARTER_\(quarter)" : nil)
    }

    private func monthValue(year: Int, month: Int) -> String? {
        let ahead = (year * 12 + month) - (today.year * 12 + today.month)
        return Self.literal("MONTH", ahead: ahead) ?? ((2...11).contains(ahead) ? "MONTH_\(month)" : nil)
    }

    private static func saysSoFar(_ tokens: [WordToken], after index: Int) -> Bool {
        var next = index + 1
        while next + 1 < tokens.count {
            if tokens[next].lower == "so", tokens[next + 1].lower == "far" { return true }
            next += 1
        }
        return false
    }

    private static func number(in value: String, after prefix: String, upTo limit: Int) -> Int? {
        guard value.hasPrefix(prefix), let number = Int(value.dropFirst(prefix.count)), (1...limit).contains(number)
        else { return nil }
        return number
    }

    private static func quarterNumber(_ word: String) -> Int? {
        guard word.count == 2, word.first == "q", let digit = word.last?.wholeNumberValue, (1...4).contains(digit)
        else { return nil }
        return digit
    }

    /// A year as a reader of sales figures writes it: four digits from 2000 to 2099.
    private static func year(_ word: String) -> Int? {
        guard word.count == 4, word.allSatisfy(\.isASCII), let year = Int(word), (2000...2099).contains(year) else {
            return nil
        }
        return year
    }

    private static let yearPrepositions: Set<String> = ["in", "from", "for", "during", "of"]
    private static let spanJoiners: Set<String> = ["and", "to", "through", "thru", "till", "until", "-", "–"]
    private static let quarterOrdinals: [String: Int] = [
        "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    ]
}
