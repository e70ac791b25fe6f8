public import DialogModel
public import ParleyJSON

/// What an entity recognizer made of an answer to the entity's prompt.
public enum Recognition: Sendable, Hashable {
    /// A valid value, to store at `context.entities.<name>`, and the text it was read from.
    case value(JSONValue, text: String)
    /// The answer fits several values of a list equally well; ask "which of these?".
    case ambiguous([ListItem])
    /// The answer is not a valid value; `reason` is short and fit for an error prompt
    /// ("That date isn't valid").
    case invalid(reason: String)
    /// Nothing was said.
    case empty
}
