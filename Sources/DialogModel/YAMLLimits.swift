// libyaml's event parser, which Yams is built on. Yams composes a whole node tree at once, and it
// hashes and compares mapping keys as it goes, so an alias "billion laughs" would hang it before
// any check could look at the tree; the events are read first, in constant stack, to refuse such
// files. Yams links the library, so this adds no code.
internal import CYaml

/// Bounds on the YAML of a dialog file, checked before the file is composed into a tree.
///
/// A bot folder is input like any other: its files may be large, deeply nested or built to expand
/// through aliases. Each bound leaves ordinary files far behind.
enum YAMLLimits {
    /// The most bytes a dialog file may have.
    static let maximumFileSize = 1_048_576
    /// How deep lists and mappings may nest.
    static let maximumDepth = 100
    /// How many values aliases may repeat in one file, counting every value inside the repeated ones.
    static let maximumAliasedValues = 10_000

    /// A file beyond a bound: what is wrong and where, as 1-based line and column.
    struct Violation: Error, Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    /// The first bound `text` exceeds, or `nil`; text libyaml cannot parse is left to Yams, which reports it.
    static func violation(in text: String) -> Violation? {
        let size = text.utf8.count
        guard size <= maximumFileSize else {
            return Violation(
                line: 1, column: 1,
                message: "the file is \(size) bytes; a dialog file may be at most \(maximumFileSize) bytes (1 MiB)")
        }
        var text = text
        return text.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var shape = Shape()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nestingProblem(of: parser) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let violation = shape.add(event) { return violation }
            }
        }
    }

    /// libyaml's own nesting limit (1000 levels, met while it looks ahead) in the words of ``maximumDepth``.
    private static func nestingProblem(of parser: yaml_parser_t) -> Violation? {
        guard let problem = parser.problem, String(cString: problem).hasPrefix("Maximum nesting level reached") else {
            return nil
        }
        return Violation(
            line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
            message: "lists and mappings nest more than \(maximumDepth) levels deep here")
    }

    /// The open lists and mappings of a document, and how many values each anchor stands for.
    private struct Shape {
        /// Per open collection: its anchor and how many values it holds so far, itself included.
        private var open: [(anchor: String?, values: Int)] = []
        private var anchored: [String: Int] = [:]
        private var aliasedValues = 0

        mutating func add(_ event: yaml_event_t) -> Violation? {
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                open = []
                anchored = [:]
                aliasedValues = 0
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard open.count < maximumDepth else {
                    return Violation(
                        line: line, column: column,
                        message: "lists and mappings nest more than \(maximumDepth) levels deep here")
                }
                let anchor =
                    event.type == YAML_SEQUENCE_START_EVENT
                    ? Self.text(event.data.sequence_start.anchor) : Self.text(event.data.mapping_start.anchor)
                open.append((anchor, 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = open.popLast() else { break }
                if let anchor = closed.anchor { anchored[anchor] = closed.values }
                count(closed.values)
            case YAML_SCALAR_EVENT:
                if let anchor = Self.text(event.data.scalar.anchor) { anchored[anchor] = 1 }
                count(1)
            case YAML_ALIAS_EVENT:
                let anchor = Self.text(event.data.alias.anchor) ?? ""
                let values = anchored[anchor] ?? 1
                aliasedValues += values
                guard aliasedValues <= maximumAliasedValues else {
                    return Violation(
                        line: line, column: column,
                        message:
                            "aliases repeat more than \(maximumAliasedValues) values by here (*\(anchor) alone repeats \(values)); a dialog file may repeat at most \(maximumAliasedValues) values through aliases"
                    )
                }
                count(values)
            default:
                break
            }
            return nil
        }

        /// Adds `values` to the collection they are in.
        private mutating func count(_ values: Int) {
            guard !open.isEmpty else { return }
            open[open.count - 1].values += values
        }

        private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
    }
}
