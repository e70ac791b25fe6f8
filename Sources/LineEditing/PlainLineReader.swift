/// Reads newline-terminated lines with no editing, no escape sequences and no redraws.
///
/// Used when the input or output is not a terminal, so a script can drive the REPL.
final class PlainLineReader: LineSource {
    private let core: EditorCore
    private var buffered: [UInt8] = []
    private var reachedEnd = false

    init(core: EditorCore) throws(LineEditorError) {
        self.core = core
    }

    func readLine(prompt: String, echoPrompt: Bool) -> LineEditor.Input {
        if echoPrompt {
            core.withLock { _ = FileDescriptorIO.writeAll(prompt, to: core.output) }
        }
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffered[..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                let text = String(decoding: line, as: UTF8.self)
                buffered.removeSubrange(...newline)
                return .line(text)
            }
            if reachedEnd || core.shouldStopReading {
                guard !buffered.isEmpty, !core.shouldStopReading else { return .endOfInput }
                // The last line may lack its newline; it is still a line.
                let text = String(decoding: buffered, as: UTF8.self)
                buffered.removeAll()
                return .line(text)
            }
            switch FileDescriptorIO.waitForInput(core.input, orWakeUp: core.wakePipe.readEnd) {
            case .wakeUp:
                core.wakePipe.drain()
            case .input:
                guard let bytes = FileDescriptorIO.read(from: core.input, upTo: 4096), !bytes.isEmpty else {
                    reachedEnd = true
                    continue
                }
                buffered += bytes
            case .failed:
                reachedEnd = true
            }
        }
    }

    func end() {}
}
