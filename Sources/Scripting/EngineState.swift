/// What an engine's C callbacks (`print`, the machine's watch) share with it during a call.
final class EngineState {
    /// Why the watch stopped a script.
    enum Stop {
        case timeLimit, memoryLimit
    }

    /// Lines printed in this call, at most ``PrintLimit/lines`` of them and ``PrintLimit/bytes`` in all.
    var printed: [String] = []
    var printedBytes = 0
    /// Whether print output was dropped because the limit was reached.
    var printTruncated = false

    /// Set by the watch when it terminates the script.
    var stop: Stop?
    /// Watch periods this call has run.
    var periods = 0
    /// The process's resident memory at the call's first watch period.
    var memoryBaseline: Int?

    /// Starts the limits over for one entry into JavaScript.
    func beginCall() {
        stop = nil
        periods = 0
        memoryBaseline = nil
    }

    /// Forgets what earlier calls printed.
    func beginOutput() {
        printed.removeAll(keepingCapacity: true)
        printedBytes = 0
        printTruncated = false
    }

    /// Keeps a printed line, cutting it, or dropping it, where the limit runs out.
    func keepPrinted(_ line: String) {
        guard !printTruncated else { return }
        guard printed.count < PrintLimit.lines else {
            printTruncated = true
            return
        }
        let size = line.utf8.count
        guard printedBytes + size <= PrintLimit.bytes else {
            printed.append(PrintLimit.prefix(of: line, bytes: PrintLimit.bytes - printedBytes))
            printedBytes = PrintLimit.bytes
            printTruncated = true
            return
        }
        printed.append(line)
        printedBytes += size
    }
}

/// How much a script's `print()` output is kept: enough for any answer a person reads in a chat; a script
/// printing in a loop does not fill the memory or the screen.
public enum PrintLimit {
    /// Lines kept per call, and shown per turn.
    public static let lines = 100
    /// Bytes of UTF-8 kept per call, and shown per turn.
    public static let bytes = 64 * 1024

    /// The longest prefix of `text`, in whole characters, that fits in `bytes` of UTF-8.
    public static func prefix(of text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var kept = 0
        var end = text.startIndex
        for character in text {
            let size = character.utf8.count
            guard kept + size <= bytes else { break }
            kept += size
            end = text.index(after: end)
        }
        return String(text[..<end])
    }
}
