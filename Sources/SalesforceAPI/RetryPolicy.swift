/// When and how long to wait before sending an idempotent request again.
///
/// Only GET, HEAD, PUT, DELETE and PATCH are retried, and only after a 5xx answer (503 `SERVER_UNAVAILABLE`
/// included) or a connection error; a POST is never sent twice, because a create that reached Salesforce
/// before the failure would be duplicated. Timeouts are not retried: the caller's time budget is spent.
/// The wait before retry `n` is `min(maxDelay, baseDelay * 2^(n-1))`, half of it fixed and half random.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; 1 means never retry.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Returns a number in the given range; injectable so tests get fixed delays.
    public var random: @Sendable (ClosedRange<Double>) -> Double
    /// Waits; injectable so tests do not wait.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxAttempts: Int = 3,
        baseDelay: Duration = .milliseconds(200),
        maxDelay: Duration = .seconds(2),
        random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.random = random
        self.sleep = sleep
    }

    /// Three attempts, 200 ms doubling up to 2 s, with jitter.
    public static var standard: RetryPolicy { RetryPolicy() }
    /// Send each request once.
    public static var never: RetryPolicy { RetryPolicy(maxAttempts: 1) }

    /// How long to wait before retry number `retry` (1 for the first retry).
    public func delay(beforeRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let uncapped = baseDelay * (1 << exponent)
        let capped = uncapped > maxDelay ? maxDelay : uncapped
        // Equal jitter: never zero (the server gets a breather), never in lockstep with other clients.
        let fraction = 0.5 + min(max(random(0...0.5), 0), 0.5)
        return capped * fraction
    }

    /// Whether a response with this status to this method may be retried.
    public func shouldRetry(_ method: RequestMethod, status: Int) -> Bool {
        method.isIdempotent && (500..<600).contains(status)
    }

    /// Whether this failure of this method may be retried.
    public func shouldRetry(_ method: RequestMethod, error: SalesforceError) -> Bool {
        method.isIdempotent && error.kind == .connection
    }
}
