import Synchronization

/// Lines for the person chatting that come from outside the conversation: kept until a channel attaches, then
/// handed to it as they come.
public final class HostNotices: Sendable {
    /// One line, and whether it came while the channel was attached (a warning to show above the prompt) or
    /// before (a setup note shown as the chat starts).
    public struct Notice: Sendable {
        public var text: String
        public var cameDuringChat: Bool
    }

    private struct State {
        var pending: [String] = []
        var sink: (@Sendable (Notice) -> Void)?
    }

    private let state = Mutex(State())

    public init() {}

    /// A setup note, shown when the channel attaches.
    public func add(_ line: String) {
        state.withLock { $0.pending.append(line) }
    }

    /// A line shown at once when a channel is attached, or when it attaches.
    public func show(_ line: String) {
        guard let sink = state.withLock({ $0.sink }) else { return add(line) }
        sink(Notice(text: line, cameDuringChat: true))
    }

    /// Hands the lines kept so far to `sink`, and every later one as it comes.
    public func attach(_ sink: @escaping @Sendable (Notice) -> Void) {
        let pending = state.withLock { state in
            state.sink = sink
            defer { state.pending = [] }
            return state.pending
        }
        for line in pending { sink(Notice(text: line, cameDuringChat: false)) }
    }
}
