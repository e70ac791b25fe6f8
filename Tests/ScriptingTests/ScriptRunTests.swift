import ParleyJSON
import Scripting
import Testing

@Suite struct ScriptRunTests {
    /// Each print() call is one entry; its arguments are joined by a space.
    @Test func printJoinsArgumentsPerCall() throws {
        let engine = try ScriptEngine()
        let run = try engine.run(script: "print('a', 'b'); print(1, 2.5, true, null, undefined); print()", variables: [:])
        #expect(run.printed == ["a b", "1 2.5 true null undefined", ""])
    }

    /// Objects and arrays print as compact JSON with sorted keys; dates as ISO text; functions as their source.
    @Test func printFormatsObjectsAsJSON() throws {
        let engine = try ScriptEngine()
        let run = try engine.run(
            script: """
                print({b: 1, a: [1, 'x', null]})
                print('total:', context.entities)
                print(new Date(0))
                print(function f() { return 1 })
                """,
            variables: ["context": ["entities": ["amount": 12]]])
        #expect(
            run.printed == [
                #"{"a":[1,"x",null],"b":1}"#,
                #"total: {"amount":12}"#,
                "1970-01-01T00:00:00.000Z",
                "function f() { return 1 }",
            ])
    }

    /// A throwing toString() or getter inside print() becomes a script error, not a crash.
    @Test func errorsInsidePrintAreScriptErrors() throws {
        let engine = try ScriptEngine()
        let throwingToString = #expect(throws: ScriptError.self) {
            try engine.run(script: "print(Symbol('s'))", variables: [:])
        }
        #expect(throwingToString?.kind == .runtime)
        let throwingGetter = #expect(throws: ScriptError.self) {
            try engine.run(script: "print({ get x() { throw new Error('boom') } })", variables: [:])
        }
        #expect(throwingGetter?.kind == .runtime)
        #expect(throwingGetter?.message.contains("boom") == true)
        let cyclic = #expect(throws: ScriptError.self) {
            try engine.run(script: "const a = []; a.push(a); print(a)", variables: [:])
        }
        #expect(cyclic?.message.contains("cyclic") == true)
        #expect(try engine.run(script: "print('still fine')", variables: [:]).printed == ["still fine"])
    }

    /// A script cannot replace or delete print().
    @Test func printCannotBeReplaced() throws {
        let engine = try ScriptEngine()
        _ = try engine.run(script: "print = null; delete globalThis.print", variables: [:])
        #expect(try engine.run(script: "print('here')", variables: [:]).printed == ["here"])
    }

    /// Changes the script makes to the context come back: set, push, delete, reassign.
    @Test func contextChangesRoundTrip() throws {
        let engine = try ScriptEngine()
        let run = try engine.run(
            script: """
                context.x = 1
                context.history.push({ text: 'hi' })
                delete context.obsolete
                context.entities.name = context.entities.name.toUpperCase()
                counter = counter + 1
                """,
            variables: [
                "context": ["history": [], "obsolete": true, "entities": ["name": "zoë"]],
                "counter": 41,
            ])
        #expect(run.variables["context"] == ["x": 1, "history": [["text": "hi"]], "entities": ["name": "ZOË"]])
        #expect(run.variables["counter"] == 42)
        #expect(run.printed.isEmpty)
    }

    /// A change a script makes to a variable, even through a kept reference, never reaches a later call.
    @Test func changesDoNotLeakIntoLaterCalls() throws {
        let engine = try ScriptEngine()
        let context: JSONValue = ["count": 1, "items": [1]]
        let changed = try engine.run(
            script: "context.count = 2; context.items.push(2)", variables: ["context": context])
        #expect(changed.variables["context"] == ["count": 2, "items": [1, 2]])
        #expect(try engine.evaluate(expression: "context", variables: ["context": context]) == context)

        // The script keeps a reference without changing anything; a later script changes it.
        let kept = try engine.run(script: "globalThis.kept = context", variables: ["context": context])
        #expect(kept.variables["context"] == context)
        _ = try engine.run(script: "kept.items[0] = 99", variables: [:])
        #expect(try engine.evaluate(expression: "context.items[0]", variables: ["context": context]) == 1)
        #expect(try engine.evaluate(expression: "kept === context", variables: ["context": context]) == false)
    }

    /// A context nested as deeply as a JSON file may be comes back intact after a change.
    @Test func deepContextRoundTrips() throws {
        var nested: JSONValue = "leaf"
        for _ in 0..<500 { nested = ["next": nested] }
        let engine = try ScriptEngine()
        let run = try engine.run(script: "context.touched = true", variables: ["context": nested])
        #expect(run.variables["context"]?["next"] == nested["next"])
        #expect(run.variables["context"]?["touched"] == true)
    }

    /// A variable the script deletes or sets to undefined is absent afterwards.
    @Test func undefinedVariablesAreAbsent() throws {
        let engine = try ScriptEngine()
        let run = try engine.run(script: "context = undefined", variables: ["context": ["a": 1], "kept": "yes"])
        #expect(run.variables == ["kept": "yes"])
    }

    /// Declarations stay local to one run, so the same script runs twice.
    @Test func declarationsDoNotLeakBetweenRuns() throws {
        let engine = try ScriptEngine()
        let script = "let greeting = 'hi ' + name; const n = 1; print(greeting)"
        #expect(try engine.run(script: script, variables: ["name": "Ann"]).printed == ["hi Ann"])
        #expect(try engine.run(script: script, variables: ["name": "Bo"]).printed == ["hi Bo"])
        #expect(try engine.evaluate(expression: "typeof greeting", variables: [:]) == "undefined")
    }

    /// A script may return early.
    @Test func scriptsMayReturn() throws {
        let engine = try ScriptEngine()
        let run = try engine.run(script: "if (context.done) return\nprint('not done')", variables: ["context": ["done": true]])
        #expect(run.printed.isEmpty)
    }

    /// A thrown error stops the script with its message and line within the script.
    @Test func thrownErrorReportsLine() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.run(script: "print('one')\n\nthrow new Error('bad input')", variables: [:])
        }
        #expect(error?.kind == .runtime)
        #expect(error?.message == "Error: bad input")
        #expect(error?.line == 3)
    }

    /// Throwing a value whose toString throws is still reported, not a crash.
    @Test func throwingUnprintableValueIsReported() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.run(script: "throw { toString() { throw 1 } }", variables: [:])
        }
        #expect(error?.kind == .runtime)
        #expect(error?.message == "uncaught exception")
    }

    /// A variable the script leaves cyclic is a runtime error.
    @Test func cyclicVariableIsAnError() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.run(script: "context.me = context", variables: ["context": [:]])
        }
        #expect(error?.kind == .runtime)
    }

    /// Bare JavaScriptCore offers no way out to the host: no require, fetch, timers or file access.
    @Test func noHostAccessBeyondPrint() throws {
        let engine = try ScriptEngine()
        for name in ["require", "fetch", "XMLHttpRequest", "setTimeout", "process", "readFile", "load", "$vm"] {
            #expect(try engine.evaluate(expression: "typeof \(name)", variables: [:]) == "undefined", "\(name)")
        }
    }
}
