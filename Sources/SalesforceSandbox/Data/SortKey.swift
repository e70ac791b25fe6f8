import ParleyJSON

/// A non-null field value in the form ORDER BY compares: text folded to lowercase once, numbers, booleans.
///
/// Values of one field always have one kind; across kinds the order is booleans, numbers, text, only so
/// that the order stays total.
enum SortKey: Comparable, Sendable {
    case bool(Bool)
    case number(Double)
    case text(String)

    /// The key of `value`; `nil` for null, which NULLS FIRST/LAST places instead.
    init?(_ value: JSONValue) {
        switch value {
        case .null, .array, .object: return nil
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number)
        // Salesforce sorts text without regard to case.
        case .string(let text): self = .text(text.lowercased())
        }
    }

    static func < (left: SortKey, right: SortKey) -> Bool {
        switch (left, right) {
        case (.bool(let a), .bool(let b)): !a && b
        case (.number(let a), .number(let b)): a < b
        case (.text(let a), .text(let b)): a < b
        default: left.kindRank < right.kindRank
        }
    }

    private var kindRank: Int {
        switch self {
        case .bool: 0
        case .number: 1
        case .text: 2
        }
    }
}
