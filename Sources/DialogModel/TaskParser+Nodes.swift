import Foundation
import ParleyJSON
internal import Yams

extension TaskParser {
    static let messageKeys = ["script"]
    static let serviceKeys = ["method", "url", "headers", "body", "form", "text", "timeout", "integration", "onError"]
    static let httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    static let confirmationKeys = [
        "name", "prompt", "error", "yes", "no", "yesSynonyms", "noSynonyms", "choices", "retries", "interruptions",
    ]
    static let logicKeys = ["set", "remove"]
    static let dialogCallKeys = ["task", "return", "pre", "post"]
    static let endKeys = ["message"]

    /// A name used as a JavaScript property, such as an entity name.
    mutating func identifier(_ node: YAMLNode, for key: String) -> String? {
        guard let text = reader.text(node, for: key) else { return nil }
        guard text.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
            reader.error(
                "invalid \(key) '\(text)'; use letters, digits and '_', starting with a letter or '_'", at: node)
            return nil
        }
        return text
    }

    // MARK: Message and script

    mutating func parseMessage(_ node: YAMLNode) -> MessageSpec? {
        if case .mapping = node {
            guard let fields = reader.fields(of: node, allowed: Self.messageKeys, in: "a message") else { return nil }
            guard let scriptNode = fields["script"] else {
                reader.missing("script", in: fields, what: "a message")
                return nil
            }
            return script(scriptNode, for: "script", kind: .statements, role: "script")
                .map { MessageSpec(content: .script($0)) }
        }
        return templateList(node, for: "message").map { MessageSpec(content: .text($0)) }
    }

    mutating func parseScript(_ node: YAMLNode) -> ScriptSpec? {
        guard let script = script(node, for: "script", kind: .statements, role: "script") else { return nil }
        noteEntityAssignments(in: script.source)
        return ScriptSpec(script: script)
    }

    /// Scripts may store values under `context.entities`; placeholders may then use them.
    mutating func noteEntityAssignments(in source: String) {
        let pattern = #"context\.entities\.([A-Za-z_$][A-Za-z0-9_$]*)\s*(?:=[^=]|\+=|-=)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return }
        let range = NSRange(source.startIndex..., in: source)
        for match in regex.matches(in: source, range: range) {
            if let nameRange = Range(match.range(at: 1), in: source) {
                assignedEntities.append(String(source[nameRange]))
            }
        }
    }

    // MARK: Service

    mutating func parseService(_ node: YAMLNode) -> ServiceSpec? {
        guard let fields = reader.fields(of: node, allowed: Self.serviceKeys, in: "a service") else { return nil }
        var method = "GET"
        if let methodNode = fields["method"], let text = reader.text(methodNode, for: "method") {
            if Self.httpMethods.contains(text.uppercased()) {
                method = text.uppercased()
            } else {
                reader.error(
                    "unknown HTTP method '\(text)'; use GET, POST, PUT, PATCH or DELETE", at: methodNode,
                    suggestion: Suggestion.closest(to: text.uppercased(), among: Self.httpMethods))
            }
        }
        var url: Template?
        if let urlNode = fields["url"] {
            url = template(urlNode, for: "url")
        } else {
            reader.missing("url", in: fields, what: "a service", hint: " (where to send the request)")
        }
        var headers: [(name: String, value: Template)] = []
        if let headersNode = fields["headers"], let pairs = reader.pairs(of: headersNode, in: "'headers'") {
            for (name, _, value) in pairs {
                if let value = template(value, for: name) { headers.append((name, value)) }
            }
        }
        let bodyKeys = fields.entries.filter { ["body", "form", "text"].contains($0.key) }
        for extra in bodyKeys.dropFirst() {
            reader.error(
                "a service has one body, but this one has both '\(bodyKeys[0].key)' and '\(extra.key)'",
                at: extra.keyNode)
        }
        var body: ServiceSpec.Body?
        if let (key, _, value) = bodyKeys.first {
            body = parseBody(key, value)
        }
        var timeout = ServiceSpec.defaultTimeout
        if let timeoutNode = fields["timeout"], let seconds = reader.number(timeoutNode, for: "timeout") {
            if seconds >= 1 && seconds <= ServiceSpec.maximumTimeout {
                timeout = seconds
            } else {
                reader.error(
                    "'timeout' must be between 1 and \(Self.format(ServiceSpec.maximumTimeout)) seconds, not \(Self.format(seconds))",
                    at: timeoutNode)
            }
        }
        let integration = fields["integration"].flatMap { reader.text($0, for: "integration") }
        let onError = fields["onError"].flatMap { target($0, for: "onError") }
        guard let url else { return nil }
        return ServiceSpec(
            method: method, url: url, headers: headers, body: body, timeout: timeout, integration: integration,
            onError: onError)
    }

    private mutating func parseBody(_ key: String, _ node: YAMLNode) -> ServiceSpec.Body? {
        switch key {
        case "body":
            switch node {
            case .mapping, .sequence: return .json(templatedJSON(node))
            default:
                // One placeholder whose value is the whole body: `body: "{{context.entities.changes}}"`.
                if let text = reader.text(node, for: "body"), Self.isSinglePlaceholder(text) {
                    return .json(templatedJSON(node))
                }
                reader.error(
                    "expected a mapping, a list or one placeholder such as \"{{context.entities.changes}}\" for 'body' (sent as JSON), found \(DialogFileReader.describe(node)); use 'text' for a plain body",
                    at: node)
                return nil
            }
        case "form":
            guard let pairs = reader.pairs(of: node, in: "'form'") else { return nil }
            var fields: [(name: String, value: Template)] = []
            for (name, _, value) in pairs {
                if let value = template(value, for: name) { fields.append((name, value)) }
            }
            return .form(fields)
        default:
            return template(node, for: "text").map(ServiceSpec.Body.text)
        }
    }

    /// Whether the text is exactly one `{{ … }}` and nothing else.
    static func isSinglePlaceholder(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.count > 4 else { return false }
        let inner = trimmed.dropFirst(2).dropLast(2)
        return !inner.contains("{{") && !inner.contains("}}")
    }

    // MARK: Confirmation

    mutating func parseConfirmation(_ node: YAMLNode) -> ConfirmationSpec? {
        guard let fields = reader.fields(of: node, allowed: Self.confirmationKeys, in: "a confirmation") else {
            return nil
        }
        let name = fields["name"].flatMap { identifier($0, for: "name") }
        var prompts: [Template] = []
        if let promptNode = fields["prompt"] {
            prompts = templateList(promptNode, for: "prompt") ?? []
        } else {
            reader.missing("prompt", in: fields, what: "a confirmation", hint: " (the yes/no question)")
        }
        let errorPrompts = fields["error"].flatMap { templateList($0, for: "error") } ?? []
        let yesSynonyms = fields["yesSynonyms"].flatMap { reader.texts($0, for: "yesSynonyms") }?.map(\.text) ?? []
        let noSynonyms = fields["noSynonyms"].flatMap { reader.texts($0, for: "noSynonyms") }?.map(\.text) ?? []
        var choices = ["yes", "no"]
        if let node = fields["choices"], let texts = reader.texts(node, for: "choices") {
            if texts.count == 2 {
                choices = texts.map(\.text)
            } else {
                reader.error("'choices' takes two texts, how yes and no are offered: [more, stop]", at: node)
            }
        }
        let retries = fields["retries"].flatMap { integer($0, for: "retries", in: 1...10) } ?? 5
        let onYes = fields["yes"].flatMap { target($0, for: "yes") }
        let onNo = fields["no"].flatMap { target($0, for: "no") }
        let interruptions = fields["interruptions"].flatMap { interruptionBehavior($0) } ?? .ask
        return ConfirmationSpec(
            name: name ?? "", prompts: prompts, errorPrompts: errorPrompts, yesSynonyms: yesSynonyms,
            noSynonyms: noSynonyms, choices: choices, retries: retries, onYes: onYes, onNo: onNo,
            interruptions: interruptions)
    }

    // MARK: Logic

    mutating func parseLogic(_ node: YAMLNode) -> LogicSpec? {
        if DialogFileReader.isNull(node) { return LogicSpec(assignments: []) }
        guard let fields = reader.fields(of: node, allowed: Self.logicKeys, in: "a logic node") else { return nil }
        var assignments: [LogicSpec.Assignment] = []
        if let setNode = fields["set"], let pairs = reader.pairs(of: setNode, in: "'set'") {
            for (path, keyNode, value) in pairs where contextPath(path, at: keyNode) {
                noteAssignedEntity(path)
                assignments.append(
                    LogicSpec.Assignment(path: path, value: templatedJSON(value), location: reader.location(of: keyNode)))
            }
        }
        var removals: [String] = []
        if let removeNode = fields["remove"], let paths = reader.texts(removeNode, for: "remove") {
            removals = paths.filter { contextPath($0.text, at: $0.node) }.map(\.text)
        }
        return LogicSpec(assignments: assignments, removals: removals)
    }

    /// Whether `path` is a context path (`context.a.b`), reporting it when not.
    private mutating func contextPath(_ path: String, at node: YAMLNode) -> Bool {
        let pattern = #"^context(\.[A-Za-z_$][A-Za-z0-9_$]*|\[\d+\])+$"#
        guard path.range(of: pattern, options: .regularExpression) != nil else {
            reader.error("'\(path)' is not a context path such as 'context.session.BotUserSession.lastLead'", at: node)
            return false
        }
        return true
    }

    private mutating func noteAssignedEntity(_ path: String) {
        let parts = path.split(separator: ".")
        if parts.count >= 3, parts[0] == "context", parts[1] == "entities" {
            assignedEntities.append(String(parts[2]))
        }
    }

    // MARK: Dialog call

    mutating func parseDialogCall(_ node: YAMLNode) -> DialogCallSpec? {
        if case .scalar = node {
            guard let task = reader.text(node, for: "dialog") else { return nil }
            dialogCalls.append(DialogCallReference(task: TaskName(task), location: reader.location(of: node), preAssignedEntities: []))
            return DialogCallSpec(task: TaskName(task))
        }
        guard let fields = reader.fields(of: node, allowed: Self.dialogCallKeys, in: "a dialog node") else {
            return nil
        }
        guard let taskNode = fields["task"] else {
            reader.missing("task", in: fields, what: "a dialog node", hint: " (the task to run)")
            return nil
        }
        guard let task = reader.text(taskNode, for: "task") else { return nil }
        let returnsAfter = fields["return"].flatMap { reader.boolean($0, for: "return") } ?? true
        var reference = DialogCallReference(task: TaskName(task), location: reader.location(of: taskNode), preAssignedEntities: [])
        var pre: [(entity: String, value: Template)] = []
        if let preNode = fields["pre"], let pairs = reader.pairs(of: preNode, in: "'pre'") {
            for (entity, keyNode, value) in pairs {
                guard let template = template(value, for: entity) else { continue }
                pre.append((entity, template))
                reference.preAssignedEntities.append((entity, reader.location(of: keyNode)))
            }
        }
        var post: [(path: String, value: Template)] = []
        if let postNode = fields["post"], let pairs = reader.pairs(of: postNode, in: "'post'") {
            for (path, keyNode, value) in pairs where contextPath(path, at: keyNode) {
                // The value is a template over the called task's context, so it is not checked
                // against this task's entities.
                guard let text = reader.text(value, for: path) else { continue }
                noteAssignedEntity(path)
                post.append((path, Template(text, at: reader.location(of: value))))
            }
        }
        dialogCalls.append(reference)
        return DialogCallSpec(task: TaskName(task), returnsAfter: returnsAfter, preAssignments: pre, postAssignments: post)
    }

    // MARK: End

    mutating func parseEnd(_ node: YAMLNode) -> EndSpec? {
        switch node {
        case .mapping:
            guard let fields = reader.fields(of: node, allowed: Self.endKeys, in: "an end node") else { return nil }
            return EndSpec(message: fields["message"].flatMap { template($0, for: "message") })
        case _ where DialogFileReader.isNull(node):
            return EndSpec()
        default:
            return template(node, for: "end").map { EndSpec(message: $0) }
        }
    }
}
