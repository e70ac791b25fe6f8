import Channels
import Testing
import Transcripts

/// Every transcript under `Tests/Transcripts/` is a test: `swift test` and `make test` replay them all.
@Suite("Transcripts under Tests/Transcripts")
struct TranscriptFilesTests {
    /// One runner for every file, so each bot is loaded and trained once, not once per transcript.
    static let runner = TranscriptRunner(defaultBotFolder: TestPaths.dialogs)

    /// There are transcripts to run, for the example bot and for the Salesforce bot.
    @Test func transcriptsExist() {
        let files = TestPaths.transcriptFiles
        #expect(files.contains { $0.hasPrefix("Tests/Transcripts/orders/") })
        #expect(files.contains { $0.hasPrefix("Tests/Transcripts/salesforce/") })
    }

    /// The transcript replays green; a failure shows the runner's full report.
    @Test(arguments: TestPaths.transcriptFiles)
    func replaysGreen(_ file: String) async throws {
        let result = await Self.runner.run(file: TestPaths.root + file)
        #expect(result.turns > 0)
        #expect(result.passed, "\(result.report(style: TerminalStyle(usesColor: false)))")
    }
}

@Suite("Replaying in parallel")
struct ParallelReplayTests {
    /// Every transcript replayed four times at once, on shared bots, passes every time: nothing leaks between them.
    @Test func parallelRepeatsAllPass() async throws {
        let files = TestPaths.transcriptFiles.map { TestPaths.root + $0 }
        let repeated = Array(repeating: files, count: 4).flatMap { $0 }
        let results = await TranscriptSuite.run(repeated, runner: TranscriptFilesTests.runner, jobs: 8)
        #expect(results.map(\.path) == repeated)
        let failed = results.filter { !$0.passed }
        #expect(failed.isEmpty, "\(failed.map { $0.report(style: TerminalStyle(usesColor: false)) }.joined())")
    }
}
