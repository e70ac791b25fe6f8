import BotHost
import Prometheus
import Synchronization

/// What `/metrics` reports, in Prometheus's text format.
final class ServerMetrics: Sendable {
    /// Conversations with a turn this recent count as active.
    static let activeWindow = Duration.seconds(15 * 60)

    private let registry = PrometheusCollectorRegistry()
    private let turns: Counter
    private let turnErrors: Counter
    private let turnSeconds: DurationHistogram
    private let deliveries: Counter
    private let activeConversations: Gauge
    private let pendingAuthorizations: Gauge
    private let lastTurns = Mutex<[ConversationKey: ContinuousClock.Instant]>([:])

    init() {
        turns = registry.makeCounter(descriptor: Self.name("turns", "total", "Turns run for users of the HTTP channel."))
        turnErrors = registry.makeCounter(
            descriptor: Self.name("turn_store_errors", "total", "Turns whose conversation could not be loaded or saved."))
        turnSeconds = registry.makeDurationHistogram(
            descriptor: Self.name("turn_duration", "seconds", "How long a turn took, from its request to its reply."),
            buckets: [
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
            ])
        deliveries = registry.makeCounter(
            descriptor: Self.name("outbox_events", "total", "Messages produced between turns (a resumed task) put in the outbox."))
        activeConversations = registry.makeGauge(
            descriptor: Self.name("active", "conversations", "Conversations with a turn in the last 15 minutes."))
        pendingAuthorizations = registry.makeGauge(
            descriptor: Self.name("pending", "authorizations", "Authorization links sent and not used or expired yet."))
    }

    func turnRan(_ conversation: ConversationKey, duration: Duration, storeFailed: Bool) {
        turns.increment()
        if storeFailed { turnErrors.increment() }
        turnSeconds.record(duration)
        let now = ContinuousClock.now
        lastTurns.withLock { lastTurns in
            lastTurns[conversation] = now
            // Unscraped, the map would keep every conversation ever seen; old ones are of no use to the gauge.
            if lastTurns.count > 50_000 { lastTurns = lastTurns.filter { $0.value.duration(to: now) < Self.activeWindow } }
        }
    }

    func delivered() {
        deliveries.increment()
    }

    /// Counts a service call under its integration; an answer of 500 or more, or none, is an error.
    func serviceCall(_ integration: String, _ outcome: ServiceCallOutcome) {
        let labels = [("integration", integration)]
        switch outcome {
        case .authorizationRequired:
            return
        case .answered(let status):
            registry.makeCounter(descriptor: Self.serviceCalls, labels: labels).increment()
            if status >= 500 { errors(labels) }
        case .failed:
            registry.makeCounter(descriptor: Self.serviceCalls, labels: labels).increment()
            errors(labels)
        }
    }

    private func errors(_ labels: [(String, String)]) {
        registry.makeCounter(descriptor: Self.serviceErrors, labels: labels).increment()
    }

    private static var serviceCalls: MetricNameDescriptor {
        name("service_calls", "total", "Service calls by integration.")
    }
    private static var serviceErrors: MetricNameDescriptor {
        name("service_errors", "total", "Service calls that got no answer or an answer of 500 or more, by integration.")
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "parley", metricName: metric, unitName: unit, helpText: help)
    }

    /// The exposition, with the gauges read now.
    func exposition(pendingAuthorizations pending: Int?) -> String {
        let now = ContinuousClock.now
        let active = lastTurns.withLock { lastTurns in
            lastTurns = lastTurns.filter { $0.value.duration(to: now) < Self.activeWindow }
            return lastTurns.count
        }
        activeConversations.set(Double(active))
        if let pending { pendingAuthorizations.set(Double(pending)) }
        return registry.emitToString()
    }
}
