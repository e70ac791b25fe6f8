import DialogModel
import Foundation
import ParleyJSON
import Understanding

extension Turn {
    /// Cancel, help, a correction of an earlier value, or nothing special.
    func classifyInterruption(_ utterance: String, in task: DialogTask?) -> Interruption {
        let names = task.map { Turn.entitySpecs(of: $0).map(\.name) } ?? []
        return InterruptionDetector(entities: names.map { InterruptionDetector.Entity(name: $0) }).classify(utterance)
    }

    /// The values an utterance already gives for a task's entities.
    func extractEntities(from utterance: String, for task: DialogTask) -> [String: JSONValue] {
        let specs = Turn.entitySpecs(of: task).filter { $0.extractFromUtterance }
        guard !specs.isEmpty else { return [:] }
        return EntityExtractor(intent: task.intent, entities: specs, calendar: calendar).extract(from: utterance)
    }
}
