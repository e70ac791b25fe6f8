import Channels
import Foundation
import Testing
import Transcripts

@Suite("Failure reports")
struct FailureReportTests {
    /// The deliberately broken transcript fails with exactly the report kept in its golden file.
    @Test func brokenTranscriptMatchesGoldenReport() async throws {
        let result = try await Self.runBroken()
        let report = result.report(style: TerminalStyle(usesColor: false)).replacingOccurrences(of: TestPaths.root, with: "")
        let golden = try String(contentsOfFile: TestPaths.broken + "/check-order-broken.report", encoding: .utf8)
        #expect(report == golden)
    }

    /// Every failure in a file is reported, not only the first, each at its own line.
    @Test func reportsEveryFailure() async throws {
        let result = try await Self.runBroken()
        #expect(result.failures.map(\.line) == [11, 15, 18, 19])
        #expect(result.failures.allSatisfy { $0.turnText != nil })
    }

    /// With color, removed lines are red and added lines green; without, there are no escape codes.
    @Test func colorOnlyWhenAsked() async throws {
        let result = try await Self.runBroken()
        let colored = result.report(style: TerminalStyle(usesColor: true))
        #expect(colored.contains("\u{1B}[31m-< Order ORD-1001: 2 × Burr Grinder, shipped.\u{1B}[0m"))
        #expect(colored.contains("\u{1B}[32m+< Order ORD-1001: 1 × Burr Grinder, shipped.\u{1B}[0m"))
        #expect(!result.report(style: TerminalStyle(usesColor: false)).contains("\u{1B}"))
    }

    /// TAP has a plan, one line per transcript and the failures as YAML; JUnit has a test case per transcript.
    @Test func tapAndJUnit() async throws {
        let broken = try await Self.runBroken()
        let passed = TranscriptResult(path: "ok.chat", title: "Fine & dandy", failures: [], turns: 2)
        let tap = TranscriptReports.tap([passed, broken])
        #expect(tap.hasPrefix("TAP version 14\n1..2\nok 1 - ok.chat # Fine & dandy\nnot ok 2 - "))
        #expect(tap.contains("    - line: 11\n"))
        let junit = TranscriptReports.junit([passed, broken])
        #expect(junit.contains("<testsuites tests=\"2\" failures=\"1\""))
        #expect(junit.contains("name=\"Fine &amp; dandy\""))
        #expect(junit.contains("check-order-broken.chat:11: the bot sent 2 messages, the transcript expects 1 message"))
        #expect(!junit.contains("\u{1B}"))
        #expect(TranscriptSuite.summary([passed, broken]) == "1 passed, 1 failed")
    }

    static func runBroken() async throws -> TranscriptResult {
        await TranscriptRunner(defaultBotFolder: TestPaths.dialogs).run(file: TestPaths.broken + "/check-order-broken.chat")
    }
}
