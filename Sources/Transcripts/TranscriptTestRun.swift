import Channels
import DialogModel
import Foundation

/// `parley test`: finds transcript files, replays them in parallel and prints the report (or TAP), with a
/// progress line on a terminal and, when asked, JUnit XML and node coverage.
public struct TranscriptTestRun: Sendable {
    /// Transcript files or folders to search for `*.chat` files.
    public var paths: [String]
    /// Only transcripts whose path or title contains this text.
    public var filter: String?
    /// How many transcripts to replay at once.
    public var jobs: Int
    /// A file to also write the results to as JUnit XML.
    public var junit: String?
    /// Print TAP (version 14) instead of the report; the summary goes to standard error.
    public var tap: Bool
    /// Report the dialog nodes and transitions reached, and list the ones never reached.
    public var coverage: Bool
    /// The bot folder for transcripts without `@bot`.
    public var defaultBotFolder: String

    public init(
        paths: [String], filter: String?, jobs: Int, junit: String?, tap: Bool, coverage: Bool, defaultBotFolder: String
    ) {
        self.paths = paths
        self.filter = filter
        self.jobs = jobs
        self.junit = junit
        self.tap = tap
        self.coverage = coverage
        self.defaultBotFolder = defaultBotFolder
    }

    /// The paths named no transcript files that can be read.
    public struct FilesNotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// The JUnit file could not be written.
    public struct JUnitWriteFailure: Error {
        public var path: String
        public var underlying: any Error
    }

    /// Replays and reports; `true` when every transcript passed.
    ///
    /// - Throws: ``FilesNotFound``, ``JUnitWriteFailure``.
    public func run() async throws -> Bool {
        var files: [String]
        do {
            files = try TranscriptSuite.files(in: paths)
        } catch {
            throw FilesNotFound(description: "\(error)")
        }
        if let filter {
            files = files.filter {
                $0.localizedCaseInsensitiveContains(filter) || title(of: $0).localizedCaseInsensitiveContains(filter)
            }
        }
        let style = TerminalStyle(for: .standardOutput)
        let progress = ProgressLine(total: files.count)
        let started = ContinuousClock.now
        let runner = TranscriptRunner(defaultBotFolder: defaultBotFolder)
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
                throw JUnitWriteFailure(path: junit, underlying: error)
            }
        }
        return results.allSatisfy(\.passed)
    }

    private func title(of path: String) -> String {
        (try? TranscriptParser.parse(contentsOf: path))?.title ?? ""
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
