import Foundation
import ParleyJSON
internal import Yams

typealias YAMLNode = Yams.Node

/// Reads values out of one YAML file's node tree, collecting a diagnostic for each problem
/// instead of stopping at the first.
struct DialogFileReader {
    let file: String
    let source: SourceText
    private let text: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, text: String) {
        self.file = file
        self.text = text
        self.source = SourceText(text)
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    // MARK: Diagnostics

    func location(of node: YAMLNode) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    var startOfFile: SourceLocation { SourceLocation(file: file, line: 1, column: 1) }

    mutating func error(_ message: String, at location: SourceLocation, suggestion: String? = nil) {
        diagnostics.append(Diagnostic(.error, at: location, message, suggestion: suggestion))
    }

    mutating func error(_ message: String, at node: YAMLNode, suggestion: String? = nil) {
        error(message, at: location(of: node), suggestion: suggestion)
    }

    mutating func warning(_ message: String, at location: SourceLocation, suggestion: String? = nil) {
        diagnostics.append(Diagnostic(.warning, at: location, message, suggestion: suggestion))
    }

    mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    // MARK: Parsing

    /// The file's YAML tree, or `nil` with a diagnostic when the file is empty, not valid YAML, or
    /// beyond ``YAMLLimits`` (too large, nested too deeply, expanding through aliases).
    mutating func compose(emptyMessage: String) -> YAMLNode? {
        if let violation = YAMLLimits.violation(in: text) {
            error(violation.message, at: SourceLocation(file: file, line: violation.line, column: violation.column))
            return nil
        }
        do {
            guard let root = try Yams.compose(yaml: text) else {
                error(emptyMessage, at: startOfFile)
                return nil
            }
            return root
        } catch let yamlError as YamlError {
            report(syntaxError(yamlError))
            return nil
        } catch {
            self.error("invalid YAML: \(error)", at: startOfFile)
            return nil
        }
    }

    private func syntaxError(_ yamlError: YamlError) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: max(1, mark.line), column: max(1, mark.column))
        }
        func explained(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return "invalid YAML: \(problem)" }
            return "invalid YAML: \(problem) (\(context.text) at line \(context.mark.line))"
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return Diagnostic(.error, at: at(mark), explained(problem, context))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(.error, at: at(context.mark), "duplicate key \(names) in the same mapping")
        case .reader(let problem, let offset, _, _):
            return Diagnostic(.error, at: location(ofCharacterOffset: offset), "unreadable text: \(problem)")
        default:
            return Diagnostic(.error, at: startOfFile, "invalid YAML: \(yamlError)")
        }
    }

    private func location(ofCharacterOffset offset: Int?) -> SourceLocation {
        guard let offset, offset >= 0 else { return startOfFile }
        let prefix = text.prefix(offset)
        let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let column = prefix.reversed().prefix { $0 != "\n" }.count + 1
        return SourceLocation(file: file, line: line, column: column)
    }

    // MARK: Mappings

    /// The entries of a mapping, reporting keys that are not text or not in `allowed`
    /// (with the closest allowed key as a suggestion); `nil` when the node is not a mapping.
    mutating func fields(of node: YAMLNode, allowed: [String], in what: String) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping for \(what), found \(Self.describe(node))", at: node)
            return nil
        }
        var fields = Fields(node: node)
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error("expected a key name in \(what), found \(Self.describe(key))", at: key)
                continue
            }
            let name = scalar.string
            guard allowed.contains(name) else {
                error(
                    "unknown key '\(name)' in \(what)", at: key,
                    suggestion: Suggestion.closest(to: name, among: allowed))
                continue
            }
            fields.entries.append((name, key, value))
        }
        return fields
    }

    /// The entries of a mapping whose keys are free (headers, assignments), in file order.
    mutating func pairs(of node: YAMLNode, in what: String) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)]? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping for \(what), found \(Self.describe(node))", at: node)
            return nil
        }
        var pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error("expected a key name in \(what), found \(Self.describe(key))", at: key)
                continue
            }
            pairs.append((scalar.string, key, value))
        }
        return pairs
    }

    /// Reports a required key that is missing from a mapping.
    mutating func missing(_ key: String, in fields: Fields, what: String, hint: String = "") {
        error("missing required key '\(key)' in \(what)\(hint)", at: fields.node)
    }

    // MARK: Scalars

    /// A scalar's text; numbers and booleans count as text, as written.
    mutating func text(_ node: YAMLNode, for key: String) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            error("expected text for '\(key)', found \(Self.describe(node))", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func integer(_ node: YAMLNode, for key: String) -> Int? {
        guard Self.resolvedTag(node) == .int, let value = node.int else {
            error("expected a whole number for '\(key)', found \(Self.describe(node))", at: node)
            return nil
        }
        return value
    }

    mutating func number(_ node: YAMLNode, for key: String) -> Double? {
        switch Self.resolvedTag(node) {
        case .int: if let value = node.int { return Double(value) }
        case .float: if let value = node.float { return value }
        default: break
        }
        error("expected a number for '\(key)', found \(Self.describe(node))", at: node)
        return nil
    }

    mutating func boolean(_ node: YAMLNode, for key: String) -> Bool? {
        guard Self.resolvedTag(node) == .bool, let value = node.bool else {
            error("expected true or false for '\(key)', found \(Self.describe(node))", at: node)
            return nil
        }
        return value
    }

    /// One text or a list of texts, each with its node.
    mutating func texts(_ node: YAMLNode, for key: String) -> [(text: String, node: YAMLNode)]? {
        switch node {
        case .sequence(let sequence):
            var texts: [(text: String, node: YAMLNode)] = []
            for element in sequence {
                if let text = text(element, for: key) { texts.append((text, element)) }
            }
            if texts.isEmpty && sequence.isEmpty {
                error("expected at least one text in '\(key)', found an empty list", at: node)
            }
            return texts
        default:
            return text(node, for: key).map { [($0, node)] }
        }
    }

    /// The elements of a list.
    mutating func list(_ node: YAMLNode, for key: String) -> [YAMLNode]? {
        guard case .sequence(let sequence) = node else {
            error("expected a list for '\(key)', found \(Self.describe(node))", at: node)
            return nil
        }
        return Array(sequence)
    }

    // MARK: JSON

    /// A YAML value as JSON, reporting each string through `strings` so templates can be checked.
    func json(_ node: YAMLNode, strings: inout [(text: String, node: YAMLNode)]) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Self.resolvedTag(node) {
            case .null: return .null
            case .bool: if let value = node.bool { return .bool(value) }
            case .int: if let value = node.int { return .number(Double(value)) }
            case .float: if let value = node.float { return .number(value) }
            default: break
            }
            strings.append((scalar.string, node))
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map { json($0, strings: &strings) })
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                members[key.string ?? ""] = json(value, strings: &strings)
            }
            return .object(members)
        case .alias:
            return .null
        }
    }

    // MARK: Describing values

    static func isNull(_ node: YAMLNode) -> Bool {
        resolvedTag(node) == .null
    }

    /// The type a scalar resolves to; quoted scalars are always text.
    static func resolvedTag(_ node: YAMLNode) -> Tag.Name? {
        guard case .scalar(let scalar) = node else { return nil }
        if scalar.style != .plain && scalar.style != .any { return .str }
        return Tag.Name(rawValue: node.tag.rawValue)
    }

    /// A short description of a value for error messages ("a list", "text 'abc'").
    static func describe(_ node: YAMLNode) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch resolvedTag(node) {
            case .null: return "nothing"
            case .bool: return "'\(scalar.string)' (true or false)"
            case .int, .float: return "the number \(scalar.string)"
            default: return "text '\(scalar.string)'"
            }
        }
    }
}

/// The recognized entries of one YAML mapping, in file order.
struct Fields {
    let node: YAMLNode
    var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []

    init(node: YAMLNode) {
        self.node = node
    }

    subscript(key: String) -> YAMLNode? {
        entries.first { $0.key == key }?.value
    }

    func keyNode(_ key: String) -> YAMLNode? {
        entries.first { $0.key == key }?.keyNode
    }

    func has(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }
}
