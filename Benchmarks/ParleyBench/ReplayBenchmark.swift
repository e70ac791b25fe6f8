import Channels
import Foundation
import Transcripts

/// The whole transcript suite under `Tests/Transcripts/`, replayed in parallel on every core against the
/// in-process sandbox and `@http` stubs: turns per second and the suite's wall time.
enum ReplayBenchmark {
    static let folder = "Tests/Transcripts"
    static let rounds = 40

    static func run(into results: inout BenchResults) async throws {
        let files = try TranscriptSuite.files(in: [folder])
        let jobs = ProcessInfo.processInfo.activeProcessorCount
        let runner = TranscriptRunner(defaultBotFolder: "Dialogs")
        // One warm-up round loads the bots and JavaScriptCore, as a developer's second run would find them.
        let warmUp = await TranscriptSuite.run(files, runner: runner, jobs: jobs)
        if let failed = warmUp.first(where: { !$0.passed }) {
            throw BenchmarkFailure(
                "\(failed.path) fails, so the replay figures would mean nothing:\n\(failed.report(style: TerminalStyle(usesColor: false)))"
            )
        }
        var times: [Double] = []
        for _ in 0..<rounds {
            let started = ContinuousClock.now
            let round = await TranscriptSuite.run(files, runner: runner, jobs: jobs)
            let elapsed = ContinuousClock.now - started
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            if round.contains(where: { !$0.passed }) { throw BenchmarkFailure("a transcript failed in a timed round") }
        }
        let turns = warmUp.reduce(0) { $0 + $1.turns }
        times.sort()
        let median = percentile(times, 0.5)
        results.record("replay.turns_per_s", Double(turns) / median, unit: "turns/s", target: ">= 2000 on 2 cores")
        let spread = String(format: "%.1f–%.1f ms", (times.first ?? 0) * 1000, (times.last ?? 0) * 1000)
        results.record(
            "replay.suite_s", median, unit: "s",
            target: "\(files.count) transcripts, \(turns) turns, \(jobs) jobs; \(rounds) rounds took \(spread)")
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
