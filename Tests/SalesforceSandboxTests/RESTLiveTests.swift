import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceSandbox

/// The data routes on a real socket, driven by AsyncHTTPClient as a Salesforce client library would.
struct RESTLiveTests {
    /// Create, query and delete through a bound port, with concurrent clients.
    @Test func createAndQueryOverLoopback() async throws {
        let store = try DataFixture.store(seeded: false)
        let router = Router(context: BasicRequestContext.self)
        addDataRoutes(to: router, store: store) { request in
            guard request.headers[.authorization] == "Bearer \(DataFixture.token)" else {
                throw APIFailure(status: 401, code: .invalidSessionID, message: "Session expired or invalid")
            }
            return .demo
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)/services/data/v66.0"
            let http = HTTPClient.shared
            func send(_ method: HTTPMethod, _ url: String, _ body: String? = nil) async throws -> (Int, JSONValue) {
                var request = HTTPClientRequest(url: url)
                request.method = method
                request.headers.add(name: "Authorization", value: "Bearer \(DataFixture.token)")
                if let body {
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: body))
                }
                let response = try await http.execute(request, timeout: .seconds(10))
                let bytes = try await response.body.collect(upTo: 1 << 20)
                let text = String(buffer: bytes)
                return (Int(response.status.code), text.isEmpty ? .null : try JSONValue(parsing: text))
            }
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let (status, json) = try await send(
                            .POST, "\(base)/sobjects/Lead", #"{"LastName":"Live\#(index)","Company":"Loopback Inc"}"#)
                        #expect(status == 201)
                        return json["id"]?.stringValue ?? ""
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(ids).count == 20)
            let query =
                "SELECT Id FROM Lead WHERE Company = 'Loopback Inc'".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let (status, json) = try await send(.GET, "\(base)/query?q=\(query)")
            #expect(status == 200 && json["totalSize"] == 20)
            let (deleted, _) = try await send(.DELETE, "\(base)/sobjects/Lead/\(ids[0])")
            #expect(deleted == 204)
            let (unauthorized, _) = try await {
                var request = HTTPClientRequest(url: "\(base)/sobjects")
                request.method = .GET
                let response = try await http.execute(request, timeout: .seconds(10))
                return (Int(response.status.code), ())
            }()
            #expect(unauthorized == 401)
        }
    }
}
