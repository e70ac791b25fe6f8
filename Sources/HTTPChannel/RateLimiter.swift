import Synchronization

/// Turns per conversation, as token buckets: `burst` turns at once, then `perSecond` a second.
final class RateLimiter: Sendable {
    let perSecond: Double
    let burst: Double
    private let buckets = Mutex<[ConversationKey: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = Double(burst)
    }

    /// Takes a turn for the conversation; when none is left, returns how long until one is, in whole seconds (at
    /// least one), as `Retry-After` says it.
    func take(for conversation: ConversationKey, now: ContinuousClock.Instant = .now) -> Int? {
        buckets.withLock { buckets in
            if buckets.count > 100_000 {
                // Full buckets are the same as none; forgetting them bounds the memory a flood of names can take.
                buckets = buckets.filter { refilled($0.value, now: now) < burst }
            }
            var bucket =
                buckets[conversation].map { Bucket(tokens: refilled($0, now: now), updated: now) }
                ?? Bucket(tokens: burst, updated: now)
            guard bucket.tokens >= 1 else {
                buckets[conversation] = bucket
                return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            buckets[conversation] = bucket
            return nil
        }
    }

    private func refilled(_ bucket: Bucket, now: ContinuousClock.Instant) -> Double {
        let elapsed = bucket.updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(burst, bucket.tokens + max(0, seconds) * perSecond)
    }
}
