import DialogModel
import Foundation
import ParleyJSON
import Understanding

extension Turn {
    /// Cancel, help, a correction of an earlier value, or nothing special.
    func classifyInterruption(_ utterance: String, in task: DialogTask?) -> Interruption {
        compiled.detector(for: task).classify(utterance)
    }

    /// The values an utterance already gives for a task's entities.
    func extractEntities(from utterance: String, for task: DialogTask) -> [String: JSONValue] {
        compiled.extractor(for: task, calendar: calendar)?.extract(from: utterance) ?? [:]
    }
}
