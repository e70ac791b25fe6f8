import Foundation
import ParleyJSON
internal import Yams

/// Reads one dialog task file into a ``DialogTask``, reporting every problem with its place.
///
/// Parsing collects what later checks need (transition targets, templates, scripts, calls to
/// other tasks) with their places; the checks run once every node id is known.
struct TaskParser {
    static let taskKeys = ["dialog", "description", "intent", "integration", "subdialog", "nodes"]
    static let intentKeys = ["name", "utterances", "synonyms", "destructive"]
    static let nodeTypeKeys = ["entity", "message", "script", "service", "confirmation", "logic", "dialog", "end"]
    static let nodeKeys = ["id", "transitions", "next"] + nodeTypeKeys
    static let transitionKeys = ["if", "then", "else"]

    var reader: DialogFileReader
    let scriptChecker: (any ScriptSyntaxChecking)?

    var drafts: [DraftNode] = []
    var targets: [TargetReference] = []
    var templates: [TextSite] = []
    var scripts: [ScriptSite] = []
    var dialogCalls: [DialogCallReference] = []
    /// `context.entities` keys that nodes and scripts set, besides entity and confirmation names.
    var assignedEntities: [String] = []
    /// The index of the node being parsed, for the references it makes.
    var currentNode = 0
    var integration: String?

    init(yaml: String, file: String, scriptChecker: (any ScriptSyntaxChecking)?) {
        reader = DialogFileReader(file: file, text: yaml)
        self.scriptChecker = scriptChecker
    }

    /// Parses and checks the file.
    mutating func parse() -> ParsedTask {
        var result = ParsedTask()
        guard
            let root = reader.compose(emptyMessage: "the file is empty; a dialog task needs 'dialog', 'intent' and 'nodes'"),
            let fields = reader.fields(of: root, allowed: Self.taskKeys, in: "a dialog task")
        else {
            result.diagnostics = reader.diagnostics
            return result
        }

        var name = ""
        if let node = fields["dialog"] {
            name = reader.text(node, for: "dialog") ?? ""
            if !name.isEmpty {
                result.name = name
                result.nameLocation = reader.location(of: node)
            }
        } else {
            reader.missing("dialog", in: fields, what: "a dialog task", hint: " (the task's name)")
        }
        let description = fields["description"].flatMap { reader.text($0, for: "description") }
        integration = fields["integration"].flatMap { reader.text($0, for: "integration") }
        let isSubdialog = fields["subdialog"].flatMap { reader.boolean($0, for: "subdialog") } ?? false
        let intent = parseIntent(fields, taskName: name, isSubdialog: isSubdialog)

        if let node = fields["nodes"] {
            parseNodes(node)
        } else {
            reader.missing("nodes", in: fields, what: "a dialog task", hint: " (the steps of the task)")
        }

        let ids = assignIDs()
        check(ids: ids)

        let nodes = drafts.enumerated().compactMap { index, draft in
            draft.kind.map { Node(id: NodeID(ids[index]), kind: $0, transitions: draft.transitions, location: draft.location) }
        }
        if !reader.hasErrors, let intent {
            result.task = DialogTask(
                name: TaskName(name), intent: intent, integration: integration, description: description,
                isSubdialog: isSubdialog, nodes: nodes, location: reader.location(of: root))
        }
        result.dialogCalls = dialogCalls
        result.diagnostics = reader.diagnostics.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        return result
    }

    // MARK: Intent

    private mutating func parseIntent(_ fields: Fields, taskName: String, isSubdialog: Bool) -> IntentSpec? {
        guard let node = fields["intent"] else {
            // Subdialogs start only from dialog nodes, so they need no training utterances.
            if isSubdialog { return IntentSpec(name: taskName, utterances: []) }
            reader.missing("intent", in: fields, what: "a dialog task", hint: " (the intent's name and utterances)")
            return nil
        }
        if case .scalar = node {
            guard let name = reader.text(node, for: "intent") else { return nil }
            if !isSubdialog { warnNoUtterances(name, at: node) }
            return IntentSpec(name: name, utterances: [])
        }
        guard let intent = reader.fields(of: node, allowed: Self.intentKeys, in: "'intent'") else { return nil }
        var name = taskName
        if let nameNode = intent["name"] {
            name = reader.text(nameNode, for: "name") ?? taskName
        } else {
            reader.missing("name", in: intent, what: "'intent'")
        }
        var utterances: [String] = []
        if let node = intent["utterances"], let texts = reader.texts(node, for: "utterances") {
            utterances = texts.map(\.text)
        }
        if utterances.isEmpty && !isSubdialog { warnNoUtterances(name, at: node) }
        let synonyms = intent["synonyms"].map { reader.synonyms($0, in: "'synonyms'") } ?? [:]
        let destructive = intent["destructive"].flatMap { reader.boolean($0, for: "destructive") }
        return IntentSpec(name: name, utterances: utterances, synonyms: synonyms, destructive: destructive)
    }

