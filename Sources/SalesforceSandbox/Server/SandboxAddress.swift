import Synchronization

/// The sandbox's own base URL, known once the server has bound its port.
final class SandboxAddress: Sendable {
    private let value: Mutex<String>

    init(_ initial: String) {
        value = Mutex(initial)
    }

    var baseURL: String { value.withLock { $0 } }

    func set(_ baseURL: String) {
        value.withLock { $0 = baseURL }
    }
}
