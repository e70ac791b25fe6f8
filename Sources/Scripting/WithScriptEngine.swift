/// Runs `body` with a new engine that lives only for the call.
///
/// - Throws: ``ScriptError`` when the engine cannot be created, or whatever `body` throws.
public func withScriptEngine<Result>(
    timeLimit: Duration = .milliseconds(100), _ body: (ScriptEngine) throws -> Result
) throws -> Result {
    let engine = try ScriptEngine(timeLimit: timeLimit)
    // The engine's JavaScriptCore context is released when this scope ends, on success or error.
    return try withExtendedLifetime(engine) { try body(engine) }
}
