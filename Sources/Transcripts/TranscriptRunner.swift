import BotHost
public import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON
import SalesforceSandboxTesting
import Synchronization

/// Replays transcripts against a bot, each in isolation: its own runtime, conversations, clock and sandbox, as the
/// host assembles a bot in memory (``BotHost/inMemoryBot(_:options:)``).
///
/// Nothing real leaks in: the clock is fixed (2026-03-02T09:00:00Z unless `@clock` says otherwise), the time zone
/// is UTC, randomness always picks the first alternative, and service calls are answered by `@http` stubs or the
/// in-process Salesforce sandbox. A runner can replay many transcripts at once.
public final class TranscriptRunner: Sendable {
    /// The bot folder for transcripts without `@bot`.
    public let defaultBotFolder: String
    private let bots = BotCache()
    private let parsed = ParsedTranscripts()

    /// A runner whose transcripts without `@bot` run against the bot in `defaultBotFolder`.
    public init(defaultBotFolder: String) {
        self.defaultBotFolder = defaultBotFolder
    }

    /// The bot a transcript runs against, loaded once per folder.
    ///
    /// - Throws: `BotLoadError` when the bot has errors.
    public func bot(for transcript: Transcript) async throws -> Bot {
        try await bots.bot(at: transcript.settings.botFolder ?? defaultBotFolder)
    }

    /// A rough measure of how long a file takes to replay, for running the longest first: a point per step,
    /// and many more for a sandbox, which costs more to set up than several turns.
    func estimatedWork(file path: String) async -> Int {
        guard let transcript = try? parsed.transcript(at: path) else { return 0 }
        let sandbox = (try? await bot(for: transcript)).map { Self.needsSalesforce($0, transcript) } ?? false
        return transcript.steps.count + (sandbox ? 20 : 0)
    }

    /// Reads and replays one file; a file that cannot be read fails with the lines at fault.
    public func run(file path: String) async -> TranscriptResult {
        do {
            return await run(try parsed.transcript(at: path))
        } catch {
            let failures = error.problems.map { TranscriptFailure(line: $0.line, turn: nil, message: $0.message) }
            let title = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return TranscriptResult(path: path, title: title, failures: failures)
        }
    }

    /// Replays a transcript and reports every failure in it.
    public func run(_ transcript: Transcript) async -> TranscriptResult {
        let started = ContinuousClock.now
        let folder = Self.displayPath(transcript.settings.botFolder ?? defaultBotFolder)
        let bot: Bot
        do {
            bot = try await bots.bot(at: folder)
        } catch {
            let message: String
            if let loadError = error as? BotLoadError {
                message = "the bot in \(folder) has errors:\n" + loadError.errors.map { "  \($0)" }.joined(separator: "\n")
            } else {
                message = "cannot load the bot in \(folder): \(error)"
            }
            return TranscriptResult(
                path: transcript.path, title: transcript.title, failures: [TranscriptFailure(line: 1, turn: nil, message: message)])
        }
        let clock = TestClock.transcript()
        var replay = Replay(transcript: transcript)
        do {
            let world =
                Self.needsSalesforce(bot, transcript)
                ? try SalesforceWorld(bot: bot, settings: transcript.settings, clock: clock) : nil
            let prepared = await bots.prepared(bot, folder: folder, variableOverrides: transcript.settings.variables)
            let running = try BotHost.inMemoryBot(
                prepared,
                options: BotHost.InMemoryOptions(
                    clock: RuntimeClock(timeZone: transcript.settings.timeZone, now: clock.function), random: .first,
                    http: replay.stubs.service, salesforce: world?.salesforce,
                    // Generous, so a busy machine running transcripts in parallel never turns a slow script into a failure.
                    scriptTimeLimit: .seconds(5)))
            await replay.run(runtime: running.runtime, clock: clock, salesforce: world)
        } catch {
            replay.failures.append(TranscriptFailure(line: 1, turn: nil, message: "cannot start the replay: \(error)"))
        }
        return TranscriptResult(
            path: transcript.path, title: transcript.title, failures: replay.failures.sorted { $0.line < $1.line },
            turns: transcript.userTurnCount, duration: ContinuousClock.now - started, nodesRun: replay.nodesRun,
            transitionsTaken: replay.transitionsTaken, botFolder: folder)
    }

    /// The folder without `..` steps, relative to the working directory when it is inside it.
    static func displayPath(_ folder: String) -> String {
        let path = URL(fileURLWithPath: folder).standardizedFileURL.path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }

    static func needsSalesforce(_ bot: Bot, _ transcript: Transcript) -> Bool {
        if bot.settings.integrations["salesforce"] != nil || bot.usesIntegration("salesforce") {
            return true
        }
        return transcript.steps.contains {
            switch $0.action {
            case .salesforce, .salesforceTokens, .browser, .browserAccount, .expectRecord, .seedRecord: true
            default: false
            }
        }
    }
}

/// Transcripts parsed once per file content, so replaying a suite again (a benchmark's rounds, a watch loop)
/// only reads the files; an edited file is parsed afresh because its text differs.
private final class ParsedTranscripts: Sendable {
    private let cache = Mutex<[String: Transcript]>([:])

    func transcript(at path: String) throws(TranscriptSyntaxError) -> Transcript {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return try TranscriptParser.parse(contentsOf: path)
        }
        let key = path + "\u{0}" + text
        if let known = cache.withLock({ $0[key] }) { return known }
        let transcript = try TranscriptParser.parse(text, path: path)
        cache.withLock { $0[key] = transcript }
        return transcript
    }
}

/// Bots by folder, each loaded once however many transcripts use it, and prepared once per set of `@env` values.
private actor BotCache {
    private var loads: [String: Task<Bot, any Error>] = [:]
    private var prepared: [String: PreparedBot] = [:]

    func prepared(_ bot: Bot, folder: String, variableOverrides: [String: JSONValue]) -> PreparedBot {
        let key = URL(fileURLWithPath: folder).standardizedFileURL.path + "\u{0}" + JSONValue.object(variableOverrides).jsonText()
        if let known = prepared[key] { return known }
        let made = PreparedBot(bot, variableOverrides: variableOverrides)
        prepared[key] = made
        return made
    }

    func bot(at folder: String) async throws -> Bot {
        let key = URL(fileURLWithPath: folder).standardizedFileURL.path
        if let load = loads[key] { return try await load.value }
        let load = Task { try BotLoader.load(directory: key, scriptChecker: JavaScriptSyntaxChecker()).bot }
        loads[key] = load
        return try await load.value
    }
}
