/// The conversations a runtime keeps in memory between turns: the most recently used ones, up to a limit.
///
/// The store holds every conversation; the cache spares the active ones a load per turn. A conversation left idle
/// is let go once `limit` others were used after it, so a process with many open conversations (a server whose users
/// wait on a question, or come back tomorrow) holds a bounded number of them; its next turn loads it again.
struct ConversationCache {
    private var entries: [UserID: Entry] = [:]
    private var uses: UInt64 = 0
    let limit: Int

    private struct Entry {
        var state: ConversationState
        var lastUse: UInt64
    }

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// The conversation, if it is kept; it becomes the most recently used.
    mutating func state(of user: UserID) -> ConversationState? {
        guard entries[user] != nil else { return nil }
        uses += 1
        entries[user]?.lastUse = uses
        return entries[user]?.state
    }

    /// Keeps the conversation as the most recently used, letting the least recently used ones go when there are too
    /// many; `isPinned` conversations stay whatever their age (the store does not have their latest state).
    mutating func keep(_ state: ConversationState, for user: UserID, isPinned: (UserID) -> Bool) {
        uses += 1
        entries[user] = Entry(state: state, lastUse: uses)
        guard entries.count > limit else { return }
        // A quarter of the limit at once, so the sort is paid once per many new conversations, not on every one.
        let excess = entries.count - (limit - limit / 4)
        let oldest = entries.filter { !isPinned($0.key) }.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(excess)
        for (user, _) in oldest { entries[user] = nil }
    }

    /// How many conversations are kept now.
    var count: Int { entries.count }
}
