import Foundation
import Testing

@testable import LineEditing

struct CompletionTests {
    /// One candidate replaces the word before the cursor and adds a space.
    @Test func oneCandidateCompletesTheWord() throws {
        let completion = try #require(Completion(textBeforeCursor: "create a le", candidates: ["lead"]))
        #expect(completion.word == "le")
        #expect(completion.replacement == "lead ")
        #expect(completion.listing.isEmpty)
    }

    /// Several candidates extend the word to their common prefix and are all listed, without repeats.
    @Test func severalCandidatesCompleteTheCommonPrefix() throws {
        let completion = try #require(
            Completion(textBeforeCursor: "/r", candidates: ["/restart", "/resume", "/restart"]))
        #expect(completion.replacement == "/res")
        #expect(completion.listing == ["/restart", "/resume"])
    }

    /// Candidates that do not extend the word leave it as typed.
    @Test func unrelatedCandidatesLeaveTheWord() throws {
        let completion = try #require(Completion(textBeforeCursor: "x", candidates: ["alpha", "beta"]))
        #expect(completion.replacement == "x")
        #expect(Completion(textBeforeCursor: "x", candidates: []) == nil)
    }

    /// Listings fill rows left to right within the terminal width.
    @Test func listingIsLaidOutInColumns() {
        #expect(Completion.columns(["aa", "bbbb", "c"], width: 14) == "aa    bbbb\nc\n")
        #expect(Completion.columns(["aa", "bbbb", "c"], width: 80) == "aa    bbbb  c\n")
    }
}

struct PromptTextTests {
    /// Colour sequences are marked as literal and take no columns; wide characters take two.
    @Test func escapeSequencesTakeNoColumns() {
        let prompt = PromptText("\u{1B}[1;32mzoë\u{1B}[0m 東> ")
        #expect(prompt.marked == "\u{01}\u{1B}[1;32m\u{01}zoë\u{01}\u{1B}[0m\u{01} 東> ")
        #expect(prompt.columns == 8)
    }
}

struct UTF8KeyDecoderTests {
    /// A character split across reads comes out whole once its last byte arrives.
    @Test func splitCharacterWaitsForItsBytes() {
        var decoder = UTF8KeyDecoder()
        decoder.append([0x61, 0xE6, 0x9D])
        #expect(decoder.next() == "a")
        #expect(decoder.next() == nil)
        decoder.append([0xB1])
        #expect(decoder.next() == "東")
    }

    /// Malformed bytes become U+FFFD one at a time and decoding goes on.
    @Test func malformedBytesAreReplaced() {
        var decoder = UTF8KeyDecoder()
        decoder.append([0xFF, 0xC3, 0x41])
        #expect(decoder.next() == "\u{FFFD}")
        #expect(decoder.next() == "\u{FFFD}")
        #expect(decoder.next() == "A")
        #expect(decoder.next() == nil)
    }
}

struct HistoryFileTests {
    /// Loading keeps the newest entries up to the limit and folds consecutive repeats.
    @Test func loadingKeepsTheNewestEntries() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("history")
        try Data("one\ntwo\ntwo\nthree\n\nfour\n".utf8).write(to: url)
        var file = try HistoryFile(url: url, limit: 3)
        #expect(try file.load() == ["two", "three", "four"])
    }

    /// A file grown past twice the limit is rewritten with the newest entries only, still mode 0600.
    @Test func longFileIsTrimmed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("history")
        var file = try HistoryFile(url: url, limit: 2)
        var entries: [String] = []
        for number in 1...5 {
            entries.append("entry \(number)")
            file.append("entry \(number)", allEntries: Array(entries.suffix(2)))
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "entry 4\nentry 5\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    /// A history path whose folder cannot be created is reported with that folder.
    @Test func unusableFolderIsReported() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocker = folder.appendingPathComponent("file")
        try Data().write(to: blocker)
        #expect {
            _ = try HistoryFile(url: blocker.appendingPathComponent("history"), limit: 10)
        } throws: { error in
            "\(error)".hasPrefix("history file \(blocker.path) cannot be used: cannot create its folder")
        }
    }
}
