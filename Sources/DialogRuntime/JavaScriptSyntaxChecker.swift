public import DialogModel
import Scripting

/// Checks dialog files' JavaScript with JavaScriptCore's parser, without running it.
public struct JavaScriptSyntaxChecker: ScriptSyntaxChecking {
    public init() {}

    public func syntaxError(in source: String, as kind: ScriptKind) -> ScriptSyntaxError? {
        guard let error = ScriptEngine.syntaxError(in: source, asExpression: kind == .expression) else { return nil }
        return ScriptSyntaxError(message: error.message, line: error.line, column: error.column)
    }
}
