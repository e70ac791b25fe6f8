import Foundation
import ParleyJSON
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Two `parley` processes on one state folder (the README suggests `parley sandbox` next to `parley chat`,
/// which runs the same sandbox in-process): neither loses, overwrites or hides the other's records.
@Suite struct SharedStateTests {
    /// A `parley sandbox` process and where it listens.
    struct Server {
        let process: ChildProcess.Background
        let baseURL: String

        static func start(state: URL) async throws -> Server {
            let process = try ChildProcess.start(Build.parley, ["sandbox", "--state", state.path, "--port", "0"])
            let text = try await process.waitFor("Press Ctrl-C to stop.")
            guard let line = text.split(separator: "\n").first(where: { $0.contains("listening on ") }),
                let url = line.split(separator: " ").last
            else { throw ChildProcess.Failure(description: "the sandbox did not say where it listens:\n\(text)") }
            return Server(process: process, baseURL: String(url))
        }
    }

    static func send(
        _ method: String, _ url: String, token: String? = nil, form: String? = nil, json: String? = nil
    ) async throws -> (status: Int, json: JSONValue) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let form {
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(form.utf8)
        }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, data.isEmpty ? .null : (try? JSONValue(parsing: data)) ?? .string(String(decoding: data, as: UTF8.self)))
    }

    static func leadIDs(on server: Server, company: String, token: String) async throws -> Set<String> {
        let query = "SELECT+Id+FROM+Lead+WHERE+Company+=+'\(company)'"
        let reply = try await send("GET", server.baseURL + "/services/data/v66.0/query?q=" + query, token: token)
        #expect(reply.status == 200)
        return Set((reply.json["records"]?.arrayValue ?? []).compactMap { $0["Id"]?.stringValue })
    }

    /// Two sandbox processes on one state folder: creates through both get distinct ids and both list them all,
    /// an update through one is read through the other, and a token revoked through one is refused by both.
    @Test func twoProcessesShareOneStateFolder() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let first = try await Server.start(state: state)
        let second: Server
        do {
            second = try await Server.start(state: state)
        } catch {
            await first.process.stop()
            throw error
        }
        do {
            try await Self.exercise(first, second, state: state)
        } catch {
            Issue.record(error)
        }
        await first.process.stop()
        await second.process.stop()
    }

    static func exercise(_ first: Server, _ second: Server, state: URL) async throws {
        let apps = try await runParley(["sandbox", "apps", "list", "--state", state.path])
        let secret = try #require(
            apps.output.split(separator: "\n").first { $0.hasPrefix("client_secret: ") }?.dropFirst("client_secret: ".count))
        let granted = try await send(
            "POST", first.baseURL + "/services/oauth2/token",
            form: "grant_type=client_credentials&client_id=parley-system&client_secret=\(secret)")
        let token = try #require(granted.json["access_token"]?.stringValue, "no token: \(granted.json)")

        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<16 {
                let server = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    let reply = try await send(
                        "POST", server.baseURL + "/services/data/v66.0/sobjects/Lead/", token: token,
                        json: #"{"LastName":"Twin\#(index)","Company":"Twin Co"}"#)
                    #expect(reply.status == 201)
                    return reply.json["id"]?.stringValue ?? ""
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 16)
        #expect(try await leadIDs(on: first, company: "Twin Co", token: token) == ids)
        #expect(try await leadIDs(on: second, company: "Twin Co", token: token) == ids)

        let id = try #require(ids.first)
        let path = "/services/data/v66.0/sobjects/Lead/\(id)"
        #expect(try await send("PATCH", first.baseURL + path, token: token, json: #"{"Title":"CTO"}"#).status == 204)
        #expect(try await send("GET", second.baseURL + path, token: token).json["Title"] == "CTO")

        let revoked = try await send("POST", second.baseURL + "/services/oauth2/revoke", form: "token=\(token)")
        #expect(revoked.status == 200)
        #expect(try await send("GET", first.baseURL + path, token: token).status == 401)
        #expect(try await send("GET", second.baseURL + path, token: token).status == 401)
    }
}
