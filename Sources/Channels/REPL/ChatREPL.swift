public import BotHost
import DialogModel
public import DialogRuntime
import Foundation
public import LineEditing
import ParleyJSON
import Synchronization

/// The interactive chat: reads lines with a line editor, sends them to the bot, shows the answers.
///
/// Lines starting with `/` are meta commands (`/help` lists them). Output the bot sends between
/// turns (a task resuming after authorization) is printed above the prompt.
public final class ChatREPL: Sendable {
    private let runtime: BotRuntime
    private let editor: LineEditor
    private let style: TerminalStyle
    private let botName: String
    private let session: Mutex<Session>
    /// Where `/record` writes the chat as a transcript.
    private let recording: (any ChatRecording)?
    /// Hides credentials in traces and warnings before they are shown.
    private let redacting: @Sendable (String) -> String
    /// Told the sensitive values of every turn, so logs can mask them too.
    private let sensitiveValuesSeen: @Sendable (SensitiveText) -> Void
    /// `/whoami`, `/signout` and `/open`; `nil` for a bot without an integration to authorize.
    private let account: ChatAccount?

    struct Session {
        var user: UserID
        var debug: Bool
        /// Answers the bot would accept now, for Tab completion; refreshed after each turn.
        var completions: [String] = []
        /// The last authorization link each user was sent and has not used, for `/open`.
        var links: [UserID: String] = [:]
    }

    /// - Parameters:
    ///   - user: who is chatting; `/user NAME` changes it.
    ///   - debug: whether to show node and transition traces from the start.
    ///   - recording: enables `/record`; already recording when started (`parley chat --record`).
    ///   - account: what `/whoami`, `/signout` and `/open` do.
    ///   - redacting: hides credentials in the text of `/debug` traces, warnings and `/context`.
    ///   - sensitiveValuesSeen: told each turn's sensitive values (a log handler masks them).
    public init(
        runtime: BotRuntime, editor: LineEditor, style: TerminalStyle, user: UserID, debug: Bool = false,
        recording: (any ChatRecording)? = nil, account: ChatAccount? = nil,
        redacting: @escaping @Sendable (String) -> String,
        sensitiveValuesSeen: @escaping @Sendable (SensitiveText) -> Void = { _ in }
    ) {
        self.redacting = redacting
        self.recording = recording
        self.account = account
        self.sensitiveValuesSeen = sensitiveValuesSeen
        self.runtime = runtime
        self.editor = editor
        self.style = style
        self.botName = runtime.bot.settings.name
        self.session = Mutex(Session(user: user, debug: debug))
    }

