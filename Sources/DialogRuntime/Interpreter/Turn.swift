import DialogModel
import Foundation
import ParleyJSON
import Scripting
import Understanding

/// One turn of one conversation: takes the user's text, runs nodes until the task needs the
/// user again (or ends), and collects what the bot says.
///
/// A turn runs on its shard's actor (its async methods are `nonisolated(nonsending)`), so it
/// may use the conversation's script engine, which lives on the shard's script machine.
struct Turn {
    let bot: Bot
    let compiled: CompiledBot
    let engine: ScriptEngine
    let environment: RuntimeEnvironment
    let user: UserID
    let now: Date
    var state: ConversationState
    var output = TurnOutput()
    /// Nodes run in this turn; a guard against tasks that loop without asking anything.
    var steps = 0
    /// Dialog nodes chained in this turn; a guard against tasks that call each other forever.
    var chainedDialogs = 0
    /// What scripts printed in this turn, against ``PrintLimit``.
    var printedLines = 0
    var printedBytes = 0
    /// Whether this turn already said that printed output was cut.
    var printCut = false

    static let maximumSteps = 500
    static let maximumChainedDialogs = 25

    init(shard: isolated RuntimeShard, state: ConversationState, user: UserID) {
        self.bot = shard.bot
        self.compiled = shard.compiled
        self.engine = shard.engines.engine(for: user)
        self.environment = shard.environment
        self.user = user
        self.now = shard.environment.clock()
        self.state = state
    }

    var responses: StandardResponses { bot.settings.responses }

    // MARK: - The user's text

    nonisolated(nonsending) mutating func handle(_ text: String) async {
        let utterance = text.trimmingWhitespaceAndNewlines()
        noteLastMessage(utterance)
        guard !utterance.isEmpty else {
            if state.isInTask { repeatQuestion() }
            return
        }
        if let question = state.question {
            state.question = nil
            await answer(question, with: utterance)
            return
        }
        guard let frame = state.current, let waiting = frame.waiting else {
            switch SmallTalk.read(utterance) {
            case .greeting?:
                say(standard(bot.settings.greeting ?? responses.greeting))
                return
            case .thanks?:
                say(standard(responses.thanks))
                return
            case .goodbye?:
                say(standard(responses.goodbye))
                return
            case nil:
                break
            }
            switch classifyInterruption(utterance, in: nil) {
            case .cancel:
                say(standard(responses.nothingToCancel))
            case .help:
                say(standard(responses.help), kind: .text)
            default:
                await startFromUtterance(utterance)
            }
            return
        }
        switch classifyInterruption(utterance, in: compiled.task(frame.task)) {
        case .cancel where !isConfirmationChoice(utterance, of: frame, waiting: waiting):
            await cancelCurrentTask()
            return
        case .cancel:
            break
        case .help:
            explainCurrentQuestion()
            return
        case .correction(let entity, let value):
            if await correct(entity: entity, to: value) { return }
        case .none:
            break
        }
        let reading = typedAnswerReading(utterance, of: frame, waiting: waiting)
        if let other = otherTaskAskedFor(utterance, while: frame, waiting: waiting, reading: reading) {
            await switchTask(to: other, utterance: utterance, as: interruptionBehavior(of: frame))
            return
        }
        switch waiting {
        case .entity, .listChoice:
            await answerEntity(utterance, reading: reading)
        case .confirmation:
            await answerConfirmation(utterance)
        case .authorization(let request):
            if request.awaitingCode, let code = Turn.authorizationCode(in: utterance) {
                await confirmAuthorization(code: code, integration: request.integration)
                return
            }
            // Ask the integration again rather than repeat the old link: the user may have
            // authorized meanwhile, or the link may be used up (denied) or expired.
            guard let nodeID = frame.node else { return }
            state.current?.waiting = nil
            await run(from: nodeID)
        }
    }

