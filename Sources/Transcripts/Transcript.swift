public import DialogRuntime
public import Foundation
public import ParleyJSON

/// A conversation written down as a test: what users say, what the bot must answer, and the world around it.
///
/// Transcripts are plain text (`*.chat`); ``TranscriptParser`` reads them and ``TranscriptRunner`` replays them.
/// The format is described in `docs/transcripts.md`.
public struct Transcript: Sendable {
    /// The file as it was named (relative paths stay relative, so reports stay short).
    public var path: String
    /// The `# Title:` line, or the file's name without extension.
    public var title: String
    /// Settings that hold for the whole file.
    public var settings: TranscriptSettings
    /// Everything that happens, in file order.
    public var steps: [TranscriptStep]

    public init(path: String, title: String, settings: TranscriptSettings = TranscriptSettings(), steps: [TranscriptStep]) {
        self.path = path
        self.title = title
        self.settings = settings
        self.steps = steps
    }

    /// How many times a user speaks, the figure throughput is measured in.
    public var userTurnCount: Int {
        steps.count { if case .say = $0.action { true } else { false } }
    }
}

/// What holds for a whole transcript, whichever line sets it.
public struct TranscriptSettings: Sendable, Hashable {
    /// The bot's folder from `@bot`, resolved against the transcript's folder; `nil` means the runner's default.
    public var botFolder: String?
    /// Values for the bot's `env:` variables, from `@env name=value`.
    public var variables: [String: JSONValue] = [:]
    /// The time zone dates are read and written in, from `@timezone`; UTC unless set.
    public var timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current
    /// Whether the sandbox starts with its demo records (`@salesforce data=demo`) or empty (the default),
    /// so a transcript sees only the records it seeds and creates.
    public var salesforceDemoData = false

    public init(botFolder: String? = nil, variables: [String: JSONValue] = [:]) {
        self.botFolder = botFolder
        self.variables = variables
    }
}

/// One line (or one multi-line bot message) of a transcript, with where it is.
public struct TranscriptStep: Sendable {
    /// The 1-based line the step starts on.
    public var line: Int
    public var action: TranscriptAction

    public init(line: Int, action: TranscriptAction) {
        self.line = line
        self.action = action
    }
}

/// What a transcript line does.
public enum TranscriptAction: Sendable {
    /// `> text`: the current user says this (`{{name}}` is replaced by a captured value).
    case say(String)
    /// `< text`, `<~ regex`, `<? a | b`: the next message of the bot's answer.
    case expect(MessageExpectation)
    /// `@greeting`: the bot greets the current user; `<` lines that follow match the greeting.
    case greeting
    /// `@user NAME`: who speaks from here on; each user has their own conversation.
    case user(UserID)
    /// `@reset`: the current user's conversation starts over.
    case reset
    /// `@clock 2026-03-02T09:00:00Z` sets the time; `@clock +15m` moves it on.
    case clock(ClockChange)
    /// `@http METHOD URL -> STATUS BODY`: answers service calls to this URL without a network.
    case http(HTTPStub)
    /// `@salesforce authorization=user app=system`: how the Salesforce action is configured.
    case salesforce(authorization: String?, app: String?)
    /// `@salesforce outage=on|off`: Salesforce answers every REST call with 503 while on.
    case salesforceOutage(Bool)
    /// `@salesforce tokens=revoked|expired`: what happens to the current user's token (pre-authorized: the bot's)
    /// at Salesforce.
    case salesforceTokens(SalesforceTokenChange)
    /// `@browser allow|deny|expire|reuse`: the user acts on the last authorization link the bot sent.
    case browser(BrowserAction)
    /// `@browser as admin@parley.dev`: who the browser signs in to the sandbox as from here on (by default
    /// `demo@parley.dev`), such as a second person who opened someone else's link.
    case browserAccount(String)
    /// `@expect context.PATH == JSON`: a value in the current user's context.
    case expectContext(path: String, value: String)
    /// `@expect salesforce TYPE Field=value ...`: a record with these fields exists in the sandbox;
    /// `@expect no salesforce TYPE ...`: none does.
    case expectRecord(type: String, fields: [FieldValue], exists: Bool)
    /// `@seed salesforce TYPE Field=value ... [as NAME]`: adds a record to the sandbox before the next turn.
    case seedRecord(type: String, fields: [FieldValue], capture: String?)
}

/// How `@clock` changes the transcript's time.
public enum ClockChange: Sendable, Hashable {
    case set(Date)
    case advance(TimeInterval)
}

/// What happens at Salesforce to a token Parley holds.
public enum SalesforceTokenChange: String, Sendable, Hashable, CaseIterable {
    /// Its refresh token is revoked (someone removed the app's access in Salesforce): no refresh brings it back.
    case revoked
    /// Every access token the sandbox issued expires: the next call refreshes.
    case expired
    /// The user signs out, as `/signout` in a chat does: the token is revoked at Salesforce and deleted.
    case signedOut = "signed-out"
}

/// What the user does with an authorization link in their browser.
public enum BrowserAction: String, Sendable, Hashable, CaseIterable {
    /// Signs in as the sandbox's demo user and allows access; the paused task resumes.
    case allow
    /// Signs in and denies access; nothing resumes.
    case deny
    /// Signs in and allows, but comes back to the callback only after the link expired; nothing is connected.
    case expire
    /// Comes back to the last callback again (the browser's history), after the link was used.
    case reuse
}

/// `Field=value` in a Salesforce directive; the value may hold `{{name}}` and `{{*}}` patterns.
public struct FieldValue: Sendable, Hashable {
    public var field: String
    public var value: String

    public init(_ field: String, _ value: String) {
        self.field = field
        self.value = value
    }
}

/// A canned answer to a service call, from `@http`.
public struct HTTPStub: Sendable {
    public var method: String
    /// The URL the request must have; `{{*}}` matches any run of characters.
    public var url: MessagePattern
    public var status: Int
    public var body: String

    public init(method: String, url: MessagePattern, status: Int, body: String) {
        self.method = method
        self.url = url
        self.status = status
        self.body = body
    }
}
