import Foundation
public import ParleyJSON

/// Text that must not leave the conversation: the values of entities marked `sensitive: true`, and what the
/// user typed to answer one. Channels mask it wherever a turn is kept or shown outside the chat itself
/// (the history file, recordings, `/context`, `/debug`, logs).
public struct SensitiveText: Sendable, Hashable {
    /// What a masked value is replaced with.
    public static let mask = "•••"

    /// The texts to mask; never show them.
    public private(set) var values: Set<String> = []

    public init(_ values: some Sequence<String> = [String]()) {
        for value in values { insert(value) }
    }

    public var isEmpty: Bool { values.isEmpty }

    /// Adds a text to mask; blank text is ignored.
    public mutating func insert(_ value: String) {
        let trimmed = value.trimmingWhitespaceAndNewlines()
        if !trimmed.isEmpty { values.insert(trimmed) }
    }

    /// Adds the texts a value shows as: itself, or each of its elements.
    mutating func insert(_ value: JSONValue) {
        switch value {
        case .null: return
        case .array(let elements): for element in elements { insert(element) }
        case .object(let members): for member in members.values { insert(member) }
        default: insert(value.displayText)
        }
    }

    public mutating func formUnion(_ other: SensitiveText) {
        values.formUnion(other.values)
    }

    /// Values shorter than this are masked only where they are the whole text; masking every "7" in a trace
    /// would hide more than it protects.
    static let shortestMaskedInside = 3

    /// `text` with each sensitive value in it replaced by ``mask``, longest values first.
    public func masked(_ text: String) -> String {
        guard !values.isEmpty, !text.isEmpty else { return text }
        let trimmed = text.trimmingWhitespaceAndNewlines()
        if values.contains(trimmed) { return text.replacingOccurrences(of: trimmed, with: Self.mask) }
        var result = text
        for value in values.sorted(by: { $0.count > $1.count }) where value.count >= Self.shortestMaskedInside {
            result = result.replacingOccurrences(of: value, with: Self.mask)
        }
        return result
    }

    /// `value` with sensitive texts masked in every string, and numbers and booleans that are sensitive
    /// values replaced by ``mask``.
    public func masked(_ value: JSONValue) -> JSONValue {
        guard !values.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(masked(text))
        case .number, .bool: return values.contains(value.displayText) ? .string(Self.mask) : value
        case .array(let elements): return .array(elements.map(masked))
        case .object(let members): return .object(members.mapValues(masked))
        case .null: return value
        }
    }
}
