import Foundation
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceAPI

struct RetryTests {
    private func client(_ transport: ClosureTransport, retry: RetryPolicy, timeout: Duration = .seconds(5)) throws
        -> SalesforceClient
    {
        try SalesforceClient(
            transport: transport, credentials: InMemoryCredentialStore(credentials()), timeout: timeout, retry: retry)
    }

    private static let unavailable = apiError(503, .serverUnavailable, "Server unavailable")

    /// The wait doubles from the base delay up to the cap, half fixed and half random.
    @Test func backoffIsExponentialCappedAndJittered() {
        let low = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1), random: { $0.lowerBound })
        #expect(low.delay(beforeRetry: 1) == .milliseconds(50))
        #expect(low.delay(beforeRetry: 2) == .milliseconds(100))
        #expect(low.delay(beforeRetry: 3) == .milliseconds(200))
        #expect(low.delay(beforeRetry: 10) == .milliseconds(500))
        let high = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1), random: { $0.upperBound })
        #expect(high.delay(beforeRetry: 1) == .milliseconds(100))
        #expect(high.delay(beforeRetry: 10) == .seconds(1))
    }

    /// Only idempotent methods are retried, and only on 5xx.
    @Test func onlyIdempotentMethodsRetry() {
        let policy = RetryPolicy()
        #expect(policy.shouldRetry(.get, status: 503))
        #expect(policy.shouldRetry(.delete, status: 500))
        #expect(policy.shouldRetry(.patch, status: 502))
        #expect(!policy.shouldRetry(.post, status: 503))
        #expect(!policy.shouldRetry(.get, status: 404))
        #expect(!policy.shouldRetry(.get, status: 401))
        #expect(!policy.shouldRetry(.post, error: .connection("refused")))
        #expect(policy.shouldRetry(.get, error: .connection("refused")))
        #expect(!policy.shouldRetry(.get, error: .timeout))
    }

    /// A GET that meets 503 twice is sent a third time and succeeds, after two growing waits.
    @Test func getRetriesThrough503() async throws {
        let log = RequestLog()
        let sleeps = SleepLog()
        let sf = try client(
            transport(log: log) { _ in
                await log.count <= 2
                    ? Self.unavailable
                    : RawResponse(status: 200, json: ["Id": "00Q000000000001AAA", "LastName": "Doe"])
            }, retry: recordingRetry(sleeps))
        let record = try await sf.retrieve("Lead", id: "00Q000000000001AAA")
        #expect(record["LastName"] == "Doe")
        #expect(await log.count == 3)
        #expect(await sleeps.delays == [.milliseconds(75), .milliseconds(150)])
    }

    /// A create that meets 503 is not sent again: the error comes back after one attempt.
    @Test func createIsNeverRetried() async throws {
        let log = RequestLog()
        let sleeps = SleepLog()
        let sf = try client(transport(log: log) { _ in Self.unavailable }, retry: recordingRetry(sleeps))
        do {
            _ = try await sf.create("Lead", fields: ["LastName": "Doe", "Company": "Acme"])
            Issue.record("create succeeded")
        } catch let error as SalesforceError {
            #expect(error.apiCode == .serverUnavailable)
            #expect(error.status == 503)
        }
        #expect(await log.count == 1)
        #expect(await sleeps.delays.isEmpty)
    }

    /// A PATCH is retried after a connection error, with the same body.
    @Test func patchRetriesAfterConnectionError() async throws {
        let log = RequestLog()
        let sleeps = SleepLog()
        let sf = try client(
            transport(log: log) { _ in
                if await log.count == 1 { throw SalesforceError.connection("connection reset by peer") }
                return RawResponse(status: 204)
            }, retry: recordingRetry(sleeps))
        try await sf.update("Lead", id: "00Q000000000001AAA", fields: ["Status": "Working - Contacted"])
        let requests = await log.requests
        #expect(requests.count == 2)
        #expect(requests[0].body == requests[1].body)
        #expect(requests[1].method == .patch)
    }

    /// After the last attempt the final 5xx is reported as the typed error.
    @Test func givesUpAfterMaxAttempts() async throws {
        let log = RequestLog()
        let sleeps = SleepLog()
        let sf = try client(transport(log: log) { _ in Self.unavailable }, retry: recordingRetry(sleeps, maxAttempts: 4))
        await #expect(throws: SalesforceError.api(APIFailure(status: 503, code: .serverUnavailable, message: "Server unavailable"))) {
            try await sf.delete("Lead", id: "00Q000000000001AAA")
        }
        #expect(await log.count == 4)
        #expect(await sleeps.delays.count == 3)
    }

    /// A response slower than the timeout fails with `.timeout`, and is not retried.
    @Test func slowResponseTimesOut() async throws {
        let log = RequestLog()
        let sleeps = SleepLog()
        let sf = try client(
            transport(log: log) { _ in
                try await Task.sleep(for: .seconds(600))
                return RawResponse(status: 200, json: [])
            }, retry: recordingRetry(sleeps), timeout: .milliseconds(50))
        let started = ContinuousClock.now
        await #expect(throws: SalesforceError.timeout) { _ = try await sf.versions() }
        // Far below the response's ten minutes, with room for a machine busy with the other suites.
        #expect(ContinuousClock.now - started < .seconds(300))
        #expect(await log.count == 1)
    }

    /// Timeouts default to 5 s and are clamped to 20 s.
    @Test func timeoutDefaultsAndClamp() throws {
        let store = InMemoryCredentialStore()
        let none = ClosureTransport { _, _ in RawResponse(status: 500) }
        #expect(try SalesforceClient(transport: none, credentials: store).timeout == .seconds(5))
        #expect(try SalesforceClient(transport: none, credentials: store, timeout: .seconds(90)).timeout == .seconds(20))
        #expect(try SalesforceClient(transport: none, credentials: store, timeout: .seconds(8)).timeout == .seconds(8))
    }
}
