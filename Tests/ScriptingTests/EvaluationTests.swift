import ParleyJSON
import Scripting
import Testing

@Suite struct EvaluationTests {
    let context: JSONValue = [
        "entities": ["company": "Acme", "amount": 1500, "tags": ["a", "b"]],
        "svc": ["response": ["statusCode": 201, "body": [["message": "ok"]]]],
    ]

    /// An expression over `context` gives its value as JSON.
    @Test func evaluatesExpressionsOverContext() throws {
        let engine = try ScriptEngine()
        let variables = ["context": context]
        #expect(try engine.evaluate(expression: "context.entities.amount * 2", variables: variables) == 3000)
        #expect(try engine.evaluate(expression: "context.entities.company + '!'", variables: variables) == "Acme!")
        #expect(try engine.evaluate(expression: "context.entities.tags", variables: variables) == ["a", "b"])
        #expect(try engine.evaluate(expression: "({x: 1, y: [true, null]})", variables: [:]) == ["x": 1, "y": [true, nil]])
    }

    /// `undefined` and functions become null; NaN and Infinity become null, as JSON.stringify does.
    @Test func unrepresentableResultsBecomeNull() throws {
        let engine = try ScriptEngine()
        #expect(try engine.evaluate(expression: "undefined", variables: [:]) == .null)
        #expect(try engine.evaluate(expression: "(function () {})", variables: [:]) == .null)
        #expect(try engine.evaluate(expression: "0 / 0", variables: [:]) == .null)
        #expect(try engine.evaluate(expression: "[1 / 0, undefined, () => 1]", variables: [:]) == [nil, nil, nil])
        #expect(try engine.evaluate(expression: "({a: undefined, f() {}, b: 2})", variables: [:]) == ["b": 2])
    }