    private mutating func warnNoUtterances(_ intent: String, at node: YAMLNode) {
        reader.warning(
            "intent '\(intent)' has no utterances, so users can only start it by its name",
            at: reader.location(of: node))
    }

    // MARK: Nodes

    private mutating func parseNodes(_ node: YAMLNode) {
        guard let elements = reader.list(node, for: "nodes") else { return }
        if elements.isEmpty {
            reader.error("'nodes' is empty; a task needs at least one node", at: node)
        }
        for (index, element) in elements.enumerated() {
            currentNode = index
            drafts.append(parseNode(element))
        }
    }

    private mutating func parseNode(_ node: YAMLNode) -> DraftNode {
        var draft = DraftNode(location: reader.location(of: node))
        guard let fields = reader.fields(of: node, allowed: Self.nodeKeys, in: "a node") else { return draft }

        if let idNode = fields["id"], let id = reader.text(idNode, for: "id") {
            if id.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) == nil {
                reader.error(
                    "invalid node id '\(id)'; ids start with a letter or '_' and hold only letters, digits and '_'",
                    at: idNode)
            } else if id == "end" {
                reader.error("'end' is reserved for the end of the task and cannot be a node id", at: idNode)
            } else {
                draft.explicitID = id
                draft.idLocation = reader.location(of: idNode)
            }
        }

        let typeEntries = fields.entries.filter { Self.nodeTypeKeys.contains($0.key) }
        guard let (typeName, _, value) = typeEntries.first else {
            reader.error(
                "a node needs a type: one of \(Self.nodeTypeKeys.joined(separator: ", "))", at: node)
            return draft
        }
        for extra in typeEntries.dropFirst() {
            reader.error(
                "a node has exactly one type, but this one has both '\(typeName)' and '\(extra.key)'",
                at: extra.keyNode)
        }
        draft.typeName = typeName
        draft.kind = parseKind(typeName, value)

