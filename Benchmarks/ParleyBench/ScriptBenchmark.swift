import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON

/// One core, a two-turn task whose every turn runs JavaScript (a script node, a printing message, a condition
/// and a placeholder expression): the cost of a scripted turn for conversations already under way, and of a
/// new conversation's first scripted turns.
enum ScriptBenchmark {
    static let task = """
        dialog: Quote
        intent: { name: Get Quote, utterances: [get a quote, price an order] }
        nodes:
          - id: quantity
            entity: { type: number, prompt: "How many?" }
          - id: price
            script: |
              var unit = context.entities.quantity > 10 ? 9.5 : 12;
              context.entities.total = Math.round(unit * context.entities.quantity * 100) / 100;
          - id: summary
            message: { script: "print('Total: ' + context.entities.total.toFixed(2))" }
            transitions:
              - { if: "context.entities.total > 100 && context.entities.quantity % 2 == 0", then: big }
              - { else: small }
          - id: big
            message: "That is {{ (context.entities.total / context.entities.quantity).toFixed(2) }} each."
            next: end
          - id: small
            message: "A small order."
        """

    static let turns = ["get a quote", "24"]

    static func run(into results: inout BenchResults) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "name: Bench\n".write(to: folder.appendingPathComponent("bot.yaml"), atomically: true, encoding: .utf8)
        try task.write(to: folder.appendingPathComponent("quote.yaml"), atomically: true, encoding: .utf8)
        let bot = try BotLoader.load(directory: folder.path, scriptChecker: JavaScriptSyntaxChecker()).bot
        let runtime = try BotRuntime(
            bot: bot,
            environment: RuntimeEnvironment(
                clock: .fixed(at: Date(timeIntervalSince1970: 1_772_442_000), timeZone: .current), random: .live))

        for _ in 0..<200 { try await conversation(runtime, user: "warmup") }

        // Conversations under way: 50 users, each back many times.
        var samples: [Double] = []
        let clock = ContinuousClock()
        for index in 0..<5_000 {
            let user = UserID("user\(index % 50)")
            for text in turns {
                let before = clock.now
                _ = await runtime.handle(text, from: user)
                samples.append(EngineBenchmark.microseconds(clock.now - before))
            }
        }
        samples.sort()
        results.record("script.turn_p50_us", percentile(samples, 0.50), unit: "µs")
        results.record("script.turn_p99_us", percentile(samples, 0.99), unit: "µs", target: "< 1000")

        // New conversations: every user is new, so whatever a conversation sets up is paid here.
        var firsts: [Double] = []
        for index in 0..<1_000 {
            let before = clock.now
            try await conversation(runtime, user: UserID("new\(index)"))
            firsts.append(EngineBenchmark.microseconds(clock.now - before))
        }
        firsts.sort()
        results.record("script.new_conversation_p50_us", percentile(firsts, 0.50), unit: "µs", target: "2 turns")
        results.record("script.new_conversation_p99_us", percentile(firsts, 0.99), unit: "µs", target: "2 turns")
    }

    private static func conversation(_ runtime: BotRuntime, user: UserID) async throws {
        var last = ""
        for text in turns { last = await runtime.handle(text, from: user).text }
        guard last == "Total: 228.00\nThat is 9.50 each." else {
            throw BenchmarkError(message: "the scripted benchmark task did not complete; last answer: \(last)")
        }
    }
}
