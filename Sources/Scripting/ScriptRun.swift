public import ParleyJSON

/// What a script did: the lines it printed and the variables as it left them.
public struct ScriptRun: Sendable, Equatable {
    /// One entry per `print(...)` call, its arguments joined by a space.
    public var printed: [String]
    /// The variables passed to the script, after the script changed them.
    ///
    /// Values convert as in ``ScriptEngine/evaluate(expression:variables:)``. A variable the
    /// script set to `undefined` is absent; globals the script created on its own are not included.
    public var variables: [String: JSONValue]

    public init(printed: [String], variables: [String: JSONValue]) {
        self.printed = printed
        self.variables = variables
    }
}
