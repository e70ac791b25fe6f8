import ArgumentParser
import Foundation
import Transcripts

extension Parley {
    /// `parley test`: replays transcript files as tests.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Replay transcript files (*.chat) against the bot and report every difference.",
            discussion: """
                Each transcript runs isolated (its own conversations, clock and in-process Salesforce sandbox), \
                in parallel and deterministically. Failures show file:line, the user's turn and a diff of expected \
                against actual. The last line is 'N passed, N failed'; the exit status is non-zero on any failure. \
                The format is described in docs/transcripts.md.
                """
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "Transcript files or folders to search for *.chat files.")
        var paths: [String] = ["Tests/Transcripts"]

        @Option(help: "Run only transcripts whose path or title contains this text.")
        var filter: String?

        @Option(help: "How many transcripts to replay at once.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "file"))
        var junit: String?

        @Flag(help: "Print TAP (version 14) instead of the report; the summary goes to standard error.")
        var tap = false

        @Flag(help: "Report which dialog nodes and transitions the transcripts reached, and list the ones never reached.")
        var coverage = false

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs takes a number of at least 1, not \(jobs)") }
            if let filter, filter.isEmpty { throw ValidationError("--filter needs some text to look for; it is empty") }
            if let junit { try OutputFile.check(junit, option: "--junit") }
        }

        func run() async throws {
            let suite = TranscriptTestRun(
                paths: paths, filter: filter, jobs: jobs, junit: junit, tap: tap, coverage: coverage,
                defaultBotFolder: options.bot)
            let passed: Bool
            do {
                passed = try await suite.run()
            } catch let error as TranscriptTestRun.FilesNotFound {
                throw ValidationError(error.description)
            } catch let failure as TranscriptTestRun.JUnitWriteFailure {
                throw OutputFileFailure(option: "--junit", path: failure.path, error: failure.underlying)
            }
            if !passed { throw ExitCode.failure }
        }
    }
}
