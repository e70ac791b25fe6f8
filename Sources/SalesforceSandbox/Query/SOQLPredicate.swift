import ParleyJSON
import SalesforceWire

/// A WHERE clause with its names resolved and its literals converted to the fields' stored forms.
indirect enum SOQLPredicate: Sendable {
    case and(SOQLPredicate, SOQLPredicate)
    case or(SOQLPredicate, SOQLPredicate)
    case not(SOQLPredicate)
    case compare(ResolvedField, SOQLQuery.Operator, Operand)
    case member(ResolvedField, negated: Bool, [Operand])
    case like(ResolvedField, LikePattern)
    /// A part of a date or datetime field's value compared with a whole number: its month, year or day.
    case datePart(ResolvedField, SOQLQuery.DatePart, SOQLQuery.Operator, Int)

    /// A literal ready to compare with stored values.
    enum Operand: Sendable {
        case null
        /// Lowercased text, compared case-insensitively.
        case text(String)
        /// Text compared exactly: ids, dates and datetimes in their stored form.
        case exact(String)
        case number(Double)
        case boolean(Bool)
        /// A span of days `[lower, upper)` as stored text, for date literals.
        case range(String, String)
    }

    func matches(_ record: StoredRecord, tables: [String: RecordTable]) -> Bool {
        switch self {
        case .and(let left, let right): return left.matches(record, tables: tables) && right.matches(record, tables: tables)
        case .or(let left, let right): return left.matches(record, tables: tables) || right.matches(record, tables: tables)
        case .not(let inner): return !inner.matches(record, tables: tables)
        case .compare(let field, let op, let operand):
            return Self.compare(field.value(in: record, tables: tables), op, operand)
        case .member(let field, let negated, let operands):
            let value = field.value(in: record, tables: tables)
            let found = operands.contains { Self.compare(value, .equal, $0) }
            return found != negated
        case .like(let field, let pattern):
            guard case .string(let text) = field.value(in: record, tables: tables) else { return false }
            return pattern.matches(text)
        case .datePart(let field, let part, let op, let number):
            guard case .string(let text) = field.value(in: record, tables: tables), let value = Self.datePart(part, of: text)
            else { return false }
            return Self.order(value, op, number)
        }
    }

    /// The year, month or day of a stored date ("2026-12-31") or datetime ("2026-12-31T23:00:00.000+0000"), in UTC.
    static func datePart(_ part: SOQLQuery.DatePart, of text: String) -> Int? {
        let digits = Array(text.utf8.prefix(10))
        guard digits.count == 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in digits[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        switch part {
        case .calendarYear: return number(0..<4)
        case .calendarMonth: return number(5..<7)
        case .dayInMonth: return number(8..<10)
        }
    }

    static func compare(_ value: JSONValue, _ op: SOQLQuery.Operator, _ operand: Operand) -> Bool {
        if case .null = operand {
            switch op {
            case .equal: return value == .null
            case .notEqual: return value != .null
            default: return false
            }
        }
        if value == .null { return op == .notEqual }
        switch (value, operand) {
        case (.string(let stored), .text(let literal)):
            return order(stored.lowercased(), op, literal)
        case (.string(let stored), .exact(let literal)):
            return order(stored, op, literal)
        case (.number(let stored), .number(let literal)):
            return order(stored, op, literal)
        case (.bool(let stored), .boolean(let literal)):
            switch op {
            case .equal: return stored == literal
            case .notEqual: return stored != literal
            default: return false
            }
        case (.string(let stored), .range(let lower, let upper)):
            switch op {
            case .equal: return stored >= lower && stored < upper
            case .notEqual: return !(stored >= lower && stored < upper)
            case .less: return stored < lower
            case .lessOrEqual: return stored < upper
            case .greater: return stored >= upper
            case .greaterOrEqual: return stored >= lower
            }
        default:
            return op == .notEqual
        }
    }

    private static func order<T: Comparable>(_ left: T, _ op: SOQLQuery.Operator, _ right: T) -> Bool {
        switch op {
        case .equal: left == right
        case .notEqual: left != right
        case .less: left < right
        case .lessOrEqual: left <= right
        case .greater: left > right
        case .greaterOrEqual: left >= right
        }
    }
}

/// A LIKE pattern: `%` any run, `_` one character, `\%` and `\_` literal; case-insensitive.
struct LikePattern: Sendable {
    private enum Element: Sendable, Equatable {
        case character(Character)
        case any
        case one
    }
    private let elements: [Element]
    /// The lowercased pattern when it has no wildcards, so matching is a comparison.
    let literal: String?

    init(_ pattern: String) {
        var elements: [Element] = []
        var escaping = false
        for character in pattern.lowercased() {
            if escaping {
                elements.append(.character(character))
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "%" {
                if elements.last != .any { elements.append(.any) }
            } else if character == "_" {
                elements.append(.one)
            } else {
                elements.append(.character(character))
            }
        }
        if escaping { elements.append(.character("\\")) }
        self.elements = elements
        var literal = ""
        for element in elements {
            guard case .character(let character) = element else {
                self.literal = nil
                return
            }
            literal.append(character)
        }
        self.literal = literal
    }

    /// Whether `text` matches, by the greedy wildcard algorithm with one backtrack point (linear-ish, no regex).
    func matches(_ text: String) -> Bool {
        matches(lowercased: text.lowercased())
    }

    /// ``matches(_:)`` for text already in lower case (search words are).
    func matches(lowercased text: String) -> Bool {
        if let literal { return text == literal }
        let characters = Array(text)
        var textIndex = 0
        var patternIndex = 0
        var starPattern = -1
        var starText = 0
        while textIndex < characters.count {
            if patternIndex < elements.count {
                switch elements[patternIndex] {
                case .any:
                    starPattern = patternIndex
                    starText = textIndex
                    patternIndex += 1
                    continue
                case .one:
                    patternIndex += 1
                    textIndex += 1
                    continue
                case .character(let expected) where expected == characters[textIndex]:
                    patternIndex += 1
                    textIndex += 1
                    continue
                default:
                    break
                }
            }
            guard starPattern >= 0 else { return false }
            patternIndex = starPattern + 1
            starText += 1
            textIndex = starText
        }
        while patternIndex < elements.count, elements[patternIndex] == .any { patternIndex += 1 }
        return patternIndex == elements.count
    }
}
