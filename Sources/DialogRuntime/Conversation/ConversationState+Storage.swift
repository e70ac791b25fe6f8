import DialogModel
import ParleyJSON

extension ConversationState {
    /// The state as the JSON its `Codable` conformance reads, made straight from its values.
    ///
    /// A conversation is written after every turn, and Foundation's generic encoder took longer over the context and
    /// history than the rest of storing it. `JSONDecoder` reads this back as it reads what `JSONEncoder` writes (the
    /// same keys and shapes, `nil` members left out); non-finite numbers, which `JSONEncoder` refuses, become `null`.
    /// The keys are not sorted: nothing compares the stored text, and sorting every object's keys took about a third of
    /// the time writing it took.
    public func storedJSON() -> String {
        jsonValue.unorderedJSONText()
    }

    var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "stack": .array(stack.map(\.jsonValue)),
            "held": .array(held.map { .array($0.map(\.jsonValue)) }),
            "session": session,
            "history": .array(history),
        ]
        if let question { object["question"] = question.jsonValue }
        if let lastIntent { object["lastIntent"] = .string(lastIntent) }
        return .object(object)
    }
}

extension TaskFrame {
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "task": .string(task.rawValue), "context": context, "retries": .number(Double(retries)),
        ]
        if let node { object["node"] = .string(node.rawValue) }
        if let waiting { object["waiting"] = waiting.jsonValue }
        if let authorizationFailures { object["authorizationFailures"] = .number(Double(authorizationFailures)) }
        return .object(object)
    }
}

extension Waiting {
    /// As Swift's synthesized coding writes an enum case: its name, holding its unlabeled values as `_0`.
    var jsonValue: JSONValue {
        switch self {
        case .entity:
            ["entity": .object([:])]
        case .confirmation:
            ["confirmation": .object([:])]
        case .listChoice(let values):
            ["listChoice": ["_0": .array(values.map(JSONValue.string))]]
        case .authorization(let request):
            [
                "authorization": [
                    "_0": [
                        "integration": .string(request.integration), "url": .string(request.url),
                        "awaitingCode": .bool(request.awaitingCode),
                    ]
                ]
            ]
        }
    }
}

extension ConversationQuestion {
    var jsonValue: JSONValue {
        switch self {
        case .whichTask(let candidates, let utterance):
            ["whichTask": ["candidates": .array(candidates.map(JSONValue.string)), "utterance": .string(utterance)]]
        case .holdOrDiscard(let newTask, let utterance):
            ["holdOrDiscard": ["newTask": .string(newTask.rawValue), "utterance": .string(utterance)]]
        }
    }
}

// MARK: - Reading it back

extension ConversationState {
    /// The state stored as ``storedJSON()`` (or by `JSONEncoder`, as before), read without the generic decoder.
    ///
    /// A server loads a conversation at every turn. `JSONDecoder` read the context and history, which are free-form
    /// JSON, by trying each kind of value in turn and building an error, coding path and all, for each kind a value
    /// was not: loading took a quarter of a server's processor time. This reads the text with Parley's own parser and
    /// takes the members it expects, as the synthesized `Codable` conformance would: the same keys, `null` or absent
    /// for what is optional, and the enums' cases as their names holding their values.
    ///
    /// - Throws: `StoredStateError` naming the member that is missing or of the wrong kind, or
    ///   `JSONValue.ParseError` when the text is not JSON.
    public init(storedJSON text: String) throws {
        let reader = try StoredMembers(JSONValue(parsing: text), at: "")
        self.init()
        stack = try reader.array("stack").map(TaskFrame.init(stored:))
        held = try reader.array("held").map { try $0.array().map(TaskFrame.init(stored:)) }
        question = try reader.optional("question").map(ConversationQuestion.init(stored:))
        session = try reader.value("session")
        history = try reader.array("history").map(\.value)
        lastIntent = try reader.optional("lastIntent")?.string()
    }
}

extension TaskFrame {
    fileprivate init(stored: StoredMember) throws {
        let reader = try stored.members()
        self.init(task: TaskName(try reader.string("task")), context: try reader.value("context"))
        node = try reader.optional("node").map { NodeID(try $0.string()) }
        waiting = try reader.optional("waiting").map(Waiting.init(stored:))
        retries = try reader.integer("retries")
        authorizationFailures = try reader.optional("authorizationFailures")?.integer()
    }
}

