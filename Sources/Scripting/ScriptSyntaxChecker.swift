/// Checks that JavaScript compiles, for validating dialog files before they run.
///
/// A value wrapper around ``ScriptEngine/syntaxError(in:asExpression:)`` that can be shared
/// freely; each check uses a short-lived JavaScriptCore context of its own.
public struct ScriptSyntaxChecker: Sendable {
    public init() {}

    /// The first syntax error in `source`, or `nil` when it compiles; see
    /// ``ScriptEngine/syntaxError(in:asExpression:)``.
    public func syntaxError(in source: String, asExpression: Bool) -> (message: String, line: Int, column: Int)? {
        ScriptEngine.syntaxError(in: source, asExpression: asExpression)
    }
}
