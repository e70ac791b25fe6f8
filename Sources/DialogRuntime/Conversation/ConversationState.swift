public import DialogModel
public import ParleyJSON

/// Everything Parley remembers of one conversation between turns; `Codable`, so a store can keep it.
public struct ConversationState: Sendable, Codable, Hashable {
    /// The running task and the tasks it called through dialog nodes, the running one last.
    public var stack: [TaskFrame] = []
    /// Tasks put on hold when the user started another one; the most recent last.
    public var held: [[TaskFrame]] = []
    /// A question about the conversation itself (which task, hold or discard), if one is open.
    public var question: ConversationQuestion?
    /// `context.session`: `UserContext`, `BotUserSession` and friends, shared by every task.
    public var session: JSONValue = .object([:])
    /// `context.history`: the latest node states, newest last.
    public var history: [JSONValue] = []
    /// The intent of the task the user last started, so "delete it" can mean what it was about.
    public var lastIntent: String?
    public init() {}

    /// The running task, if any.
    public var current: TaskFrame? {
        get { stack.last }
        set {
            guard let newValue else {
                if !stack.isEmpty { stack.removeLast() }
                return
            }
            if stack.isEmpty { stack.append(newValue) } else { stack[stack.count - 1] = newValue }
        }
    }

    /// Whether a task is running or waiting for the user.
    public var isInTask: Bool { !stack.isEmpty }

    static let historyLimit = 50
}

/// One running task.
public struct TaskFrame: Sendable, Codable, Hashable {
    public var task: TaskName
    /// The node being run or waited on; `nil` before the first node.
    public var node: NodeID?
    /// The task's own context: `entities`, `intent`, `<serviceNode>.response` and script-made keys.
    public var context: JSONValue
    /// What the task waits for from the user, if anything.
    public var waiting: Waiting?
    /// Invalid answers given to the current prompt so far.
    public var retries = 0
    /// Denied or failed authorizations in this task so far; `nil` for none (and in conversations stored before
    /// it was counted).
    public var authorizationFailures: Int?

    public init(task: TaskName, context: JSONValue) {
        self.task = task
        self.context = context
    }
}

/// What a task waits for.
public enum Waiting: Sendable, Codable, Hashable {
    /// An answer to an entity node's prompt.
    case entity
    /// Yes or no for a confirmation node.
    case confirmation
    /// A choice among list values that matched the answer about equally well.
    case listChoice([String])
    /// The user to authorize an integration; the service node runs again afterwards.
    case authorization(AuthorizationRequest)
}

/// A question about the conversation rather than a task's node.
public enum ConversationQuestion: Sendable, Codable, Hashable {
    /// Two or more tasks matched; the user picks one.
    case whichTask(candidates: [String], utterance: String)
    /// Another task was asked for mid-way: hold the current one, or discard it.
    case holdOrDiscard(newTask: TaskName, utterance: String)
}
