import DialogRuntime

/// Service calls, plain and through integrations, reported to the host options' observer as they end.
enum ObservedServices {
    /// The name plain service nodes' calls are counted under.
    static let plainHTTP = "http"

    static func http(
        _ base: HTTPService, observer: @escaping @Sendable (String, ServiceCallOutcome) -> Void
    ) -> HTTPService {
        HTTPService { request throws(ServiceCallError) in
            try await report(plainHTTP, observer) { () throws(ServiceCallError) in try await base.send(request) }
        }
    }

    /// An integration whose calls are reported; everything else passes through.
    struct Observed: Integration {
        let base: any Integration
        let observer: @Sendable (String, ServiceCallOutcome) -> Void

        var name: String { base.name }

        func access(for user: UserID) async -> IntegrationAccess {
            await base.access(for: user)
        }

        func send(_ request: ServiceRequest, for user: UserID) async throws(ServiceCallError) -> ServiceResponse {
            try await report(base.name, observer) { () throws(ServiceCallError) in try await base.send(request, for: user) }
        }

        func confirmAuthorization(code: String, for user: UserID) async -> AuthorizationConfirmation {
            await base.confirmAuthorization(code: code, for: user)
        }
    }

    private static func report(
        _ name: String, _ observer: @Sendable (String, ServiceCallOutcome) -> Void,
        _ call: () async throws(ServiceCallError) -> ServiceResponse
    ) async throws(ServiceCallError) -> ServiceResponse {
        do {
            let response = try await call()
            observer(name, .answered(status: response.statusCode))
            return response
        } catch {
            if case .authorizationRequired = error {
                observer(name, .authorizationRequired)
            } else {
                observer(name, .failed)
            }
            throw error
        }
    }
}
