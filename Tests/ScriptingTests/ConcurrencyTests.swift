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
}
