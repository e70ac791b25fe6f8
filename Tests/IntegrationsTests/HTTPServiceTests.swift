import AsyncHTTPClient
import DialogRuntime
import Foundation
import Integrations
import SalesforceSandbox
import Testing

@Suite("Plain HTTP for service nodes without an integration")
struct HTTPServiceTests {
    static func withService(_ body: (HTTPService) async throws -> Void) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(.asyncHTTPClient(client))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Any HTTP status is a response with its headers and body.
    @Test func returnsResponsesWhateverTheirStatus() async throws {
        try await withSandbox { sandbox in
            try await Self.withService { service in
                let versions = try await service.send(ServiceRequest(method: "GET", url: sandbox.baseURL + "/services/data/"))
                #expect(versions.statusCode == 200)
                #expect(String(decoding: versions.body, as: UTF8.self).contains("66.0"))
                let unauthorized = try await service.send(
                    ServiceRequest(method: "GET", url: sandbox.baseURL + "/services/data/v66.0/sobjects/Lead"))
                #expect(unauthorized.statusCode == 401)
            }
        }
    }

    /// A server slower than the node's timeout gives `.timeout`.
    @Test func slowServerTimesOut() async throws {
        try await withSandbox(configuration: SandboxConfiguration(faults: FaultInjection(latency: .seconds(2)))) { sandbox in
            try await Self.withService { service in
                let request = ServiceRequest(
                    method: "GET", url: sandbox.baseURL + "/services/data/v66.0/sobjects", timeout: .milliseconds(200))
                await #expect(throws: ServiceCallError.timeout) { _ = try await service.send(request) }
            }
        }
    }

    /// Nothing listening gives `.connection` naming the request.
    @Test func refusedConnectionIsAConnectionError() async throws {
        try await Self.withService { service in
            do throws(ServiceCallError) {
                _ = try await service.send(ServiceRequest(method: "GET", url: "http://127.0.0.1:1/nothing"))
                Issue.record("a request to a closed port succeeded")
            } catch .connection(let reason) {
                #expect(reason.contains("GET http://127.0.0.1:1/nothing failed"))
            } catch {
                Issue.record("expected a connection error, got \(error)")
            }
        }
    }
}
