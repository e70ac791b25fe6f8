public import Foundation
import Synchronization

/// A clock a test or a replay moves by hand, for the sandbox's, the authorizer's and the runtime's `now`.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    /// A clock that reads `start` until it is moved.
    public init(_ start: Date) {
        current = Mutex(start)
    }

    /// The moment the clock shows.
    public var now: Date { current.withLock { $0 } }

    /// Moves the clock forward (or back, for a negative number) by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    public func set(to date: Date) {
        current.withLock { $0 = date }
    }

    /// The clock as the `now` closure the sandbox and the authorizer take.
    public var function: @Sendable () -> Date { { [self] in self.now } }
}
