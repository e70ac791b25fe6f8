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
