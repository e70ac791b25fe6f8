public import Foundation

/// A JSON value: the shape of everything in a conversation's context.
///
/// Entity values, service responses and script results all live in the context as
/// JSON, so that scripts, templates and storage see the same data.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The value at `key` when this is an object, otherwise `nil`.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let members) = self else { return nil }
            return members[key]
        }
        set {
            guard case .object(var members) = self else { return }
            // Letting go of our own reference first keeps the members unique, so the change is
            // made in place rather than on a copy of the whole dictionary.
            self = .null
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` when this is an array and the index is in range, otherwise `nil`.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Follows a dotted path with optional `[n]` indexes, such as `entities.company` or `body[0].message`.
    public func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        for component in JSONPath.components(of: path) {
            switch component {
            case .key(let key): current = current?[key]
            case .index(let index): current = current?[index]
            }
            if current == nil { return nil }
        }
        return current
    }

    /// Sets the value at a dotted path, creating intermediate objects as needed.
    ///
    /// An index creates the array up to it, filled with nulls; so that a path cannot allocate without
    /// bound, a path whose index is outside `0...JSONPath.maximumIndex`, or that has more than
    /// `JSONPath.maximumComponents` parts, changes nothing.
    ///
    /// - Returns: Whether the value was set.
    @discardableResult
    public mutating func setValue(_ value: JSONValue, atPath path: String) -> Bool {
        let components = JSONPath.components(of: path)
        guard JSONPath.problem(in: components) == nil else { return false }
        guard !components.isEmpty else {
            self = value
            return true
        }
        setValue(value, at: components[...])
        return true
    }

    /// Removes the value at a dotted path, if there is one.
    public mutating func removeValue(atPath path: String) {
        let components = JSONPath.components(of: path)
        guard let last = components.last, case .key(let key) = last else { return }
        let parentPath = components.dropLast()
        if parentPath.isEmpty {
            guard case .object(var members) = self else { return }
            self = .null
            members[key] = nil
            self = .object(members)
            return
        }
        guard var parent = value(at: parentPath), case .object(var members) = parent else { return }
        members[key] = nil
        parent = .object(members)
        setValue(parent, at: parentPath)
    }

    private func value(at components: ArraySlice<JSONPath.Component>) -> JSONValue? {
        var current: JSONValue? = self
        for component in components {
            switch component {
            case .key(let key): current = current?[key]
            case .index(let index): current = current?[index]
            }
        }
        return current
    }

    private mutating func setValue(_ value: JSONValue, at components: ArraySlice<JSONPath.Component>) {
        guard let first = components.first else {
            self = value
            return
        }
        let rest = components.dropFirst()
        switch first {
        case .key(let key):
            // As in the subscript: let go of our own references so the changes are made in place.
            var members: [String: JSONValue]
            if case .object(let existing) = self { members = existing } else { members = [:] }
            self = .null
            var child = members[key] ?? .null
            members[key] = .null
            child.setValue(value, at: rest)
            members[key] = child
            self = .object(members)
        case .index(let index):
            var elements: [JSONValue]
            if case .array(let existing) = self { elements = existing } else { elements = [] }
            self = .null
            while elements.count <= index { elements.append(.null) }
            var child = elements[index]
            elements[index] = .null
            child.setValue(value, at: rest)
            elements[index] = child
            self = .array(elements)
        }
    }
}

extension JSONValue {
    /// The text a person expects to see when the value is placed in a message.
    ///
    /// Strings print without quotes, whole numbers without a decimal point, `null` as empty
    /// text; arrays and objects print as compact JSON.
    public var displayText: String {
        switch self {
        case .null: return ""
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return JSONValue.format(number: value)
        case .string(let value): return value
        case .array, .object: return jsonText()
        }
    }

    /// The value as JSON text, with keys sorted so output is stable.
    public func jsonText(pretty: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, pretty: pretty, indent: 0, sortingKeys: true)
        return String(decoding: output, as: UTF8.self)
    }

    /// The value as compact JSON text, each object's members in the order the object holds them, which differs from
    /// one process to the next: for text that only a JSON reader reads back, where sorting the keys is work for
    /// nothing.
    public func unorderedJSONText() -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, pretty: false, indent: 0, sortingKeys: false)
        return String(decoding: output, as: UTF8.self)
    }

    /// Formats a number the way JavaScript's `String(n)` does for the values bots handle.
    public static func format(number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "Infinity" : "-Infinity" }
        if number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(number)
    }

    private func write(to output: inout [UInt8], pretty: Bool, indent: Int, sortingKeys: Bool) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value): output.append(contentsOf: (value.isFinite ? JSONValue.format(number: value) : "null").utf8)
        case .string(let value): JSONValue.writeQuoted(value, to: &output)
        case .array(let elements):
            if elements.isEmpty {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(indent + 1, to: &output) }
                element.write(to: &output, pretty: pretty, indent: indent + 1, sortingKeys: sortingKeys)
            }
            if pretty { JSONValue.newline(indent, to: &output) }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            func writeMember(_ member: (key: String, value: JSONValue), first: Bool) {
                if !first { output.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(indent + 1, to: &output) }
                JSONValue.writeQuoted(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                member.value.write(to: &output, pretty: pretty, indent: indent + 1, sortingKeys: sortingKeys)
            }
            if sortingKeys {
                // The members sorted with their values, rather than the keys alone: no key is hashed again to find its
                // value.
                for (offset, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                    writeMember(member, first: offset == 0)
                }
            } else {
                var first = true
                for member in members {
                    writeMember(member, first: first)
                    first = false
                }
            }
            if pretty { JSONValue.newline(indent, to: &output) }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ indent: Int, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\n"))
        for _ in 0..<(indent * 2) { output.append(UInt8(ascii: " ")) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeQuoted(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = string
        text.withUTF8 { bytes in
            // Most text needs no escaping: copy each run of plain bytes at once.
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                writeEscape(byte, to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\n"): output.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): output.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): output.append(UInt8(ascii: "t"))
        default:
            output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}

extension JSONValue {
    /// Parses JSON text.
    ///
    /// - Throws: `JSONValue.ParseError` when the text is not valid JSON.
    public init(parsing text: String) throws {
        var parser = JSONParser(bytes: Array(text.utf8))
        self = try parser.parseDocument()
    }

    /// Parses JSON data.
    ///
    /// - Throws: `JSONValue.ParseError` when the data is not valid JSON.
    public init(parsing data: Data) throws {
        var parser = JSONParser(bytes: [UInt8](data))
        self = try parser.parseDocument()
    }

    /// The value as UTF-8 JSON data.
    public var jsonData: Data { Data(jsonText().utf8) }

    /// A JSON text that could not be parsed.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let message: String
        /// The byte offset where parsing stopped.
        public let offset: Int
        public var description: String { message }
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        // A plain loop: `Dictionary(_:uniquingKeysWith:)` costs several times more for the few
        // members a literal has. A repeated key keeps its last value, as before.
        var members = [String: JSONValue](minimumCapacity: elements.count)
        for (key, value) in elements { members[key] = value }
        self = .object(members)
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }
    public var isNull: Bool { self == .null }
}

/// Dotted paths with indexes, as written in templates: `context.a.b[0].c`.
public enum JSONPath {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    /// The largest index a path may set: setting `list[n]` fills the array up to `n` with nulls.
    public static let maximumIndex = 9_999
    /// The most keys and indexes a path may set through, as deep as a parsed JSON document may nest.
    public static let maximumComponents = JSONParser.maximumDepth

    /// Why a path cannot be used to set a value (an index out of range, too many parts), or `nil` when it can.
    ///
    /// Reading is not limited: a service response may hold more elements than a path may create.
    public static func problem(in path: String) -> String? {
        problem(in: components(of: path))
    }

    static func problem(in components: [Component]) -> String? {
        if components.count > maximumComponents {
            return "the path has \(components.count) parts; at most \(maximumComponents) are allowed"
        }
        for case .index(let index) in components where !(0...maximumIndex).contains(index) {
            return "the index [\(index)] is out of range; indexes run from 0 to \(maximumIndex)"
        }
        return nil
    }

    /// Splits a path into keys and indexes; `a.b[0]["c d"]` gives `a`, `b`, `0`, `c d`.
    public static func components(of path: String) -> [Component] {
        var result: [Component] = []
        var current = ""
        var iterator = Array(path).makeIterator()
        var pending = iterator.next()
        func flush() {
            if !current.isEmpty { result.append(.key(current)) }
            current = ""
        }
        while let character = pending {
            pending = iterator.next()
            switch character {
            case ".":
                flush()
            case "[":
                flush()
                var inside = ""
                while let next = pending, next != "]" {
                    inside.append(next)
                    pending = iterator.next()
                }
                pending = iterator.next()
                let trimmed = inside.trimmingCharacters(in: .whitespaces)
                if let index = Int(trimmed) {
                    result.append(.index(index))
                } else {
                    result.append(.key(trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))))
                }
            default:
                current.append(character)
            }
        }
        flush()
        return result
    }
}
