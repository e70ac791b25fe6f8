import ParleyJSON
import Scripting
import Testing

/// Paths and comparisons answered without JavaScript give exactly what JavaScript gives.
@Suite struct ShortcutTests {
    let variables: [String: JSONValue] = [
        "context": [
            "entities": [
                "company": "Acme", "amount": 1500, "zero": 0, "ratio": 0.25, "empty": "", "tags": ["a", "b"],
                "nothing": nil, "yes": true, "no": false, "numeric": "201", "accent": "e\u{301}", "map": ["1": "one"],
            ],
            "svc": ["response": ["statusCode": 201, "body": [["message": "ok", "id": "00Q1"]]]],
        ],
        "env": ["mode": "test"],
    ]

    let paths = [
        "context.entities.company", "context.entities.amount", "context.entities.zero", "context.entities.ratio",
        "context.entities.empty", "context.entities.tags", "context.entities.tags[1]", "context.entities.tags[7]",
        "context.entities.tags.length", "context.entities.company.length", "context.entities.nothing",
        "context.entities.yes", "context.entities.no", "context.entities.missing", "context.entities.map[1]",
        "context.svc.response.statusCode", "context.svc.response.body[0].id", "context.svc", "env.mode",
        "context.entities.numeric", "context.entities.accent",
    ]

    let literals = ["201", "0", "-1", "0.25", "1500", "'Acme'", "\"ok\"", "''", "'201'", "'é'", "true", "false", "null"]

    /// Wrapped in parentheses, a source is no longer a plain path and JavaScript evaluates it.
    func viaJavaScript(_ source: String) -> String { "(\(source))" }

    /// A path as a condition is as truthy as JavaScript finds it.
    @Test func pathConditionsMatchJavaScript() throws {
        let engine = try ScriptEngine()
        for path in paths {
            let direct = try engine.evaluateCondition(path, variables: variables)
            #expect(direct == (try engine.evaluateCondition(viaJavaScript(path), variables: variables)), "\(path)")
        }
    }

    /// Every comparison of a path with a literal, loose or strict, agrees with JavaScript.
    @Test func comparisonsMatchJavaScript() throws {
        let engine = try ScriptEngine()
        for path in paths {
            for comparison in ["==", "!=", "===", "!=="] {
                for literal in literals {
                    let condition = "\(path) \(comparison) \(literal)"
                    let direct = try engine.evaluateCondition(condition, variables: variables)
                    let javaScript = try engine.evaluateCondition(viaJavaScript(condition), variables: variables)
                    #expect(direct == javaScript, "\(condition)")
                }
            }
        }
    }

    /// A path as an expression gives the value JavaScript would hand back.
    @Test func pathExpressionsMatchJavaScript() throws {
        let engine = try ScriptEngine()
        for path in paths {
            let direct = try engine.evaluate(expression: path, variables: variables)
            #expect(direct == (try engine.evaluate(expression: viaJavaScript(path), variables: variables)), "\(path)")
        }
    }

    /// Where JavaScript would throw or find a built-in, it still decides.
    @Test func javaScriptStillDecidesTheRest() throws {
        let engine = try ScriptEngine()
        #expect(throws: ScriptError.self) { try engine.evaluate(expression: "context.nope.deeper", variables: variables) }
        #expect(throws: ScriptError.self) { try engine.evaluateCondition("context.nope.deeper == 1", variables: variables) }
        #expect(throws: ScriptError.self) { try engine.evaluateCondition("unknownRoot", variables: variables) }
        #expect(try engine.evaluate(expression: "context.entities.constructor.name", variables: variables) == "Object")
        #expect(try engine.evaluateCondition("context.entities.company.toUpperCase", variables: variables))
        #expect(try engine.evaluateCondition("context.entities.numeric == 201", variables: variables))
        #expect(try engine.evaluateCondition("context.entities.tags == 'a,b'", variables: variables))
        #expect(try engine.evaluate(expression: "Math.PI", variables: [:]) == .number(Double.pi))
    }

    /// A key the JSON lacks but objects inherit (a built-in, or one a script added) reads as JavaScript reads it.
    @Test func inheritedPropertiesAreNotMissing() throws {
        let engine = try ScriptEngine()
        #expect(try engine.evaluateCondition("context.entities.toString", variables: variables))
        #expect(try engine.evaluateCondition("context.entities.constructor != null", variables: variables))
        #expect(!(try engine.evaluateCondition("context.entities.shared", variables: variables)))
        _ = try engine.run(script: "Object.prototype.shared = 'everywhere'; Array.prototype[5] = 'five'", variables: [:])
        #expect(try engine.evaluateCondition("context.entities.shared", variables: variables))
        #expect(try engine.evaluate(expression: "context.entities.shared", variables: variables) == "everywhere")
        #expect(try engine.evaluateCondition("context.entities.tags[5] === 'five'", variables: variables))
        #expect(try engine.evaluate(expression: "context.entities.tags[5]", variables: variables) == "five")
    }

    /// Values JavaScript cannot hold as they are come back the way JavaScript hands them back.
    @Test func unusualValuesRoundTripThroughJavaScript() throws {
        let engine = try ScriptEngine()
        let odd: [String: JSONValue] = ["v": ["inf": .number(.infinity), "list": [.number(.nan), 1]]]
        #expect(try engine.evaluate(expression: "v", variables: odd) == ["inf": nil, "list": [nil, 1]])
        #expect(try engine.evaluate(expression: "v.inf", variables: odd) == .null)
    }

    /// An invalid variable name is refused even when JavaScript is not needed for the answer.
    @Test func variableNamesAreStillChecked() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.evaluateCondition("context.entities.yes", variables: ["context": [:], "not valid": 1])
        }
        #expect(error?.kind == .invalidConfiguration)
    }
}
