public import DialogModel
public import Foundation
import ParleyJSON
import Understanding

/// How well a bot understands requests it was not trained on: the share of tasks started right,
/// of entity values read right from the first request, and how often a destructive task would
/// have started for a request that did not ask for it.
public struct UnderstandingEvaluation: Sendable {
    /// One example the bot got wrong.
    public struct Miss: Sendable {
        public var example: ParaphraseSet.Example
        public var reading: RequestReading
        /// Expected entity values the reading lacks or has otherwise.
        public var wrongEntities: [String]
    }

    public var examples = 0
    public var tasksRight = 0
    public var entityValues = 0
    public var entityValuesRight = 0
    /// Requests for which a destructive task would start although they asked for something else.
    public var destructiveFalseStarts = 0
    public var misses: [Miss] = []

    public var taskAccuracy: Double { examples == 0 ? 0 : Double(tasksRight) / Double(examples) }
    public var entityAccuracy: Double { entityValues == 0 ? 0 : Double(entityValuesRight) / Double(entityValues) }

    /// Reads every example as a first request, at `now`.
    public init(bot prepared: PreparedBot, examples set: ParaphraseSet, now: Date, timeZone: TimeZone) {
        let destructive = Set(prepared.bot.tasks.filter(\.isDestructive).map(\.name))
        for example in set.examples {
            let reading = prepared.read(example.text, now: now, timeZone: timeZone)
            examples += 1
            let taskRight = reading.task == example.task && (example.task != nil || reading.match == .none)
            if taskRight { tasksRight += 1 }
            if let started = reading.task, destructive.contains(started), started != example.task { destructiveFalseStarts += 1 }
            var wrong: [String] = []
            for (name, expected) in example.entities.sorted(by: { $0.key < $1.key }) {
                entityValues += 1
                if taskRight, let actual = reading.entities[name], Self.same(actual, expected) {
                    entityValuesRight += 1
                } else {
                    wrong.append(name)
                }
            }
            if !taskRight || !wrong.isEmpty {
                misses.append(Miss(example: example, reading: reading, wrongEntities: wrong))
            }
        }
    }

    /// Whether a value read equals the one written down: text without regard to case and spacing,
    /// phone numbers by their digits, amounts by their number, field changes field by field.
    static func same(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        switch (actual, expected) {
        case (.object(let fields), .object(let wanted)):
            if let amount = fields["amount"], wanted["amount"] == nil, fields.count == 2 { return same(amount, expected) }
            return fields.count == wanted.count && wanted.allSatisfy { name, value in fields[name].map { same($0, value) } ?? false }
        case (.object(let fields), _):
            return fields["amount"].map { same($0, expected) } ?? false
        case (.number(let left), .number(let right)):
            return abs(left - right) < 0.005
        case (.string(let left), .number):
            return Double(left).map { same(.number($0), expected) } ?? false
        case (.array(let elements), _) where elements.count == 1:
            return same(elements[0], expected)
        default:
            return normalized(actual.displayText) == normalized(expected.displayText)
        }
    }

    private static func normalized(_ text: String) -> String {
        let digits = text.filter(\.isNumber)
        if digits.count >= 7, text.allSatisfy({ $0.isNumber || " +-().".contains($0) }) { return digits }
        return text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
