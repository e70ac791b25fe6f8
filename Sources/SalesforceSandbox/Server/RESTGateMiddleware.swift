import Foundation
import Hummingbird
import SalesforceWire

/// What stands in front of every REST call (`/services/data/vXX.X/...`, not the versions list):
/// injected latency and `503 SERVER_UNAVAILABLE`, the daily limit (`403 REQUEST_LIMIT_EXCEEDED`),
/// and the `Sforce-Limit-Info` header.
struct RESTGateMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let faults: FaultSwitch
    let usage: APIUsage
    let random: @Sendable () -> Double

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let faults = self.faults.faults
        if faults.latency > .zero {
            try await Task.sleep(for: faults.latency)
        }
        guard Self.isRESTCall(request.uri.path) else {
            return try await next(request, context)
        }
        if faults.unavailableRate > 0, random() < faults.unavailableRate {
            throw APIFailure(
                status: 503, code: .serverUnavailable,
                message: "Server is temporarily unavailable. Please try again later.")
        }
        guard !usage.isExhausted else {
            var response = SandboxResponse.failure(
                APIFailure(status: 403, code: .requestLimitExceeded, message: "TotalRequests Limit exceeded."))
            response.headers[SandboxResponse.limitInfoHeader] = "api-usage=\(usage.used)/\(usage.limit)"
            return response
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let failure as APIFailure {
            response = SandboxResponse.failure(failure)
        }
        // Calls refused for their session never reached the API, so they do not count.
        let used = response.status == .unauthorized ? usage.used : usage.record()
        response.headers[SandboxResponse.limitInfoHeader] = "api-usage=\(used)/\(usage.limit)"
        return response
    }

    /// `/services/data/v66.0/...` and `/services/data/latest/...`, but not the versions list itself.
    static func isRESTCall(_ path: String) -> Bool {
        guard path.hasPrefix("/services/data/") else { return false }
        let rest = path.dropFirst("/services/data/".count)
        return !rest.isEmpty
    }
}
