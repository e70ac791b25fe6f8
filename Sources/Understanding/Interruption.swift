/// Something the user says that is not an answer to the current prompt.
public enum Interruption: Sendable, Hashable {
    case none
    /// Stop the current task.
    case cancel
    /// Explain what the bot is asking for.
    case help
    /// Set an earlier entity to a new value; `text` is the new value as said, to recognize with
    /// that entity's recognizer.
    case correction(entity: String, text: String)
}
