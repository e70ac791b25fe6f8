import ParleyJSON

/// An expression simple enough to answer from the variables' JSON without JavaScript.
///
/// Dialogs mostly read a value (`context.entities.confirm`) or compare one with a literal
/// (`context.svc.response.statusCode == 201`). Converting the whole context to JavaScript for
/// that was most of a turn's cost. Anything this type cannot answer exactly as JavaScript would
/// (a loose comparison across types, a missing object in the middle of a path, a built-in
/// property) is left to JavaScript, so results never differ.
enum Shortcut {
    /// A plain path: `root(.name | [digits])*`.
    case path(Path)
    /// A path compared with a literal.
    case comparison(Path, Comparison, Literal)
    /// Anything else: JavaScript evaluates it.
    case other

    struct Path {
        let root: String
        let rest: [JSONPath.Component]
    }

    enum Comparison: String {
        case looseEqual = "=="
        case looseNotEqual = "!="
        case strictEqual = "==="
        case strictNotEqual = "!=="

        var isStrict: Bool { self == .strictEqual || self == .strictNotEqual }
        var isNegated: Bool { self == .looseNotEqual || self == .strictNotEqual }
    }

    enum Literal: Equatable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
    }

    /// What a path reads to.
    enum Reading {
        case value(JSONValue)
        /// JavaScript's `undefined`: the last key or index is not there.
        case undefined
        /// JavaScript would look further (a prototype, a built-in) or throw; let it.
        case needsJavaScript
    }

    // MARK: Parsing

    init(parsing source: String) {
        // Anything beyond printable ASCII (newlines, other scripts) goes to JavaScript, and so does
        // whatever the small grammar below does not take (calls, other operators, comments).
        guard !source.isEmpty, source.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || (" "..."~").contains($0) })
        else {
            self = .other
            return
        }
        guard let operatorStart = source.firstIndex(where: { $0 == "=" || $0 == "!" }) else {
            self = Shortcut.parsePath(source[...]).map(Shortcut.path) ?? .other
            return
        }
        let operatorEnd = source[operatorStart...].firstIndex(where: { $0 != "=" && $0 != "!" }) ?? source.endIndex
        guard let comparison = Comparison(rawValue: String(source[operatorStart..<operatorEnd])),
            let path = Shortcut.parsePath(source[..<operatorStart]),
            let literal = Shortcut.literal(source[operatorEnd...])
        else {
            self = .other
            return
        }
        self = .comparison(path, comparison, literal)
    }

    private static func parsePath(_ text: Substring) -> Path? {
        let trimmed = text.trimmingSpaces()
        // `[010]` is an octal index in sloppy-mode JavaScript; leave such paths to it.
        guard !hasLeadingZeroIndex(trimmed), let (root, rest) = Template.plainPath(trimmed)
        else { return nil }
        return Path(root: root, rest: rest)
    }

    private static func hasLeadingZeroIndex(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.indices.dropLast(2).contains { index in
            bytes[index] == UInt8(ascii: "[") && bytes[index + 1] == UInt8(ascii: "0")
                && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 2])
        }
    }

    private static func literal(_ text: Substring) -> Literal? {
        let trimmed = text.trimmingSpaces()
        switch trimmed {
        case "null": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
        if let quote = trimmed.first, quote == "'" || quote == "\"" {
            let inner = trimmed.dropFirst()
            guard inner.last == quote else { return nil }
            let content = inner.dropLast()
            guard !content.contains(quote), !content.contains("\\") else { return nil }
            return .string(String(content))
        }
        return number(trimmed).map(Literal.number)
    }

    /// A decimal literal such as `201`, `-1` or `0.5`; not octal, hex or exponent forms.
    private static func number(_ text: Substring) -> Double? {
        var digits = text
        if digits.first == "-" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
            whole.allSatisfy({ $0.isASCII && $0.isNumber }), whole == "0" || whole.first != "0",
            parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy({ $0.isASCII && $0.isNumber }))
        else { return nil }
        return Double(text)
    }

    // MARK: Answering

    /// Reads a path the way JavaScript would, or says that only JavaScript can.
    ///
    /// `inherits` tells whether an object (or an array) made from JSON would find a key it lacks
    /// on its prototype chain: `toString`, or anything a script added to `Object.prototype`.
    static func read(
        _ path: Path, in variables: [String: JSONValue], inherits: (_ key: String, _ isArray: Bool) -> Bool
    ) -> Reading {
        guard var current = variables[path.root] else { return .needsJavaScript }
        for (position, component) in path.rest.enumerated() {
            let isLast = position == path.rest.count - 1
            switch (current, component) {
            case (_, .key("__proto__")):
                return .needsJavaScript
            case (.object(let members), .key(let key)):
                // A missing key in the middle throws in JavaScript, or finds an inherited property.
                guard let next = members[key] else { return missing(key, isArray: false, isLast: isLast, inherits) }
                current = next
            case (.object(let members), .index(let index)):
                let key = String(index)
                guard let next = members[key] else { return missing(key, isArray: false, isLast: isLast, inherits) }
                current = next
            case (.array(let elements), .index(let index)):
                guard elements.indices.contains(index) else {
                    return missing(String(index), isArray: true, isLast: isLast, inherits)
                }
                current = elements[index]
            case (.array(let elements), .key("length")):
                current = .number(Double(elements.count))
            case (.string(let text), .key("length")):
                current = .number(Double(text.utf16.count))
            default:
                return .needsJavaScript
            }
        }
        return .value(current)
    }

    /// A key the JSON lacks: `undefined` at the end of the path unless inherited; JavaScript's to decide otherwise.
    private static func missing(
        _ key: String, isArray: Bool, isLast: Bool, _ inherits: (_ key: String, _ isArray: Bool) -> Bool
    ) -> Reading {
        isLast && !inherits(key, isArray) ? .undefined : .needsJavaScript
    }

    /// Whether a reading is truthy, as `if (…)` would see it.
    static func isTruthy(_ reading: Reading) -> Bool? {
        switch reading {
        case .needsJavaScript: return nil
        case .undefined, .value(.null): return false
        case .value(.bool(let bool)): return bool
        case .value(.number(let number)): return number != 0 && !number.isNaN
        case .value(.string(let text)): return !text.isEmpty
        case .value(.array), .value(.object): return true
        }
    }

    /// The comparison's outcome, or `nil` when JavaScript's type coercion would be involved.
    static func compare(_ reading: Reading, _ comparison: Comparison, _ literal: Literal) -> Bool? {
        let equal: Bool
        switch (reading, literal) {
        case (.needsJavaScript, _):
            return nil
        case (.undefined, .null):
            equal = !comparison.isStrict
        case (.undefined, _), (.value(.null), .bool), (.value(.null), .number), (.value(.null), .string):
            // `undefined` and `null` are loosely equal only to each other.
            equal = false
        case (.value(.null), .null):
            equal = true
        case (.value, .null):
            equal = false
        case (.value(.number(let number)), .number(let expected)):
            equal = number == expected
        case (.value(.bool(let bool)), .bool(let expected)):
            equal = bool == expected
        case (.value(.string(let text)), .string(let expected)):
            // JavaScript compares UTF-16 code units, not canonically equivalent characters.
            equal = text.utf16.elementsEqual(expected.utf16)
        case (.value, _):
            guard comparison.isStrict else { return nil }
            equal = false
        }
        return comparison.isNegated ? !equal : equal
    }

    /// Whether converting `value` to JavaScript and back would give it back unchanged.
    static func survivesRoundTrip(_ value: JSONValue, depth: Int = 0) -> Bool {
        guard depth < JSBridge.maximumDepth else { return false }
        switch value {
        case .null, .bool, .string:
            return true
        case .number(let number):
            return number.isFinite
        case .array(let elements):
            return elements.allSatisfy { survivesRoundTrip($0, depth: depth + 1) }
        case .object(let members):
            return members.allSatisfy { $0.key != "__proto__" && survivesRoundTrip($0.value, depth: depth + 1) }
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
