import Foundation

/// A bot line as written in a transcript: literal text with `{{…}}` holes.
///
/// - `{{*}}` matches any text on one line;
/// - `{{/regex/}}` matches a regular expression;
/// - `{{name:/regex/}}` matches and captures the text as `name`;
/// - `{{name}}` matches exactly what `name` captured earlier.
///
/// `\{{` stands for two literal braces.
public struct MessagePattern: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case wildcard
        case regex(String)
        case capture(name: String, regex: String)
        case reuse(String)
    }

    public var segments: [Segment]
    private let compiled: CompiledRegex?

    public init(segments: [Segment]) {
        self.segments = Self.merged(segments)
        let needsCaptures = self.segments.contains { if case .reuse = $0 { true } else { false } }
        let isLiteral = self.segments.allSatisfy { if case .literal = $0 { true } else { false } }
        compiled = needsCaptures || isLiteral ? nil : try? CompiledRegex(Self.regexSource(self.segments, captures: [:]))
    }

    /// Reads `{{…}}` holes from a line of text.
    ///
    /// - Throws: `PatternSyntaxError` when a hole is not closed, or a capture's name or regex is not valid.
    public init(parsing text: String) throws(PatternSyntaxError) {
        var segments: [Segment] = []
        var literal = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("\\{{") {
                literal += "{{"
                rest = rest.dropFirst(3)
                continue
            }
            guard rest.hasPrefix("{{") else {
                literal.append(rest.removeFirst())
                continue
            }
            if !literal.isEmpty { segments.append(.literal(literal)) }
            literal = ""
            let body = rest.dropFirst(2)
            let segment: Segment
            (segment, rest) = try Self.hole(body)
            segments.append(segment)
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.init(segments: segments)
    }

    /// The names this pattern captures, in order.
    public var captureNames: [String] {
        segments.compactMap { if case .capture(let name, _) = $0 { name } else { nil } }
    }

    /// The names this pattern reuses, in order.
    public var reusedNames: [String] {
        segments.compactMap { if case .reuse(let name) = $0 { name } else { nil } }
    }

    /// Whether the text matches, and with which captured values.
    ///
    /// - Parameter captures: values captured earlier, for `{{name}}`.
    /// - Returns: the values this pattern captured, or `nil` when the text does not match.
    public func match(_ text: String, captures: [String: String]) -> [String: String]? {
        if compiled == nil, case let literalOnly = segments.allSatisfy({ if case .literal = $0 { true } else { false } }),
            literalOnly
        {
            return text == segments.map { if case .literal(let value) = $0 { value } else { "" } }.joined() ? [:] : nil
        }
        let regex = compiled ?? (try? CompiledRegex(Self.regexSource(segments, captures: captures)))
        return regex?.match(text, names: captureNames)
    }

    /// The text with every `{{name}}` replaced by its captured value; for user lines and directive values.
    public func substituted(_ captures: [String: String]) -> String {
        segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .reuse(let name): captures[name] ?? "{{\(name)}}"
            case .wildcard: "{{*}}"
            case .regex(let regex): "{{/\(regex)/}}"
            case .capture(let name, let regex): "{{\(name):/\(regex)/}}"
            }
        }.joined()
    }

    /// Whether the pattern has no holes other than `{{name}}`.
    public var isPlainText: Bool {
        segments.allSatisfy {
            switch $0 {
            case .literal, .reuse: true
            default: false
            }
        }
    }

    // MARK: - Parsing holes

    private static func hole(_ body: Substring) throws(PatternSyntaxError) -> (Segment, Substring) {
        if body.hasPrefix("*}}") { return (.wildcard, body.dropFirst(3)) }
        if body.hasPrefix("/") {
            // The closing `/}}` is looked for after the opening slash, which `{{/}}` would otherwise end at.
            let regexStart = body.index(after: body.startIndex)
            guard let end = body[regexStart...].range(of: "/}}") else {
                throw PatternSyntaxError("a {{/regex/}} is not closed with /}}")
            }
            let regex = String(body[regexStart..<end.lowerBound])
            try checkRegex(regex)
            return (.regex(regex), body[end.upperBound...])
        }
        let name = body.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        let afterName = body[name.endIndex...]
        if afterName.hasPrefix("}}") {
            try checkName(String(name))
            return (.reuse(String(name)), afterName.dropFirst(2))
        }
        if afterName.hasPrefix(":/") {
            try checkName(String(name))
            let regexStart = afterName.index(afterName.startIndex, offsetBy: 2)
            guard let end = afterName[regexStart...].range(of: "/}}") else {
                throw PatternSyntaxError("the capture {{\(name):/…/}} is not closed with /}}")
            }
            let regex = String(afterName[regexStart..<end.lowerBound])
            try checkRegex(regex)
            return (.capture(name: String(name), regex: regex), afterName[end.upperBound...])
        }
        throw PatternSyntaxError(
            "'{{\(body.prefix(20))' is not a pattern; write {{*}}, {{/regex/}}, {{name:/regex/}} or {{name}} (\\{{ for literal braces)")
    }

    private static func checkName(_ name: String) throws(PatternSyntaxError) {
        guard let first = name.unicodeScalars.first, first.isASCIILetter,
            name.unicodeScalars.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) })
        else {
            throw PatternSyntaxError("'\(name)' cannot name a capture; use ASCII letters and digits, starting with a letter")
        }
    }

    private static func checkRegex(_ regex: String) throws(PatternSyntaxError) {
        do {
            _ = try NSRegularExpression(pattern: regex)
        } catch {
            throw PatternSyntaxError("'\(regex)' is not a valid regular expression")
        }
    }

    private static func merged(_ segments: [Segment]) -> [Segment] {
        var result: [Segment] = []
        for segment in segments {
            if case .literal(let text) = segment, case .literal(let previous)? = result.last {
                result[result.count - 1] = .literal(previous + text)
            } else {
                result.append(segment)
            }
        }
        return result
    }

    static func regexSource(_ segments: [Segment], captures: [String: String]) -> String {
        var source = "^"
        for segment in segments {
            switch segment {
            case .literal(let text): source += NSRegularExpression.escapedPattern(for: text)
            case .wildcard: source += ".*?"
            case .regex(let regex): source += "(?:\(regex))"
            case .capture(let name, let regex): source += "(?<\(name)>\(regex))"
            case .reuse(let name):
                // A name never captured matches nothing, so the line fails and the diff shows the hole.
                source += captures[name].map { NSRegularExpression.escapedPattern(for: $0) } ?? "(?!)"
            }
        }
        return source + "$"
    }

    public static func == (lhs: MessagePattern, rhs: MessagePattern) -> Bool { lhs.segments == rhs.segments }
    public func hash(into hasher: inout Hasher) { hasher.combine(segments) }
}

/// A `{{…}}` hole that cannot be read; the parser adds the file and line.
public struct PatternSyntaxError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A compiled regular expression, shared between threads: `NSRegularExpression` is immutable once made.
final class CompiledRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ source: String) throws {
        regex = try NSRegularExpression(pattern: source, options: [])
    }

    /// The named groups' values when the whole text matches, or `nil`.
    func match(_ text: String, names: [String]) -> [String: String]? {
        let range = NSRange(text.startIndex..., in: text)
        guard let result = regex.firstMatch(in: text, options: [.anchored], range: range),
            result.range.location == 0, result.range.length == range.length
        else { return nil }
        var captured: [String: String] = [:]
        for name in names {
            let groupRange = result.range(withName: name)
            if groupRange.location != NSNotFound, let swiftRange = Range(groupRange, in: text) {
                captured[name] = String(text[swiftRange])
            }
        }
        return captured
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