    /// Chats until the user quits (`/quit` or Ctrl-D).
    public func run() async {
        editor.completer = { [weak self] line, cursor in
            guard let self else { return [] }
            let before = String(line.prefix(cursor))
            if before.hasPrefix("/") && !before.contains(" ") {
                return MetaCommand.names.filter { $0.hasPrefix(before) }
            }
            let word = String(before.reversed().prefix { !$0.isWhitespace }.reversed())
            let candidates = self.session.withLock { $0.completions }
            return candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }
        }
        runtime.setDeliveryHandler { [weak self] user, output in
            guard let self else { return }
            self.sensitiveValuesSeen(output.sensitive)
            self.noteLinks(in: output, for: user)
            self.editor.printAbove(self.format(output))
            self.keepRecording { try $0.authorized(output, user: user) }
        }
        write(style.bold(botName) + style.dim("  · /help for commands, /quit to leave") + "\n")
        let user = session.withLock { $0.user }
        let greeting = await runtime.greeting(for: user)
        sensitiveValuesSeen(greeting.sensitive)
        show(greeting)
        keepRecording { try $0.greeting(greeting) }
        await refreshCompletions()
        while true {
            // The answer to a sensitive entity's prompt stays out of the history file, and so does the code that
            // finishes an authorization, which the bot may ask for while the line is typed: a line goes into
            // history only once its turn showed it was neither. A leading space keeps any line out, as in shells.
            let secret: Bool
            do {
                secret = try await runtime.isAwaitingSensitiveAnswer(from: session.withLock { $0.user })
            } catch {
                // Unknown is treated as sensitive; the turn itself reports the store's error.
                secret = true
            }
            switch await editor.readLine(prompt: prompt, addingToHistory: false) {
            case .endOfInput:
                return
            case .interrupted:
                continue
            case .line(let line):
                let remembered = editor.isTerminal && line.first?.isWhitespace == false
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("/") {
                    if remembered { editor.addHistory(line) }
                    if await runMetaCommand(text) == .quit { return }
                    continue
                }
                let user = session.withLock { $0.user }
                let output = await runtime.handle(text, from: user)
                if remembered, !secret, !output.userTextIsSensitive { editor.addHistory(line) }
                sensitiveValuesSeen(output.sensitive)
                noteLinks(in: output, for: user)
                show(output)
                keepRecording { try $0.turn(text, output: output) }
                await refreshCompletions()
            }
        }
    }

    private var prompt: String {
        let user = session.withLock { $0.user }
        return style.usesColor ? "\u{1B}[1;32m\(user)>\u{1B}[0m " : "\(user)> "
    }

    private func refreshCompletions() async {
        let user = session.withLock { $0.user }
        let candidates: [String]
        do {
            candidates = try await runtime.completions(for: user, prefix: "")
        } catch {
            // Completion only helps typing; the next turn reports the store's error.
            candidates = []
        }
        session.withLock { $0.completions = candidates }
    }

    // MARK: - Output

    func show(_ output: TurnOutput) {
        let text = format(output)
        if !text.isEmpty { write(text) }
    }

    /// The bot's messages, then (in debug mode) the trace, then any problems in the bot.
    func format(_ output: TurnOutput) -> String {
        var text = ""
        let debug = session.withLock { $0.debug }
        if debug {
            for event in output.trace { text += style.dim("  · " + redacting(event.description)) + "\n" }
        }
        for message in output.messages {
            let lines = message.text.split(separator: "\n", omittingEmptySubsequences: false)
            let label = "\(botName):"
            for (index, line) in lines.enumerated() {
                if index == 0 {
                    text += style.cyan(style.bold(label)) + " " + line + "\n"
                } else {
                    text += String(repeating: " ", count: label.count + 1) + line + "\n"
                }
            }
            if !message.choices.isEmpty && message.choices.count <= 12 {
                text +=
                    String(repeating: " ", count: label.count + 1) + style.dim("[" + message.choices.joined(separator: " | ") + "]") + "\n"
            }
        }
        for diagnostic in output.diagnostics {
            text += style.yellow("warning: ") + redacting(diagnostic.description) + "\n"
        }
        if let error = output.storeError {
            text += style.yellow("error: ") + error.description + "\n"
        }
        return text
    }

    func write(_ text: String) {
        editor.write(text)
    }

    /// Remembers the authorization link an output sends, for `/open`; a resumed task has used it.
    private func noteLinks(in output: TurnOutput, for user: UserID) {
        session.withLock { session in
            for message in output.messages {
                if case .authorization(let request) = message.kind { session.links[user] = request.url }
            }
            // Resumed, or the browser came back and a code is awaited: the link is used, nothing is left to open.
            if output.trace.contains(where: {
                $0.detail.hasSuffix("; resuming") || $0.detail.hasSuffix("waits for the code the browser shows")
            }) {
                session.links[user] = nil
            }
        }
    }

    // MARK: - Meta commands

    enum Outcome { case `continue`, quit }

    private func runMetaCommand(_ text: String) async -> Outcome {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0]
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard let command = MetaCommand(rawValue: name) else {
            var message = "Unknown command \(name)."
            if let suggestion = MetaCommand.suggestion(for: name) { message += " Did you mean \(suggestion)?" }
            write(style.yellow(message) + " Type /help for the list.\n")
            return .continue
        }
        let user = session.withLock { $0.user }
        switch command {
        case .help:
            write(MetaCommand.help(style: style))
        case .tasks:
            for task in runtime.taskSummaries {
                var line = "  " + style.bold(task.name.rawValue)
                if let description = task.description { line += " — \(description)" }
                if let example = task.example { line += style.dim("  e.g. \"\(example)\"") }
                write(line + "\n")
            }
        case .context:
            do {
                write(redacting(try await runtime.context(for: user).jsonText(pretty: true)) + "\n")
            } catch {
                write(style.yellow("error: ") + error.description + "\n")
            }
        case .reset:
            do {
                try await runtime.reset(user)
            } catch {
                write(style.yellow("The conversation was not reset: ") + error.description + "\n")
                return .continue
            }
            keepRecording { try $0.reset() }
            write(style.dim("Conversation reset.") + "\n")
            await refreshCompletions()
        case .user:
            guard !argument.isEmpty else {
                write("You are \(user). Use /user NAME to chat as someone else.\n")
                return .continue
            }
            let newUser = UserID(argument)
            session.withLock { $0.user = newUser }
            keepRecording { try $0.userChanged(to: newUser) }
            write(style.dim("You are now \(argument); each user has their own conversation.") + "\n")
            do {
                try await runtime.setUserContext(["id": .string(argument), "name": .string(argument)], for: newUser)
            } catch {
                write(style.yellow("error: ") + error.description + "\n")
            }
            await refreshCompletions()
        case .debug:
            let on = session.withLock {
                $0.debug.toggle()
                return $0.debug
            }
            write(style.dim("Tracing of nodes and transitions is \(on ? "on" : "off").") + "\n")
        case .record:
            await record(argument, user: user)
        case .whoami:
            guard let account else {
                write("This bot uses no integration you sign in to.\n")
                return .continue
            }
            write(await account.whoami(user) + "\n")
        case .signout:
            guard let account else {
                write("This bot uses no integration you sign in to.\n")
                return .continue
            }
            write(await account.signOut(user) + "\n")
        case .open:
            guard let link = session.withLock({ $0.links[user] }) else {
                write("There is no authorization link to open; the bot sends one when a task needs it.\n")
                return .continue
            }
            if account?.openInBrowser(link) == true {
                write(style.dim("Opened the link in your browser.") + "\n")
            } else {
                write("I can't open a browser here (no display or no xdg-open); open this link yourself: \(link)\n")
            }
        case .quit:
            return .quit
        }
        return .continue
    }

    // MARK: - Recording

    private func record(_ argument: String, user: UserID) async {
        guard let recording else {
            write(style.yellow("This chat cannot record transcripts.") + "\n")
            return
        }
        switch argument.lowercased() {
        case "":
            if let path = recording.path {
                write("Recording to \(path). /record off stops.\n")
            } else {
                write("Not recording. /record FILE writes this chat from here on as a transcript.\n")
            }
        case "off", "stop":
            if let path = recording.stop() {
                write(style.dim("Stopped recording; replay it with: parley test \(path)") + "\n")
            } else {
                write("Not recording.\n")
            }
        default:
            do {
                // A transcript replays from a fresh conversation, so the recording starts one.
                try await runtime.reset(user)
            } catch {
                write(style.yellow("Not recording: the conversation could not start over: ") + error.description + "\n")
                return
            }
            do {
                try recording.start(path: argument, user: user)
                write(style.dim("Recording to \(argument), starting a new conversation; /record off stops.") + "\n")
                await refreshCompletions()
            } catch {
                write(style.yellow("Cannot record to \(argument): \(error.localizedDescription)") + "\n")
            }
        }
    }

    /// Adds to the transcript being recorded; a file that cannot be written stops the recording, with a warning.
    private func keepRecording(_ change: (any ChatRecording) throws -> Void) {
        guard let recording, let path = recording.path else { return }
        do {
            try change(recording)
        } catch {
            recording.stop()
            write(style.yellow("Stopped recording: cannot write \(path): \(error.localizedDescription)") + "\n")
        }
    }
}
