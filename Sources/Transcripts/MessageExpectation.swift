import Foundation

/// What one bot message must look like: the `<` line (and its `|` continuation lines) of a transcript.
public struct MessageExpectation: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `< text`: the message, line for line, with `{{…}}` holes.
        case text(MessagePattern)
        /// `<~ regex`: the whole message matches the regular expression; `(?<name>…)` groups capture.
        case regex(String)
        /// `<? one | two`: any one of the alternatives.
        case oneOf([MessagePattern])
    }

    public var kind: Kind
    /// The lines as written, marker included, for failure reports.
    public var source: [String]

    public init(kind: Kind, source: [String]) {
        self.kind = kind
        self.source = source
    }

    /// Whether the message matches, and the values it captured; `nil` when it does not match.
    public func match(_ text: String, captures: [String: String]) -> [String: String]? {
        switch kind {
        case .text(let pattern):
            return pattern.match(text, captures: captures)
        case .oneOf(let alternatives):
            for alternative in alternatives {
                if let captured = alternative.match(text, captures: captures) { return captured }
            }
            return nil
        case .regex(let source):
            var expanded = source
            for (name, value) in captures {
                expanded = expanded.replacingOccurrences(of: "{{\(name)}}", with: NSRegularExpression.escapedPattern(for: value))
            }
            guard let regex = try? CompiledRegex("^(?:" + expanded + ")$") else { return nil }
            return regex.match(text, names: Self.groupNames(in: source))
        }
    }

    /// The names captured by this line.
    public var captureNames: [String] {
        switch kind {
        case .text(let pattern): pattern.captureNames
        case .oneOf(let alternatives): alternatives.flatMap(\.captureNames)
        case .regex(let source): Self.groupNames(in: source)
        }
    }

    /// The names reused by this line.
    public var reusedNames: [String] {
        switch kind {
        case .text(let pattern): pattern.reusedNames
        case .oneOf(let alternatives): alternatives.flatMap(\.reusedNames)
        case .regex(let source):
            source.components(separatedBy: "{{").dropFirst().compactMap { part in
                part.range(of: "}}").map { String(part[..<$0.lowerBound]) }
            }
        }
    }

    static func groupNames(in regex: String) -> [String] {
        var names: [String] = []
        var rest = Substring(regex)
        while let start = rest.range(of: "(?<") {
            rest = rest[start.upperBound...]
            let name = rest.prefix { $0.isLetter || $0.isNumber }
            if rest.dropFirst(name.count).hasPrefix(">"), !name.isEmpty { names.append(String(name)) }
        }
        return names
    }
}
