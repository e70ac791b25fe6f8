import Foundation
import LineEditing

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal: the editor reads and writes the terminal side, the test types and reads on the controller side.
final class PseudoTerminal: @unchecked Sendable {
    // Used from one test at a time; not shared between tasks.

    /// The controller side's output did not show what a test waited for in time.
    struct Timeout: Error, CustomStringConvertible {
        let expected: String
        let received: String
        var description: String { "terminal never showed \(expected.debugDescription); it showed \(received.debugDescription)" }
    }

    private let controller: Int32
    private let terminal: Int32
    private var received: [UInt8] = []
    private var consumed = 0

    /// The terminal side, as the REPL would pass its standard input and output.
    let editorSide: FileHandle

    init(columns: UInt16 = 80) throws {
        controller = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard controller >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        // TIOCSPTLCK and TIOCGPTN (asm-generic ioctl numbers) are not imported into Swift.
        var unlock: Int32 = 0
        var number: UInt32 = 0
        var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(controller, UInt(0x4004_5431), &unlock) == 0, ioctl(controller, UInt(0x8004_5430), &number) == 0,
            ioctl(controller, UInt(TIOCSWINSZ), &size) == 0
        else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        terminal = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard terminal >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        editorSide = FileHandle(fileDescriptor: terminal, closeOnDealloc: false)
        let flags = fcntl(controller, F_GETFL)
        _ = fcntl(controller, F_SETFL, flags | O_NONBLOCK)
    }

    /// Sends keystrokes as a user would type them, once the editor has the terminal in raw mode (or after a
    /// second): keys that arrive while the line discipline still edits lines are read by it, not by the editor
    /// (Ctrl-R would reprint the line instead of searching).
    func type(_ keys: String) {
        let deadline = ContinuousClock.now + .seconds(1)
        var settings = termios()
        while tcgetattr(terminal, &settings) == 0, settings.c_lflag & tcflag_t(ICANON) != 0, ContinuousClock.now < deadline {
            usleep(1000)
        }
        var remaining = Array(keys.utf8)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(controller, $0.baseAddress, $0.count) }
            if written > 0 { remaining = remaining.dropFirst(written) } else if errno != EINTR && errno != EAGAIN { return }
        }
    }

    /// Waits until the editor's output after the last match contains `text`; returns that output, through `text`.
    @discardableResult
    func expect(_ text: String, within timeout: Duration = .seconds(10)) async throws -> String {
        let needle = Array(text.utf8)
        let deadline = ContinuousClock.now + timeout
        while true {
            drain()
            if let range = find(needle) {
                let seen = String(decoding: received[consumed..<range.upperBound], as: UTF8.self)
                consumed = range.upperBound
                return seen
            }
            guard ContinuousClock.now < deadline else {
                throw Timeout(expected: text, received: String(decoding: received[consumed...], as: UTF8.self))
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Everything the editor wrote since the last match, after giving it `settle` to write more.
    func remainingOutput(after settle: Duration = .milliseconds(50)) async throws -> String {
        try await Task.sleep(for: settle)
        drain()
        defer { consumed = received.count }
        return String(decoding: received[consumed...], as: UTF8.self)
    }

    func close() {
        Glibc.close(terminal)
        Glibc.close(controller)
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = buffer.withUnsafeMutableBytes { read(controller, $0.baseAddress, $0.count) }
            guard got > 0 else { return }
            received += buffer.prefix(got)
        }
    }

    private func find(_ needle: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, received.count - consumed >= needle.count else { return nil }
        for start in consumed...(received.count - needle.count)
        where received[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }
}

/// Runs `body` with an editor on a fresh pseudo-terminal, closing both afterwards.
func withTerminalEditor(
    historyFile: URL? = nil, columns: UInt16 = 80,
    _ body: (PseudoTerminal, LineEditor) async throws -> Void
) async throws {
    let terminal = try PseudoTerminal(columns: columns)
    let editor = try LineEditor(
        input: terminal.editorSide, output: terminal.editorSide, historyFile: historyFile, terminalType: "xterm")
    do {
        try await body(terminal, editor)
    } catch {
        editor.close()
        terminal.close()
        throw error
    }
    editor.close()
    terminal.close()
}

/// Keys as the terminal sends them.
enum Key {
    static let enter = "\r"
    static let tab = "\t"
    static let up = "\u{1B}[A"
    static let ctrlC = "\u{03}"
    static let ctrlD = "\u{04}"
    static let ctrlR = "\u{12}"
}

/// A folder of its own under the temporary directory, for history files.
func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-line-editing-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