extension Waiting {
    fileprivate init(stored: StoredMember) throws {
        let (name, values) = try stored.enumCase()
        switch name {
        case "entity": self = .entity
        case "confirmation": self = .confirmation
        case "listChoice": self = .listChoice(try values.array("_0").map { try $0.string() })
        case "authorization":
            let request = try values.members("_0")
            self = .authorization(
                AuthorizationRequest(
                    integration: try request.string("integration"), url: try request.string("url"),
                    // Conversations stored before codes existed have none.
                    awaitingCode: try request.optional("awaitingCode")?.bool() ?? false))
        default: throw StoredStateError(member: stored.path, reason: "\"\(name)\" is not something a task waits for")
        }
    }
}

extension ConversationQuestion {
    fileprivate init(stored: StoredMember) throws {
        let (name, values) = try stored.enumCase()
        switch name {
        case "whichTask":
            self = .whichTask(
                candidates: try values.array("candidates").map { try $0.string() }, utterance: try values.string("utterance"))
        case "holdOrDiscard":
            self = .holdOrDiscard(newTask: TaskName(try values.string("newTask")), utterance: try values.string("utterance"))
        default: throw StoredStateError(member: stored.path, reason: "\"\(name)\" is not a question about the conversation")
        }
    }
}

/// A stored conversation that is JSON but not a conversation: which member, and what is wrong with it.
public struct StoredStateError: Error, CustomStringConvertible, Sendable {
    /// Where the member is, as `stack[0].waiting`.
    public let member: String
    public let reason: String
    public var description: String { "\(member.isEmpty ? "the state" : member): \(reason)" }
}

/// A value of a stored conversation and where it is, for errors that say which member is wrong.
private struct StoredMember {
    let value: JSONValue
    let path: String

    func string() throws -> String {
        guard case .string(let text) = value else { throw wrongKind("text") }
        return text
    }

    func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw wrongKind("true or false") }
        return flag
    }

    /// A whole number, as `JSONDecoder` reads an `Int`: a number with no fraction, within `Int`'s range.
    func integer() throws -> Int {
        guard case .number(let number) = value, let whole = Int(exactly: number) else { throw wrongKind("a whole number") }
        return whole
    }

    func array() throws -> [StoredMember] {
        guard case .array(let elements) = value else { throw wrongKind("a list") }
        return elements.enumerated().map { StoredMember(value: $1, path: "\(path)[\($0)]") }
    }

    func members() throws -> StoredMembers {
        try StoredMembers(value, at: path)
    }

    /// An enum case as synthesized coding writes it: an object with one member, the case's name, holding an object
    /// of its values.
    func enumCase() throws -> (name: String, values: StoredMembers) {
        guard case .object(let members) = value, members.count == 1, let only = members.first else {
            throw wrongKind("an object with one member")
        }
        return (only.key, try StoredMembers(only.value, at: "\(path).\(only.key)"))
    }

    private func wrongKind(_ expected: String) -> StoredStateError {
        StoredStateError(member: path, reason: "should be \(expected)")
    }
}

/// The members of a stored object.
private struct StoredMembers {
    let members: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, at path: String) throws {
        guard case .object(let members) = value else {
            throw StoredStateError(member: path, reason: "should be an object")
        }
        self.members = members
        self.path = path
    }

    /// A member that must be there (`null` counts as there, for the free-form ones).
    func required(_ key: String) throws -> StoredMember {
        guard let value = members[key] else { throw StoredStateError(member: name(key), reason: "is missing") }
        return StoredMember(value: value, path: name(key))
    }

    /// A member that may be absent or `null`.
    func optional(_ key: String) -> StoredMember? {
        guard let value = members[key], value != .null else { return nil }
        return StoredMember(value: value, path: name(key))
    }

    func value(_ key: String) throws -> JSONValue { try required(key).value }
    func string(_ key: String) throws -> String { try required(key).string() }
    func integer(_ key: String) throws -> Int { try required(key).integer() }
    func array(_ key: String) throws -> [StoredMember] { try required(key).array() }
    func members(_ key: String) throws -> StoredMembers { try required(key).members() }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
