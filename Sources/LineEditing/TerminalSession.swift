import CEditLine
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// libedit on a terminal: one `EditLine` and its `History`, used only on the editor thread.
///
/// The C callbacks cannot capture context, so they find this object through
/// libedit's client data: an `Unmanaged` reference retained for as long as the
/// `EditLine` lives and released in ``end()``. No libedit pointer leaves this type.
final class TerminalSession: LineSource {
    private let core: EditorCore
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let inputFile: UnsafeMutablePointer<FILE>
    private let outputFile: UnsafeMutablePointer<FILE>
    private var prompt: UnsafeMutablePointer<CChar>?
    private var promptWidth = 0
    private var keys = UTF8KeyDecoder()
    private var historySeen = 0
    private var wasInterrupted = false
    private var isEnded = false

    init(core: EditorCore, terminalType: String?) throws(LineEditorError) {
        self.core = core
        // libedit's FILEs buffer and are closed at the end: give them descriptors of their own.
        guard let inputFile = TerminalSession.stream(duplicating: core.input, mode: "r") else {
            throw .systemResourceUnavailable("a stream for the terminal input", errno: errno)
        }
        guard let outputFile = TerminalSession.stream(duplicating: core.output, mode: "w") else {
            fclose(inputFile)
            throw .systemResourceUnavailable("a stream for the terminal output", errno: errno)
        }
        // el_init_fd reads the terminal database, which is process-global state in ncurses.
        let editLine = TerminalSession.terminalDatabaseLock.withLock {
            el_init_fd("parley", inputFile, outputFile, outputFile, core.input, core.output, core.output)
        }
        guard let editLine, let history = history_init() else {
            if let editLine { el_end(editLine) }
            fclose(inputFile)
            fclose(outputFile)
            throw .systemResourceUnavailable("a libedit session", errno: errno)
        }
        self.inputFile = inputFile
        self.outputFile = outputFile
        self.editLine = editLine
        self.history = history
        configure(terminalType: terminalType)
    }

    private func configure(terminalType: String?) {
        ceditline_history_set_size(history, Int32(clamping: core.historyLimit))
        ceditline_history_set_unique(history, 1)
        syncHistory()
        ceditline_set_client_data(editLine, Unmanaged.passRetained(self).toOpaque())
        if let terminalType {
            TerminalSession.terminalDatabaseLock.withLock { _ = ceditline_set_terminal(editLine, terminalType) }
        }
        ceditline_use_emacs_bindings(editLine)
        ceditline_set_history(editLine, history)
        ceditline_set_prompt_with_literals(
            editLine,
            { editLine in
                guard let editLine else { return nil }
                return TerminalSession.session(of: editLine)?.prompt
            }, CChar(PromptText.literalMarker.value))
        ceditline_set_read_function(editLine) { editLine, character in
            guard let editLine, let character, let session = TerminalSession.session(of: editLine) else { return -1 }
            return session.readCharacter(into: character)
        }
        ceditline_add_function(editLine, "parley-complete", "Complete the word before the cursor") { editLine, _ in
            guard let editLine, let session = TerminalSession.session(of: editLine) else { return UInt8(CC_ERROR) }
            return session.complete()
        }
        ceditline_add_function(editLine, "parley-interrupt", "Cancel the line") { editLine, _ in
            guard let editLine, let session = TerminalSession.session(of: editLine) else { return UInt8(CC_ERROR) }
            return session.interrupt()
        }
        // Bound after the emacs map is installed, which resets the keys the terminal reserves (such as ^C).
        ceditline_bind(editLine, "^I", "parley-complete")
        ceditline_bind(editLine, "^C", "parley-interrupt")
        ceditline_bind(editLine, "^R", "em-inc-search-prev")
        ceditline_read_interrupt_as_key(editLine)
    }

    private static func stream(duplicating descriptor: Int32, mode: String) -> UnsafeMutablePointer<FILE>? {
        let copy = dup(descriptor)
        guard copy >= 0 else { return nil }
        guard let stream = fdopen(copy, mode) else {
            Glibc.close(copy)
            return nil
        }
        return stream
    }

    /// The ncurses terminal database is global; opening two sessions at once must not interleave.
    private static let terminalDatabaseLock = NSLock()

    private static func session(of editLine: OpaquePointer) -> TerminalSession? {
        guard let data = ceditline_client_data(editLine) else { return nil }
        return Unmanaged<TerminalSession>.fromOpaque(data).takeUnretainedValue()
    }

    // MARK: Reading a line

    func readLine(prompt text: String, echoPrompt: Bool) -> LineEditor.Input {
        free(prompt)
        let promptText = PromptText(text)
        prompt = strdup(promptText.marked)
        promptWidth = promptText.columns
        syncHistory()
        wasInterrupted = false
        var count: Int32 = 0
        guard let line = el_gets(editLine, &count), count > 0 else {
            // Ctrl-D, the end of input or a close left the cursor on the prompt line.
            write("\n")
            return .endOfInput
        }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        if wasInterrupted {
            wasInterrupted = false
            return .interrupted
        }
        return .line(text)
    }