    /// Whether the text is one of the choices the waiting confirmation offers ("stop" under "Say more…"),
    /// which then answers it rather than cancelling the task.
    func isConfirmationChoice(_ utterance: String, of frame: TaskFrame, waiting: Waiting) -> Bool {
        guard case .confirmation = waiting, let nodeID = frame.node, let node = compiled.node(nodeID, in: frame.task),
            case .confirmation(let spec) = node.kind
        else { return false }
        return spec.choices.contains { $0.caseInsensitiveCompare(utterance) == .orderedSame }
    }

    // MARK: - Starting tasks

    private nonisolated(nonsending) mutating func startFromUtterance(_ utterance: String) async {
        switch compiled.classifier.classify(utterance, following: state.lastIntent) {
        case .none:
            say(standard(responses.didNotUnderstand))
        case .ambiguous(let intents):
            let names = intents.filter { compiled.task(forIntent: $0) != nil }
            guard names.count > 1 else {
                if let only = names.first, let task = compiled.task(forIntent: only) {
                    await startTask(task, utterance: utterance)
                } else {
                    say(standard(responses.didNotUnderstand))
                }
                return
            }
            state.question = .whichTask(candidates: names, utterance: utterance)
            say(standard(responses.whichTask, ["choices": Turn.list(names, conjunction: "or")]), kind: .prompt, choices: names)
        case .matched(let intent, _):
            guard let task = compiled.task(forIntent: intent) else {
                say(standard(responses.didNotUnderstand))
                return
            }
            await startTask(task, utterance: utterance)
        }
    }

    /// Starts a task on top of the stack, filling what the utterance already says.
    nonisolated(nonsending) mutating func startTask(
        _ task: DialogTask, utterance: String?, preassigned: [String: JSONValue] = [:]
    ) async {
        var entities: [String: JSONValue] = [:]
        if let utterance {
            entities = extractEntities(from: utterance, for: task)
        }
        for (name, value) in preassigned { entities[name] = value }
        var intent: JSONValue = ["name": .string(task.intent.name)]
        if let utterance { intent["utterance"] = .string(utterance) }
        let frame = TaskFrame(task: task.name, context: ["entities": .object(entities), "intent": intent])
        state.stack.append(frame)
        if !task.isSubdialog { state.lastIntent = task.intent.name }
        traceTask("started" + (entities.isEmpty ? "" : " with " + entities.keys.sorted().joined(separator: ", ")))
        guard let first = task.nodes.first else {
            await continueAfter(endTask())
            return
        }
        await run(from: first.id)
    }

    // MARK: - Running nodes

    /// What to do after a node.
    enum Flow {
        /// Run this node of the current task next.
        case node(NodeID)
        /// Stop and wait for the user.
        case wait
    }

    /// Runs nodes of the current task, starting at this one, until one waits for the user or no task is left.
    nonisolated(nonsending) mutating func run(from nodeID: NodeID) async {
        var next: Flow = .node(nodeID)
        while case .node(let id) = next {
            steps += 1
            if steps > Turn.maximumSteps {
                let task = state.current?.task ?? "?"
                report(
                    node: compiled.node(id, in: task), task: task,
                    "ran \(Turn.maximumSteps) nodes without waiting for the user; the task looks like a loop and was ended")
                say(standard(responses.scriptFailed))
                abandonStack()
                next = resumeHeldTask()
                continue
            }
            next = await execute(id)
        }
    }

    private nonisolated(nonsending) mutating func continueAfter(_ flow: Flow) async {
        if case .node(let id) = flow { await run(from: id) }
    }

