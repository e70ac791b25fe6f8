import Foundation

/// Loads a bot from its folder: `bot.yaml`, one YAML file per dialog task, and bot functions
/// (`*.js` files).
///
/// Every file is checked completely, so one run reports every problem as
/// `file:line:col: error: message`, with file paths as given (relative paths stay relative).
public enum BotLoader {
    /// The file with the bot's settings, inside the bot's folder.
    public static let settingsFileName = "bot.yaml"

    /// Loads and checks the bot in `directory`.
    ///
    /// - Parameter scriptChecker: Checks that JavaScript compiles; `nil` skips those checks.
    /// - Throws: ``BotLoadError`` with every diagnostic (warnings too) when any is an error.
    public static func load(
        directory: String, scriptChecker: (any ScriptSyntaxChecking)? = nil
    ) throws(BotLoadError) -> LoadedBot {
        let (bot, diagnostics) = read(directory: directory, scriptChecker: scriptChecker)
        guard let bot, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw BotLoadError(diagnostics: diagnostics)
        }
        return LoadedBot(bot: bot, warnings: diagnostics)
    }

    /// Every problem in the bot in `directory`, errors and warnings; an unreadable folder is one too.
    public static func lint(directory: String, scriptChecker: (any ScriptSyntaxChecking)? = nil) -> [Diagnostic] {
        read(directory: directory, scriptChecker: scriptChecker).1
    }

    /// Parses one dialog task file's text; the task is `nil` when the file has errors.
    ///
    /// Checks that need the other tasks (duplicate names, dialog nodes naming unknown tasks) are
    /// left to ``load(directory:scriptChecker:)``.
    public static func parseTask(
        yaml: String, file: String, scriptChecker: (any ScriptSyntaxChecking)? = nil
    ) -> (DialogTask?, [Diagnostic]) {
        var parser = TaskParser(yaml: yaml, file: file, scriptChecker: scriptChecker)
        let parsed = parser.parse()
        return (parsed.task, parsed.diagnostics)
    }

    /// Parses the text of `bot.yaml`; the settings are `nil` when it has errors.
    public static func parseSettings(yaml: String, file: String) -> (BotSettings?, [Diagnostic]) {
        var parser = SettingsParser(yaml: yaml, file: file)
        return parser.parse()
    }

    // MARK: Reading the folder

    /// The bot function files of a bot folder, sorted by name.
    static func functionFileNames(in names: [String]) -> [String] {
        names.filter { $0.lowercased().hasSuffix(".js") && !$0.hasPrefix(".") }.sorted()
    }

    /// The task files of a bot folder, sorted by name.
    static func taskFileNames(in names: [String]) -> [String] {
        names.filter { name in
            let lowered = name.lowercased()
            return (lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml")) && !name.hasPrefix(".")
                && lowered != "bot.yaml" && lowered != "bot.yml"
        }.sorted()
    }

    private static func read(
        directory: String, scriptChecker: (any ScriptSyntaxChecking)?
    ) -> (Bot?, [Diagnostic]) {
        let folder = SourceLocation(file: directory, line: 1, column: 1)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return (nil, [Diagnostic(.error, at: folder, "cannot read the bot folder '\(directory)'")])
        }
        var diagnostics: [Diagnostic] = []

        let settingsPath = path(directory, settingsFileName)
        var settings: BotSettings?
        if names.contains(settingsFileName) {
            if let text = readText(settingsPath, problems: &diagnostics) {
                let (parsed, problems) = parseSettings(yaml: text, file: settingsPath)
                settings = parsed
                diagnostics += problems
            }
        } else {
            let hint = names.contains("bot.yml") ? " (rename bot.yml to \(settingsFileName))" : ""
            diagnostics.append(
                Diagnostic(
                    .error, at: folder,
                    "the bot folder has no \(settingsFileName)\(hint); it needs one with at least the bot's 'name'"))
        }

        var parsedTasks: [ParsedTask] = []
        for name in taskFileNames(in: names) {
            let file = path(directory, name)
            guard let text = readText(file, problems: &diagnostics) else { continue }
            var parser = TaskParser(yaml: text, file: file, scriptChecker: scriptChecker)
            let parsed = parser.parse()
            diagnostics += parsed.diagnostics
            parsedTasks.append(parsed)
        }
        var functions: [Script] = []
        for name in functionFileNames(in: names) {
            let file = path(directory, name)
            guard let text = readText(file, problems: &diagnostics) else { continue }
            if let problem = scriptChecker?.syntaxError(in: text, as: .statements) {
                let place = SourceLocation(file: file, line: problem.line, column: problem.column)
                diagnostics.append(Diagnostic(.error, at: place, "JavaScript error in bot functions: \(problem.message)"))
            }
            functions.append(Script(text, at: SourceLocation(file: file, line: 1, column: 1)))
        }
        if parsedTasks.isEmpty {
            diagnostics.append(Diagnostic(.warning, at: folder, "the bot has no dialog tasks (*.yaml files besides \(settingsFileName))"))
        }
        diagnostics += crossTaskProblems(parsedTasks)
        let files = [directory, settingsPath] + (taskFileNames(in: names) + functionFileNames(in: names)).map { path(directory, $0) }
        diagnostics = inFileOrder(diagnostics, files: files)

        guard let settings else { return (nil, diagnostics) }
        return (Bot(settings: settings, tasks: parsedTasks.compactMap(\.task), functions: functions), diagnostics)
    }

    /// Problems between tasks: duplicate names and dialog nodes that call unknown tasks or entities.
    private static func crossTaskProblems(_ parsedTasks: [ParsedTask]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var firstByName: [String: SourceLocation] = [:]
        for parsed in parsedTasks {
            guard let name = parsed.name, let location = parsed.nameLocation else { continue }
            let key = name.lowercased()
            if let first = firstByName[key] {
                diagnostics.append(
                    Diagnostic(.error, at: location, "duplicate task name '\(name)'; it is already used at \(first)"))
            } else {
                firstByName[key] = location
            }
        }
        let tasks = parsedTasks.compactMap(\.task)
        // Names of tasks with errors count too, so their callers are not reported as well.
        let taskNames = parsedTasks.compactMap(\.name)
        for parsed in parsedTasks {
            for call in parsed.dialogCalls {
                guard taskNames.contains(where: { $0.caseInsensitiveCompare(call.task.rawValue) == .orderedSame }) else {
                    diagnostics.append(
                        Diagnostic(
                            .error, at: call.location, "unknown task '\(call.task)'",
                            suggestion: Suggestion.closest(to: call.task.rawValue, among: taskNames)))
                    continue
                }
                guard let called = tasks.first(where: { $0.name.rawValue.caseInsensitiveCompare(call.task.rawValue) == .orderedSame })
                else { continue }
                let entities = called.nodes.compactMap { node -> String? in
                    switch node.kind {
                    case .entity(let spec): spec.name
                    case .confirmation(let spec): spec.name
                    default: nil
                    }
                }
                for (name, location) in call.preAssignedEntities where !entities.contains(name) {
                    diagnostics.append(
                        Diagnostic(
                            .error, at: location, "task '\(called.name)' has no entity '\(name)'",
                            suggestion: Suggestion.closest(to: name, among: entities)))
                }
            }
        }
        return diagnostics
    }

    /// Diagnostics grouped by file in reading order, then by place, so each file's problems read top to bottom.
    private static func inFileOrder(_ diagnostics: [Diagnostic], files: [String]) -> [Diagnostic] {
        let rank = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return diagnostics.enumerated().sorted { a, b in
            let left = (rank[a.element.location.file] ?? files.count, a.element.location.line, a.element.location.column, a.offset)
            let right = (rank[b.element.location.file] ?? files.count, b.element.location.line, b.element.location.column, b.offset)
            return left < right
        }.map(\.element)
    }

    private static func path(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The file's text, or `nil` with a diagnostic when it cannot be read as UTF-8.
    private static func readText(_ file: String, problems: inout [Diagnostic]) -> String? {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: file) else {
            problems.append(Diagnostic(.error, at: start, "cannot read the file"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append(Diagnostic(.error, at: start, "the file is not UTF-8 text"))
            return nil
        }
        return text
    }
}
