import DialogModel
import Foundation
import ParleyJSON
import Scripting
import Understanding

extension Turn {
    // MARK: - Questions about the conversation

    nonisolated(nonsending) mutating func answer(_ question: ConversationQuestion, with utterance: String) async {
        switch question {
        case .whichTask(let candidates, let original):
            guard let chosen = Turn.choose(utterance, among: candidates) ?? chooseByMeaning(utterance, among: candidates),
                let task = compiled.task(forIntent: chosen)
            else {
                if case .cancel = classifyInterruption(utterance, in: nil) {
                    say(standard(responses.nothingToCancel))
                    return
                }
                // Not one of the offered tasks: treat it as a fresh request.
                await handleAfterQuestion(utterance)
                return
            }
            await startTask(task, utterance: original)
        case .holdOrDiscard(let newTask, let original):
            guard let task = compiled.task(newTask) else { return }
            // The task in progress ended since the question was asked: there is nothing to hold or discard.
            guard state.isInTask else {
                if Turn.holdChoice(utterance) == nil {
                    await startTaskOrApologize(utterance)
                } else {
                    await startTask(task, utterance: original)
                }
                return
            }
            switch Turn.holdChoice(utterance) {
            case .hold:
                await switchTask(to: task.name, utterance: original, as: .hold)
            case .discard:
                if let root = state.stack.first {
                    say(standard(responses.taskOnHoldDiscarded, ["task": displayName(ofTask: root.task)]))
                }
                await switchTask(to: task.name, utterance: original, as: .discard)
            case .stay:
                repeatQuestion()
            case nil:
                state.question = question
                say(
                    "Please say \"hold\" to come back to it later, or \"discard\" to drop it.", kind: .prompt,
                    choices: ["hold", "discard"])
            }
        }
    }

    private nonisolated(nonsending) mutating func handleAfterQuestion(_ utterance: String) async {
        if state.isInTask {
            repeatQuestion()
        } else {
            await startTaskOrApologize(utterance)
        }
    }

    private nonisolated(nonsending) mutating func startTaskOrApologize(_ utterance: String) async {
        if case .matched(let intent, _) = compiled.classifier.classify(utterance), let task = compiled.task(forIntent: intent) {
            await startTask(task, utterance: utterance)
        } else {
            say(standard(responses.didNotUnderstand))
        }
    }

    enum HoldChoice { case hold, discard, stay }

