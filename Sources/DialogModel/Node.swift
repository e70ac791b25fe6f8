public import ParleyJSON

/// One step of a dialog task.
public struct Node: Sendable {
    /// Unique within the task; transitions and placeholders refer to it.
    public var id: NodeID
    public var kind: NodeKind
    /// Evaluated in order after the node runs; the first whose condition holds is taken.
    /// When empty, the task goes on to the next node in the file (after the last node: end).
    public var transitions: [Transition]
    public var location: SourceLocation

    public init(id: NodeID, kind: NodeKind, transitions: [Transition] = [], location: SourceLocation) {
        self.id = id
        self.kind = kind
        self.transitions = transitions
        self.location = location
    }
}

/// What a node does.
public enum NodeKind: Sendable {
    case entity(EntitySpec)
    case message(MessageSpec)
    case script(ScriptSpec)
    case service(ServiceSpec)
    case confirmation(ConfirmationSpec)
    case logic(LogicSpec)
    case dialog(DialogCallSpec)
    case end(EndSpec)

    /// The node type's name as written in dialog files.
    public var typeName: String {
        switch self {
        case .entity: "entity"
        case .message: "message"
        case .script: "script"
        case .service: "service"
        case .confirmation: "confirmation"
        case .logic: "logic"
        case .dialog: "dialog"
        case .end: "end"
        }
    }
}

/// Where a transition goes.
public enum TransitionTarget: Sendable, Hashable, CustomStringConvertible {
    case node(NodeID)
    /// End of the task.
    case end

    public var description: String {
        switch self {
        case .node(let id): id.rawValue
        case .end: "end"
        }
    }
}

/// `{ if: <condition>, then: <target> }` or `{ else: <target> }`.
public struct Transition: Sendable {
    public enum Condition: Sendable {
        /// A JavaScript expression over `context`.
        case script(Script)
        /// The fallback (`else`).
        case always
    }

    public var condition: Condition
    public var target: TransitionTarget
    public var location: SourceLocation

    public init(condition: Condition, target: TransitionTarget, location: SourceLocation) {
        self.condition = condition
        self.target = target
        self.location = location
    }
}

/// JavaScript source from a dialog file, with where it was written.
public struct Script: Sendable, Hashable {
    public var source: String
    public var location: SourceLocation

    public init(_ source: String, at location: SourceLocation) {
        self.source = source
        self.location = location
    }
}

/// Text with `{{...}}` placeholders, with where it was written.
public struct Template: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation

    public init(_ text: String, at location: SourceLocation) {
        self.text = text
        self.location = location
    }
}

// MARK: - Entity

/// An entity node: asks for a value, recognizes it and stores it at `context.entities.<name>`.
public struct EntitySpec: Sendable {
    public enum Presence: String, Sendable, Hashable {
        /// Asked for until a valid value comes, up to `retries` times.
        case mandatory
        /// Asked for once; an invalid or empty answer leaves the default.
        case optional
        /// Never asked for; filled from earlier utterances or the default only.
        case hidden
    }

    /// The key under `context.entities`; defaults to the node id.
    public var name: String
    public var type: EntityType
    /// Said when asking; several are picked from at random.
    public var prompts: [Template]
    /// Said after an invalid answer, in order of retries (the last one repeats).
    public var errorPrompts: [Template]
    /// Said when the user asks for help at this prompt.
    public var help: Template?
    public var presence: Presence
    /// How many invalid answers are allowed before `onRetriesExceeded` (default 5).
    public var retries: Int
    /// Where the task goes after too many invalid answers (default: end the task).
    public var onRetriesExceeded: TransitionTarget
    public var defaultValue: JSONValue?
    public var rules: EntityRules
    /// Whether the value may come from the utterance that started the task or an earlier answer.
    public var extractFromUtterance: Bool
    /// Values of sensitive entities are masked in traces, history and recordings.
    public var isSensitive: Bool
    /// What happens when the user asks for another task while this entity is being asked for.
    public var interruptions: InterruptionBehavior
    /// Values people give for it ("Jane Doe", "Tom Becker at Initech"): they stand in its `{slot}`
    /// when the bot learns its utterances, and are never shown.
    public var examples: [String]

    public init(
        name: String, type: EntityType, prompts: [Template], errorPrompts: [Template] = [],
        help: Template? = nil, presence: Presence = .mandatory, retries: Int = 5,
        onRetriesExceeded: TransitionTarget = .end, defaultValue: JSONValue? = nil,
        rules: EntityRules = EntityRules(), extractFromUtterance: Bool = true, isSensitive: Bool = false,
        interruptions: InterruptionBehavior = .ask, examples: [String] = []
    ) {
        self.name = name
        self.type = type
        self.prompts = prompts
        self.errorPrompts = errorPrompts
        self.help = help
        self.presence = presence
        self.retries = retries
        self.onRetriesExceeded = onRetriesExceeded
        self.defaultValue = defaultValue
        self.rules = rules
        self.extractFromUtterance = extractFromUtterance
        self.isSensitive = isSensitive
        self.interruptions = interruptions
        self.examples = examples
    }
}

