import AsyncHTTPClient
import Foundation
import LocalServing
import NIOCore
import NIOHTTP1

/// `parley serve` (the release binary beside this one) over loopback, server and load generator sharing the
/// machine: process start to ready; turns a second with their p99 latency and the server's processor time per turn
/// over many concurrent conversations; and the resident memory an idle conversation costs.
///
/// Each conversation runs the lead bot's create-lead task up to its authorization link and cancels it, twice: six
/// turns, each loaded and saved through the SQLite store, none calling Salesforce.
enum ServeBenchmark {
    static let conversations = 1000
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
                let (turns, turnsPerSecond, p99) = try await load(client: client, base: base)
                let cpu = try cpuSeconds(of: pid) - cpuBefore
                results.record("serve.turns_per_s", turnsPerSecond, unit: "turns/s", target: ">= 3000")
                results.record("serve.turn_p99_ms", p99, unit: "ms", target: "< 50")
                // What a turn costs the server in processor time, which other work on the machine does not change.
                results.record("serve.turn_cpu_us", cpu * 1e6 / Double(turns), unit: "µs")
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

    /// Runs the conversations; returns how many turns ran, how many a second, and their p99 latency in ms.
    private static func load(client: HTTPClient, base: String) async throws -> (Int, Double, Double) {
        let turns = ["create a lead for Doe at Acme", "Jane", "cancel", "create a lead for Roe at Initech", "Rick", "cancel"]
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self, returning: [Double].self) { group in
            for index in 0..<conversations {
                group.addTask {
                    var latencies: [Double] = []
                    for text in turns {
                        let sent = ContinuousClock.now
                        try await say(text, as: "user-\(index)", client: client, base: base)
                        latencies.append(milliseconds(sent.duration(to: .now)))
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let seconds = milliseconds(started.duration(to: .now)) / 1000
        return (latencies.count, Double(latencies.count) / seconds, percentile(latencies.sorted(), 0.99))
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
