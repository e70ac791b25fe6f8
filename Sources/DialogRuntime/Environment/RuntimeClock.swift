public import Foundation

/// The time the interpreter reads: "now" and the time zone that dates such as "tomorrow" are read in.
///
/// Always given explicitly: ``live`` for a running bot, ``fixed(at:timeZone:)`` or a closure for tests and
/// replays, so nothing reads the real clock unless asked to.
public struct RuntimeClock: Sendable {
    public var now: @Sendable () -> Date
    public var timeZone: TimeZone

    public init(timeZone: TimeZone, now: @escaping @Sendable () -> Date) {
        self.now = now
        self.timeZone = timeZone
    }

    /// The machine's clock and time zone.
    public static var live: RuntimeClock { RuntimeClock(timeZone: .current) { Date() } }

    /// A clock that stays at `date`, in UTC unless told otherwise.
    public static func fixed(at date: Date, timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt) -> RuntimeClock {
        RuntimeClock(timeZone: timeZone) { date }
    }
}

/// The chance the interpreter uses to pick among alternative prompts: a number in `0..<upperBound`.
public struct RandomSource: Sendable {
    public var pick: @Sendable (_ upperBound: Int) -> Int

    public init(pick: @escaping @Sendable (_ upperBound: Int) -> Int) {
        self.pick = pick
    }

    /// The system's random numbers.
    public static var live: RandomSource { RandomSource { Int.random(in: 0..<max($0, 1)) } }

    /// Always the first alternative, so replays and tests read the same every time.
    public static var first: RandomSource { RandomSource { _ in 0 } }
}
