import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON
import Synchronization

/// A bot written inline as YAML, running on a fixed clock with no network.
struct Harness {
    let runtime: BotRuntime
    let directory: URL

    /// 2026-03-02T09:00:00Z, a Monday.
    static let monday = Date(timeIntervalSince1970: 1_772_442_000)

    /// - Parameters:
    ///   - tasks: file name → YAML of one dialog task.
    init(
        _ tasks: [String: String], settings: String = "name: Test Bot\n", http: HTTPService = .unavailable,
        integrations: [String: any Integration] = [:], scriptTimeLimit: Duration = .milliseconds(100),
        scriptMemoryLimit: Int = RuntimeEnvironment.defaultScriptMemoryLimit,
        store: any ConversationStore = InMemoryConversationStore(), cachedConversations: Int = BotRuntime.defaultCachedConversations,
        shards: Int = BotRuntime.defaultShards
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try settings.write(to: directory.appendingPathComponent("bot.yaml"), atomically: true, encoding: .utf8)
        for (name, yaml) in tasks {
            try yaml.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let loaded = try BotLoader.load(directory: directory.path, scriptChecker: JavaScriptSyntaxChecker())
        let environment = RuntimeEnvironment(
            http: http, integrations: integrations, store: store, clock: .fixed(at: Harness.monday), random: .first,
            scriptTimeLimit: scriptTimeLimit, scriptMemoryLimit: scriptMemoryLimit)
        runtime = try BotRuntime(
            prepared: PreparedBot(loaded.bot), environment: environment, cachedConversations: cachedConversations,
            shards: shards)
    }

    /// What the bot answers, one message a line.
    @discardableResult
    func say(_ text: String, as user: UserID = "tester") async -> String {
        await runtime.handle(text, from: user).text
    }

    func turn(_ text: String, as user: UserID = "tester") async -> TurnOutput {
        await runtime.handle(text, from: user)
    }

    func entity(_ name: String, of user: UserID = "tester") async throws -> JSONValue? {
        try await runtime.context(for: user)["entities"]?[name]
    }
}

/// Records the requests a service node makes and answers them from a closure.
final class RecordingHTTP: Sendable {
    let requests = Mutex<[ServiceRequest]>([])
    let answer: @Sendable (ServiceRequest) throws(ServiceCallError) -> ServiceResponse

    init(answer: @escaping @Sendable (ServiceRequest) throws(ServiceCallError) -> ServiceResponse) {
        self.answer = answer
    }

    var service: HTTPService {
        HTTPService { request throws(ServiceCallError) in
            self.requests.withLock { $0.append(request) }
            return try self.answer(request)
        }
    }

    static func json(_ status: Int, _ body: String) -> ServiceResponse {
        ServiceResponse(statusCode: status, headers: [.init("Content-Type", "application/json")], body: Data(body.utf8))
    }
}
