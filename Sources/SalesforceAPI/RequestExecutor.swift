import Foundation
import Logging

/// Sends requests through a transport with a timeout per attempt, retries for idempotent methods and
/// debug logging that never shows credentials. Shared by `SalesforceClient` and `OAuthClient`.
struct RequestExecutor: Sendable {
    /// The longest timeout a caller may ask for.
    static let maximumTimeout: Duration = .seconds(20)
    static let defaultTimeout: Duration = .seconds(5)

    let transport: any HTTPTransport
    let timeout: Duration
    let retry: RetryPolicy
    let logger: Logger

    init(transport: any HTTPTransport, timeout: Duration, retry: RetryPolicy, logger: Logger) {
        self.transport = transport
        self.timeout = Self.clamp(timeout)
        self.retry = retry
        self.logger = logger
    }

    /// Keeps a timeout between 1 ms and 20 s.
    static func clamp(_ timeout: Duration) -> Duration {
        min(max(timeout, .milliseconds(1)), maximumTimeout)
    }

    func execute(_ request: TransportRequest) async throws -> RawResponse {
        var attempt = 1
        while true {
            try Task.checkCancellation()
            logger.debug(
                "salesforce request",
                metadata: [
                    "method": "\(request.method)", "url": "\(Self.redactedURL(request.url))",
                    "headers": "\(Self.redactedHeaders(request.headers))", "attempt": "\(attempt)",
                ])
            let started = ContinuousClock.now
            do {
                let response = try await attemptOnce(request)
                logger.debug(
                    "salesforce response",
                    metadata: [
                        "method": "\(request.method)", "url": "\(Self.redactedURL(request.url))",
                        "status": "\(response.status)", "elapsed": "\(ContinuousClock.now - started)",
                    ])
                if attempt < retry.maxAttempts, retry.shouldRetry(request.method, status: response.status) {
                    try await retry.sleep(retry.delay(beforeRetry: attempt))
                    attempt += 1
                    continue
                }
                return response
            } catch let error as SalesforceError {
                logger.debug(
                    "salesforce request failed",
                    metadata: ["method": "\(request.method)", "url": "\(Self.redactedURL(request.url))", "error": "\(error)"])
                if attempt < retry.maxAttempts, retry.shouldRetry(request.method, error: error) {
                    try await retry.sleep(retry.delay(beforeRetry: attempt))
                    attempt += 1
                    continue
                }
                throw error
            }
        }
    }

    /// One attempt, raced against the timeout so that a slow body counts too.
    private func attemptOnce(_ request: TransportRequest) async throws -> RawResponse {
        let transport = self.transport
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: RawResponse?.self) { group in
            group.addTask {
                do {
                    return try await transport.execute(request, timeout: timeout)
                } catch let error as SalesforceError {
                    throw error
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    throw SalesforceError.connection(String(describing: error))
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw SalesforceError.timeout }
            // The timer finished first; the request is cancelled on the way out.
            guard let response = first else { throw SalesforceError.timeout }
            return response
        }
    }

    /// Headers as they may be logged: credentials replaced.
    static func redactedHeaders(_ headers: [String: String]) -> String {
        headers.keys.sorted().map { name in
            let lowered = name.lowercased()
            if lowered == "authorization" || lowered == "cookie" || lowered == "set-cookie" {
                let scheme = headers[name]?.split(separator: " ").first.map(String.init) ?? ""
                return "\(name): \(scheme) [redacted]"
            }
            return "\(name): \(headers[name] ?? "")"
        }.joined(separator: ", ")
    }

    /// A URL as it may be logged: query values that could be credentials replaced.
    static func redactedURL(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false), let items = components.queryItems
        else { return url.absoluteString }
        components.queryItems = items.map { item in
            SensitiveFields.names.contains(item.name.lowercased()) ? URLQueryItem(name: item.name, value: "[redacted]") : item
        }
        return components.string ?? url.absoluteString
    }
}
