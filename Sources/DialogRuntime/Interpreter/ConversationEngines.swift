import Scripting

/// Each conversation's script engine: a JavaScript global context of its own, so that nothing one user's
/// scripts leave behind (a global, a changed prototype) is seen by another user, or by the same user's next
/// conversation after a reset.
///
/// The engines share one JavaScriptCore machine, which keeps a new conversation's context cheap (its first
/// script pays about half a millisecond for it and for the bot functions). The most recently used engines are
/// kept; a conversation whose engine was let go gets a fresh one, as it would after a reset.
final class ConversationEngines {
    private let machine: ScriptMachine
    private let prelude: [PreludeScript]
    private var engines: [UserID: (engine: ScriptEngine, lastUse: UInt64)] = [:]
    private var uses: UInt64 = 0
    let limit: Int

    /// Enough for the conversations a busy process has going at once; each costs about 100 KB and more for
    /// what its scripts keep.
    static let defaultLimit = 64

    init(machine: ScriptMachine, prelude: [PreludeScript], limit: Int = ConversationEngines.defaultLimit) {
        self.machine = machine
        self.prelude = prelude
        self.limit = max(1, limit)
    }

    /// The user's engine, made when the conversation has none.
    func engine(for user: UserID) -> ScriptEngine {
        uses += 1
        if let kept = engines[user] {
            engines[user] = (kept.engine, uses)
            return kept.engine
        }
        if engines.count >= limit, let oldest = engines.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            engines[oldest] = nil
        }
        let engine = ScriptEngine(machine: machine, prelude: prelude)
        engines[user] = (engine, uses)
        return engine
    }

    /// Lets the user's engine go, with everything their scripts left in it.
    func forget(_ user: UserID) {
        engines[user] = nil
    }

    /// How many conversations have an engine now.
    var count: Int { engines.count }
}
