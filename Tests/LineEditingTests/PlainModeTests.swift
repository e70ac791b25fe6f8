import Foundation
import LineEditing
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A pipe for the editor's input or output, as when the REPL is scripted.
private struct Pipe2 {
    let readEnd: FileHandle
    let writeEnd: FileHandle

    init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        readEnd = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        writeEnd = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
    }
}

@Suite(.timeLimit(.minutes(5)))
struct PlainModeTests {
    /// Piped input gives plain lines (CRLF or not, last one without newline), then the end, with no escape sequences.
    @Test func pipedInputReturnsLinesWithoutEscapeSequences() async throws {
        let input = try Pipe2()
        let output = try Pipe2()
        let editor = try LineEditor(input: input.readEnd, output: output.writeEnd, historyFile: nil)
        #expect(!editor.isTerminal)
        try input.writeEnd.write(contentsOf: Data("create a lead\r\nZoë\n\nlast".utf8))
        try input.writeEnd.close()
        var lines: [LineEditor.Input] = []
        for _ in 0..<5 {
            lines.append(await editor.readLine(prompt: "you> "))
        }
        editor.printAbove("Bot: done")
        editor.close()
        try output.writeEnd.close()
        #expect(lines == [.line("create a lead"), .line("Zoë"), .line(""), .line("last"), .endOfInput])
        let written = String(decoding: try output.readEnd.readToEnd() ?? Data(), as: UTF8.self)
        #expect(written == "Bot: done\n")
        #expect(editor.historyEntries.isEmpty)
    }

    /// With `echoPromptWhenPlain`, each read writes its prompt, still without escape sequences.
    @Test func promptIsWrittenWhenAskedFor() async throws {
        let input = try Pipe2()
        let output = try Pipe2()
        let editor = try LineEditor(input: input.readEnd, output: output.writeEnd, historyFile: nil)
        editor.echoPromptWhenPlain = true
        try input.writeEnd.write(contentsOf: Data("hi\n".utf8))
        try input.writeEnd.close()
        #expect(await editor.readLine(prompt: "you> ") == .line("hi"))
        #expect(await editor.readLine(prompt: "you> ") == .endOfInput)
        editor.close()
        try output.writeEnd.close()
        let written = String(decoding: try output.readEnd.readToEnd() ?? Data(), as: UTF8.self)
        #expect(written == "you> you> ")
    }

    /// A read waiting on a silent pipe ends when the editor closes.
    @Test func closeEndsAWaitingRead() async throws {
        let input = try Pipe2()
        let output = try Pipe2()
        try await withLineEditor(input: input.readEnd, output: output.writeEnd, historyFile: nil) { editor in
            let reading = Task { await editor.readLine(prompt: "") }
            try await Task.sleep(for: .milliseconds(20))
            editor.close()
            #expect(await reading.value == .endOfInput)
        }
    }

    /// A history limit below one is refused with a message naming it.
    @Test func historyLimitMustBePositive() throws {
        let input = try Pipe2()
        #expect(throws: LineEditorError.invalidHistoryLimit(0)) {
            _ = try LineEditor(input: input.readEnd, output: input.writeEnd, historyFile: nil, historyLimit: 0)
        }
        #expect(LineEditorError.invalidHistoryLimit(0).description == "history limit must be at least 1, got 0")
    }
}
