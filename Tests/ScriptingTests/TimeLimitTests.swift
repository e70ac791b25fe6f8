import ParleyJSON
import Scripting
import Testing

@Suite struct TimeLimitTests {
    /// A runaway loop stops at about the limit with `.timeLimitExceeded`, and the engine still works.
    @Test func runawayScriptStopsAndEngineRecovers() throws {
        let engine = try ScriptEngine(timeLimit: .milliseconds(50))
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: ScriptError.self) {
            try engine.run(script: "while (true) {}", variables: [:])
        }
        let elapsed = clock.now - start
        #expect(error?.kind == .timeLimitExceeded)
        #expect(error?.message == "the script was stopped after running longer than 50 ms")
        #expect(elapsed >= .milliseconds(40))
        // Stopped, not run to completion; generous so a loaded machine does not fail it.
        #expect(elapsed < .seconds(10))
        #expect(try engine.evaluate(expression: "1 + 1", variables: [:]) == 2)
        #expect(try engine.run(script: "print('after')", variables: [:]).printed == ["after"])
    }

    /// Runaway conditions, expressions and templates stop too; a script catching the stop cannot continue.
    @Test func everyEntryPointIsLimited() throws {
        let engine = try ScriptEngine(timeLimit: .milliseconds(30))
        let condition = #expect(throws: ScriptError.self) {
            try engine.evaluateCondition("(() => { for (;;) {} })()", variables: [:])
        }
        #expect(condition?.kind == .timeLimitExceeded)
        let caught = #expect(throws: ScriptError.self) {
            try engine.run(script: "try { for (;;) {} } catch (e) {} print('escaped')", variables: [:])
        }
        #expect(caught?.kind == .timeLimitExceeded)
        let template = #expect(throws: ScriptError.self) {
            try engine.render("{{ (() => { while (1) {} })() }}", variables: [:])
        }
        #expect(template?.kind == .timeLimitExceeded)
        #expect(try engine.evaluateCondition("true", variables: [:]))
    }

    /// The limit applies to each call, not to the engine's lifetime.
    @Test func limitIsPerCall() throws {
        let engine = try ScriptEngine(timeLimit: .milliseconds(200))
        for _ in 0..<3 {
            // Each busy-wait takes well under the limit but all three together exceed it.
            let run = try engine.run(
                script: "const end = Date.now() + 100; while (Date.now() < end) {} print('ok')", variables: [:])
            #expect(run.printed == ["ok"])
        }
    }
}
