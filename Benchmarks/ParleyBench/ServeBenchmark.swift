import Foundation
import LocalServing
import NIOCore

/// `parley serve` (the release binary beside this one) over loopback, server and load generator sharing the
/// machine: process start to ready; the turns a second it sustains and the server's processor time per turn; the p99
/// latency of a turn at the target rate; and the resident memory an idle conversation costs.
///
/// Each conversation runs the lead bot's create-lead task up to its authorization link and cancels it, twice: six
/// turns, each loaded and saved through the SQLite store, none calling Salesforce. Every reply is checked: a turn
/// answered with anything but 200 and the bot's expected words fails the run, as does a connection the server closes.
///
/// Throughput and latency are measured apart, because one load cannot show both. For `serve.turns_per_s` the
/// 1,000 conversations send their turns back to back, each as soon as the last reply came: the server never waits
/// for work, so this is its saturation rate, and a turn's latency there is mostly its wait in the queue (at 3,000
/// turns a second 1,000 such clients wait a third of a second on average, whatever the server does). For
/// `serve.turn_p99_ms` another 1,000 conversations send turns on a schedule, together 3,000 a second (each one a
/// turn every third of a second, their starts spread over that third): a turn's latency is counted from the time it
/// was due, not from when it went out, so a server that falls behind the rate shows it as latency instead of
/// slowing the clients down to what it can take.
///
/// The load generator (``ServeLoad``) runs in this process on one thread and takes its processor time from the
/// server's; `serve.loadgen_cpu_us` says how much a turn cost it.
enum ServeBenchmark {
    static let conversations = 1000
    /// The rate at which the paced conversations' turns arrive, together.
    static let targetTurnsPerSecond = 3000.0
    static let secret = "bench-secret-0123456789"
    static let bot = "Tests/ParleyCLITests/Fixtures/LeadBot"

