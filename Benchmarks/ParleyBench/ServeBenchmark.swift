import AsyncHTTPClient
import Foundation
import LocalServing
import NIOCore
import NIOHTTP1

/// `parley serve` (the release binary beside this one) over loopback, server and load generator sharing the
/// machine: process start to ready, and turns a second with their p99 latency over many concurrent conversations.
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
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let port = try LocalServer.freeLoopbackPort()
        let base = "http://127.0.0.1:\(port)"

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
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
            results.record("serve.cold_start_ms", milliseconds(started.duration(to: .now)), unit: "ms", target: "< 300")
            let (turnsPerSecond, p99) = try await load(client: client, base: base)
            results.record("serve.turns_per_s", turnsPerSecond, unit: "turns/s", target: ">= 3000")
            results.record("serve.turn_p99_ms", p99, unit: "ms", target: "< 50")
        } catch {
            process.terminate()
            process.waitUntilExit()
            try? await client.shutdown()
            throw error
        }
        process.terminate()
        process.waitUntilExit()
        try await client.shutdown()
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

    private static func load(client: HTTPClient, base: String) async throws -> (Double, Double) {
        let turns = ["create a lead for Doe at Acme", "Jane", "cancel", "create a lead for Roe at Initech", "Rick", "cancel"]
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self, returning: [Double].self) { group in
            for index in 0..<conversations {
                group.addTask {
                    var latencies: [Double] = []
                    for text in turns {
                        var request = HTTPClientRequest(url: base + "/v1/users/user-\(index)/messages")
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(secret)")
                        request.body = .bytes(ByteBuffer(string: #"{"text":"\#(text)"}"#))
                        let sent = ContinuousClock.now
                        let response = try await client.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1024 * 1024)
                        guard response.status == .ok else { throw BenchFailure("a turn answered \(response.status)") }
                        latencies.append(milliseconds(sent.duration(to: .now)))
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let seconds = milliseconds(started.duration(to: .now)) / 1000
        return (Double(latencies.count) / seconds, percentile(latencies.sorted(), 0.99))
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
