import DialogModel
import Foundation
import ParleyJSON
import Scripting

extension Turn {
    // MARK: - Saying things

    mutating func say(_ text: String, kind: BotMessage.Kind = .text, choices: [String] = []) {
        guard !text.isEmpty else { return }
        output.messages.append(BotMessage(text, kind: kind, choices: choices))
    }

    /// Says one of the prompts, picked at random, as a question.
    mutating func ask(_ prompts: [Template], choices: [String] = []) {
        guard !prompts.isEmpty else { return }
        let prompt = prompts.count == 1 ? prompts[0] : prompts[environment.random(prompts.count) % prompts.count]
        if let text = render(prompt, in: nil) {
            say(text, kind: .prompt, choices: choices)
        }
    }

    /// A standard response with its named values (`{{task}}`, `{{tasks}}`, `{{value}}`...) and any
    /// context placeholders filled in.
    ///
    /// Named values come from the conversation (a task's name, what the user typed, a link): they
    /// go in as text after the response's own placeholders are filled, and are never read as a
    /// template or a script.
    func standard(_ template: String, _ values: [String: String] = [:]) -> String {
        var values = values
        if values["tasks"] == nil, template.contains("{{tasks}}") {
            values["tasks"] = Turn.list(bot.tasks.filter { !$0.isSubdialog }.map(\.intent.name).sorted(), conjunction: "and")
        }
        var result = ""
        var pending = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let value = values[name] {
                result += renderStandard(pending + rest[..<open.lowerBound]) + value
                pending = ""
            } else {
                pending += rest[..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return result + renderStandard(pending + rest)
    }

    /// The context placeholders of a piece of a standard response; the piece as it is when they fail.
    private func renderStandard(_ text: String) -> String {
        guard text.containsOpeningBraces else { return text }
        return (try? engine.render(text, variables: scriptVariables())) ?? text
    }

    /// Renders a template from a dialog file; a failure is reported with its location and gives `nil`.
    mutating func render(_ template: Template, in node: Node?) -> String? {
        guard template.text.containsOpeningBraces else { return template.text }
        do {
            return try engine.render(template.text, variables: scriptVariables())
        } catch {
            report(at: template.location, task: state.current?.task ?? "", node: node?.id, "placeholder failed: \(error)")
            return nil
        }
    }

    /// "a, b and c".
    static func list(_ items: [String], conjunction: String) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
        }
    }

    func displayName(ofTask name: String) -> String {
        compiled.task(name)?.intent.name ?? name
    }

    func displayName(ofIntegration name: String) -> String {
        switch name.lowercased() {
        case "salesforce": "Salesforce"
        default: name
        }
    }

    // MARK: - Tracing and reporting

    mutating func trace(_ node: String?, _ detail: String, kind: TraceEvent.Kind = .note) {
        output.trace.append(TraceEvent(task: state.current?.task ?? "", node: node, detail, kind: kind))
    }

    mutating func traceTask(_ detail: String, task: String? = nil) {
        output.trace.append(TraceEvent(task: task ?? state.current?.task ?? "", node: nil, detail))
    }

    /// Adds a node state to `context.history`, as Kore.ai records it.
    mutating func record(_ node: String, _ nodeState: String, task: String? = nil) {
        let entry = JSONValue.object([
            "taskName": .string(task ?? state.current?.task ?? ""), "nodeId": .string(node), "state": .string(nodeState),
        ])
        state.history.append(entry)
        if state.history.count > ConversationState.historyLimit {
            state.history.removeFirst(state.history.count - ConversationState.historyLimit)
        }
    }

    /// Reports a problem in the bot's files found while running, at the node that has it.
    mutating func report(node: Node?, task: String, _ message: String) {
        let location = node?.location ?? compiled.task(task)?.location
        let subject = node.map { "node '\($0.id)' of task '\(task)'" } ?? "task '\(task)'"
        output.diagnostics.append(RuntimeDiagnostic(location: location, message: "\(subject) \(message)"))
    }

    /// Reports a problem at a script's or template's own location.
    mutating func report(at location: SourceLocation, task: String, node: String?, _ message: String) {
        let subject = node.map { "node '\($0)' of task '\(task)'" } ?? "task '\(task)'"
        output.diagnostics.append(RuntimeDiagnostic(location: location, message: "\(subject): \(message)"))
    }

    /// Reports a failed script: a runaway script, in time or in memory, is named as such.
    mutating func report(_ error: ScriptError, at location: SourceLocation, node: Node) {
        let task = state.current?.task ?? ""
        var place = location
        if let line = error.line, line > 0 {
            place.line = location.line + line - 1
            if line > 1 { place.column = error.column ?? 1 }
        }
        switch error.kind {
        case .timeLimitExceeded:
            report(
                at: place, task: task, node: node.id,
                "script ran longer than \(Turn.describe(environment.scriptTimeLimit)) and was stopped")
        case .memoryLimitExceeded:
            report(
                at: place, task: task, node: node.id,
                "script allocated more than \(ScriptError.describe(bytes: environment.scriptMemoryLimit)) and was stopped")
        default:
            report(at: place, task: task, node: node.id, "\(error.message)")
        }
    }

    static func describe(_ duration: Duration) -> String {
        let milliseconds = Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        return "\(milliseconds) ms"
    }
}