/// What a waiting node does when the user asks for another task instead of answering.
public enum InterruptionBehavior: String, Sendable, Hashable, CaseIterable {
    /// Ask whether to put the current task on hold or discard it (the default).
    case ask
    /// Put the current task on hold, start the new one, and come back afterwards.
    case hold
    /// Drop the current task without a word and start the new one: for questions that are only
    /// an offer, such as "say more for the next page".
    case discard
}

/// The kinds of value an entity node recognizes.
public enum EntityType: Sendable, Hashable {
    case string
    /// A person's name, or the part of it the entity holds.
    case personName(NamePart)
    /// A company or organization name: "Acme", "Blue Harbor Foods".
    case company
    /// A job title: "CTO", "VP of Sales", "procurement manager".
    case jobTitle
    /// Which record the user means, in their words: an id, an email, a person ("Jane Doe at
    /// Acme"), a company or a deal's name ("Initech Expansion").
    case reference
    case number
    /// An amount of money: "$50k", "50,000 USD".
    case amount
    case percentage
    /// A calendar date, ISO or natural ("tomorrow", "next Friday", "Dec 31").
    case date
    case email
    case phone
    case url
    case yesNo
    case list(ListSpec)
    /// A custom type: the whole answer (or the first match in it) must match the pattern.
    case regex(pattern: String)
    /// A Salesforce record id (15 or 18 characters), optionally of one object's key prefix.
    case salesforceID(keyPrefix: String?)
    /// Changes to a record's fields, several at once: "status to Working and title to CTO".
    case changes(ChangesSpec)

    /// The type's name as written in dialog files.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .personName: "personName"
        case .company: "company"
        case .jobTitle: "jobTitle"
        case .reference: "reference"
        case .number: "number"
        case .amount: "amount"
        case .percentage: "percentage"
        case .date: "date"
        case .email: "email"
        case .phone: "phone"
        case .url: "url"
        case .yesNo: "yesNo"
        case .list: "list"
        case .regex: "regex"
        case .salesforceID: "salesforceId"
        case .changes: "changes"
        }
    }

    /// Every type name a dialog file may use.
    public static let typeNames = [
        "string", "personName", "company", "jobTitle", "reference", "number", "amount", "percentage", "date", "email", "phone",
        "url", "yesNo", "list", "regex", "salesforceId", "changes",
    ]
}

/// Which part of a person's name a `personName` entity holds.
public enum NamePart: String, Sendable, Hashable, CaseIterable {
    /// The whole name: "Jane Doe".
    case full
    /// The given name: "Jane" of "Jane Doe".
    case first
    /// The family name: "Doe" of "Jane Doe", "Ann Lee" of "Mary Ann Lee".
    case last
}

/// The fields a `changes` entity recognizes, each with the words that name it and its type.
public struct ChangesSpec: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        /// The key the value is stored under, such as Salesforce's `Status`.
        public var name: String
        /// How people name the field: "status", "job title".
        public var words: [String]
        /// The type of its value; never `changes`.
        public var type: EntityType

        public init(name: String, words: [String], type: EntityType) {
            self.name = name
            self.words = words
            self.type = type
        }
    }

    public var fields: [Field]

    public init(fields: [Field]) {
        self.fields = fields
    }
}

/// The values of a list-of-items entity.
public struct ListSpec: Sendable, Hashable {
    /// The values; empty when they come from the context (`valuesFrom`) until the node asks.
    public var items: [ListItem]
    /// A context path holding the values at the time the node asks ("List from Context"): an
    /// array of texts or of `{ value, display, synonyms }`. Such values are offered numbered.
    public var valuesFrom: String?
    /// Whether several values may be given at once ("Web and Phone Inquiry").
    public var allowsMultiple: Bool
    /// Whether the prompt lists the values.
    public var showsValues: Bool

    public init(items: [ListItem], valuesFrom: String? = nil, allowsMultiple: Bool = false, showsValues: Bool = true) {
        self.items = items
        self.valuesFrom = valuesFrom
        self.allowsMultiple = allowsMultiple
        self.showsValues = showsValues
    }
}

/// One value of a list-of-items entity.
public struct ListItem: Sendable, Hashable {
    /// What is stored in the context.
    public var value: String
    /// What the user is shown; defaults to the value.
    public var display: String
    /// Other words for the value.
    public var synonyms: [String]

    public init(value: String, display: String? = nil, synonyms: [String] = []) {
        self.value = value
        self.display = display ?? value
        self.synonyms = synonyms
    }
}

/// Validation rules on an entity's value.
public struct EntityRules: Sendable, Hashable {
    public var minLength: Int?
    public var maxLength: Int?
    public var minimum: Double?
    public var maximum: Double?
    /// A regular expression the value (as text) must match.
    public var pattern: String?

    public init(
        minLength: Int? = nil, maxLength: Int? = nil, minimum: Double? = nil, maximum: Double? = nil,
        pattern: String? = nil
    ) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
        self.pattern = pattern
    }
}

