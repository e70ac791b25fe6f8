import ParleyJSON
import Scripting
import Testing

/// What one engine's scripts do stays in that engine; runaway allocation and printing are stopped.
@Suite struct ContainmentTests {
    static let pollution = """
        leaked = 42;
        Array.prototype.push = function () { return 'hijacked'; };
        Object.prototype.x = 1;
        Object.prototype.toJSON = function () { return 'hijacked'; };
        JSON.stringify = function () { return 'hijacked'; };
        Math.round = function () { return -1; };
        """

    static let pristine = """
        print(typeof leaked, [].push(1), ({}).x, JSON.stringify({a: 1}), Math.round(1.6), 'x' in context)
        """

    /// Engines sharing a machine share nothing a script can change: globals, prototypes and built-ins stay
    /// the engine's own.
    @Test func enginesOnOneMachineDoNotSeeEachOthersChanges() throws {
        let machine = try ScriptMachine()
        let polluter = ScriptEngine(machine: machine)
        let other = ScriptEngine(machine: machine)
        let context: JSONValue = ["entities": [:]]
        _ = try polluter.run(script: Self.pollution, variables: ["context": context])
        #expect(try polluter.evaluate(expression: "[].push(1)", variables: [:]) == "hijacked")

        let seen = try other.run(script: Self.pristine, variables: ["context": context])
        #expect(seen.printed == [#"undefined 1 undefined {"a":1} 2 false"#])
        // Reading values without JavaScript asks the engine's own prototypes too.
        #expect(try other.evaluate(expression: "context.x", variables: ["context": context]) == .null)
        #expect(try other.evaluateCondition("context.x", variables: ["context": context]) == false)
        #expect(try other.render("[{{context.x}}]", variables: ["context": context]) == "[]")
    }

    /// A new engine on a machine an earlier engine polluted starts clean.
    @Test func aLaterEngineStartsClean() throws {
        let machine = try ScriptMachine()
        do {
            let earlier = ScriptEngine(machine: machine)
            _ = try earlier.run(script: Self.pollution, variables: ["context": ["entities": [:]]])
        }
        let later = ScriptEngine(machine: machine)
        let seen = try later.run(script: Self.pristine, variables: ["context": ["entities": [:]]])
        #expect(seen.printed == [#"undefined 1 undefined {"a":1} 2 false"#])
    }

    /// An array growing without end is stopped like a runaway loop, well before the time limit, and the engine
    /// goes on with a fresh context.
    @Test func runawayArrayIsStopped() throws {
        // The time limit is far away, so the stop must come from the memory limit.
        let engine = try ScriptEngine(timeLimit: .seconds(20), memoryLimit: 16 * 1024 * 1024)
        _ = try engine.run(script: "marker = 1", variables: [:])
        let clock = ContinuousClock()
        let started = clock.now
        let error = #expect(throws: ScriptError.self) {
            try engine.run(script: "var a = [];\nwhile (true) a.push('xxxxxxxxxx');", variables: [:])
        }
        #expect(clock.now - started < .seconds(10))
        #expect(error?.kind == .memoryLimitExceeded)
        #expect(error?.message == "the script was stopped after allocating more than 16 MB")
        #expect(try engine.evaluate(expression: "typeof marker", variables: [:]) == "undefined")
        #expect(try engine.run(script: "print([1, 2].length)", variables: [:]).printed == ["2"])
    }

    /// Strings growing in a loop are stopped too: by the memory limit, or by JavaScriptCore's own limit on a
    /// string's length.
    @Test func runawayStringsAreStopped() throws {
        let engine = try ScriptEngine(timeLimit: .seconds(20), memoryLimit: 16 * 1024 * 1024)
        let growing = #expect(throws: ScriptError.self) {
            try engine.run(
                script: "var parts = [];\nfor (var i = 0; ; i++) parts.push('x'.repeat(1000) + i);", variables: [:])
        }
        #expect(growing?.kind == .memoryLimitExceeded)
        let doubling = #expect(throws: ScriptError.self) {
            try engine.run(script: "var s = 'x';\nwhile (true) s += s;", variables: [:])
        }
        #expect(doubling?.kind == .runtime)
        #expect(doubling?.message == "RangeError: Out of memory")
        #expect(try engine.evaluate(expression: "1 + 1", variables: [:]) == 2)
    }

    /// Only so much of what a script prints is kept, and the run says that some was dropped.
    @Test func printIsCapped() throws {
        let engine = try ScriptEngine()
        let many = try engine.run(script: "for (var i = 0; i < 1000; i++) print('line ' + i)", variables: [:])
        #expect(many.printed.count == PrintLimit.lines)
        #expect(many.printed.last == "line 99")
        #expect(many.printTruncated)

        let long = try engine.run(script: "print('é'.repeat(40000)); print('after')", variables: [:])
        #expect(long.printed == [String(repeating: "é", count: PrintLimit.bytes / 2)])
        #expect(long.printTruncated)

        let few = try engine.run(script: "print('a'); print('b')", variables: [:])
        #expect(few.printed == ["a", "b"])
        #expect(!few.printTruncated)
    }
}