    private nonisolated(nonsending) mutating func execute(_ id: NodeID) async -> Flow {
        if id == Turn.endMarker { return endTask() }
        guard let frame = state.current, let node = compiled.node(id, in: frame.task) else {
            return endTask()
        }
        state.current?.node = id
        state.current?.waiting = nil
        trace(id, "runs (\(node.kind.typeName))", kind: .nodeRun)
        record(id, "processing")
        switch node.kind {
        case .entity(let spec):
            return executeEntity(node, spec)
        case .confirmation(let spec):
            state.current?.retries = 0
            state.current?.waiting = .confirmation
            ask(spec.prompts, choices: spec.choices)
            record(id, "waitingForUserInput")
            return .wait
        case .message(let spec):
            guard showMessage(spec, of: node) else { return failTask() }
            return follow(transitionTarget(after: node))
        case .script(let spec):
            guard runScript(spec.script, of: node, showPrinted: true) else { return failTask() }
            return follow(transitionTarget(after: node))
        case .logic(let spec):
            guard applyLogic(spec, of: node) else { return failTask() }
            return follow(transitionTarget(after: node))
        case .service(let spec):
            return await executeService(node, spec)
        case .dialog(let spec):
            return await executeDialog(node, spec)
        case .end(let spec):
            if let message = spec.message {
                guard let text = render(message, in: node) else { return failTask() }
                say(text)
            }
            return endTask()
        }
    }

    /// Goes where a transition points: a node of the current task, or the end of the task.
    mutating func follow(_ target: TransitionTarget) -> Flow {
        switch target {
        case .node(let id):
            return .node(id)
        case .end:
            return endTask()
        }
    }

    /// The first transition whose condition holds; without transitions, the next node in the file.
    mutating func transitionTarget(after node: Node) -> TransitionTarget {
        guard let task = state.current?.task else { return .end }
        for transition in node.transitions {
            switch transition.condition {
            case .always:
                trace(node.id, "→ \(transition.target) (else)", kind: .transition(to: transition.target))
                return transition.target
            case .script(let script):
                do {
                    if try engine.evaluateCondition(script.source, variables: scriptVariables()) {
                        trace(node.id, "→ \(transition.target) (if \(script.source))", kind: .transition(to: transition.target))
                        return transition.target
                    }
                } catch {
                    report(at: script.location, task: task, node: node.id, "condition failed: \(error)")
                }
            }
        }
        if node.transitions.isEmpty, let next = compiled.node(after: node.id, in: task) {
            trace(node.id, "→ \(next.id)", kind: .transition(to: .node(next.id)))
            return .node(next.id)
        }
        trace(node.id, "→ end", kind: .transition(to: .end))
        return .end
    }

    // MARK: - Ending tasks

    /// Ends the current task. A task called by a dialog node returns to its caller; otherwise a
    /// held task resumes.
    mutating func endTask() -> Flow {
        guard let finished = state.stack.popLast() else { return .wait }
        record(finished.node ?? "end", "end", task: finished.task)
        traceTask("ended", task: finished.task)
        if let parent = state.current, let dialogNodeID = parent.node,
            let dialogNode = compiled.node(dialogNodeID, in: parent.task), case .dialog(let spec) = dialogNode.kind
        {
            applyPostAssignments(spec, from: finished, in: dialogNode)
            return follow(transitionTarget(after: dialogNode))
        }
        return resumeHeldTask()
    }

    /// Drops the running task and every task that called it.
    mutating func abandonStack() {
        if let root = state.stack.first { traceTask("discarded", task: root.task) }
        state.stack.removeAll()
    }

    /// Ends the whole task after a failure that was already reported.
    mutating func failTask() -> Flow {
        abandonStack()
        return resumeHeldTask()
    }

    /// Brings back the most recently held task and asks again what it was asking.
    mutating func resumeHeldTask() -> Flow {
        guard state.stack.isEmpty, let held = state.held.popLast() else { return .wait }
        state.stack = held
        if let root = held.first {
            say(standard(responses.resumingTask, ["task": displayName(ofTask: root.task)]))
        }
        traceTask("resumed")
        if state.current?.waiting != nil {
            repeatQuestion()
            return .wait
        }
        if let node = state.current?.node { return .node(node) }
        return .wait
    }

    nonisolated(nonsending) private mutating func cancelCurrentTask() async {
        guard let root = state.stack.first else {
            say(standard(responses.nothingToCancel))
            return
        }
        say(standard(responses.taskCancelled, ["task": displayName(ofTask: root.task)]))
        abandonStack()
        await continueAfter(resumeHeldTask())
    }
}
