import Foundation
public import ParleyJSON
internal import Yams

/// Requests written down with what the bot should make of them: the task each should start (or
/// `none`) and the entity values it gives. Used to measure understanding on requests the bot was
/// not trained on.
///
/// ```yaml
/// - say: "I need to log a new prospect, Tom Becker, works at Initech"
///   task: CreateLead
///   entities: { firstName: Tom, lastName: Becker, companyName: Initech }
/// ```
public struct ParaphraseSet: Sendable {
    public struct Example: Sendable {
        public var text: String
        /// The task's name, or `nil` when no task should start.
        public var task: TaskName?
        public var entities: [String: JSONValue]
        public var location: SourceLocation
    }

    public var examples: [Example]

    static let keys = ["say", "task", "entities"]

    /// Reads a set from its YAML text.
    ///
    /// - Throws: ``BotLoadError`` with every problem, each at its line.
    public init(yaml: String, file: String) throws(BotLoadError) {
        var reader = DialogFileReader(file: file, text: yaml)
        var examples: [Example] = []
        if let root = reader.compose(emptyMessage: "the file is empty; it needs a list of examples"),
            let elements = reader.list(root, for: "examples")
        {
            for element in elements {
                guard let fields = reader.fields(of: element, allowed: Self.keys, in: "an example") else { continue }
                guard let sayNode = fields["say"], let text = reader.text(sayNode, for: "say") else {
                    reader.missing("say", in: fields, what: "an example", hint: " (what the user types)")
                    continue
                }
                guard let taskNode = fields["task"], let task = reader.text(taskNode, for: "task") else {
                    reader.missing("task", in: fields, what: "an example", hint: " (a task's name, or none)")
                    continue
                }
                var entities: [String: JSONValue] = [:]
                if let node = fields["entities"], let pairs = reader.pairs(of: node, in: "'entities'") {
                    for (name, _, value) in pairs {
                        var strings: [(text: String, node: YAMLNode)] = []
                        entities[name] = reader.json(value, strings: &strings)
                    }
                }
                examples.append(
                    Example(
                        text: text, task: task == "none" ? nil : TaskName(task), entities: entities,
                        location: reader.location(of: element)))
            }
        }
        if reader.hasErrors { throw BotLoadError(diagnostics: reader.diagnostics) }
        self.examples = examples
    }

    /// Reads a set from a file.
    ///
    /// - Throws: ``BotLoadError`` when the file cannot be read or has problems.
    public init(contentsOf path: String) throws(BotLoadError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw BotLoadError(
                diagnostics: [Diagnostic(.error, at: SourceLocation(file: path, line: 1, column: 1), "cannot read the file")])
        }
        try self.init(yaml: text, file: path)
    }
}
