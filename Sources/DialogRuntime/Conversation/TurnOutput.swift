public import DialogModel

/// What one turn (or a resumption between turns) produced for the user and the developer.
public struct TurnOutput: Sendable, Hashable {
    public var messages: [BotMessage] = []
    /// Nodes run and transitions taken, for `/debug`.
    public var trace: [TraceEvent] = []
    /// Problems in the bot itself found while running (a script that ran too long), for the developer.
    public var diagnostics: [RuntimeDiagnostic] = []
    /// The conversation could not be loaded or saved; the messages end with a standard response saying so.
    public var storeError: ConversationStoreError?
    /// Values of sensitive entities in the conversation (and the user's text when it answered one): channels
    /// mask them wherever the turn is kept or shown outside the chat. ``trace`` and ``diagnostics`` come
    /// masked already.
    public var sensitive = SensitiveText()
    /// Whether the user's text answered a sensitive entity's prompt, so it must not be kept (history,
    /// recordings) as typed.
    public var userTextIsSensitive = false
    /// Whether the user's text was the six-digit code that finishes an authorization (a recording writes it as
    /// `{{code}}`, the code the browser showed, since it differs each time).
    public var userTextIsAuthorizationCode = false
    /// Set when the output tells the user an authorization did not connect, so a recording can say what the
    /// browser did.
    public var authorizationFailure: AuthorizationFailure?

    public init(
        messages: [BotMessage] = [], trace: [TraceEvent] = [], diagnostics: [RuntimeDiagnostic] = [],
        storeError: ConversationStoreError? = nil
    ) {
        self.messages = messages
        self.trace = trace
        self.diagnostics = diagnostics
        self.storeError = storeError
    }

    /// The messages' text, one message a line.
    public var text: String { messages.map(\.text).joined(separator: "\n") }
}

/// One message from the bot.
public struct BotMessage: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case text
        /// Asks the user for something; `choices` lists valid answers when there are few.
        case prompt
        /// Asks the user to open a link and authorize an integration.
        case authorization(AuthorizationRequest)
    }

    public var text: String
    public var kind: Kind
    /// Answers to offer (list values, yes/no, task names), for channels that show buttons.
    public var choices: [String]

    public init(_ text: String, kind: Kind = .text, choices: [String] = []) {
        self.text = text
        self.kind = kind
        self.choices = choices
    }

    public var description: String { text }
}

/// A step the interpreter took.
public struct TraceEvent: Sendable, Hashable, CustomStringConvertible {
    /// What kind of step, for tools that measure coverage.
    public enum Kind: Sendable, Hashable {
        /// A node started running.
        case nodeRun
        /// A transition was taken from `node` to this target.
        case transition(to: TransitionTarget)
        /// Anything else: a task started or ended, a value was set, a service answered.
        case note
    }

    public var task: TaskName
    public var node: NodeID?
    public var detail: String
    public var kind: Kind

    public init(task: TaskName, node: NodeID?, _ detail: String, kind: Kind = .note) {
        self.task = task
        self.node = node
        self.detail = detail
        self.kind = kind
    }

    public var description: String {
        if let node { return "\(task) › \(node): \(detail)" }
        return "\(task): \(detail)"
    }
}

/// A problem in the bot found at run time, located in its dialog file.
public struct RuntimeDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Where in the bot's files; `nil` only for a task the bot does not have.
    public var location: SourceLocation?
    public var message: String

    public init(location: SourceLocation?, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { location.map { "\($0): \(message)" } ?? message }
}
