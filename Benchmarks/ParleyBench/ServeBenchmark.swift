import AsyncHTTPClient
import Foundation
import LocalServing
import NIOCore
import NIOHTTP1

/// `parley serve` (the release binary beside this one) over loopback, server and load generator sharing the
/// machine: process start to ready; the turns a second it sustains and the server's processor time per turn; the p99
/// latency of a turn at the target rate; and the resident memory an idle conversation costs.
///
/// Each conversation runs the lead bot's create-lead task up to its authorization link and cancels it, twice: six
/// turns, each loaded and saved through the SQLite store, none calling Salesforce.
///
/// Throughput and latency are measured apart, because one load cannot show both. For `serve.turns_per_s` the
/// 1,000 conversations send their turns back to back, each as soon as the last reply came: the server never waits
/// for work, so this is its saturation rate, and a turn's latency there is mostly its wait in the queue (at 3,000
/// turns a second 1,000 such clients wait a third of a second on average, whatever the server does). For
/// `serve.turn_p99_ms` another 1,000 conversations send turns on a schedule, together 3,000 a second (each one a
/// turn every third of a second, their starts spread over that third): a turn's latency is counted from the time it
/// was due, not from when it went out, so a server that falls behind the rate shows it as latency instead of
/// slowing the clients down to what it can take.
enum ServeBenchmark {
    static let conversations = 1000
    /// The rate at which the paced conversations' turns arrive, together.
    static let targetTurnsPerSecond = 3000.0
    static let secret = "bench-secret-0123456789"
    static let bot = "Tests/ParleyCLITests/Fixtures/LeadBot"

    static func run(into results: inout BenchResults) async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("parley").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            FileHandle.standardError.write(Data("serve: skipped, \(binary) is not built (make bench builds it)\n".utf8))
            return
        }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await withServer(binary: binary, client: client) { base, started, pid in
                results.record("serve.cold_start_ms", milliseconds(started), unit: "ms", target: "< 300")
                let cpuBefore = try cpuSeconds(of: pid)
                let (turns, turnsPerSecond) = try await saturate(client: client, base: base)
                let cpu = try cpuSeconds(of: pid) - cpuBefore
                results.record("serve.turns_per_s", turnsPerSecond, unit: "turns/s", target: ">= 3000")
                // What a turn costs the server in processor time, which other work on the machine does not change.
                results.record("serve.turn_cpu_us", cpu * 1e6 / Double(turns), unit: "µs")
                let p99 = try await pacedP99(client: client, base: base)
                results.record("serve.turn_p99_ms", p99, unit: "ms", target: "< 50")
            }
            // A server of its own, so what the load above left in the allocator does not hide what idle
            // conversations take.
            try await withServer(binary: binary, client: client) { base, _, pid in
                let kilobytes = try await idleConversationKilobytes(client: client, base: base, pid: pid)
                results.record("serve.idle_conversation_kb", kilobytes, unit: "KB", target: "< 20")
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Runs `body` with a `parley serve` over a fresh state folder: its base URL, how long it took from process start to
    /// ready, and its process id; stops it afterwards.
    private static func withServer(
        binary: String, client: HTTPClient, _ body: (_ base: String, _ started: Duration, _ pid: Int32) async throws -> Void
    ) async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let port = try LocalServer.freeLoopbackPort()
        let base = "http://127.0.0.1:\(port)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "serve", "--bot", bot, "--state", state.path, "--port", String(port), "--sandbox-port", "0", "--rate", "1000",
            "--burst", "1000",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["PARLEY_SERVE_CALLERS"] = "bench=\(secret)"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        do {
            try await waitUntilReady(client: client, base: base)
            try await body(base, started.duration(to: .now), process.processIdentifier)
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
        process.terminate()
        process.waitUntilExit()
    }

    private static func waitUntilReady(client: HTTPClient, base: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let response = try? await client.execute(HTTPClientRequest(url: base + "/readyz"), timeout: .seconds(5)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw BenchFailure("parley serve was not ready within a minute")
    }

    static let turns = ["create a lead for Doe at Acme", "Jane", "cancel", "create a lead for Roe at Initech", "Rick", "cancel"]

    /// Runs the conversations with no pause between a reply and the next turn; returns how many turns ran and how
    /// many a second.
    private static func saturate(client: HTTPClient, base: String) async throws -> (Int, Double) {
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<conversations {
                group.addTask {
                    for text in turns {
                        try await say(text, as: "user-\(index)", client: client, base: base)
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = milliseconds(started.duration(to: .now)) / 1000
        let count = conversations * turns.count
        return (count, Double(count) / seconds)
    }

    /// Runs fresh conversations whose turns are due at ``targetTurnsPerSecond`` together, each conversation going
    /// through its six turns twice; returns the p99 of the time from a turn being due to its reply, in ms.
    ///
    /// A conversation's turns stay in order: a turn whose reply comes after the next one was due sends the next at
    /// once, and that one's latency counts from when it was due.
    private static func pacedP99(client: HTTPClient, base: String) async throws -> Double {
        let interval = Double(conversations) / targetTurnsPerSecond
        let script = turns + turns
        let start = ContinuousClock.now + .milliseconds(100)
        let latencies = try await withThrowingTaskGroup(of: [Double].self, returning: [Double].self) { group in
            for index in 0..<conversations {
                group.addTask {
                    let offset = interval * Double(index) / Double(conversations)
                    var latencies: [Double] = []
                    for (number, text) in script.enumerated() {
                        let due = start + .seconds(offset + interval * Double(number))
                        if due > .now { try await Task.sleep(until: due, clock: .continuous) }
                        try await say(text, as: "paced-\(index)", client: client, base: base)
                        latencies.append(milliseconds(due.duration(to: .now)))
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return percentile(latencies.sorted(), 0.99)
    }

    /// Resident memory per idle conversation: the server's growth while 10,000 conversations each start the
    /// create-lead task and are left waiting on its first question, divided by their number.
    ///
    /// A few hundred conversations run first, so what any first turn sets up once (connections, caches, the script
    /// machine) is not counted as the idle conversations' cost.
    private static func idleConversationKilobytes(client: HTTPClient, base: String, pid: Int32) async throws -> Double {
        try await open(200, prefix: "warm", client: client, base: base)
        let before = try residentKilobytes(of: pid)
        try await open(idleConversations, prefix: "idle", client: client, base: base)
        let after = try residentKilobytes(of: pid)
        return Double(after - before) / Double(idleConversations)
    }

    static let idleConversations = 10_000

    /// Starts the create-lead task in `count` conversations, 64 at a time, each left on the first-name question.
    private static func open(_ count: Int, prefix: String, client: HTTPClient, base: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                if index >= 64 { try await group.next() }
                group.addTask {
                    let reply = try await say("create a lead for Doe at Acme", as: "\(prefix)-\(index)", client: client, base: base)
                    guard reply.contains("first name") else {
                        throw BenchFailure("an idle conversation was not asked a question: \(reply)")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Sends one turn; returns the reply's body.
    @discardableResult
    private static func say(_ text: String, as user: String, client: HTTPClient, base: String) async throws -> String {
        var request = HTTPClientRequest(url: base + "/v1/users/\(user)/messages")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(secret)")
        request.body = .bytes(ByteBuffer(string: #"{"text":"\#(text)"}"#))
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1024 * 1024)
        guard response.status == .ok else { throw BenchFailure("a turn answered \(response.status)") }
        return String(buffer: body)
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
