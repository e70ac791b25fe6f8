import ParleyJSON
import Scripting
import Testing

@Suite struct TemplateTests {
    let variables: [String: JSONValue] = [
        "context": [
            "entities": ["company": "Acme", "amount": 1500, "ratio": 0.25, "tags": ["a", "b"], "nothing": nil],
            "svc": ["response": ["statusCode": 400, "body": [["message": "Required fields are missing: [LastName]"]]]],
            "flag": true,
        ],
        "integration": ["instanceUrl": "https://acme.my.salesforce.com", "apiVersion": "62.0"],
    ]

    /// Plain paths are replaced by their values, rendered as a person reads them.
    @Test func rendersPlainPaths() throws {
        let engine = try ScriptEngine()
        #expect(
            try engine.render("Which company is {{context.entities.company}} with?", variables: variables)
                == "Which company is Acme with?")
        #expect(
            try engine.render(
                "{{integration.instanceUrl}}/services/data/v{{integration.apiVersion}}/sobjects/Lead",
                variables: variables) == "https://acme.my.salesforce.com/services/data/v62.0/sobjects/Lead")
        #expect(
            try engine.render("Salesforce said: {{ context.svc.response.body[0].message }}", variables: variables)
                == "Salesforce said: Required fields are missing: [LastName]")
        #expect(
            try engine.render(
                "{{context.entities.amount}} {{context.entities.ratio}} {{context.flag}}",
                variables: variables) == "1500 0.25 true")
        #expect(
            try engine.render("{{context.entities.tags}} {{context.entities.nothing}}|", variables: variables)
                == #"["a","b"] |"#)
    }

    /// A missing path renders as empty text instead of failing.
    @Test func missingPathsRenderEmpty() throws {
        let engine = try ScriptEngine()
        #expect(try engine.render("[{{context.entities.missing}}]", variables: variables) == "[]")
        #expect(try engine.render("[{{context.nope.deeper.still}}]", variables: variables) == "[]")
        #expect(try engine.render("[{{context.svc.response.body[5].message}}]", variables: variables) == "[]")
        #expect(try engine.render("[{{unknownRoot.value}}]", variables: variables) == "[]")
    }

    /// For every plain path, the fast path gives exactly what JavaScript gives.
    @Test func fastPathMatchesJavaScript() throws {
        let engine = try ScriptEngine()
        let paths = [
            "context.entities.company", "context.entities.amount", "context.entities.ratio", "context.entities.tags",
            "context.entities.tags[1]", "context.entities.tags.length", "context.entities.company.length",
            "context.entities.nothing", "context.svc.response.body[0].message", "context.svc.response",
            "context.flag", "integration.apiVersion", "context.entities.missing",
        ]
        for path in paths {
            let fast = try engine.render("{{\(path)}}", variables: variables)
            // Wrapping the path in parentheses makes it an expression the fast path does not take.
            let javaScript = try engine.render("{{(\(path))}}", variables: variables)
            #expect(fast == javaScript, "\(path)")
        }
    }

    /// Anything that is not a plain path is evaluated as JavaScript.
    @Test func evaluatesExpressions() throws {
        let engine = try ScriptEngine()
        #expect(try engine.render("Total: {{ context.entities.amount * 2 }}", variables: variables) == "Total: 3000")
        #expect(try engine.render("{{ context.entities.company.toUpperCase() }}", variables: variables) == "ACME")
        #expect(try engine.render("{{ context.flag ? 'yes' : 'no' }}", variables: variables) == "yes")
        #expect(
            try engine.render("{{ Math.max(1, 7) }}/{{ 10 / 4 }}/{{ 1 / 3 }}", variables: variables)
                == "7/2.5/0.3333333333333333")
        #expect(try engine.render("{{ undefined }}{{ null }}|{{ {a: 1} }}", variables: variables) == #"|{"a":1}"#)
        #expect(try engine.render("{{ Math.PI > 3 }}", variables: variables) == "true")
    }

    /// Text without placeholders, empty placeholders and unclosed braces come through as written.
    @Test func literalTextIsKept() throws {
        let engine = try ScriptEngine()
        #expect(try engine.render("No placeholders here.", variables: [:]) == "No placeholders here.")
        #expect(try engine.render("", variables: [:]) == "")
        #expect(try engine.render("a{{ }}b", variables: [:]) == "ab")
        #expect(try engine.render("open {{ never closed", variables: variables) == "open {{ never closed")
        #expect(try engine.render("ünïcødé {{context.entities.company}} 👍", variables: variables) == "ünïcødé Acme 👍")
    }

    /// A placeholder whose JavaScript fails reports the error.
    @Test func failingExpressionsThrow() throws {
        let engine = try ScriptEngine()
        let runtime = #expect(throws: ScriptError.self) {
            try engine.render("{{ context.nope.deeper + 1 }}", variables: variables)
        }
        #expect(runtime?.kind == .runtime)
        let syntax = #expect(throws: ScriptError.self) {
            try engine.render("{{ context.entities. }}", variables: variables)
        }
        #expect(syntax?.kind == .syntax)
    }
}
