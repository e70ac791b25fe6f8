/// JavaScript that runs at the top level of an engine's context before any call, so that the
/// functions it defines (a bot's functions) are there for every script, condition and template.
public struct PreludeScript: Sendable, Hashable {
    public var source: String
    /// The file it comes from, named in the errors it causes.
    public var file: String

    public init(source: String, file: String) {
        self.source = source
        self.file = file
    }
}