    /// Dates convert to ISO text; an invalid date to null.
    @Test func datesBecomeISOText() throws {
        let engine = try ScriptEngine()
        #expect(try engine.evaluate(expression: "new Date(0)", variables: [:]) == "1970-01-01T00:00:00.000Z")
        #expect(
            try engine.evaluate(expression: "({when: new Date(86400000)})", variables: [:])
                == ["when": "1970-01-02T00:00:00.000Z"])
        #expect(try engine.evaluate(expression: "new Date(NaN)", variables: [:]) == .null)
    }

    /// A cyclic result is a runtime error, not a hang or a crash.
    @Test func cyclicResultIsAnError() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.evaluate(expression: "(() => { const a = {}; a.self = a; return a })()", variables: [:])
        }
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("cyclic") == true)
        #expect(try engine.evaluate(expression: "1 + 1", variables: [:]) == 2)
    }

    /// A result nested deeper than the engine converts is an error, not a stack overflow.
    @Test func deeplyNestedResultIsAnError() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.evaluate(
                expression: "(() => { let v = 1; for (let i = 0; i < 100000; i++) v = [v]; return v })()",
                variables: [:])
        }
        #expect(error?.kind == .runtime)
    }

    /// A missing variable is a runtime error carrying JavaScript's message and position.
    @Test func referenceErrorCarriesMessageAndPosition() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.evaluate(expression: "1 + foo", variables: [:])
        }
        #expect(error?.kind == .runtime)
        #expect(error?.message == "ReferenceError: Can't find variable: foo")
        #expect(error?.line == 1)
        #expect(error?.column == 8)
        #expect(error?.description == "ReferenceError: Can't find variable: foo (line 1, column 8)")
    }

    /// A statement is not an expression: it is a syntax error.
    @Test func statementIsNotAnExpression() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.evaluate(expression: "var x = 1", variables: [:])
        }
        #expect(error?.kind == .syntax)
        #expect(error?.line == 1)
    }

    /// Conditions follow JavaScript truthiness.
    @Test func conditionsFollowTruthiness() throws {
        let engine = try ScriptEngine()
        let variables = ["context": context]
        #expect(try engine.evaluateCondition("context.svc.response.statusCode == 201", variables: variables))
        #expect(try !engine.evaluateCondition("context.svc.response.statusCode === '201'", variables: variables))
        #expect(try engine.evaluateCondition("context.entities.company", variables: variables))
        #expect(try !engine.evaluateCondition("context.entities.missing", variables: variables))
        #expect(try !engine.evaluateCondition("''", variables: [:]))
        #expect(try !engine.evaluateCondition("0", variables: [:]))
        #expect(try engine.evaluateCondition("[]", variables: [:]))
    }

    /// A condition that throws is a runtime error; one that does not parse is a syntax error.
    @Test func badConditionsThrow() throws {
        let engine = try ScriptEngine()
        let runtime = #expect(throws: ScriptError.self) {
            try engine.evaluateCondition("context.entities.missing.deeper", variables: ["context": context])
        }
        #expect(runtime?.kind == .runtime)
        #expect(runtime?.message.hasPrefix("TypeError:") == true)
        let syntax = #expect(throws: ScriptError.self) {
            try engine.evaluateCondition("context.a ==", variables: ["context": context])
        }
        #expect(syntax?.kind == .syntax)
    }

    /// A variable name that is not a JavaScript identifier is refused with the reason.
    @Test func invalidVariableNamesAreRefused() throws {
        let engine = try ScriptEngine()
        let dashed = #expect(throws: ScriptError.self) {
            try engine.evaluate(expression: "1", variables: ["my-context": 1])
        }
        #expect(dashed?.kind == .invalidConfiguration)
        #expect(dashed?.message == "variable name 'my-context' is not a JavaScript identifier (letters, digits, _ and $)")
        let reserved = #expect(throws: ScriptError.self) {
            try engine.run(script: "", variables: ["class": 1])
        }
        #expect(reserved?.message == "variable name 'class' is a reserved word in JavaScript")
    }

    /// Variables are in scope for one call only; a shadowed built-in is untouched afterwards.
    @Test func variablesLastOneCall() throws {
        let engine = try ScriptEngine()
        #expect(try engine.evaluate(expression: "typeof context", variables: ["context": 1]) == "number")
        #expect(try engine.evaluate(expression: "typeof context", variables: [:]) == "undefined")
        #expect(try engine.evaluate(expression: "Math", variables: ["Math": "shadowed"]) == "shadowed")
        #expect(try engine.evaluate(expression: "Math.max(1, 2)", variables: [:]) == 2)
    }

    /// Text in any script round-trips: accents, CJK, emoji, and NUL characters.
    @Test func unicodeRoundTrips() throws {
        let engine = try ScriptEngine()
        let text = "Zoë 東京 👩🏽‍💻 a\u{0}b"
        #expect(try engine.evaluate(expression: "name", variables: ["name": .string(text)]) == .string(text))
        #expect(try engine.evaluate(expression: "'日本' + '語'", variables: [:]) == "日本語")
        #expect(try engine.evaluate(expression: "'👍'.length", variables: [:]) == 2)
        #expect(try engine.evaluate(expression: "({'clé ü': 'ñ'})", variables: [:]) == ["clé ü": "ñ"])
        // A lone surrogate is not valid Unicode; it becomes the replacement character.
        #expect(try engine.evaluate(expression: "'\\uD800'", variables: [:]) == "\u{FFFD}")
    }

    /// Numbers keep their value across the boundary, including large and fractional ones.
    @Test func numbersRoundTrip() throws {
        let engine = try ScriptEngine()
        for number in [0, -1.5, 0.1, 1e21, 9_007_199_254_740_991, -0.0001] {
            #expect(try engine.evaluate(expression: "n", variables: ["n": .number(number)]) == .number(number))
        }
    }

    /// A time limit that is not positive is refused.
    @Test func nonPositiveTimeLimitIsRefused() {
        let error = #expect(throws: ScriptError.self) { try ScriptEngine(timeLimit: .zero) }
        #expect(error?.kind == .invalidConfiguration)
    }

    /// The scoped helper hands out a working engine and returns the body's result.
    @Test func scopedHelperRunsBody() throws {
        let value = try withScriptEngine { try $0.evaluate(expression: "6 * 7", variables: [:]) }
        #expect(value == 42)
    }
}
