import ParleyJSON
import Scripting
import Testing

/// A conversation-like owner that confines its engine, as the engine's documentation asks.
private actor Owner {
    private let engine: ScriptEngine

    init() throws { engine = try ScriptEngine() }

    func turn(_ number: Int) throws -> String {
        let context: JSONValue = ["n": .number(Double(number))]
        guard try engine.evaluateCondition("context.n % 2 == 0", variables: ["context": context]) else {
            return try engine.render("odd {{context.n}}", variables: ["context": context])
        }
        return try engine.run(script: "print('even', context.n)", variables: ["context": context]).printed.joined()
    }
}

@Suite struct ConcurrencyTests {
    /// Engines confined to actors work across thread hops, several at once.
    @Test func enginesWorkInsideConcurrentActors() async throws {
        let owners = try (0..<4).map { _ in try Owner() }
        try await withThrowingTaskGroup(of: [String].self) { group in
            for owner in owners {
                group.addTask {
                    var lines: [String] = []
                    for number in 0..<100 { lines.append(try await owner.turn(number)) }
                    return lines
                }
            }
            for try await lines in group {
                #expect(lines.count == 100)
                #expect(lines[2] == "even 2")
                #expect(lines[7] == "odd 7")
            }
        }
    }

    /// A new engine starts clean even when it runs on a machine an earlier engine used: no globals,
    /// no changed prototypes, and the earlier engine's runaway script left no time-out behind.
    @Test func newEnginesSeeNothingOfEarlierOnes() throws {
        for _ in 0..<3 {
            do {
                let engine = try ScriptEngine(timeLimit: .milliseconds(50))
                _ = try engine.run(script: "leftover = 42; Object.prototype.extra = 'x';", variables: [:])
                #expect(throws: ScriptError.self) { try engine.run(script: "while (true) {}", variables: [:]) }
            }
            let engine = try ScriptEngine()
            #expect(try engine.evaluate(expression: "typeof leftover", variables: [:]) == "undefined")
            #expect(try engine.evaluate(expression: "({}).extra === undefined", variables: [:]) == true)
            #expect(try engine.run(script: "var n = 0; for (var i = 0; i < 1e6; i++) n++; print(n)", variables: [:]).printed == ["1000000"])
        }
    }
}
