import CJavaScriptCore

extension ScriptEngine {
    /// The first syntax error in `source`, or `nil` when it compiles; nothing runs.
    ///
    /// With `asExpression`, the source must be a single expression (a condition or a `{{ }}`
    /// placeholder); otherwise it is a script body, where `return` is allowed. `line` and
    /// `column` are 1-based within `source`; when JavaScriptCore cannot place the error they
    /// point at the start of the line (or of the source).
    public static func syntaxError(
        in source: String, asExpression: Bool
    ) -> (message: String, line: Int, column: Int)? {
        guard let context = JSGlobalContextCreate(nil) else {
            return ("JavaScriptCore could not create a context to check the source", 1, 1)
        }
        defer { JSGlobalContextRelease(context) }
        let locator = SyntaxErrorLocator(context: context)
        guard let error = locator.syntaxError(in: source, mode: asExpression ? .expression : .script) else {
            return nil
        }
        return (error.message, error.line ?? 1, error.column ?? 1)
    }
}
