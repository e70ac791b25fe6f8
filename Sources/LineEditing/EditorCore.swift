import Foundation

/// One call to `readLine` waiting for, or being served by, the editor thread.
final class ReadRequest: @unchecked Sendable {
    // Sendable by confinement: the mutable fields are only touched under `EditorCore.lock`.
    let prompt: String
    /// Whether the entered line may go into history (not when it answers for a secret).
    let addsToHistory: Bool
    var continuation: CheckedContinuation<LineEditor.Input, Never>?
    var isCancelled = false

    init(prompt: String, addsToHistory: Bool = true) {
        self.prompt = prompt
        self.addsToHistory = addsToHistory
    }
}

/// The state shared by the public handle, callers on any thread, and the editor thread.
///
/// Sendable by confinement: every `var` is read and written only while holding
/// `lock`; the `let`s are immutable. libedit itself never appears here; it lives
/// on the editor thread alone.
final class EditorCore: @unchecked Sendable {
    let lock = NSCondition()
    let input: Int32
    let output: Int32
    let isTerminal: Bool
    let wakePipe: WakePipe
    let historyLimit: Int

    var requests: [ReadRequest] = []
    var current: ReadRequest?
    /// Text from `printAbove` that arrived while a line was being edited.
    var messagesAbove: [String] = []
    var isReading = false
    var isClosed = false
    var isFinished = false
    var startupError: LineEditorError?
    var isStarted = false
    var completer: (@Sendable (String, Int) -> [String])?
    var echoPromptWhenPlain = false
    var history: [String] = []
    /// How many entries were ever added, so the editor thread can tell which ones its libedit history lacks.
    var historyAddedCount = 0
    var historyFile: HistoryFile?

    init(input: Int32, output: Int32, isTerminal: Bool, wakePipe: WakePipe, historyLimit: Int) {
        self.input = input
        self.output = output
        self.isTerminal = isTerminal
        self.wakePipe = wakePipe
        self.historyLimit = historyLimit
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Whether the line being read should end now (the editor closes, or its caller was cancelled).
    var shouldStopReading: Bool {
        withLock { isClosed || current?.isCancelled == true }
    }

    /// Records an entry in memory and in the history file; call with `lock` held.
    func addHistoryLocked(_ entry: String) {
        let flattened = entry.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard !flattened.allSatisfy(\.isWhitespace), history.last != flattened else { return }
        history.append(flattened)
        if history.count > historyLimit {
            history.removeFirst(history.count - historyLimit)
        }
        historyAddedCount += 1
        historyFile?.append(flattened, allEntries: history)
    }

    /// Text for the terminal, one newline-terminated block.
    static func block(_ text: String) -> String {
        text.hasSuffix("\n") ? text : text + "\n"
    }
}
