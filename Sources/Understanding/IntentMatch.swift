/// Which intent an utterance asks for.
public enum IntentMatch: Sendable, Hashable {
    case none
    /// `score` runs from 0 to 1; 1 means every meaningful word of a training utterance was said.
    case matched(name: String, score: Double)
    /// Two or more intents fit about equally well; ask which one was meant. Best first.
    case ambiguous([String])
}
