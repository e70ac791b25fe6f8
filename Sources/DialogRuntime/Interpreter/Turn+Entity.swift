import DialogModel
import Foundation
import ParleyJSON
import Scripting
import Understanding

extension Turn {
    // MARK: - Entity nodes

    mutating func executeEntity(_ node: Node, _ spec: EntitySpec) -> Flow {
        if let existing = entityValue(spec.name), !existing.isNull {
            trace(node.id, "\(spec.name) already known")
            record(node.id, "processed")
            return follow(transitionTarget(after: node))
        }
        if spec.presence == .hidden {
            if let value = spec.defaultValue { setEntity(spec.name, value) }
            record(node.id, "processed")
            return follow(transitionTarget(after: node))
        }
        state.current?.retries = 0
        state.current?.waiting = .entity
        askEntity(spec)
        record(node.id, "waitingForUserInput")
        trace(node.id, "waiting for \(spec.name)")
        return .wait
    }

    /// Takes the user's answer to the entity node being asked.
    ///
    /// - Parameter reading: the answer already read by the node's recognizer in this turn, if it was.
    nonisolated(nonsending) mutating func answerEntity(_ answer: String, reading: Recognition? = nil) async {
        guard let frame = state.current, let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task),
            case .entity(var spec) = node.kind
        else { return }
        if case .listChoice(let candidates) = frame.waiting, case .list(var list) = spec.type {
            let narrowed = list.items.filter { candidates.contains($0.value) }
            if !narrowed.isEmpty { list.items = narrowed }
            spec.type = .list(list)
        }
        if spec.presence == .optional, Turn.isSkip(answer) {
            acceptDefault(of: spec, at: node)
            await run(from: nextNodeOrEnd(after: node))
            return
        }
        switch reading ?? recognizer(for: spec).recognize(answer) {
        case .value(let value, _):
            setEntity(spec.name, value)
            state.current?.waiting = nil
            state.current?.retries = 0
            trace(node.id, "\(spec.name) = \(spec.isSensitive ? "•••" : value.displayText)")
            record(node.id, "processed")
            await run(from: nextNodeOrEnd(after: node))
        case .ambiguous(let items):
            state.current?.waiting = .listChoice(items.map(\.value))
            let names = items.map(\.display)
            say(standard(responses.whichValue, ["choices": Turn.list(names, conjunction: "or")]), kind: .prompt, choices: names)
        case .invalid(let reason):
            await rejectAnswer(to: node, spec, reason: reason)
        case .empty:
            await rejectAnswer(to: node, spec, reason: nil)
        }
    }

    /// Where the task goes after an entity node is filled, as a node to run (or the end of the task).
    private mutating func nextNodeOrEnd(after node: Node) -> NodeID {
        switch transitionTarget(after: node) {
        case .node(let id):
            return id
        case .end:
            // Running "end" as a node id ends the task through `execute`.
            return Turn.endMarker
        }
    }

    static let endMarker: NodeID = "\u{0}end"

    private nonisolated(nonsending) mutating func rejectAnswer(to node: Node, _ spec: EntitySpec, reason: String?) async {
        if spec.presence == .optional {
            acceptDefault(of: spec, at: node)
            await run(from: nextNodeOrEnd(after: node))
            return
        }
        let retries = (state.current?.retries ?? 0) + 1
        state.current?.retries = retries
        trace(node.id, "invalid answer \(retries) of \(spec.retries)")
        if retries > spec.retries {
            say(standard(responses.retriesExceeded))
            state.current?.waiting = nil
            record(node.id, "error")
            trace(node.id, "→ \(spec.onRetriesExceeded) (retries exceeded)", kind: .transition(to: spec.onRetriesExceeded))
            await continueAfterRetries(spec.onRetriesExceeded)
            return
        }
        if sayErrorPrompt(spec.errorPrompts, after: retries, of: node, choices: choices(for: spec)) {
            if let numbered = numberedChoices(of: spec) { say(numbered, kind: .prompt) }
        } else {
            say(reason.map(Turn.sentence) ?? "That doesn't look right.")
            askEntity(spec)
        }
    }

    /// A reason as a sentence: with a full stop unless it ends in punctuation already.
    static func sentence(_ reason: String) -> String {
        guard let last = reason.last, !".!?…".contains(last) else { return reason }
        return reason + "."
    }

    /// Asks for an entity: one of its prompts, followed by its values numbered when they come from the context.
    mutating func askEntity(_ spec: EntitySpec) {
        guard let numbered = numberedChoices(of: spec), !spec.prompts.isEmpty else {
            ask(spec.prompts, choices: choices(for: spec))
            return
        }
        let prompt = spec.prompts.count == 1 ? spec.prompts[0] : spec.prompts[environment.random(spec.prompts.count) % spec.prompts.count]
        guard let text = render(prompt, in: nil) else { return }
        say(text + "\n" + numbered, kind: .prompt)
    }

    /// "1. Jane Doe (Acme)" lines for a list whose values come from the context; `nil` for other entities.
    func numberedChoices(of spec: EntitySpec) -> String? {
        guard case .list(let list) = spec.type, list.valuesFrom != nil else { return nil }
        let items = listItems(from: list)
        guard !items.isEmpty else { return nil }
        return items.enumerated().map { "\($0.offset + 1). \($0.element.display)" }.joined(separator: "\n")
    }

    /// A list's values: its own, or those at its `valuesFrom` path now (texts or `{ value, display, synonyms }`).
    func listItems(from list: ListSpec) -> [ListItem] {
        guard let path = list.valuesFrom else { return list.items }
        let relative = Turn.relativeContextPath(path)
        guard let values = Turn.contextView(of: state).value(atPath: relative)?.arrayValue else { return [] }
        return values.prefix(Turn.maximumListValues).compactMap { element in
            switch element {
            case .string(let text):
                return ListItem(value: text)
            case .object(let members):
                guard let value = members["value"]?.displayText, !value.isEmpty else { return nil }
                let synonyms = members["synonyms"]?.arrayValue?.compactMap(\.stringValue) ?? []
                return ListItem(value: value, display: members["display"]?.stringValue, synonyms: synonyms)
            case .number, .bool:
                return ListItem(value: element.displayText)
            default:
                return nil
            }
        }
    }

    /// Values a list takes from the context beyond this are not offered: a choice is read, not scrolled.
    static let maximumListValues = 50

    /// Says the error prompt for this many invalid answers (the last one repeats); false when there are none.
    mutating func sayErrorPrompt(_ prompts: [Template], after retries: Int, of node: Node, choices: [String]) -> Bool {
        guard !prompts.isEmpty else { return false }
        if let text = render(prompts[min(retries - 1, prompts.count - 1)], in: node) {
            say(text, kind: .prompt, choices: choices)
        }
        return true
    }

    private nonisolated(nonsending) mutating func continueAfterRetries(_ target: TransitionTarget) async {
        switch target {
        case .node(let id):
            await run(from: id)
        case .end:
            // Too many invalid answers ends the task and every task that called it.
            abandonStack()
            if case .node(let id) = resumeHeldTask() { await run(from: id) }
        }
    }

    private mutating func acceptDefault(of spec: EntitySpec, at node: Node) {
        if let value = spec.defaultValue { setEntity(spec.name, value) }
        state.current?.waiting = nil
        trace(node.id, "\(spec.name) left at its default")
        record(node.id, "processed")
    }

    static func isSkip(_ answer: String) -> Bool {
        ["skip", "none", "no thanks", "nothing", "n/a", "pass"].contains(answer.lowercased())
    }

    func choices(for spec: EntitySpec) -> [String] {
        switch spec.type {
        case .list(let list) where list.valuesFrom != nil: []
        case .list(let list) where list.showsValues: list.items.map(\.display)
        case .yesNo: ["yes", "no"]
        default: []
        }
    }

    // MARK: - Confirmation nodes

    nonisolated(nonsending) mutating func answerConfirmation(_ answer: String) async {
        guard let frame = state.current, let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task),
            case .confirmation(let spec) = node.kind
        else { return }
        // A task that destroys data goes on only on a clear yes: "sure, in a bit" is not one.
        let clearOnly = compiled.task(frame.task)?.isDestructive ?? false
        let yes = spec.yesSynonyms + [spec.choices[0]]
        let no = spec.noSynonyms + [spec.choices[1]]
        guard let confirmed = yesOrNo(answer, yes: yes, no: no, clearOnly: clearOnly) else {
            let retries = frame.retries + 1
            state.current?.retries = retries
            if retries > spec.retries {
                say(standard(responses.retriesExceeded))
                state.current?.waiting = nil
                await continueAfterRetries(.end)
                return
            }
            if !sayErrorPrompt(spec.errorPrompts, after: retries, of: node, choices: spec.choices) {
                say("Please answer \(spec.choices[0]) or \(spec.choices[1]).", kind: .prompt, choices: spec.choices)
            }
            return
        }
        setEntity(spec.name, .bool(confirmed))
        state.current?.waiting = nil
        trace(node.id, confirmed ? "confirmed" : "declined")
        record(node.id, "processed")
        let target: TransitionTarget
        if let chosen = confirmed ? spec.onYes : spec.onNo {
            trace(node.id, "→ \(chosen) (\(confirmed ? "yes" : "no"))", kind: .transition(to: chosen))
            target = chosen
        } else {
            target = transitionTarget(after: node)
        }
        switch target {
        case .node(let id): await run(from: id)
        case .end: await run(from: Turn.endMarker)
        }
    }

    /// What surrounds a yes or no that is not part of it; built once, as a union costs more than the trimming.
    static let answerEdges = CharacterSet.punctuationCharacters.union(.whitespaces)

    /// The ASCII members of ``answerEdges``.
    private static let asciiAnswerEdges = Set("\t !\"#%&'()*,-./:;?@[\\]_{}".unicodeScalars)

    /// The answer without ``answerEdges`` around it. Typed answers are nearly always ASCII, which
    /// is trimmed here without bridging to NSString; anything else is left to Foundation's tables.
    static func trimmingAnswerEdges(_ answer: String) -> String {
        guard answer.utf8.allSatisfy({ $0 < 0x80 }) else { return answer.trimmingCharacters(in: answerEdges) }
        let scalars = answer.unicodeScalars
        guard let first = scalars.firstIndex(where: { !asciiAnswerEdges.contains($0) }),
            let last = scalars.lastIndex(where: { !asciiAnswerEdges.contains($0) })
        else { return "" }
        return String(Substring(scalars[first...last]))
    }

    /// Yes, no, or `nil` when the answer is neither. With `clearOnly`, a yes is only a whole yes
    /// ("yes", "go ahead"), never one that says more ("sure, in a bit"); a no may say more.
    func yesOrNo(_ answer: String, yes: [String], no: [String], clearOnly: Bool = false) -> Bool? {
        let folded = Turn.trimmingAnswerEdges(answer.lowercased())
        if yes.contains(where: { $0.lowercased() == folded }) { return true }
        if no.contains(where: { $0.lowercased() == folded }) { return false }
        if case .value(let value, _) = recognizer(for: .yesNo).recognize(answer), let bool = value.boolValue {
            if bool, clearOnly, !YesNo.isWholeYes(answer) { return nil }
            return bool
        }
        return nil
    }

    // MARK: - Values

    func entityValue(_ name: String) -> JSONValue? {
        state.current?.context["entities"]?[name]
    }

    mutating func setEntity(_ name: String, _ value: JSONValue) {
        guard var context = state.current?.context else { return }
        var entities = context["entities"] ?? .object([:])
        if entities.objectValue == nil { entities = .object([:]) }
        entities[name] = value
        context["entities"] = entities
        state.current?.context = context
    }

    func recognizer(for spec: EntitySpec) -> EntityRecognizer {
        var type = spec.type
        if case .list(var list) = type, list.valuesFrom != nil {
            list.items = listItems(from: list)
            type = .list(list)
        }
        return EntityRecognizer(type: type, rules: spec.rules, calendar: calendar)
    }

    func recognizer(for type: EntityType) -> EntityRecognizer {
        EntityRecognizer(type: type, rules: EntityRules(), calendar: calendar)
    }

    var calendar: RecognitionCalendar {
        RecognitionCalendar(now: now, timeZone: environment.timeZone)
    }

    /// The entity nodes of a task, in file order.
    static func entitySpecs(of task: DialogTask) -> [EntitySpec] {
        task.nodes.compactMap {
            if case .entity(let spec) = $0.kind { return spec }
            return nil
        }
    }
}
