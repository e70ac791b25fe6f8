import CivilTime

/// A parsed SOQL query, before its names are checked against the object.
struct SOQLQuery: Sendable {
    var selection: Selection
    var object: Name
    var condition: Condition?
    var ordering: [Ordering] = []
    var limit: Int?
    var offset: Int?

    enum Selection: Sendable {
        case count
        case fields([FieldPath])
    }

    /// A name with where it was written.
    struct Name: Sendable {
        var text: String
        var position: SourcePosition
    }

    /// `Name` or `Account.Name`.
    struct FieldPath: Sendable {
        var parts: [String]
        var position: SourcePosition
        var text: String { parts.joined(separator: ".") }
    }

    indirect enum Condition: Sendable {
        case and(Condition, Condition)
        case or(Condition, Condition)
        case not(Condition)
        case comparison(FieldPath, Operator, Literal)
        case membership(FieldPath, negated: Bool, [Literal])
        case like(FieldPath, Literal)
        /// A date function of a date field compared with a number: `CALENDAR_MONTH(CloseDate) = 12`.
        case datePart(DatePart, FieldPath, Operator, Literal)
    }

    /// The date functions a condition may apply to a date or datetime field (in UTC, the org's zone here).
    enum DatePart: String, Sendable, CaseIterable {
        case calendarMonth = "CALENDAR_MONTH"
        case calendarYear = "CALENDAR_YEAR"
        case dayInMonth = "DAY_IN_MONTH"
    }

    enum Operator: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    struct Literal: Sendable {
        enum Value: Sendable {
            case string(String)
            case number(Double)
            case boolean(Bool)
            case null
            case date(SalesforceTime.Day)
            case dateTime(String)
            /// `TODAY`, `LAST_N_DAYS:30`, ...: a range resolved against the clock when the query runs.
            case relativeDate(String, Int?)
        }
        var value: Value
        var position: SourcePosition
    }

    struct Ordering: Sendable {
        var field: FieldPath
        var descending: Bool
        /// `nil` means Salesforce's default: nulls first ascending, last descending.
        var nullsFirst: Bool?
    }
}
