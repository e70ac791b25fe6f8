import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceSandbox

/// Shared setup for the data tests: an in-memory store on a fixed clock and the data routes behind a fake session check.
enum DataFixture {
    /// Wednesday 2026-03-18 12:00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_773_835_200)
    static let token = "demo-token"
    static let adminToken = "admin-token"

    static func store(seeded: Bool = true, clock: @escaping @Sendable () -> Date = { DataFixture.now }) throws
        -> RecordStore
    {
        let store = try RecordStore(database: try DatabaseQueue(), clock: clock)
        if seeded { try store.seedIfEmpty() }
        return store
    }

    /// Runs `test` against a router holding only the data routes.
    static func withClient(
        _ store: RecordStore, _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = Router(context: BasicRequestContext.self)
        addDataRoutes(to: router, store: store) { request in
            switch request.headers[.authorization] {
            case "Bearer \(token)": return SandboxUser.demo
            case "Bearer \(adminToken)": return SandboxUser.admin
            default:
                throw APIFailure(status: 401, code: .invalidSessionID, message: "Session expired or invalid")
            }
        }
        try await Application(router: router).test(.router, test)
    }
}

/// A response with its body parsed as JSON (`null` when empty).
struct Reply {
    var status: Int
    var json: JSONValue
    var headers: HTTPFields

    /// The first error's code, when the body is Salesforce's error array.
    var errorCode: String? { json[0]?["errorCode"]?.stringValue }
    var errorMessage: String? { json[0]?["message"]?.stringValue }
}

extension TestClientProtocol {
    /// Sends a request as a Salesforce client would, with the demo user's token unless told otherwise.
    func call(
        _ method: HTTPRequest.Method, _ path: String, body: String? = nil, bytes: [UInt8]? = nil,
        token: String? = DataFixture.token, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil || bytes != nil { headers[.contentType] = "application/json" }
        let buffer = bytes.map { ByteBuffer(bytes: $0) } ?? body.map { ByteBuffer(string: $0) }
        return try await execute(uri: path, method: method, headers: headers, body: buffer) { response in
            let text = String(buffer: response.body)
            let json = text.isEmpty ? JSONValue.null : try JSONValue(parsing: text)
            return Reply(status: Int(response.status.code), json: json, headers: response.headers)
        }
    }
}