// MARK: - Message, script, logic

/// A message node: text with placeholders, or a script that calls `print()`.
public struct MessageSpec: Sendable {
    public enum Content: Sendable {
        /// One of these, picked at random.
        case text([Template])
        case script(Script)
    }

    public var content: Content

    public init(content: Content) {
        self.content = content
    }
}

/// A script node: JavaScript that reads and changes `context`.
public struct ScriptSpec: Sendable {
    public var script: Script

    public init(script: Script) {
        self.script = script
    }
}

/// A logic node: sets and removes context values, then branches on its transitions.
public struct LogicSpec: Sendable {
    public struct Assignment: Sendable {
        /// A context path such as `context.session.BotUserSession.lastLead`.
        public var path: String
        /// A literal; strings in it are templates.
        public var value: JSONValue
        public var location: SourceLocation

        public init(path: String, value: JSONValue, location: SourceLocation) {
            self.path = path
            self.value = value
            self.location = location
        }
    }

    public var assignments: [Assignment]
    /// Context paths to remove.
    public var removals: [String]

    public init(assignments: [Assignment], removals: [String] = []) {
        self.assignments = assignments
        self.removals = removals
    }
}

// MARK: - Service

/// A service node: an HTTP request whose response lands at `context.<nodeId>.response`.
public struct ServiceSpec: Sendable {
    public enum Body: Sendable {
        /// Sent as `application/json`; strings in it are templates.
        case json(JSONValue)
        /// Sent as `application/x-www-form-urlencoded`.
        case form([(name: String, value: Template)])
        /// Sent as given, with the content type from the headers (default `text/plain`).
        case text(Template)
    }

    public var method: String
    public var url: Template
    public var headers: [(name: String, value: Template)]
    public var body: Body?
    /// Seconds, from 1 to 20 (default 5).
    public var timeout: Double
    /// The integration whose authorizer signs the request; defaults to the task's.
    public var integration: String?
    /// Where the task goes when the request times out or cannot connect. Without it the task
    /// ends with the standard response.
    public var onError: TransitionTarget?

    public init(
        method: String, url: Template, headers: [(name: String, value: Template)] = [], body: Body? = nil,
        timeout: Double = 5, integration: String? = nil, onError: TransitionTarget? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.integration = integration
        self.onError = onError
    }

    public static let defaultTimeout: Double = 5
    public static let maximumTimeout: Double = 20
}

// MARK: - Confirmation, dialog, end

/// A confirmation node: asks a yes/no question and stores the answer at `context.entities.<name>`.
public struct ConfirmationSpec: Sendable {
    /// The key under `context.entities`; defaults to the node id.
    public var name: String
    public var prompts: [Template]
    public var errorPrompts: [Template]
    /// Extra words for yes and no on this node.
    public var yesSynonyms: [String]
    public var noSynonyms: [String]
    /// How the two answers are offered, yes first: `["more", "stop"]`; they count as yes and no.
    public var choices: [String]
    public var retries: Int
    /// Taken on yes / no when given; otherwise the node's transitions decide.
    public var onYes: TransitionTarget?
    public var onNo: TransitionTarget?
    /// What happens when the user asks for another task instead of answering.
    public var interruptions: InterruptionBehavior

    public init(
        name: String, prompts: [Template], errorPrompts: [Template] = [], yesSynonyms: [String] = [],
        noSynonyms: [String] = [], choices: [String] = ["yes", "no"], retries: Int = 5, onYes: TransitionTarget? = nil,
        onNo: TransitionTarget? = nil, interruptions: InterruptionBehavior = .ask
    ) {
        self.name = name
        self.prompts = prompts
        self.errorPrompts = errorPrompts
        self.yesSynonyms = yesSynonyms
        self.noSynonyms = noSynonyms
        self.choices = choices
        self.retries = retries
        self.onYes = onYes
        self.onNo = onNo
        self.interruptions = interruptions
    }
}

/// A dialog node: runs another task, then (by default) comes back.
public struct DialogCallSpec: Sendable {
    public var task: TaskName
    /// Whether to come back to this task when the other one ends (otherwise this one ends first).
    public var returnsAfter: Bool
    /// Entities of the called task filled before it starts: entity name → template.
    public var preAssignments: [(entity: String, value: Template)]
    /// Context paths of this task set when the called task ends: path → template over the
    /// called task's context.
    public var postAssignments: [(path: String, value: Template)]

    public init(
        task: TaskName, returnsAfter: Bool = true, preAssignments: [(entity: String, value: Template)] = [],
        postAssignments: [(path: String, value: Template)] = []
    ) {
        self.task = task
        self.returnsAfter = returnsAfter
        self.preAssignments = preAssignments
        self.postAssignments = postAssignments
    }
}

/// An end node: ends the task, optionally with a last message.
public struct EndSpec: Sendable {
    public var message: Template?

    public init(message: Template? = nil) {
        self.message = message
    }
}
