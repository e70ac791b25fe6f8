import Foundation
import Logging
import ParleyJSON
import SalesforceWire

@testable import SalesforceAPI

/// Records every request a closure transport receives.
actor RequestLog {
    private(set) var requests: [TransportRequest] = []
    func append(_ request: TransportRequest) { requests.append(request) }
    var count: Int { requests.count }
    func count(where predicate: @Sendable (TransportRequest) -> Bool) -> Int { requests.filter(predicate).count }
}

/// Records the delays a retry policy asks to sleep.
actor SleepLog {
    private(set) var delays: [Duration] = []
    func append(_ delay: Duration) { delays.append(delay) }
}

/// A transport answering with `respond`, recording each request.
func transport(
    log: RequestLog, _ respond: @escaping @Sendable (TransportRequest) async throws -> RawResponse
) -> ClosureTransport {
    ClosureTransport { request, _ in
        await log.append(request)
        return try await respond(request)
    }
}

/// A retry policy that records its waits instead of waiting, with jitter fixed at its midpoint.
func recordingRetry(_ sleeps: SleepLog, maxAttempts: Int = 3) -> RetryPolicy {
    RetryPolicy(
        maxAttempts: maxAttempts, baseDelay: .milliseconds(100), maxDelay: .seconds(1), random: { _ in 0.25 },
        sleep: { await sleeps.append($0) })
}

let testInstance = "https://parley-dev.my.salesforce.com"

func credentials(access: String = "00Dtest!access-1", refresh: String? = "refresh-1") -> SalesforceCredentials {
    SalesforceCredentials(accessToken: access, refreshToken: refresh, instanceURL: testInstance)
}

func apiError(_ status: Int, _ code: ErrorCode, _ message: String, fields: [String]? = nil) -> RawResponse {
    var item: [String: JSONValue] = ["errorCode": .string(code.rawValue), "message": .string(message)]
    if let fields { item["fields"] = .array(fields.map { .string($0) }) }
    return RawResponse(status: status, json: [.object(item)])
}

let invalidSession = apiError(401, .invalidSessionID, "Session expired or invalid")

/// A token response signed with `secret`, as Salesforce sends it.
func tokenJSON(
    access: String, refresh: String?, secret: String, id: String = "https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS"
) -> JSONValue {
    let issuedAt = "1708058728442"
    var body: [String: JSONValue] = [
        "access_token": .string(access), "instance_url": .string(testInstance), "id": .string(id),
        "token_type": "Bearer", "issued_at": .string(issuedAt), "scope": "api refresh_token",
        "signature": .string(TokenSignature.compute(id: id, issuedAt: issuedAt, clientSecret: secret)),
    ]
    if let refresh { body["refresh_token"] = .string(refresh) }
    return .object(body)
}

/// The form fields of a request body.
func formFields(_ request: TransportRequest) -> [String: String] {
    let text = String(decoding: request.body ?? Data(), as: UTF8.self)
    var fields: [String: String] = [:]
    for pair in text.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2 { fields[parts[0]] = parts[1].removingPercentEncoding ?? parts[1] }
    }
    return fields
}

/// A log handler that keeps every message with its metadata as text, to check what reaches logs.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let text = "\(event.level) \(event.message) " + merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        lock.withLock { lines.append(text) }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
