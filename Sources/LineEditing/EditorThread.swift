import CEditLine
import Foundation

/// The loop of the editor's dedicated thread: takes read requests one at a time and serves them.
///
/// Everything that blocks on the input, and every libedit call, happens here.
struct EditorThread {
    let core: EditorCore
    let terminalType: String?

    func run() {
        // libedit decodes keys and measures text by the thread's locale; use UTF-8 whatever the process uses.
        let hasUTF8Locale = ceditline_use_utf8_on_this_thread() == 0
        defer { if hasUTF8Locale { ceditline_end_utf8_on_this_thread() } }

        let source: any LineSource
        do {
            source =
                try core.isTerminal
                ? TerminalSession(core: core, terminalType: terminalType) : PlainLineReader(core: core)
        } catch {
            finishStartup(error: error)
            finish()
            return
        }
        finishStartup(error: nil)
        while let request = nextRequest() {
            let (prompt, echo) = core.withLock { (request.prompt, core.echoPromptWhenPlain) }
            let input = source.readLine(prompt: prompt, echoPrompt: echo)
            core.lock.lock()
            core.isReading = false
            core.current = nil
            // Text that arrived after the last key goes below the entered line, in order.
            for message in core.messagesAbove {
                FileDescriptorIO.writeAll(EditorCore.block(message), to: core.output)
            }
            core.messagesAbove.removeAll()
            // A leading space keeps a line (a pasted secret, say) out of history, as in shells.
            if core.isTerminal, request.addsToHistory, case .line(let line) = input, line.first?.isWhitespace == false {
                core.addHistoryLocked(line)
            }
            let continuation = request.continuation
            request.continuation = nil
            core.lock.unlock()
            continuation?.resume(returning: input)
        }
        source.end()
        finish()
    }

    /// Waits for the next request; nil once the editor is closed, after answering the queued ones.
    private func nextRequest() -> ReadRequest? {
        core.lock.lock()
        defer { core.lock.unlock() }
        while core.requests.isEmpty && !core.isClosed {
            core.lock.wait()
        }
        guard !core.isClosed else {
            for request in core.requests {
                request.continuation?.resume(returning: .endOfInput)
                request.continuation = nil
            }
            core.requests.removeAll()
            return nil
        }
        let request = core.requests.removeFirst()
        core.current = request
        core.isReading = true
        return request
    }

    private func finishStartup(error: LineEditorError?) {
        core.withLock {
            core.startupError = error
            core.isStarted = true
            core.lock.broadcast()
        }
    }

    private func finish() {
        core.withLock {
            core.isFinished = true
            core.lock.broadcast()
        }
    }
}

/// Where the editor thread gets lines from: libedit on a terminal, or plain reads.
protocol LineSource {
    /// Blocks until a line, an interruption or the end of input.
    func readLine(prompt: String, echoPrompt: Bool) -> LineEditor.Input
    /// Releases what the source holds; the terminal is back in its original mode afterwards.
    func end()
}
