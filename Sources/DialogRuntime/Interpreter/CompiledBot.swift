import DialogModel
import ParleyJSON
import Understanding

/// A bot prepared for fast turns: tasks by name and the intent matcher, built once.
struct CompiledBot: Sendable {
    let tasksByName: [String: DialogTask]
    /// Tasks a user can start, by intent name (what the user sees) and by task name.
    let taskNamesByIntent: [String: String]
    let matcher: IntentMatcher
    /// Node positions, so "go on to the next node" is a lookup.
    let nodeIndexes: [String: [String: Int]]
    /// The `env` variable of scripts and templates: the bot's variables with the host's overrides.
    let variables: JSONValue

    init(_ bot: Bot, overrides: [String: JSONValue] = [:]) {
        self.variables = .object(bot.settings.environment.merging(overrides) { _, override in override })
        var tasksByName: [String: DialogTask] = [:]
        var taskNamesByIntent: [String: String] = [:]
        var nodeIndexes: [String: [String: Int]] = [:]
        for task in bot.tasks {
            tasksByName[task.name] = task
            var indexes: [String: Int] = [:]
            for (index, node) in task.nodes.enumerated() where indexes[node.id] == nil {
                indexes[node.id] = index
            }
            nodeIndexes[task.name] = indexes
            if !task.isSubdialog { taskNamesByIntent[task.intent.name] = task.name }
        }
        self.tasksByName = tasksByName
        self.taskNamesByIntent = taskNamesByIntent
        self.nodeIndexes = nodeIndexes
        self.matcher = IntentMatcher(intents: bot.tasks.filter { !$0.isSubdialog }.map(\.intent))
    }

    func task(_ name: String) -> DialogTask? { tasksByName[name] }

    /// The task an intent name starts.
    func task(forIntent intentName: String) -> DialogTask? {
        taskNamesByIntent[intentName].flatMap { tasksByName[$0] }
    }

    func node(_ id: String, in task: String) -> Node? {
        guard let index = nodeIndexes[task]?[id] else { return nil }
        return tasksByName[task]?.nodes[index]
    }

    /// The node after this one in the file, if any.
    func node(after id: String, in task: String) -> Node? {
        guard let index = nodeIndexes[task]?[id], let nodes = tasksByName[task]?.nodes, index + 1 < nodes.count
        else { return nil }
        return nodes[index + 1]
    }
}
