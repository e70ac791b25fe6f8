public import ParleyJSON

/// What a script did: the lines it printed and the variables as it left them.
public struct ScriptRun: Sendable, Equatable {
    /// One entry per `print(...)` call, its arguments joined by a space; at most ``PrintLimit`` of them.
    public var printed: [String]
    /// The variables passed to the script, after the script changed them.
    ///
    /// Values convert as in ``ScriptEngine/evaluate(expression:variables:)``. A variable the
    /// script set to `undefined` is absent; globals the script created on its own are not included.
    public var variables: [String: JSONValue]
    /// Whether the script printed more than ``PrintLimit`` allows, so `printed` lacks the rest.
    public var printTruncated: Bool

    public init(printed: [String], variables: [String: JSONValue], printTruncated: Bool = false) {
        self.printed = printed
        self.variables = variables
        self.printTruncated = printTruncated
    }
}
