import Synchronization

/// The fault injection in force, changeable while the sandbox runs.
final class FaultSwitch: Sendable {
    private let current: Mutex<FaultInjection>

    init(_ faults: FaultInjection) {
        current = Mutex(faults)
    }

    var faults: FaultInjection {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