        parseTransitions(fields, into: &draft)
        if case .end = draft.kind, let keyNode = fields.keyNode("transitions") ?? fields.keyNode("next") {
            reader.error("an end node ends the task, so it takes no 'transitions' or 'next'", at: keyNode)
        }
        return draft
    }

    private mutating func parseKind(_ typeName: String, _ value: YAMLNode) -> NodeKind? {
        switch typeName {
        case "entity": parseEntity(value).map(NodeKind.entity)
        case "message": parseMessage(value).map(NodeKind.message)
        case "script": parseScript(value).map(NodeKind.script)
        case "service": parseService(value).map(NodeKind.service)
        case "confirmation": parseConfirmation(value).map(NodeKind.confirmation)
        case "logic": parseLogic(value).map(NodeKind.logic)
        case "dialog": parseDialogCall(value).map(NodeKind.dialog)
        default: parseEnd(value).map(NodeKind.end)
        }
    }

    // MARK: Transitions

    private mutating func parseTransitions(_ fields: Fields, into draft: inout DraftNode) {
        if let next = fields["next"] {
            if let transitionsKey = fields.keyNode("transitions") {
                reader.error("a node takes 'next' or 'transitions', not both", at: transitionsKey)
                return
            }
            if let target = target(next, for: "next") {
                draft.transitions = [Transition(condition: .always, target: target, location: reader.location(of: next))]
                draft.hasTransitions = true
            }
            return
        }
        guard let node = fields["transitions"], let entries = reader.list(node, for: "transitions") else { return }
        draft.hasTransitions = true
        if entries.isEmpty {
            reader.error("'transitions' is empty; remove it or end it with '- else: <node id or end>'", at: node)
            return
        }
        var sawFallback = false
        for entry in entries {
            guard let fields = reader.fields(of: entry, allowed: Self.transitionKeys, in: "a transition") else {
                continue
            }
            if sawFallback {
                reader.error("this transition comes after 'else', so it is never taken", at: entry)
            }
            if let elseNode = fields["else"] {
                sawFallback = true
                if let keyNode = fields.keyNode("if") ?? fields.keyNode("then") {
                    reader.error("an 'else' transition takes no 'if' or 'then'", at: keyNode)
                }
                if let target = target(elseNode, for: "else") {
                    draft.transitions.append(
                        Transition(condition: .always, target: target, location: reader.location(of: entry)))
                }
                continue
            }
            guard let condition = fields["if"] else {
                reader.error("a transition needs 'if' and 'then', or 'else'", at: entry)
                continue
            }
            let script = self.script(condition, for: "if", kind: .expression, role: "condition")
            guard let thenNode = fields["then"] else {
                reader.missing("then", in: fields, what: "a transition", hint: " (the node to go to)")
                continue
            }
            if let target = target(thenNode, for: "then"), let script {
                draft.transitions.append(
                    Transition(condition: .script(script), target: target, location: reader.location(of: entry)))
            }
        }
        if !sawFallback, let last = entries.last {
            reader.error("missing fallback: the last transition must be '- else: <node id or end>'", at: last)
        }
    }

    /// A node id or `end`; node ids are checked once every node is known.
    mutating func target(_ node: YAMLNode, for key: String) -> TransitionTarget? {
        guard let name = reader.text(node, for: key) else { return nil }
        if name == "end" { return .end }
        targets.append(TargetReference(from: currentNode, name: name, location: reader.location(of: node)))
        return .node(NodeID(name))
    }

    // MARK: Templates and scripts

    /// Text with placeholders, recorded for checking.
    mutating func template(_ node: YAMLNode, for key: String) -> Template? {
        guard let text = reader.text(node, for: key) else { return nil }
        let location = reader.location(of: node)
        templates.append(TextSite(text: text, location: location, node: currentNode))
        return Template(text, at: location)
    }

    /// One template or a list of them (prompts picked at random, error prompts in order).
    mutating func templateList(_ node: YAMLNode, for key: String) -> [Template]? {
        guard let texts = reader.texts(node, for: key) else { return nil }
        return texts.compactMap { template($0.node, for: key) }
    }

    /// JavaScript, recorded for checking.
    mutating func script(_ node: YAMLNode, for key: String, kind: ScriptKind, role: String) -> Script? {
        guard let source = reader.text(node, for: key) else { return nil }
        let location = reader.location(of: node)
        if source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            reader.error("the \(role) is empty", at: location)
            return nil
        }
        scripts.append(ScriptSite(source: source, location: location, kind: kind, role: role, node: currentNode))
        return Script(source, at: location)
    }

    /// A JSON value whose strings are templates.
    mutating func templatedJSON(_ node: YAMLNode) -> JSONValue {
        var strings: [(text: String, node: YAMLNode)] = []
        let value = reader.json(node, strings: &strings)
        for (text, stringNode) in strings {
            templates.append(TextSite(text: text, location: reader.location(of: stringNode), node: currentNode))
        }
        return value
    }

    /// Checks a whole number against an allowed range.
    mutating func integer(_ node: YAMLNode, for key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = reader.integer(node, for: key) else { return nil }
        guard range.contains(value) else {
            reader.error(
                "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), not \(value)", at: node)
            return nil
        }
        return value
    }
}

/// What parsing one task file produced.
struct ParsedTask {
    /// The task, when the file has no errors.
    var task: DialogTask?
    /// The task's name, even when the file has errors.
    var name: String?
    var diagnostics: [Diagnostic] = []
    /// Where the task's name is written, for duplicate names across files.
    var nameLocation: SourceLocation?
    /// Dialog nodes' calls to other tasks, checked once every task is known.
    var dialogCalls: [DialogCallReference] = []
}

/// A node as parsed, before ids are assigned.
struct DraftNode {
    var explicitID: String?
    var idLocation: SourceLocation?
    var typeName = "node"
    var kind: NodeKind?
    var transitions: [Transition] = []
    /// Whether the node has `transitions` or `next`; without them it falls through to the next node.
    var hasTransitions = false
    var location: SourceLocation
}

/// A node id named as a target, with the node that names it.
struct TargetReference {
    var from: Int
    var name: String
    var location: SourceLocation
}

/// Text that may hold `{{ }}` placeholders.
struct TextSite {
    var text: String
    var location: SourceLocation
    var node: Int
}

/// JavaScript source to check.
struct ScriptSite {
    var source: String
    var location: SourceLocation
    var kind: ScriptKind
    /// "script" or "condition", for messages.
    var role: String
    var node: Int
}

/// A dialog node's call to another task.
struct DialogCallReference {
    var task: TaskName
    var location: SourceLocation
    /// Entities of the called task set before it starts, with where they are named.
    var preAssignedEntities: [(name: String, location: SourceLocation)]
}
