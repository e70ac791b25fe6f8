/// Checks that JavaScript in dialog files compiles, so that mistakes show up when a bot loads
/// rather than in the middle of a conversation.
///
/// The loader calls it for scripts, message scripts, transition conditions and each `{{ }}`
/// placeholder expression. Implementations must not run the code.
public protocol ScriptSyntaxChecking: Sendable {
    /// The first syntax error in `source`, or `nil` when it compiles.
    func syntaxError(in source: String, as kind: ScriptKind) -> ScriptSyntaxError?
}

/// How a piece of JavaScript is used, which decides how it is compiled.
public enum ScriptKind: Sendable, Hashable {
    /// A script body: scripts and message scripts.
    case statements
    /// A single expression: transition conditions and `{{ }}` placeholders.
    case expression
}

/// A JavaScript syntax error, positioned within the checked source.
public struct ScriptSyntaxError: Error, Sendable, Hashable {
    public var message: String
    /// 1-based line within the source.
    public var line: Int
    /// 1-based column within the line.
    public var column: Int

    public init(message: String, line: Int = 1, column: Int = 1) {
        self.message = message
        self.line = line
        self.column = column
    }
}
