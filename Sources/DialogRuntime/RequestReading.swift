public import DialogModel
public import Foundation
public import ParleyJSON
public import Understanding

/// What the bot makes of a request when no task is running: the task it starts (or the question it
/// asks instead), and the entity values that task starts with.
public struct RequestReading: Sendable {
    public var match: IntentMatch
    /// The task that starts, when one does.
    public var task: TaskName?
    public var entities: [String: JSONValue]
}

extension PreparedBot {
    /// The tokens intent classification reads in a request.
    public func tokens(_ request: String) -> [String] {
        compiled.classifier.tokens(request)
    }

    /// Every intent's probability for a request, best first, for traces: the model's, before the classifier's rules.
    public func probabilities(_ request: String) -> [(name: String, probability: Double)] {
        compiled.classifier.probabilities(request)
    }

    /// Reads a request as the first thing a user says, without running anything.
    public func read(_ request: String, now: Date, timeZone: TimeZone) -> RequestReading {
        // A greeting, thanks or goodbye is answered as such before any task is looked for, as a turn does.
        if SmallTalk.read(request) != nil {
            return RequestReading(match: .none, task: nil, entities: [:])
        }
        switch compiled.detectorWithoutTask.classify(request) {
        case .cancel, .help:
            return RequestReading(match: .none, task: nil, entities: [:])
        default:
            break
        }
        let match = compiled.classifier.classify(request)
        guard case .matched(let intent, _) = match, let task = compiled.task(forIntent: intent) else {
            return RequestReading(match: match, task: nil, entities: [:])
        }
        let calendar = RecognitionCalendar(now: now, timeZone: timeZone)
        let entities = compiled.extractor(for: task, calendar: calendar)?.extract(from: request) ?? [:]
        return RequestReading(match: match, task: task.name, entities: entities)
    }
}