    static func holdChoice(_ utterance: String) -> HoldChoice? {
        let words = Set(
            utterance.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
        if !words.isDisjoint(with: ["hold", "keep", "later", "pause", "h", "yes"]) { return .hold }
        if !words.isDisjoint(with: ["discard", "drop", "forget", "abandon", "d", "no"]) { return .discard }
        if !words.isDisjoint(with: ["continue", "stay", "back", "neither", "cancel", "resume"]) { return .stay }
        return nil
    }

    /// The candidate the user picked: by number ("2"), by name, or by a word of its name.
    static func choose(_ utterance: String, among candidates: [String]) -> String? {
        let folded = utterance.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        if let number = Int(folded), candidates.indices.contains(number - 1) { return candidates[number - 1] }
        let ordinals = ["first": 0, "second": 1, "third": 2, "fourth": 3, "last": candidates.count - 1]
        for (word, index) in ordinals where folded.contains(word) && candidates.indices.contains(index) {
            return candidates[index]
        }
        if let exact = candidates.first(where: { $0.lowercased() == folded }) { return exact }
        let matches = candidates.filter { folded.contains($0.lowercased()) || $0.lowercased().contains(folded) }
        if matches.count == 1 { return matches[0] }
        // "delete it", "the view one": the words the answer shares with only one of the choices pick it.
        func words(_ text: String) -> Set<String> {
            Set(text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        }
        return pick(words(folded), among: candidates.map(words)).map { candidates[$0] }
    }

    /// The task the user picked in words the bot knows for its name's: "the deal" for Delete Opportunity, "the
    /// prospect" for Delete Lead.
    func chooseByMeaning(_ utterance: String, among candidates: [String]) -> String? {
        let classifier = compiled.classifier
        return Turn.pick(classifier.stemsSaid(in: utterance), among: candidates.map(classifier.stemsSaid)).map {
            candidates[$0]
        }
    }

    /// The one choice whose words the answer says most of, counting only words no other choice has.
    static func pick(_ said: Set<String>, among choices: [Set<String>]) -> Int? {
        let scores = choices.indices.map { index in
            said.filter { word in
                choices[index].contains(word) && !choices.indices.contains { $0 != index && choices[$0].contains(word) }
            }.count
        }
        guard let best = scores.max(), best > 0, scores.filter({ $0 == best }).count == 1 else { return nil }
        return scores.firstIndex(of: best)
    }

    /// Another task the user asks for in the middle of this one, if the utterance is clearly that
    /// rather than an answer.
    ///
    /// - Parameter reading: the answer read as the entity asked for, from ``typedAnswerReading(_:of:waiting:)``.
    func otherTaskAskedFor(
        _ utterance: String, while frame: TaskFrame, waiting: Waiting, reading: Recognition?
    ) -> TaskName? {
        // A typed answer that is valid wins over a task that merely sounds similar; checked first, since
        // it is much cheaper than reading the answer as a request.
        if case .value? = reading { return nil }
        // A record's id alone answers the question ("00Q…" under "Which lead?"), though the id tells its object as a
        // request to see the record would.
        if case .entity = waiting, case .value = recognizer(for: .salesforceID(keyPrefix: nil)).recognize(utterance) {
            return nil
        }
        // Nor is an answer the question itself offers: "show more" under "Say more for the next ones".
        if offeredAnswer(utterance, of: frame, waiting: waiting) { return nil }
        // Nor a clear yes or no to a confirmation, though it says the action again: "yep, bin it".
        if case .confirmation = waiting, let answer = YesNo.read(utterance), !answer || YesNo.isWholeYes(utterance) {
            return nil
        }
        guard case .matched(let intent, let score) = compiled.classifier.classify(utterance),
            score >= Turn.switchThreshold || score >= Turn.requestSwitchThreshold && Turn.opensRequest(utterance),
            let task = compiled.task(forIntent: intent), task.name != frame.task,
            !state.stack.contains(where: { $0.task == task.name })
        else { return nil }
        return task.name
    }

    /// Whether the text is one of the answers a waiting confirmation offers by name: a choice or a synonym of yes or
    /// no, whatever its case and closing punctuation.
    func offeredAnswer(_ utterance: String, of frame: TaskFrame, waiting: Waiting) -> Bool {
        guard case .confirmation = waiting, let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task),
            case .confirmation(let spec) = node.kind
        else { return false }
        var text = Substring(utterance)
        while let last = text.last, last.isPunctuation || last.isWhitespace { text = text.dropLast() }
        return (spec.choices + spec.yesSynonyms + spec.noSynonyms).contains {
            $0.caseInsensitiveCompare(text) == .orderedSame
        }
    }

    /// The answer read as the typed entity being asked for (a date, a number, an email...), once per turn: it both
    /// rules out a switch of task and fills the entity. `nil` for text entities, which any answer fits, and for
    /// other questions.
    func typedAnswerReading(_ utterance: String, of frame: TaskFrame, waiting: Waiting) -> Recognition? {
        guard case .entity = waiting, let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task),
            case .entity(let spec) = node.kind
        else { return nil }
        switch spec.type {
        case .string, .personName, .company, .jobTitle, .reference:
            return nil
        default:
            return recognizer(for: spec).recognize(utterance)
        }
    }

    /// How sure intent matching must be before an answer is taken as a request for another task.
    static let switchThreshold = 0.75
    /// How sure it must be when the answer opens like a request ("show me…", "what leads…"), which
    /// names, companies and descriptions do not.
    static let requestSwitchThreshold = 0.5

    /// Whether the text starts the way requests do, with a command or a question word, or one of its later clauses
    /// asks for something ("she wants a quote for 40k, can you open an opp for that").
    static func opensRequest(_ text: String) -> Bool {
        let clauses = text.lowercased().split(whereSeparator: { ",;.!?—".contains($0) })
        for (index, clause) in clauses.enumerated() {
            let first = clause.split(whereSeparator: { !$0.isLetter && $0 != "'" }).first.map(String.init) ?? ""
            if (index == 0 ? requestOpeners : laterRequestOpeners).contains(first) { return true }
        }
        return false
    }

    /// Words that open a later clause only when it asks for something: a command word there is more often part of
    /// an answer ("Acme, new account").
    private static let laterRequestOpeners: Set<String> = ["can", "could", "would", "please", "pls", "plz", "kindly", "let's"]

