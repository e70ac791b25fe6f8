import Foundation
import LineEditing
import Testing

/// libedit keeps some terminal state per process, so terminal editors are tested one at a time.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct TerminalEditingTests {
    /// A typed line comes back without its newline, and the editor knows it is on a terminal.
    @Test func typedLineIsReturned() async throws {
        try await withTerminalEditor { terminal, editor in
            #expect(editor.isTerminal)
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("hello world" + Key.enter)
            #expect(await input == .line("hello world"))
        }
    }

    /// Non-ASCII text is read and returned as typed.
    @Test func nonASCIITextIsReturned() async throws {
        try await withTerminalEditor { terminal, editor in
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("Zoë in 東京" + Key.enter)
            #expect(await input == .line("Zoë in 東京"))
        }
    }

    /// Tab with one candidate completes the word and adds a space.
    @Test func tabCompletesTheOnlyCandidate() async throws {
        try await withTerminalEditor { terminal, editor in
            editor.completer = { text, cursor in
                #expect(cursor == text.count)
                return ["/help", "/history", "/restart"].filter { $0.hasPrefix(text) }
            }
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("/he" + Key.tab)
            // libedit redraws only what changed: the completed rest of the word.
            try await terminal.expect("lp ")
            terminal.type("me" + Key.enter)
            #expect(await input == .line("/help me"))
        }
    }

    /// Tab with several candidates completes their common prefix, lists them and redraws the prompt.
    @Test func tabListsSeveralCandidates() async throws {
        try await withTerminalEditor { terminal, editor in
            editor.completer = { text, _ in
                let word = text.split(separator: " ").last.map(String.init) ?? ""
                return ["restart", "resume", "help"].filter { $0.hasPrefix(word) }
            }
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("please r" + Key.tab)
            try await terminal.expect("restart  resume\r\n")
            try await terminal.expect("you> please res")
            terminal.type("ume" + Key.enter)
            #expect(await input == .line("please resume"))
        }
    }

    /// Up recalls the previous entries, newest first.
    @Test func upArrowRecallsHistory() async throws {
        try await withTerminalEditor { terminal, editor in
            for line in ["first", "second"] {
                async let input = editor.readLine(prompt: "you> ")
                try await terminal.expect("you> ")
                terminal.type(line + Key.enter)
                #expect(await input == .line(line))
            }
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type(Key.up)
            try await terminal.expect("second")
            terminal.type(Key.up + Key.enter)
            #expect(await input == .line("first"))
            #expect(editor.historyEntries == ["first", "second", "first"])
        }
    }

    /// Entered lines persist to a 0600 file in created folders, without consecutive repeats, and load in a new editor.
    @Test func historyPersistsBetweenEditors() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("state/parley/history")
        try await withTerminalEditor(historyFile: file) { terminal, editor in
            for line in ["alpha", "alpha", "beta", "  "] {
                async let input = editor.readLine(prompt: "you> ")
                try await terminal.expect("you> ")
                terminal.type(line + Key.enter)
                #expect(await input == .line(line))
            }
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "alpha\nbeta\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        try await withTerminalEditor(historyFile: file) { terminal, editor in
            #expect(editor.historyEntries == ["alpha", "beta"])
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type(Key.up + Key.up + Key.enter)
            #expect(await input == .line("alpha"))
        }
    }

    /// A line typed with a leading space is returned as typed but kept out of history and its file.
    @Test func leadingSpaceKeepsALineOutOfHistory() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("history")
        try await withTerminalEditor(historyFile: file) { terminal, editor in
            for line in ["connect salesforce", " s3cret-token"] {
                async let input = editor.readLine(prompt: "you> ")
                try await terminal.expect("you> ")
                terminal.type(line + Key.enter)
                #expect(await input == .line(line))
            }
            #expect(editor.historyEntries == ["connect salesforce"])
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "connect salesforce\n")
    }

    /// A line read for a secret (`addingToHistory: false`) is returned as typed but kept out of history and its file.
    @Test func aSecretAnswerStaysOutOfHistory() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("history")
        try await withTerminalEditor(historyFile: file) { terminal, editor in
            for (line, keep) in [("check my balance", true), ("4321", false), ("thanks", true)] {
                async let input = editor.readLine(prompt: "you> ", addingToHistory: keep)
                try await terminal.expect("you> ")
                terminal.type(line + Key.enter)
                #expect(await input == .line(line))
            }
            #expect(editor.historyEntries == ["check my balance", "thanks"])
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "check my balance\nthanks\n")
    }

    /// Ctrl-R searches back through history for what is typed next.
    @Test func ctrlRFindsAnEarlierEntry() async throws {
        try await withTerminalEditor { terminal, editor in
            for line in ["create a lead for Acme", "show my opportunities", "help"] {
                editor.addHistory(line)
            }
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type(Key.ctrlR + "lead")
            try await terminal.expect("create a lead for Acme")
            terminal.type(Key.enter)
            #expect(await input == .line("create a lead for Acme"))
        }
    }

    /// Ctrl-C cancels the line being typed, and the next read works normally.
    @Test func ctrlCInterruptsTheLine() async throws {
        try await withTerminalEditor { terminal, editor in
            async let first = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("never mind" + Key.ctrlC)
            #expect(await first == .interrupted)
            try await terminal.expect("^C\r\n")

            async let second = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("next" + Key.enter)
            #expect(await second == .line("next"))
            #expect(editor.historyEntries == ["next"])
        }
    }

    /// Ctrl-D ends the input on an empty line, and only there.
    @Test func ctrlDOnAnEmptyLineEndsInput() async throws {
        try await withTerminalEditor { terminal, editor in
            async let first = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("abc" + Key.ctrlD + Key.enter)
            #expect(await first == .line("abc"))

            async let second = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type(Key.ctrlD)
            #expect(await second == .endOfInput)
            // The cursor is left on a fresh line for whatever the REPL writes next.
            #expect(try await terminal.remainingOutput() == "^D\r\n")
        }
    }

    /// Text printed while the user types appears above the prompt, which is redrawn with the partial line.
    @Test func printAboveRedrawsThePromptAndPartialLine() async throws {
        try await withTerminalEditor { terminal, editor in
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("half")
            try await terminal.expect("half")
            editor.printAbove("Bot: your lead was created")
            let redraw = try await terminal.expect("you> half")
            #expect(redraw.contains("Bot: your lead was created\r\n"))
            terminal.type(" done" + Key.enter)
            #expect(await input == .line("half done"))
        }
    }

    /// A coloured prompt is drawn with its escape sequences, and editing keys still land in the right place.
    @Test func colouredPromptKeepsEditingAligned() async throws {
        try await withTerminalEditor { terminal, editor in
            async let input = editor.readLine(prompt: "\u{1B}[1;32mzoë>\u{1B}[0m ")
            try await terminal.expect("\u{1B}[1;32mzoë>\u{1B}[0m ")
            // Ctrl-A to the start, insert there, Ctrl-E back to the end.
            terminal.type("ead\u{01}l\u{05}s" + Key.enter)
            #expect(await input == .line("leads"))
        }
    }

    /// Text printed above a line that wraps clears the whole input before the redraw.
    @Test func printAboveClearsAWrappedLine() async throws {
        try await withTerminalEditor(columns: 20) { terminal, editor in
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            terminal.type("a line that wraps twice on a narrow screen")
            try await terminal.expect("screen")
            editor.printAbove("Bot: hello")
            let redraw = try await terminal.expect("Bot: hello")
            // From the third row of the input: up two rows, clear to the end of the screen.
            #expect(redraw.hasSuffix("\r\u{1B}[2A\u{1B}[JBot: hello"))
            terminal.type(Key.enter)
            #expect(await input == .line("a line that wraps twice on a narrow screen"))
        }
    }

    /// Closing the editor ends a read in progress.
    @Test func closeEndsAReadInProgress() async throws {
        try await withTerminalEditor { terminal, editor in
            async let input = editor.readLine(prompt: "you> ")
            try await terminal.expect("you> ")
            editor.close()
            #expect(await input == .endOfInput)
            #expect(await editor.readLine(prompt: "you> ") == .endOfInput)
        }
    }

    /// Cancelling the reading task ends its read, and the editor keeps working.
    @Test func cancellingTheTaskEndsTheRead() async throws {
        try await withTerminalEditor { terminal, editor in
            let reading = Task { await editor.readLine(prompt: "you> ") }
            try await terminal.expect("you> ")
            reading.cancel()
            #expect(await reading.value == .endOfInput)

            async let input = editor.readLine(prompt: "again> ")
            try await terminal.expect("again> ")
            terminal.type("still here" + Key.enter)
            #expect(await input == .line("still here"))
        }
    }
}
