import DialogModel
import Foundation
import ParleyJSON
import Scripting

extension Turn {
    /// The `context` scripts see: the running task's context with `session` and `history`.
    static func contextView(of state: ConversationState) -> JSONValue {
        var view = state.current?.context ?? .object(["entities": .object([:])])
        view["session"] = state.session
        view["history"] = .array(state.history)
        return view
    }

    func scriptVariables() -> [String: JSONValue] {
        ["context": Turn.contextView(of: state), "env": compiled.variables]
    }

    /// Takes back a context a script changed: `session` is shared, `history` is read-only,
    /// the rest belongs to the running task.
    mutating func absorb(context: JSONValue) {
        guard case .object(var members) = context else { return }
        if let session = members.removeValue(forKey: "session"), case .object = session {
            state.session = session
        }
        members.removeValue(forKey: "history")
        if members["entities"]?.objectValue == nil { members["entities"] = .object([:]) }
        state.current?.context = .object(members)
    }

    /// Runs a script node's or message's script; printed lines become messages when asked.
    mutating func runScript(_ script: Script, of node: Node, showPrinted: Bool) -> Bool {
        do {
            let result = try engine.run(script: script.source, variables: scriptVariables())
            if let context = result.variables["context"] { absorb(context: context) }
            if showPrinted { say(printedBy: result, of: script, node: node) }
            return true
        } catch {
            report(error, at: script.location, node: node)
            say(standard(responses.scriptFailed))
            return false
        }
    }

    /// Says what a script printed, up to ``PrintLimit`` in the whole turn; when output is dropped, says so once
    /// and reports where.
    private mutating func say(printedBy result: ScriptRun, of script: Script, node: Node) {
        var cut = result.printTruncated
        for line in result.printed {
            guard !printCut, printedLines < PrintLimit.lines, printedBytes < PrintLimit.bytes else {
                cut = true
                break
            }
            let kept = PrintLimit.prefix(of: line, bytes: PrintLimit.bytes - printedBytes)
            if kept.utf8.count < line.utf8.count { cut = true }
            printedLines += 1
            printedBytes += kept.utf8.count
            say(kept)
        }
        guard cut, !printCut else { return }
        printCut = true
        say(standard(responses.outputCut))
        report(
            at: script.location, task: state.current?.task ?? "", node: node.id,
            "the script printed more than \(PrintLimit.lines) lines or \(ScriptError.describe(bytes: PrintLimit.bytes)) "
                + "in one turn; the rest was not shown")
    }

    /// Shows a message node's text or runs its script.
    mutating func showMessage(_ spec: MessageSpec, of node: Node) -> Bool {
        switch spec.content {
        case .text(let templates):
            guard !templates.isEmpty else { return true }
            let template = templates.count == 1 ? templates[0] : templates[environment.random(templates.count) % templates.count]
            guard let text = render(template, in: node) else {
                say(standard(responses.scriptFailed))
                return false
            }
            say(text)
            return true
        case .script(let script):
            return runScript(script, of: node, showPrinted: true)
        }
    }

    /// Sets and removes context values.
    mutating func applyLogic(_ spec: LogicSpec, of node: Node) -> Bool {
        for assignment in spec.assignments {
            guard let value = resolve(assignment.value, at: assignment.location, node: node) else {
                say(standard(responses.scriptFailed))
                return false
            }
            setContextValue(value, atPath: assignment.path)
            trace(node.id, "set \(assignment.path)")
        }
        for path in spec.removals {
            removeContextValue(atPath: path)
            trace(node.id, "removed \(path)")
        }
        return true
    }

    /// Fills the templates inside a JSON value. A string that is one placeholder and nothing else
    /// keeps the placeholder's type (`"{{context.entities.amount}}"` stays a number).
    mutating func resolve(_ value: JSONValue, at location: SourceLocation, node: Node) -> JSONValue? {
        resolve(value, variables: scriptVariables(), at: location, node: node)
    }

    /// Fills the templates inside a JSON value with these variables (a service node adds `integration`).
    mutating func resolve(_ value: JSONValue, variables: [String: JSONValue], at location: SourceLocation, node: Node) -> JSONValue? {
        switch value {
        case .string(let text):
            guard text.containsOpeningBraces else { return value }
            do {
                if let expression = Turn.singlePlaceholder(text) {
                    return try engine.evaluate(expression: expression, variables: variables)
                }
                return .string(try engine.render(text, variables: variables))
            } catch {
                report(error, at: location, node: node)
                return nil
            }
        case .array(let elements):
            var resolved: [JSONValue] = []
            for element in elements {
                guard let value = resolve(element, variables: variables, at: location, node: node) else { return nil }
                resolved.append(value)
            }
            return .array(resolved)
        case .object(let members):
            var resolved: [String: JSONValue] = [:]
            for (key, member) in members {
                guard let value = resolve(member, variables: variables, at: location, node: node) else { return nil }
                resolved[key] = value
            }
            return .object(resolved)
        default:
            return value
        }
    }

    /// The expression of a text that is exactly one `{{ expression }}`.
    static func singlePlaceholder(_ text: String) -> String? {
        let trimmed = text.trimmingSpacesAndTabs()
        // With both pairs of braces in place, more than four bytes is more than four characters, and needs no walk.
        guard trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.utf8.count > 4 else { return nil }
        let inner = trimmed.dropFirst(2).dropLast(2)
        guard !inner.containsOpeningBraces, !inner.containsClosingBraces else { return nil }
        return String(inner).trimmingSpacesAndTabs()
    }

    /// Sets a value at a `context.…` path; `context.session.…` is shared by every task.
    mutating func setContextValue(_ value: JSONValue, atPath path: String) {
        let relative = Turn.relativeContextPath(path)
        if relative == "session" || relative.hasPrefix("session.") {
            var session = JSONValue.object(["session": state.session])
            session.setValue(value, atPath: relative)
            state.session = session["session"] ?? .object([:])
        } else if var context = state.current?.context {
            context.setValue(value, atPath: relative)
            state.current?.context = context
        }
    }

    mutating func removeContextValue(atPath path: String) {
        let relative = Turn.relativeContextPath(path)
        if relative.hasPrefix("session.") {
            var session = JSONValue.object(["session": state.session])
            session.removeValue(atPath: relative)
            state.session = session["session"] ?? .object([:])
        } else if var context = state.current?.context {
            context.removeValue(atPath: relative)
            state.current?.context = context
        }
    }

    static func relativeContextPath(_ path: String) -> String {
        path.hasPrefix("context.") ? String(path.dropFirst("context.".count)) : path
    }

    /// Records what the user said last, as Kore.ai's `BotUserSession.lastMessage`.
    mutating func noteLastMessage(_ text: String) {
        if case .object = state.session {} else { state.session = .object([:]) }
        var botUserSession = state.session["BotUserSession"] ?? .object([:])
        botUserSession["lastMessage"] = ["messagePayload": .string(text)]
        state.session["BotUserSession"] = botUserSession
    }
}