    private static let requestOpeners: Set<String> = [
        "show", "list", "find", "search", "look", "create", "add", "new", "delete", "remove", "update", "change", "what",
        "what's", "which", "how", "who", "where", "when", "give", "pull", "open", "can", "could", "please", "i'd", "let's",
        "get", "display", "view", "edit", "set", "mark", "log", "enter", "make", "cancel", "drop",
    ]

    /// What the node the user interrupts says to do: ask, hold or discard.
    func interruptionBehavior(of frame: TaskFrame) -> InterruptionBehavior {
        guard let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task) else { return .ask }
        switch node.kind {
        case .entity(let spec): return spec.interruptions
        case .confirmation(let spec): return spec.interruptions
        default: return .ask
        }
    }

    /// Starts the task the user asked for in the middle of another one, as the waiting node says.
    nonisolated(nonsending) mutating func switchTask(to newTask: TaskName, utterance: String, as behavior: InterruptionBehavior) async {
        guard let task = compiled.task(newTask) else { return }
        switch behavior {
        case .ask:
            askHoldOrDiscard(newTask: newTask, utterance: utterance)
        case .hold:
            state.held.append(state.stack)
            state.stack = []
            traceTask("put on hold", task: state.held.last?.first?.task)
            await startTask(task, utterance: utterance)
        case .discard:
            abandonStack()
            await startTask(task, utterance: utterance)
        }
    }

    mutating func askHoldOrDiscard(newTask: TaskName, utterance: String) {
        guard state.stack.first != nil else { return }
        state.question = .holdOrDiscard(newTask: newTask, utterance: utterance)
        sayHoldOrDiscard(newTask: newTask)
    }

    /// "You're in the middle of …: hold or discard?"
    mutating func sayHoldOrDiscard(newTask: TaskName) {
        guard let root = state.stack.first else { return }
        say(
            standard(responses.holdOrDiscard, ["task": displayName(ofTask: root.task), "newTask": displayName(ofTask: newTask)]),
            kind: .prompt, choices: ["hold", "discard"])
    }

    /// The standard response with the link the user opens to authorize an integration, or, once the browser came
    /// back in confirm-with-code mode, the one that asks for the code.
    mutating func sayAuthorizationNeeded(_ request: AuthorizationRequest) {
        let integration = displayName(ofIntegration: request.integration)
        guard !request.awaitingCode else {
            return say(standard(responses.authorizationCodeNeeded, ["integration": integration]), kind: .prompt)
        }
        say(standard(responses.authorizationNeeded, ["integration": integration, "url": request.url]), kind: .authorization(request))
    }

    // MARK: - Asking again, help, corrections

    /// Says again what the conversation is waiting for.
    mutating func repeatQuestion() {
        if let question = state.question {
            switch question {
            case .whichTask(let candidates, _):
                say(
                    standard(responses.whichTask, ["choices": Turn.list(candidates, conjunction: "or")]), kind: .prompt,
                    choices: candidates)
            case .holdOrDiscard(let newTask, _):
                sayHoldOrDiscard(newTask: newTask)
            }
            return
        }
        guard let frame = state.current, let waiting = frame.waiting, let nodeID = frame.node,
            let node = compiled.node(nodeID, in: frame.task)
        else { return }
        switch (waiting, node.kind) {
        case (.entity, .entity(let spec)):
            askEntity(spec)
        case (.listChoice(let values), .entity(let spec)):
            var names = values
            if case .list(let list) = spec.type {
                names = list.items.filter { values.contains($0.value) }.map(\.display)
            }
            say(standard(responses.whichValue, ["choices": Turn.list(names, conjunction: "or")]), kind: .prompt, choices: names)
        case (.confirmation, .confirmation(let spec)):
            ask(spec.prompts, choices: spec.choices)
        case (.authorization(let request), _):
            sayAuthorizationNeeded(request)
        default:
            break
        }
    }

    /// Explains the question being asked, then asks it again.
    mutating func explainCurrentQuestion() {
        guard let frame = state.current, let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task) else {
            say(standard(responses.didNotUnderstand))
            return
        }
        switch node.kind {
        case .entity(let spec):
            let hint: String
            if let help = spec.help, let text = render(help, in: node) {
                hint = text
            } else {
                hint = Turn.hint(for: spec.type)
            }
            say(standard(responses.helpPrompt, ["entity": Turn.spokenName(spec.name), "hint": hint]))
        case .confirmation:
            say("Please answer yes or no. Say \"cancel\" to stop.")
        default:
            break
        }
        repeatQuestion()
    }

    /// What kind of answer a type expects, in words.
    static func hint(for type: EntityType) -> String {
        switch type {
        case .string: "Any text will do."
        case .personName(.first): "A first name, like \"Jane\"."
        case .personName(.last): "A last name, like \"Doe\"."
        case .personName: "A person's name, like \"Jane Doe\"."
        case .company: "A company's name, like \"Acme\" or \"Blue Harbor Foods\"."
        case .jobTitle: "A job title, like \"CTO\" or \"VP of Sales\"."
        case .reference: "A name, a company, an email or a record id, like \"Jane Doe at Acme\"."
        case .changes(let spec):
            "One or more fields and their new values, like \"\(spec.fields.first?.words.first ?? "status") to …\"; the fields are: "
                + spec.fields.map { $0.words.first ?? $0.name }.joined(separator: ", ") + "."
        case .number: "A number, like 42."
        case .amount: "An amount of money, like $50,000 or 50k EUR."
        case .percentage: "A percentage, like 60%."
        case .date: "A date, like 2026-12-31, \"Dec 31\", \"tomorrow\" or \"next Friday\"."
        case .email: "An email address, like jane@example.com."
        case .phone: "A phone number, like +1 415 555 0100."
        case .url: "A web address, like https://example.com."
        case .yesNo: "Yes or no."
        case .list(let list): "One of: \(list.items.map(\.display).joined(separator: ", "))."
        case .regex: "A value in the expected format."
        case .salesforceID: "A Salesforce record id, 15 or 18 letters and digits."
        }
    }

    /// `lastName` → "last name".
    static func spokenName(_ name: String) -> String {
        var words: [String] = []
        var current = ""
        for character in name {
            if character == "_" || character == "-" || character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if character.isUppercase, !current.isEmpty, !(current.last?.isUppercase ?? false) {
                words.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.count > 1 && $0 == $0.uppercased() ? $0 : $0.lowercased() }.joined(separator: " ")
    }

    /// Changes an entity the user already gave ("actually the company is Globex"); false when the
    /// utterance names no entity of the running task.
    nonisolated(nonsending) mutating func correct(entity name: String, to text: String) async -> Bool {
        guard let frame = state.current, let task = compiled.task(frame.task),
            let spec = compiled.entitySpecs(of: task).first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame })
        else { return false }
        let askingThis: Bool = {
            guard let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task),
                case .entity(let current) = node.kind
            else { return false }
            return current.name == spec.name
        }()
        if askingThis {
            await answerEntity(text)
            return true
        }
        switch recognizer(for: spec).recognize(text) {
        case .value(let value, _):
            setEntity(spec.name, value)
            trace(frame.node, "corrected \(spec.name)")
            say(
                standard(
                    responses.correctionApplied,
                    ["entity": Turn.spokenName(spec.name), "value": spec.isSensitive ? "•••" : value.displayText]))
            repeatQuestion()
        case .ambiguous(let items):
            say(standard(responses.whichValue, ["choices": Turn.list(items.map(\.display), conjunction: "or")]))
            repeatQuestion()
        case .invalid(let reason):
            say(Turn.sentence(reason))
            repeatQuestion()
        case .empty:
            return false
        }
        return true
    }

    // MARK: - Completions

    func completions(prefix: String) -> [String] {
        let folded = prefix.lowercased()
        var candidates: [String] = []
        if let question = state.question {
            switch question {
            case .whichTask(let names, _): candidates = names
            case .holdOrDiscard: candidates = ["hold", "discard"]
            }
        } else if let frame = state.current, let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task) {
            switch (frame.waiting, node.kind) {
            case (.entity?, .entity(let spec)), (.listChoice?, .entity(let spec)):
                if case .list = spec.type {
                    return recognizer(for: spec).completions(prefix: prefix)
                }
                candidates = choices(for: spec)
            case (.confirmation?, .confirmation):
                candidates = ["yes", "no"]
            default:
                break
            }
        }
        return candidates.filter { $0.lowercased().hasPrefix(folded) }
    }
}
