import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON

/// One core, a six-turn task with a stubbed service: how long a turn takes and how many fit in a second.
enum EngineBenchmark {
    static let task = """
        dialog: CreateLead
        intent: { name: Create Lead, utterances: [create a lead, add a new lead] }
        nodes:
          - id: firstName
            entity: { type: string, prompt: "First name?" }
          - id: lastName
            entity: { type: string, prompt: "Last name of {{context.entities.firstName}}?" }
          - id: company
            entity: { type: string, prompt: "Company?" }
          - id: email
            entity: { type: email, prompt: "Email?" }
          - id: confirm
            confirmation: { prompt: "Create {{context.entities.firstName}} {{context.entities.lastName}} at {{context.entities.company}}?" }
            transitions:
              - { if: "context.entities.confirm", then: createLead }
              - { else: end }
          - id: createLead
            service:
              method: POST
              url: "http://127.0.0.1:9/services/data/v66.0/sobjects/Lead"
              body: { FirstName: "{{context.entities.firstName}}", LastName: "{{context.entities.lastName}}", Company: "{{context.entities.company}}", Email: "{{context.entities.email}}" }
            transitions:
              - { if: "context.createLead.response.statusCode == 201", then: done }
              - { else: failed }
          - id: done
            message: "Lead created: {{context.createLead.response.body.id}}"
            next: end
          - id: failed
            message: "Failed: {{context.createLead.response.body[0].message}}"
        """

    static let turns = ["create a lead", "Jane", "Doe", "Acme", "jane@acme.example", "yes"]

    static func run(into results: inout BenchResults) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "name: Bench\n".write(to: folder.appendingPathComponent("bot.yaml"), atomically: true, encoding: .utf8)
        try task.write(to: folder.appendingPathComponent("lead.yaml"), atomically: true, encoding: .utf8)
        let bot = try BotLoader.load(directory: folder.path, scriptChecker: JavaScriptSyntaxChecker()).bot
        let created = Data(#"{"id":"00Q5g00000DZ0d4EAD","success":true,"errors":[]}"#.utf8)
        let http = HTTPService { _ throws(ServiceCallError) in ServiceResponse(statusCode: 201, body: created) }
        let runtime = try BotRuntime(
            bot: bot,
            environment: RuntimeEnvironment(
                http: http, clock: .fixed(at: Date(timeIntervalSince1970: 1_772_442_000), timeZone: .current), random: .live))

        // Warm up, and check the task really completes so the figures mean something.
        for _ in 0..<200 { try await conversation(runtime, user: "warmup") }

        var samples: [Double] = []
        let conversations = 3_000
        samples.reserveCapacity(conversations * turns.count)
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<conversations {
            let user = UserID("user\(index % 50)")
            for text in turns {
                let before = clock.now
                _ = await runtime.handle(text, from: user)
                samples.append(microseconds(clock.now - before))
            }
        }
        let elapsed = clock.now - start
        samples.sort()
        let total = Double(samples.count)
        results.record("engine.turn_p50_us", percentile(samples, 0.50), unit: "µs")
        results.record("engine.turn_p99_us", percentile(samples, 0.99), unit: "µs", target: "< 1000")
        results.record("engine.turns_per_s", total / seconds(elapsed), unit: "turns/s", target: ">= 20000")
        try await storing(runtime, into: &results)
    }

    /// What writing a conversation to a store and reading it back costs, as a store does at every turn a conversation
    /// is not kept in memory for: a conversation that has run its task twice and waits on its email question.
    private static func storing(_ runtime: BotRuntime, into results: inout BenchResults) async throws {
        let user = UserID("stored")
        for text in turns + turns.prefix(4) { _ = await runtime.handle(text, from: user) }
        let state = try await runtime.state(of: user)
        let text = state.storedJSON()
        guard try ConversationState(storedJSON: text) == state else {
            throw BenchmarkError(message: "a stored conversation did not read back as it was")
        }
        let clock = ContinuousClock()
        var saves: [Double] = []
        var loads: [Double] = []
        for _ in 0..<5_000 {
            var before = clock.now
            let written = state.storedJSON()
            saves.append(microseconds(clock.now - before))
            before = clock.now
            let read = try ConversationState(storedJSON: written)
            loads.append(microseconds(clock.now - before))
            guard read.stack.count == state.stack.count else { throw BenchmarkError(message: "a stored conversation was lost") }
        }
        results.record("engine.state_save_us", percentile(saves.sorted(), 0.50), unit: "µs")
        results.record("engine.state_load_us", percentile(loads.sorted(), 0.50), unit: "µs")
    }

    private static func conversation(_ runtime: BotRuntime, user: UserID) async throws {
        var last = ""
        for text in turns { last = await runtime.handle(text, from: user).text }
        guard last.hasPrefix("Lead created: 00Q") else {
            throw BenchmarkError(message: "the benchmark task did not complete; last answer: \(last)")
        }
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
