public import BotHost
public import DialogModel
public import DialogRuntime
import Foundation
import LineEditing

/// `parley chat`: the bot, run by the host, in a line-edited terminal session.
public enum TerminalChat {
    /// What the person chatting chose on the command line.
    public struct Options: Sendable {
        /// Who is chatting; each user has their own conversation.
        public var user: UserID
        /// Whether to show the nodes and transitions each turn runs from the start.
        public var debug: Bool
        /// A transcript file to record the chat to from the start.
        public var recordTo: String?

        public init(user: UserID, debug: Bool, recordTo: String?) {
            self.user = user
            self.debug = debug
            self.recordTo = recordTo
        }
    }

    /// The transcript file given to record to could not be started.
    public struct RecordingFailure: Error {
        public var path: String
        public var underlying: any Error
    }

    /// Chats until the user quits; the host's servers stop afterwards.
    ///
    /// - Parameter recording: where `/record` writes; its HTTP wrapper sees every service call from the start.
    /// - Throws: ``RecordingFailure`` when `recordTo` cannot be written; what the host throws when the bot
    ///   cannot run.
    public static func run(
        _ bot: Bot, host: HostOptions, options: Options, recording: (any ChatRecording)?
    ) async throws {
        let wrapping: @Sendable (HTTPService) -> HTTPService = { recording?.wrap($0) ?? $0 }
        try await BotHost.withRunningBot(bot, options: host, wrappingHTTP: wrapping) { running in
            let style = TerminalStyle(for: .standardOutput)
            try await withLineEditor(historyFile: host.historyFile) { editor in
                running.notices.attach { notice in
                    if notice.cameDuringChat {
                        editor.printAbove(style.yellow(notice.text) + "\n")
                    } else {
                        editor.write(style.dim(notice.text) + "\n")
                    }
                }
                if let path = options.recordTo, let recording {
                    do {
                        try recording.start(path: path, user: options.user)
                    } catch {
                        throw RecordingFailure(path: path, underlying: error)
                    }
                }
                let repl = ChatREPL(
                    runtime: running.runtime, editor: editor, style: style, user: options.user, debug: options.debug,
                    recording: recording, account: running.account, redacting: running.redacting,
                    sensitiveValuesSeen: running.sensitiveValuesSeen)
                await repl.run()
            }
        }
    }
}
