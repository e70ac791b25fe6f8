import DialogModel
import Foundation
import ParleyJSON
import Understanding

/// A bot prepared for fast turns: tasks by name, the intent classifier, and each task's entity
/// specs, interruption detector and entity extractor, built once rather than on every turn.
struct CompiledBot: Sendable {
    /// Each task by name.
    private let tasksByName: [TaskName: DialogTask]
    /// Each task's nodes with their positions, so finding a node or "the next node" is one lookup that copies
    /// two references rather than the whole task.
    private let nodesByTask: [TaskName: TaskNodes]
    /// Tasks a user can start, by intent name (what the user sees) and by task name.
    let taskNamesByIntent: [String: TaskName]
    let classifier: IntentClassifier
    /// The `env` variable of scripts and templates: the bot's variables with the host's overrides.
    let variables: JSONValue
    /// Each task's entity nodes, in file order.
    private let entitySpecsByTask: [TaskName: [EntitySpec]]
    /// The names of each task's entities marked sensitive, which every turn masks.
    private let sensitiveEntitiesByTask: [TaskName: [String]]
    /// Each task's detector, which knows its entities' names for corrections.
    private let detectorsByTask: [TaskName: InterruptionDetector]
    /// The detector outside any task: cancel and help only.
    let detectorWithoutTask = InterruptionDetector(entities: [])
    /// Extractors of the tasks that have entities to extract, read against a placeholder moment
    /// until a turn supplies its own (``extractor(for:calendar:)``).
    private let extractorsByTask: [TaskName: EntityExtractor]

    init(_ bot: Bot, overrides: [String: JSONValue] = [:], models: (any SavedModels)? = nil) {
        self.variables = .object(bot.settings.environment.merging(overrides) { _, override in override })
        var tasksByName: [TaskName: DialogTask] = [:]
        var nodesByTask: [TaskName: TaskNodes] = [:]
        var taskNamesByIntent: [String: TaskName] = [:]
        var entitySpecsByTask: [TaskName: [EntitySpec]] = [:]
        var sensitiveEntitiesByTask: [TaskName: [String]] = [:]
        var detectorsByTask: [TaskName: InterruptionDetector] = [:]
        var extractorsByTask: [TaskName: EntityExtractor] = [:]
        let placeholderCalendar = RecognitionCalendar(now: Date(timeIntervalSince1970: 0), timeZone: .gmt)
        for task in bot.tasks {
            var indexes: [NodeID: Int] = [:]
            for (index, node) in task.nodes.enumerated() where indexes[node.id] == nil {
                indexes[node.id] = index
            }
            tasksByName[task.name] = task
            nodesByTask[task.name] = TaskNodes(nodes: task.nodes, indexes: indexes)
            if !task.isSubdialog { taskNamesByIntent[task.intent.name] = task.name }
            // As in `tasksByName`, a later task of the same name replaces an earlier one.
            let specs = Turn.entitySpecs(of: task)
            entitySpecsByTask[task.name] = specs
            sensitiveEntitiesByTask[task.name] = specs.filter(\.isSensitive).map(\.name)
            detectorsByTask[task.name] = InterruptionDetector(entities: specs.map { InterruptionDetector.Entity(name: $0.name) })
            let extractable = specs.filter(\.extractFromUtterance)
            extractorsByTask[task.name] =
                extractable.isEmpty
                ? nil
                : EntityExtractor(
                    intent: task.intent, entities: extractable, calendar: placeholderCalendar, synonyms: bot.settings.synonyms)
        }
        self.tasksByName = tasksByName
        self.nodesByTask = nodesByTask
        self.taskNamesByIntent = taskNamesByIntent
        self.entitySpecsByTask = entitySpecsByTask
        self.sensitiveEntitiesByTask = sensitiveEntitiesByTask
        self.detectorsByTask = detectorsByTask
        self.extractorsByTask = extractorsByTask
        let intents = bot.tasks.filter { !$0.isSubdialog }.map { task in
            let slots = Dictionary(
                entitySpecsByTask[task.name, default: []].map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            return IntentClassifier.Intent(task.intent, slots: slots, isDestructive: task.isDestructive)
        }
        self.classifier = Self.classifier(of: intents, synonyms: bot.settings.synonyms, models: models)
    }

    /// The classifier read back from `models` when they hold one trained on these intents, else trained now
    /// (and saved there for the next load).
    private static func classifier(
        of intents: [IntentClassifier.Intent], synonyms: [String: [String]], models: (any SavedModels)?
    ) -> IntentClassifier {
        guard let models else { return IntentClassifier(intents: intents, synonyms: synonyms) }
        return IntentClassifier.readingSaved(
            intents: intents, synonyms: synonyms, saved: { models.model(named: $0) }, save: { models.save($0, named: $1) })
    }

    func task(_ name: TaskName) -> DialogTask? { tasksByName[name] }

    /// The task an intent name starts.
    func task(forIntent intentName: String) -> DialogTask? {
        taskNamesByIntent[intentName].flatMap { tasksByName[$0] }
    }

    func node(_ id: NodeID, in task: TaskName) -> Node? {
        guard let entry = nodesByTask[task], let index = entry.indexes[id] else { return nil }
        return entry.nodes[index]
    }

    /// The node after this one in the file, if any.
    func node(after id: NodeID, in task: TaskName) -> Node? {
        guard let entry = nodesByTask[task], let index = entry.indexes[id], index + 1 < entry.nodes.count
        else { return nil }
        return entry.nodes[index + 1]
    }

    /// The task's entity nodes, in file order.
    func entitySpecs(of task: DialogTask) -> [EntitySpec] {
        entitySpecsByTask[task.name] ?? Turn.entitySpecs(of: task)
    }

    /// The names of the task's entities marked sensitive, in file order.
    func sensitiveEntities(of task: TaskName) -> [String] {
        sensitiveEntitiesByTask[task] ?? []
    }

    /// The interruption detector for a task, or for no task.
    func detector(for task: DialogTask?) -> InterruptionDetector {
        guard let task else { return detectorWithoutTask }
        return detectorsByTask[task.name]
            ?? InterruptionDetector(entities: entitySpecs(of: task).map { InterruptionDetector.Entity(name: $0.name) })
    }

    /// The extractor for a task's entities, reading dates against `calendar`; `nil` when the task
    /// has no entity to extract.
    func extractor(for task: DialogTask, calendar: RecognitionCalendar) -> EntityExtractor? {
        extractorsByTask[task.name]?.reading(against: calendar)
    }
}

/// A task's nodes in file order, with each id's position (the first node of that id).
private struct TaskNodes: Sendable {
    let nodes: [Node]
    let indexes: [NodeID: Int]
}
