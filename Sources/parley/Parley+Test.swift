import ArgumentParser
import Channels
import DialogModel
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
            var files: [String]
            do {
                files = try TranscriptSuite.files(in: paths)
            } catch {
                throw ValidationError("\(error)")
            }
            if let filter {
                files = files.filter {
                    $0.localizedCaseInsensitiveContains(filter) || title(of: $0).localizedCaseInsensitiveContains(filter)
                }
            }
            let style = TerminalStyle(for: .standardOutput)
            let progress = ProgressLine(total: files.count)
            let started = ContinuousClock.now
            let runner = TranscriptRunner(defaultBotFolder: options.bot)
            let results = await TranscriptSuite.run(files, runner: runner, jobs: jobs) { done, _ in progress.update(done) }
            var bots: [String: Bot] = [:]
            if coverage {
                for result in results {
                    guard let folder = result.botFolder, bots[folder] == nil,
                        let transcript = try? TranscriptParser.parse(contentsOf: result.path)
                    else { continue }
                    bots[folder] = try? await runner.bot(for: transcript)
                }
            }
            progress.clear()
            let elapsed = ContinuousClock.now - started
            let summary = TranscriptSuite.summary(results)
            if tap {
                print(TranscriptReports.tap(results), terminator: "")
                FileHandle.standardError.write(Data((summary + "\n").utf8))
            } else {
                for result in results where !result.passed {
                    print(result.report(style: style))
                }
                if coverage {
                    print(TranscriptReports.coverage(results, bots: bots, style: style))
                }
                let turns = results.reduce(0) { $0 + $1.turns }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let noun = results.count == 1 ? "transcript" : "transcripts"
                print(style.dim("\(results.count) \(noun), \(turns) turns in " + String(format: "%.2f s", seconds)))
                let failed = results.contains { !$0.passed }
                print(failed ? style.red(style.bold(summary)) : style.green(summary))
            }
            if let junit {
                do {
                    try TranscriptReports.junit(results).write(toFile: junit, atomically: true, encoding: .utf8)
                } catch {
                    throw OutputFileFailure(option: "--junit", path: junit, error: error)
                }
            }
            if results.contains(where: { !$0.passed }) { throw ExitCode.failure }
        }

        private func title(of path: String) -> String {
            (try? TranscriptParser.parse(contentsOf: path))?.title ?? ""
        }
    }
}

/// `[12/40] replaying transcripts…` on standard error, redrawn in place; only on a terminal.
private final class ProgressLine: Sendable {
    let total: Int
    let enabled: Bool

    init(total: Int) {
        self.total = total
        // A handful of transcripts finish before a line would be worth reading.
        enabled = isatty(FileHandle.standardError.fileDescriptor) == 1 && total >= 20
    }

    func update(_ done: Int) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K[\(done)/\(total)] replaying transcripts…".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
