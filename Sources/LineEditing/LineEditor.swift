public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A line editor for the REPL: libedit on a terminal, plain line reading otherwise.
///
/// On a terminal (input and output both TTYs) it offers emacs key bindings,
/// persistent history with Up/Down and Ctrl-R search, Tab completion through
/// ``completer``, and Ctrl-C to cancel the line being typed. Otherwise it reads
/// plain lines and writes no escape sequences, so the REPL can be scripted.
///
/// Lines entered on a terminal go into history unless they are blank, repeat
/// the previous entry, or start with a space (a way to keep a pasted secret out
/// of the history file). While a line is edited, Ctrl-C and Ctrl-Z reach the
/// editor as keys instead of signals; between reads the terminal is as the
/// process found it.
///
/// The editor is `Sendable` by confinement: libedit and the terminal are only
/// touched by one dedicated thread that the editor owns, and everything callers
/// can reach from other threads is guarded by a lock. Blocking reads happen on
/// that thread, never on the Swift concurrency pool. Call ``close()`` (or use
/// ``withLineEditor(input:output:historyFile:historyLimit:terminalType:isolation:_:)``)
/// to stop the thread and restore the terminal; dropping the last reference does
/// the same. libedit draws through process-wide terminal state, so a process
/// should edit on one terminal at a time.
public final class LineEditor: @unchecked Sendable {
    /// What one call to ``readLine(prompt:addingToHistory:)`` got.
    public enum Input: Equatable, Sendable {
        /// A line the user entered, without its newline.
        case line(String)
        /// Ctrl-C: the line being typed was cancelled; the REPL should carry on.
        case interrupted
        /// Ctrl-D on an empty line, the end of the input, a closed editor or a cancelled task.
        case endOfInput
    }

    /// Whether the editor edits lines on a terminal (true) or reads plain lines (false).
    public let isTerminal: Bool

    private let core: EditorCore
    private let thread: Thread

    /// Opens an editor on `input` and `output`; the handles stay open and owned by the caller.
    ///
    /// - Parameters:
    ///   - historyFile: where history persists between sessions (folders and a
    ///     0600 file are created as needed); nil keeps history in memory only.
    ///   - historyLimit: how many entries history keeps.
    ///   - terminalType: the terminfo name for cursor motion; nil uses `$TERM`.
    /// - Throws: ``LineEditorError`` when the history file cannot be used or the
    ///   system refuses a pipe.
    public init(
        input: FileHandle = .standardInput, output: FileHandle = .standardOutput,
        historyFile: URL?, historyLimit: Int = 1000, terminalType: String? = nil
    ) throws {
        guard historyLimit >= 1 else { throw LineEditorError.invalidHistoryLimit(historyLimit) }
        let inputDescriptor = input.fileDescriptor
        let outputDescriptor = output.fileDescriptor
        isTerminal = isatty(inputDescriptor) == 1 && isatty(outputDescriptor) == 1
        let core = EditorCore(
            input: inputDescriptor, output: outputDescriptor, isTerminal: isTerminal,
            wakePipe: try WakePipe(), historyLimit: historyLimit)
        if let historyFile {
            var file = try HistoryFile(url: historyFile, limit: historyLimit)
            core.history = try file.load()
            core.historyAddedCount = core.history.count
            core.historyFile = file
        }
        self.core = core
        thread = Thread { EditorThread(core: core, terminalType: terminalType).run() }
        thread.name = "parley.line-editor"
        thread.start()
        core.lock.lock()
        while !core.isStarted { core.lock.wait() }
        let startupError = core.startupError
        core.lock.unlock()
        if let startupError { throw startupError }
    }

    deinit {
        close()
    }

    /// Completes the word before the cursor when the user presses Tab on a terminal.
    ///
    /// It gets the line's text before the cursor and the cursor's offset in
    /// characters, and returns candidates for the current word (the text after
    /// the last whitespace). It runs on the editor thread while the user waits,
    /// so it should be quick.
    public var completer: (@Sendable (String, Int) -> [String])? {
        get { core.withLock { core.completer } }
        set { core.withLock { core.completer = newValue } }
    }

    /// Whether the prompt is written in plain mode; off by default so scripted output holds only the bot's text.
    public var echoPromptWhenPlain: Bool {
        get { core.withLock { core.echoPromptWhenPlain } }
        set { core.withLock { core.echoPromptWhenPlain = newValue } }
    }

    /// The history, oldest first.
    public var historyEntries: [String] {
        core.withLock { core.history }
    }

    /// Reads one line, showing `prompt`; calls from several tasks are served in turn.
    ///
    /// Cancelling the calling task ends the read with ``Input/endOfInput``.
    /// - Parameter addingToHistory: false keeps the line out of history and its file, for an answer that is
    ///   a secret.
    public func readLine(prompt: String, addingToHistory: Bool = true) async -> Input {
        let request = ReadRequest(prompt: prompt, addsToHistory: addingToHistory)
        let core = self.core
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                core.lock.lock()
                defer { core.lock.unlock() }
                guard !core.isClosed, !request.isCancelled else {
                    continuation.resume(returning: .endOfInput)
                    return
                }
                request.continuation = continuation
                core.requests.append(request)
                core.lock.broadcast()
            }
        } onCancel: {
            core.lock.lock()
            defer { core.lock.unlock() }
            request.isCancelled = true
            if let queued = core.requests.firstIndex(where: { $0 === request }) {
                core.requests.remove(at: queued)
                request.continuation?.resume(returning: .endOfInput)
                request.continuation = nil
            } else if core.current === request {
                core.wakePipe.wake()
            }
        }
    }

    /// Prints `text` above the line being edited, then redraws the prompt and what was typed; callable from anywhere.
    ///
    /// A newline is added when `text` lacks one. When no line is being edited,
    /// or in plain mode, the text is simply written.
    public func printAbove(_ text: String) {
        core.lock.lock()
        defer { core.lock.unlock() }
        if core.isTerminal && core.isReading {
            core.messagesAbove.append(text)
            core.wakePipe.wake()
        } else {
            FileDescriptorIO.writeAll(EditorCore.block(text), to: core.output)
        }
    }

    /// Writes `text` as it is (no newline added), in order with ``printAbove(_:)``.
    ///
    /// Meant for output between reads, such as a banner. While a line is being
    /// edited on a terminal it behaves like ``printAbove(_:)`` instead, so the
    /// line being typed is not garbled.
    public func write(_ text: String) {
        core.lock.lock()
        defer { core.lock.unlock() }
        if core.isTerminal && core.isReading {
            core.messagesAbove.append(text)
            core.wakePipe.wake()
        } else {
            FileDescriptorIO.writeAll(text, to: core.output)
        }
    }

    /// Adds `line` to the history (and its file), unless it is blank or repeats the newest entry.
    ///
    /// Lines entered on a terminal are added by the editor itself (see above); plain-mode lines are not.
    public func addHistory(_ line: String) {
        core.withLock { core.addHistoryLocked(line) }
    }

    /// Ends any read in progress with ``Input/endOfInput``, restores the terminal and stops the editor thread.
    ///
    /// Calling it again does nothing.
    public func close() {
        core.lock.lock()
        if !core.isClosed {
            core.isClosed = true
            core.wakePipe.wake()
            core.lock.broadcast()
        }
        // The editor thread may call back into user code (the completer); it must not wait for itself.
        if Thread.current != thread {
            while !core.isFinished { core.lock.wait() }
        }
        core.lock.unlock()
    }
}
