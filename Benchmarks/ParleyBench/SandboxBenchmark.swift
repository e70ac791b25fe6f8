import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyJSON
import SalesforceSandbox

/// The sandbox over loopback with concurrent clients: creates and queries per second.
enum SandboxBenchmark {
    static let clients = 16
    static let duration: Duration = .seconds(4)

    static func run(into results: inout BenchResults) async throws {
        var configuration = SandboxConfiguration()
        configuration.port = 0
        configuration.dataPath =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-bench-sandbox-\(UUID().uuidString).sqlite").path
        configuration.dailyAPILimit = 100_000_000
        defer {
            if let path = configuration.dataPath {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await measure(client: client, configuration: configuration, into: &results)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private static func measure(client: HTTPClient, configuration: SandboxConfiguration, into results: inout BenchResults) async throws {
        try await withSandbox(configuration: configuration) { sandbox in
            let app = try sandbox.systemApp()
            let token = try await accessToken(client: client, base: sandbox.baseURL, clientID: app.clientID, secret: app.clientSecret)
            let api = sandbox.baseURL + "/services/data/v66.0"
            let creates = try await throughput(client: client) { worker, index in
                var request = HTTPClientRequest(url: api + "/sobjects/Lead/")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.headers.add(name: "Content-Type", value: "application/json")
                let body =
                    #"{"LastName":"Bench\#(worker)x\#(index)","Company":"Load Test Inc","Email":"bench\#(worker).\#(index)@example.com"}"#
                request.body = .bytes(ByteBuffer(string: body))
                return (request, 201)
            }
            results.record("sandbox.create_per_s", creates, unit: "req/s", target: ">= 3000")
            let soql = "SELECT Id, Name, Company, Status FROM Lead WHERE Status = 'Open - Not Contacted' ORDER BY CreatedDate DESC LIMIT 20"
            let encoded =
                soql.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "+&="))) ?? soql
            let queries = try await throughput(client: client) { _, _ in
                var request = HTTPClientRequest(url: api + "/query?q=" + encoded)
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                return (request, 200)
            }
            results.record("sandbox.query_per_s", queries, unit: "req/s", target: ">= 5000")
        }
    }

    /// Requests per second that `clients` concurrent workers complete in `duration`.
    private static func throughput(
        client: HTTPClient, _ makeRequest: @escaping @Sendable (Int, Int) -> (HTTPClientRequest, Int)
    ) async throws -> Double {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        let start = clock.now
        let completed = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<clients {
                group.addTask {
                    var count = 0
                    while clock.now < deadline {
                        let (request, expected) = makeRequest(worker, count)
                        let response = try await client.execute(request, timeout: .seconds(10))
                        _ = try await response.body.collect(upTo: 4 << 20)
                        guard Int(response.status.code) == expected else {
                            throw BenchmarkError(message: "\(request.method) \(request.url) answered \(response.status.code)")
                        }
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(completed) / EngineBenchmark.seconds(clock.now - start)
    }

    private static func accessToken(client: HTTPClient, base: String, clientID: String, secret: String) async throws -> String {
        var request = HTTPClientRequest(url: base + "/services/oauth2/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(secret)"))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try JSONValue(parsing: Data(body.readableBytesView))
        guard let token = json["access_token"]?.stringValue else {
            throw BenchmarkError(message: "the sandbox gave no token: \(json.jsonText())")
        }
        return token
    }
}
