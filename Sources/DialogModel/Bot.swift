import Foundation
public import ParleyJSON

/// A bot: its settings and its dialog tasks, loaded from a folder.
public struct Bot: Sendable {
    public var settings: BotSettings
    public var tasks: [DialogTask]
    /// Bot functions: the `*.js` files of the bot's folder, in name order. Every script,
    /// condition and placeholder of the bot can call what they define.
    public var functions: [Script]

    public init(settings: BotSettings, tasks: [DialogTask], functions: [Script] = []) {
        self.settings = settings
        self.tasks = tasks
        self.functions = functions
    }

    /// The task with this name, compared without regard to case.
    public func task(named name: String) -> DialogTask? {
        tasks.first { $0.name.rawValue.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// Bot-wide settings from `bot.yaml`.
public struct BotSettings: Sendable {
    public var name: String
    public var greeting: String?
    public var responses: StandardResponses
    /// Settings of integrations by name (`salesforce: { apiVersion: "66.0" }`), passed to them as is.
    public var integrations: [String: JSONValue]
    /// Bot variables (`env:` in bot.yaml), read as `{{env.name}}` in templates and `env.name` in scripts;
    /// the runtime's host may override them (for example a service's URL per machine).
    public var environment: [String: JSONValue]
    /// Words people use for the bot's words (`opportunity: [deal, oppty]`), for understanding
    /// requests; the tasks' intents may add their own.
    public var synonyms: [String: [String]]
    /// How end users authorize integrations: how long a link lives, how many failed attempts a task allows.
    public var authorization: AuthorizationSettings
    public var location: SourceLocation?

    public init(
        name: String, greeting: String? = nil, responses: StandardResponses = StandardResponses(),
        integrations: [String: JSONValue] = [:], environment: [String: JSONValue] = [:],
        synonyms: [String: [String]] = [:], authorization: AuthorizationSettings = AuthorizationSettings(),
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.greeting = greeting
        self.responses = responses
        self.integrations = integrations
        self.environment = environment
        self.synonyms = synonyms
        self.authorization = authorization
        self.location = location
    }
}

/// `authorization:` in bot.yaml: how end users authorize integrations through links.
public struct AuthorizationSettings: Sendable, Hashable {
    /// Seconds an authorization link stays usable; a reminder repeats the same link until then.
    public var linkLifetime: Double = 600
    /// Denied or failed authorizations one task allows; after the last the bot stops sending links and ends it.
    public var attempts = 3
    /// For channels where links travel: the callback page shows a six-digit code, and the token is kept only once
    /// the user types that code in the chat (as Bot Framework's magic code does).
    public var confirmWithCode = false

    public init(linkLifetime: Double = 600, attempts: Int = 3, confirmWithCode: Bool = false) {
        self.linkLifetime = linkLifetime
        self.attempts = attempts
        self.confirmWithCode = confirmWithCode
    }
}

/// What the bot says in situations no task defines. Each may hold `{{...}}` placeholders.
public struct StandardResponses: Sendable, Hashable {
    /// No task matched; `{{tasks}}` lists what the bot can do.
    public var didNotUnderstand = "Sorry, I didn't understand that. I can help you with: {{tasks}}."
    public var taskCancelled = "OK, I've cancelled {{task}}."
    public var nothingToCancel = "There is nothing to cancel."
    /// Two tasks matched about equally well; `{{choices}}` lists them.
    public var whichTask = "Did you mean {{choices}}?"
    /// Another task started mid-way: hold the current one or discard it.
    public var holdOrDiscard =
        "You're in the middle of {{task}}. Should I put it on hold and come back to it, or discard it? (hold / discard)"
    public var resumingTask = "Now, back to {{task}}."
    public var taskOnHoldDiscarded = "OK, I've discarded {{task}}."
    public var helpPrompt = "I'm asking for {{entity}}. {{hint}} Say \"cancel\" to stop."
    public var retriesExceeded = "Sorry, I couldn't get a valid answer. Let's stop here."
    public var serviceFailed = "Sorry, something went wrong and I had to discard your task. Please retry."
    public var serviceTimedOut = "Sorry, the service took too long to answer. Please retry."
    public var scriptFailed = "Sorry, something went wrong while I was working on that."
    /// Scripts printed more in one turn than is shown (100 lines or 64 KB); said after what was shown.
    public var outputCut = "(That was too long to show in full, so I cut it short.)"
    public var authorizationNeeded = "Please authorize {{integration}} before we continue: {{url}}"
    /// The user authorized in the browser; the paused task goes on after it.
    public var authorizationConnected = "Connected to {{integration}} as {{account}}."
    /// The user refused access on the consent page; `{{doTask}}` is the task as a verb phrase ("create the lead").
    public var authorizationDenied =
        "You didn't allow access, so I can't {{doTask}}. Say 'retry' for a new link or 'cancel'."
    public var authorizationLinkExpired =
        "That link expired before it was used, so I can't {{doTask}} yet. Say 'retry' for a new link or 'cancel'."
    public var authorizationLinkUsed =
        "That link was already used. Say 'retry' for a new link or 'cancel'."
    /// The authorization did not complete (the code exchange failed); `{{reason}}` says why, as plain text.
    public var authorizationFailed =
        "I couldn't connect to {{integration}} ({{reason}}), so I can't {{doTask}}. Say 'retry' for a new link or 'cancel'."
    /// With `confirmWithCode`: the browser came back, and the connection is kept once the user types its code.
    public var authorizationCodeNeeded =
        "To finish connecting {{integration}}, type the six-digit code your browser shows."
    /// The code typed did not match; the connection was not kept.
    public var authorizationCodeWrong =
        "That code doesn't match, so I didn't keep the connection to {{integration}}. Say 'retry' for a new link or 'cancel'."
    /// The code was typed after it expired; the connection was not kept.
    public var authorizationCodeExpired =
        "That code has expired, so I didn't keep the connection to {{integration}}. Say 'retry' for a new link or 'cancel'."
    /// The bot's own (pre-authorized) connection is unusable (revoked, expired): the user cannot fix it, its
    /// operator must; the task ends.
    public var integrationNeedsAttention =
        "The {{integration}} connection needs attention, so I can't {{doTask}} right now. I've noted the problem for the bot's operator."
    /// Too many denied or failed authorizations for one task: no more links, and the task ends.
    public var authorizationAttemptsExceeded =
        "Authorization failed {{attempts}} times, so I won't send another link and I've stopped {{task}}."
    public var whichValue = "Which of these did you mean: {{choices}}?"
    public var correctionApplied = "Got it, {{entity}} is now {{value}}."
    public var greeting = "Hello! I can help you with: {{tasks}}."
    /// Asked for help or what the bot can do, outside a task.
    public var help = "I can help you with: {{tasks}}."
    /// Thanked, or told "great", outside a task.
    public var thanks = "Glad I could help. Anything else?"
    /// Told goodbye outside a task.
    public var goodbye = "Bye! I'm here whenever you need me."
    /// The conversation could not be read from storage, so the turn did not run.
    public var conversationUnavailable = "Sorry, I can't reach our conversation right now. Please try again in a moment."
    /// The turn ran but its result could not be stored; said after the turn's own messages.
    public var conversationNotSaved = "I couldn't save our conversation, so I may forget this if I restart."

    public init() {}
}

/// One dialog task: a root intent and the nodes it runs.
public struct DialogTask: Sendable {
    public var name: TaskName
    public var intent: IntentSpec
    /// The integration the task's service nodes call through (`salesforce`), if any.
    public var integration: String?
    /// A one-line description, shown in `/tasks` and in help.
    public var description: String?
    /// Tasks that only other tasks start (through a dialog node) are hidden from intent matching.
    public var isSubdialog: Bool
    public var nodes: [Node]
    public var location: SourceLocation

    public init(
        name: TaskName, intent: IntentSpec, integration: String? = nil, description: String? = nil,
        isSubdialog: Bool = false, nodes: [Node], location: SourceLocation
    ) {
        self.name = name
        self.intent = intent
        self.integration = integration
        self.description = description
        self.isSubdialog = isSubdialog
        self.nodes = nodes
        self.location = location
    }

    /// The node with this id.
    public func node(_ id: NodeID) -> Node? {
        nodes.first { $0.id == id }
    }

    /// The index of the node with this id.
    public func index(of id: NodeID) -> Int? {
        nodes.firstIndex { $0.id == id }
    }

    /// Whether the task destroys data, so that it never starts from a request it only resembles:
    /// as the intent says, or else when a service node sends DELETE.
    public var isDestructive: Bool {
        intent.destructive
            ?? nodes.contains { node in
                if case .service(let spec) = node.kind { spec.method == "DELETE" } else { false }
            }
    }
}

/// The root of a task: its name and the utterances that train intent matching.
public struct IntentSpec: Sendable, Hashable {
    public var name: String
    /// Training utterances; `{entity}` marks where an entity's value usually stands.
    public var utterances: [String]
    /// Words people use for the intent's words (`delete: [remove, get rid of]`), shared by the
    /// whole bot's understanding.
    public var synonyms: [String: [String]]
    /// Whether the task destroys data; `nil` lets the task decide from its service nodes.
    public var destructive: Bool?

    public init(name: String, utterances: [String], synonyms: [String: [String]] = [:], destructive: Bool? = nil) {
        self.name = name
        self.utterances = utterances
        self.synonyms = synonyms
        self.destructive = destructive
    }
}