    /// - Parameter timeline: where to write, as CSV, when each paced turn was due and its latency, to see whether the
    ///   tail is steady queueing or stalls.
    static func run(into results: inout BenchResults, timeline: URL? = nil) async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("parley").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            FileHandle.standardError.write(Data("serve: skipped, \(binary) is not built (make bench builds it)\n".utf8))
            return
        }
        try await withServer(binary: binary) { server, started, pid in
            results.record("serve.cold_start_ms", milliseconds(started), unit: "ms", target: "< 300")
            let cpuBefore = try cpuSeconds(of: pid)
            let loadBefore = try cpuSeconds(of: getpid())
            let (turns, turnsPerSecond) = try await saturate(server)
            let load = try cpuSeconds(of: getpid()) - loadBefore
            let cpu = try cpuSeconds(of: pid) - cpuBefore
            results.record("serve.turns_per_s", turnsPerSecond, unit: "turns/s", target: ">= 3000")
            // What a turn costs the server in processor time, which other work on the machine does not change.
            results.record("serve.turn_cpu_us", cpu * 1e6 / Double(turns), unit: "µs")
            results.record("serve.loadgen_cpu_us", load * 1e6 / Double(turns), unit: "µs")
            let p99 = try await pacedP99(server, timeline: timeline)
            results.record("serve.turn_p99_ms", p99, unit: "ms", target: "< 50")
        }
        // A server of its own, so what the load above left in the allocator does not hide what idle
        // conversations take.
        try await withServer(binary: binary) { server, _, pid in
            let kilobytes = try await idleConversationKilobytes(server, pid: pid)
            results.record("serve.idle_conversation_kb", kilobytes, unit: "KB", target: "< 20")
        }
    }

    /// Runs `body` with a `parley serve` over a fresh state folder: where it listens, how long it took from process
    /// start to ready, and its process id; stops it afterwards.
    private static func withServer(
        binary: String, _ body: (_ server: ServeLoad.Server, _ started: Duration, _ pid: Int32) async throws -> Void
    ) async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let server = ServeLoad.Server(host: "127.0.0.1", port: try LocalServer.freeLoopbackPort(), secret: secret)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "serve", "--bot", bot, "--state", state.path, "--port", String(server.port), "--sandbox-port", "0", "--rate",
            "1000", "--burst", "1000",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["PARLEY_SERVE_CALLERS"] = "bench=\(secret)"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        do {
            try await waitUntilReady(server, process: process)
            try await body(server, started.duration(to: .now), process.processIdentifier)
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
        process.terminate()
        process.waitUntilExit()
    }

    private static func waitUntilReady(_ server: ServeLoad.Server, process: Process) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if await ServeLoad.isReady(server) { return }
            guard process.isRunning else {
                throw BenchFailure("parley serve exited (status \(process.terminationStatus)) before it was ready")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw BenchFailure("parley serve was not ready within a minute")
    }

    /// The six turns of a conversation, with words each reply must hold.
    static let turns = [
        ServeLoad.Turn("create a lead for Doe at Acme", reply: "first name"),
        ServeLoad.Turn("Jane", reply: "Please authorize Salesforce"),
        ServeLoad.Turn("cancel", reply: "cancelled Create Lead"),
        ServeLoad.Turn("create a lead for Roe at Initech", reply: "first name"),
        ServeLoad.Turn("Rick", reply: "Please authorize Salesforce"),
        ServeLoad.Turn("cancel", reply: "cancelled Create Lead"),
    ]

    /// Runs the conversations with no pause between a reply and the next turn; returns how many turns ran and how
    /// many a second.
    private static func saturate(_ server: ServeLoad.Server) async throws -> (Int, Double) {
        let started = ContinuousClock.now
        let timings = try await ServeLoad.run(
            (0..<conversations).map { ServeLoad.Conversation(user: "user-\($0)", turns: turns) }, on: server)
        let seconds = milliseconds(started.duration(to: .now)) / 1000
        return (timings.count, Double(timings.count) / seconds)
    }

    /// Runs fresh conversations whose turns are due at ``targetTurnsPerSecond`` together, each conversation going
    /// through its six turns twice; returns the p99 of the time from a turn being due to its reply, in ms.
    ///
    /// A conversation's turns stay in order: a turn whose reply comes after the next one was due sends the next at
    /// once, and that one's latency counts from when it was due.
    private static func pacedP99(_ server: ServeLoad.Server, timeline: URL?) async throws -> Double {
        let interval = Double(conversations) / targetTurnsPerSecond
        let script = turns + turns
        let paced = (0..<conversations).map { index in
            // The first turns start a tenth of a second in, once every connection is open.
            let offset = 0.1 + interval * Double(index) / Double(conversations)
            return ServeLoad.Conversation(
                user: "paced-\(index)", turns: script,
                due: script.indices.map { .nanoseconds(Int64((offset + interval * Double($0)) * 1e9)) })
        }
        let timings = try await ServeLoad.run(paced, on: server)
        if let timeline {
            let rows = timings.sorted { $0.start < $1.start }.map {
                String(format: "%.3f,%.3f,%.3f", $0.start, $0.latency, $0.sendDelay)
            }
            try (["due_ms,latency_ms,send_delay_ms"] + rows).joined(separator: "\n").write(to: timeline, atomically: true, encoding: .utf8)
        }
        return percentile(timings.map(\.latency).sorted(), 0.99)
    }

    /// Resident memory per idle conversation: the server's growth while 10,000 conversations each start the
    /// create-lead task and are left waiting on its first question, divided by their number.
    ///
    /// A few hundred conversations run first, so what any first turn sets up once (connections, caches, the script
    /// machine) is not counted as the idle conversations' cost.
    private static func idleConversationKilobytes(_ server: ServeLoad.Server, pid: Int32) async throws -> Double {
        try await open(200, prefix: "warm", on: server)
        let before = try residentKilobytes(of: pid)
        try await open(idleConversations, prefix: "idle", on: server)
        let after = try residentKilobytes(of: pid)
        return Double(after - before) / Double(idleConversations)
    }

    static let idleConversations = 10_000

    /// Starts the create-lead task in `count` conversations, 64 at a time, each left on the first-name question.
    private static func open(_ count: Int, prefix: String, on server: ServeLoad.Server) async throws {
        let conversations = (0..<count).map { ServeLoad.Conversation(user: "\(prefix)-\($0)", turns: [turns[0]]) }
        _ = try await ServeLoad.run(conversations, on: server, activePerConnection: 1)
    }

    /// A process's processor time so far, user and system (`/proc/PID/stat`), in seconds.
    private static func cpuSeconds(of pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The fields after the command name, which is in parentheses and may hold spaces.
        guard let end = stat.lastIndex(of: ")") else { throw BenchFailure("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchFailure("unreadable /proc/\(pid)/stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A process's resident set (`VmRSS` in `/proc/PID/status`), in KB.
    private static func residentKilobytes(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw BenchFailure("no VmRSS in /proc/\(pid)/status") }
        return kilobytes
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
