import Foundation
import ParleyJSON
import SalesforceWire
import Testing
import WebEncoding

@testable import SalesforceSandbox

/// Two sandboxes on one data file, as `parley sandbox` and `parley chat` on one state folder: each has its own
/// connections and in-memory copy, and neither loses or hides the other's records and tokens.
@Suite struct SharedDataFileTests {
    /// Two sandboxes on a new data file in a scratch folder, answering in-process at their own base URLs.
    struct Pair {
        let first: Sandbox
        let second: Sandbox
        let path: String
        static let firstURL = "https://first.parley.test"
        static let secondURL = "https://second.parley.test"

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)/sandbox.sqlite").path
            first = try Sandbox(configuration: SandboxConfiguration(dataPath: path, baseURL: Self.firstURL))
            second = try Sandbox(configuration: SandboxConfiguration(dataPath: path, baseURL: Self.secondURL))
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        }

        static func url(of sandbox: Sandbox) -> String { sandbox.baseURL }
    }

    static func token(_ sandbox: Sandbox) async throws -> String {
        let form =
            "grant_type=client_credentials&client_id=\(ConnectedApp.systemClientID)&client_secret="
            + PercentEncoding.component(try sandbox.systemApp().clientSecret)
        let reply = try await sandbox.respond(
            to: InProcessRequest(
                method: "POST", url: sandbox.baseURL + "/services/oauth2/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(form.utf8)))
        #expect(reply.status == 200)
        return try #require(try JSONValue(parsing: reply.body)["access_token"]?.stringValue)
    }

    static func call(
        _ sandbox: Sandbox, _ method: String, _ path: String, token: String, body: String? = nil
    ) async throws -> (status: Int, json: JSONValue) {
        let reply = try await sandbox.respond(
            to: InProcessRequest(
                method: method, url: sandbox.baseURL + "/services/data/v66.0" + path,
                headers: [("Authorization", "Bearer " + token), ("Content-Type", "application/json")],
                body: Data((body ?? "").utf8)))
        return (reply.status, reply.body.isEmpty ? .null : try JSONValue(parsing: reply.body))
    }

    static func leadIDs(_ sandbox: Sandbox, company: String, token: String) async throws -> Set<String> {
        let query = "SELECT+Id+FROM+Lead+WHERE+Company+=+'\(company)'"
        let reply = try await call(sandbox, "GET", "/query?q=" + query, token: token)
        #expect(reply.status == 200)
        return Set((reply.json["records"]?.arrayValue ?? []).compactMap { $0["Id"]?.stringValue })
    }

    /// Leads created through both at once get distinct ids from the file, and each sandbox lists all of them.
    @Test func createsThroughBothNeverCollide() async throws {
        let pair = try Pair()
        defer { pair.remove() }
        let token = try await Self.token(pair.first)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<20 {
                let sandbox = index.isMultiple(of: 2) ? pair.first : pair.second
                group.addTask {
                    let reply = try await Self.call(
                        sandbox, "POST", "/sobjects/Lead/", token: token, body: #"{"LastName":"Twin\#(index)","Company":"Twin Co"}"#)
                    #expect(reply.status == 201)
                    return reply.json["id"]?.stringValue ?? ""
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 20)
        #expect(try await Self.leadIDs(pair.first, company: "Twin Co", token: token) == ids)
        #expect(try await Self.leadIDs(pair.second, company: "Twin Co", token: token) == ids)

        let third = try Sandbox(configuration: SandboxConfiguration(dataPath: pair.path, baseURL: "https://third.parley.test"))
        #expect(try await Self.leadIDs(third, company: "Twin Co", token: token) == ids)
    }

    /// A change made through one is what the other reads and builds on: no update is lost or undone.
    @Test func updatesThroughOneAreReadThroughTheOther() async throws {
        let pair = try Pair()
        defer { pair.remove() }
        let token = try await Self.token(pair.first)
        let created = try await Self.call(
            pair.first, "POST", "/sobjects/Lead/", token: token, body: #"{"LastName":"Okafor","Company":"Initech"}"#)
        let id = try #require(created.json["id"]?.stringValue)
        #expect(try await Self.call(pair.second, "GET", "/sobjects/Lead/\(id)", token: token).json["LastName"] == "Okafor")

        #expect(try await Self.call(pair.second, "PATCH", "/sobjects/Lead/\(id)", token: token, body: #"{"Title":"CTO"}"#).status == 204)
        #expect(try await Self.call(pair.first, "PATCH", "/sobjects/Lead/\(id)", token: token, body: #"{"City":"Lagos"}"#).status == 204)
        let record = try await Self.call(pair.second, "GET", "/sobjects/Lead/\(id)", token: token).json
        #expect(record["Title"] == "CTO")
        #expect(record["City"] == "Lagos")

        #expect(try await Self.call(pair.second, "DELETE", "/sobjects/Lead/\(id)", token: token).status == 204)
        #expect(try await Self.call(pair.first, "GET", "/sobjects/Lead/\(id)", token: token).status == 404)
    }

    /// A token revoked through one is refused by the other, which had been accepting it.
    @Test func aTokenRevokedThroughOneIsRefusedByTheOther() async throws {
        let pair = try Pair()
        defer { pair.remove() }
        let token = try await Self.token(pair.first)
        #expect(try await Self.call(pair.first, "GET", "/sobjects", token: token).status == 200)
        #expect(try await Self.call(pair.second, "GET", "/sobjects", token: token).status == 200)

        let revoked = try await pair.second.respond(
            to: InProcessRequest(
                method: "POST", url: pair.second.baseURL + "/services/oauth2/revoke",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data("token=\(PercentEncoding.component(token))".utf8)))
        #expect(revoked.status == 200)
        #expect(try await Self.call(pair.first, "GET", "/sobjects", token: token).status == 401)
        #expect(try await Self.call(pair.second, "GET", "/sobjects", token: token).status == 401)
    }

    /// A reset through a third opening of the file is seen by the others: the records they held are gone.
    @Test func aResetElsewhereIsSeen() async throws {
        let pair = try Pair()
        defer { pair.remove() }
        let token = try await Self.token(pair.first)
        _ = try await Self.call(pair.first, "POST", "/sobjects/Lead/", token: token, body: #"{"LastName":"Gone","Company":"Reset Co"}"#)
        #expect(try await Self.leadIDs(pair.second, company: "Reset Co", token: token).count == 1)
        _ = try Sandbox(configuration: SandboxConfiguration(dataPath: pair.path, reset: true))
        let fresh = try await Self.token(pair.second)
        #expect(try await Self.leadIDs(pair.first, company: "Reset Co", token: fresh).isEmpty)
        #expect(try await Self.leadIDs(pair.second, company: "Reset Co", token: fresh).isEmpty)
        let created = try await Self.call(
            pair.second, "POST", "/sobjects/Lead/", token: fresh, body: #"{"LastName":"New","Company":"Reset Co"}"#)
        #expect(created.status == 201)
    }
}