    /// Gives libedit the history entries added since the last read, so Up and Ctrl-R find them.
    private func syncHistory() {
        let (entries, added) = core.withLock { (core.history, core.historyAddedCount) }
        let missing = min(added - historySeen, entries.count)
        for entry in entries.suffix(missing) {
            ceditline_history_enter(history, entry)
        }
        historySeen = added
    }

    /// libedit's read function: the next key as a wide character; 1 when read, 0 at the end, -1 on error.
    ///
    /// While waiting it also watches the wake-up pipe, to print text above the
    /// prompt and to stop when the editor closes.
    private func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        while true {
            if let scalar = keys.next() {
                character.pointee = wchar_t(bitPattern: scalar.value)
                return 1
            }
            if core.shouldStopReading { return 0 }
            switch FileDescriptorIO.waitForInput(core.input, orWakeUp: core.wakePipe.readEnd) {
            case .wakeUp:
                core.wakePipe.drain()
                if core.shouldStopReading { return 0 }
                printMessagesAbove()
            case .input:
                guard let bytes = FileDescriptorIO.read(from: core.input, upTo: 256) else { return -1 }
                if bytes.isEmpty { return 0 }
                keys.append(bytes)
                // No SIGWINCH handler is installed (it would be process-wide); check the size on each key instead.
                el_resize(editLine)
            case .failed:
                return -1
            }
        }
    }

    private func printMessagesAbove() {
        let messages = core.withLock {
            defer { core.messagesAbove.removeAll() }
            return core.messagesAbove
        }
        guard !messages.isEmpty else { return }
        let rows = inputRows()
        var text = "\r"
        if rows.cursor > 0 { text += "\u{1B}[\(rows.cursor)A" }
        text += "\u{1B}[J"
        text += messages.map(EditorCore.block).joined()
        write(text)
        ceditline_redraw(editLine)
    }

    // MARK: Keys bound to Parley's functions

    /// Tab: completes the word before the cursor through the completer.
    private func complete() -> UInt8 {
        guard let completer = core.withLock({ core.completer }), let info = el_line(editLine)?.pointee,
            let start = info.buffer, let cursor = info.cursor
        else { return UInt8(CC_ERROR) }
        let before = String(
            decoding: UnsafeBufferPointer(start: start, count: cursor - start).map { UInt8(bitPattern: $0) },
            as: UTF8.self)
        guard let completion = Completion(textBeforeCursor: before, candidates: completer(before, before.count)) else {
            return UInt8(CC_REFRESH_BEEP)
        }
        let rows = inputRows()
        if completion.replacement != completion.word {
            el_deletestr(editLine, Int32(completion.word.unicodeScalars.count))
            el_insertstr(editLine, completion.replacement)
        }
        guard !completion.listing.isEmpty else { return UInt8(CC_REFRESH) }
        // List below the input, then let libedit draw the prompt and line afresh under the list.
        var text = ""
        if rows.last > rows.cursor { text += "\u{1B}[\(rows.last - rows.cursor)B" }
        text += "\r\n" + Completion.columns(completion.listing, width: Int(ceditline_terminal_columns(editLine)))
        write(text)
        return UInt8(CC_REDISPLAY)
    }

    /// Ctrl-C: shows ^C at the end of the line and ends it; `readLine` reports an interruption.
    private func interrupt() -> UInt8 {
        wasInterrupted = true
        if let info = el_wline(editLine)?.pointee, let cursor = info.cursor, let last = info.lastchar {
            el_cursor(editLine, Int32(clamping: last - cursor))
        }
        el_insertstr(editLine, "^C")
        // The newline goes through libedit's own newline command, which moves below the input properly.
        el_push(editLine, "\n")
        return UInt8(CC_REFRESH)
    }

    // MARK: Terminal geometry

    /// The cursor's row and the input's last row, counted from the prompt's row.
    private func inputRows() -> (cursor: Int, last: Int) {
        let columns = Int(ceditline_terminal_columns(editLine))
        guard columns > 0, let info = el_wline(editLine)?.pointee, let start = info.buffer, let cursor = info.cursor,
            let last = info.lastchar
        else { return (0, 0) }
        let beforeCursor = TerminalSession.displayWidth(of: UnsafeBufferPointer(start: start, count: cursor - start))
        let afterCursor = TerminalSession.displayWidth(of: UnsafeBufferPointer(start: cursor, count: last - cursor))
        let cursorColumn = promptWidth + beforeCursor
        return (cursorColumn / columns, (cursorColumn + afterCursor) / columns)
    }

    private static func displayWidth(of characters: some Sequence<wchar_t>) -> Int {
        characters.reduce(0) { width, character in
            width + (Unicode.Scalar(UInt32(bitPattern: character)).map(\.terminalColumns) ?? 1)
        }
    }

    private func write(_ text: String) {
        fflush(outputFile)
        FileDescriptorIO.writeAll(text, to: core.output)
    }

    func end() {
        guard !isEnded else { return }
        isEnded = true
        TerminalSession.terminalDatabaseLock.withLock { el_end(editLine) }
        history_end(history)
        fclose(inputFile)
        fclose(outputFile)
        free(prompt)
        prompt = nil
        Unmanaged.passUnretained(self).release()
    }
}
