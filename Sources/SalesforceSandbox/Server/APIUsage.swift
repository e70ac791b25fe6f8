import Foundation
import Synchronization

/// Counts REST calls per UTC day against the daily limit, as `Sforce-Limit-Info` reports them.
final class APIUsage: Sendable {
    private struct Count {
        var day: Int
        var used: Int
    }

    let limit: Int
    private let clock: @Sendable () -> Date
    private let count = Mutex(Count(day: 0, used: 0))

    init(limit: Int, clock: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.clock = clock
    }

    /// Whether today's calls have reached the limit.
    var isExhausted: Bool { used >= limit }

    /// Counts one call; returns the calls used today including it.
    @discardableResult
    func record() -> Int {
        let day = today
        return count.withLock { count in
            if count.day != day { count = Count(day: day, used: 0) }
            count.used += 1
            return count.used
        }
    }

    /// Calls used today.
    var used: Int {
        let day = today
        return count.withLock { $0.day == day ? $0.used : 0 }
    }

    private var today: Int { Int((clock().timeIntervalSince1970 / 86_400).rounded(.down)) }
}
