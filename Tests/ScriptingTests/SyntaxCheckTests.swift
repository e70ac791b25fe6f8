import ParleyJSON
import Scripting
import Testing

@Suite struct SyntaxCheckTests {
    /// Valid expressions and scripts have no syntax error.
    @Test func validSourcesPass() {
        #expect(ScriptEngine.syntaxError(in: "context.a == 1 && context.b", asExpression: true) == nil)
        #expect(ScriptEngine.syntaxError(in: "let x = 1\nif (x) { print(x) }\nreturn", asExpression: false) == nil)
        #expect(ScriptSyntaxChecker().syntaxError(in: "'ünï' + '👍'", asExpression: true) == nil)
    }

    /// An error is placed at the offending token, 1-based, within the caller's source.
    @Test func errorsArePlacedAtTheToken() throws {
        let first = try #require(ScriptEngine.syntaxError(in: "a b", asExpression: true))
        #expect(first.message == "SyntaxError: Unexpected identifier 'b'. Expected ')' to end a compound expression.")
        #expect(first.line == 1)
        #expect(first.column == 3)

        let later = try #require(ScriptEngine.syntaxError(in: "let x = 1\nlet y = x +* 2\n", asExpression: false))
        #expect(later.line == 2)
        #expect(later.column == 12)
        #expect(later.message.hasPrefix("SyntaxError:"))

        let word = try #require(ScriptEngine.syntaxError(in: "print(1)\n  print(2) total", asExpression: false))
        #expect(word.line == 2)
        #expect(word.column == 12)
    }

    /// A source that ends too early points just past its end.
    @Test func truncatedSourcePointsPastTheEnd() throws {
        let error = try #require(ScriptEngine.syntaxError(in: "context.a ==", asExpression: true))
        #expect(error.line == 1)
        #expect(error.column == 13)
    }

    /// Statements are not expressions, but they are fine as scripts.
    @Test func expressionsMustBeExpressions() {
        #expect(ScriptEngine.syntaxError(in: "var x = 1", asExpression: true) != nil)
        #expect(ScriptEngine.syntaxError(in: "var x = 1", asExpression: false) == nil)
    }

    /// The checker only parses: a runaway or throwing script is syntactically fine.
    @Test func checkingDoesNotRun() {
        #expect(ScriptEngine.syntaxError(in: "while (true) {}", asExpression: false) == nil)
        #expect(ScriptEngine.syntaxError(in: "throw new Error('x')", asExpression: false) == nil)
    }

    /// The engine reports the same position for a script that does not compile.
    @Test func engineReportsSyntaxPositions() throws {
        let engine = try ScriptEngine()
        let error = #expect(throws: ScriptError.self) {
            try engine.run(script: "print('a')\nprint('b' 'c')", variables: ["context": [:]])
        }
        #expect(error?.kind == .syntax)
        #expect(error?.line == 2)
        #expect(error?.column == 11)
        #expect(try engine.run(script: "print('ok')", variables: [:]).printed == ["ok"])
    }
}
