import Foundation
import Logging
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceAPI

struct RESTCallTests {
    private func client(_ transport: ClosureTransport, logger: Logger = Logger(label: "test")) throws -> SalesforceClient {
        try SalesforceClient(
            transport: transport, credentials: InMemoryCredentialStore(credentials()), retry: .never, logger: logger)
    }

    /// Create posts the fields as JSON to the object's collection, with the bearer token, and decodes the result.
    @Test func createPostsJSON() async throws {
        let log = RequestLog()
        let sf = try client(
            transport(log: log) { _ in
                RawResponse(status: 201, json: ["id": "00Q5g00000DZ0d4EAD", "success": true, "errors": []])
            })
        let result = try await sf.create("Lead", fields: ["LastName": "Doe", "Company": "ABC"])
        #expect(result == CreateResult(id: "00Q5g00000DZ0d4EAD"))
        let sent = try #require(await log.requests.first)
        #expect(sent.url.absoluteString == "\(testInstance)/services/data/v66.0/sobjects/Lead/")
        #expect(sent.header("authorization") == "Bearer 00Dtest!access-1")
        #expect(sent.header("content-type") == "application/json")
        #expect(try JSONValue(parsing: sent.body ?? Data()) == ["LastName": "Doe", "Company": "ABC"])
    }

    /// Retrieve asks for the listed fields; update and delete accept 204 with no body.
    @Test func retrieveUpdateDelete() async throws {
        let log = RequestLog()
        let sf = try client(
            transport(log: log) { request in
                request.method == .get ? RawResponse(status: 200, json: ["Id": "00Q000000000001AAA"]) : RawResponse(status: 204)
            })
        _ = try await sf.retrieve("Lead", id: "00Q000000000001AAA", fields: ["Name", "Status"])
        try await sf.update("Lead", id: "00Q000000000001AAA", fields: ["Title": "CEO"])
        try await sf.delete("Lead", id: "00Q000000000001AAA")
        let requests = await log.requests
        #expect(requests.map(\.method) == [.get, .patch, .delete])
        #expect(requests[0].url.query == "fields=Name%2CStatus")
        #expect(requests.allSatisfy { $0.url.path == "/services/data/v66.0/sobjects/Lead/00Q000000000001AAA" })
    }

    /// Malformed object names and ids are refused before anything is sent.
    @Test func badNamesAreRefusedLocally() async throws {
        let log = RequestLog()
        let sf = try client(transport(log: log) { _ in RawResponse(status: 200, json: [:]) })
        await #expect(throws: SalesforceError.invalidArgument("'Lead/../x' is not an sObject name like \"Lead\" or \"Invoice__c\"")) {
            _ = try await sf.describe("Lead/../x")
        }
        await #expect(throws: SalesforceError.self) { _ = try await sf.retrieve("Lead", id: "../00Q") }
        #expect(await log.count == 0)
        #expect(throws: SalesforceError.self) {
            try SalesforceClient(
                apiVersion: "latest", transport: ClosureTransport { _, _ in RawResponse(status: 500) },
                credentials: InMemoryCredentialStore())
        }
    }

    /// SOQL goes in `q` fully percent-encoded, `+` included, so date literals with offsets survive.
    @Test func soqlIsEncodedSafely() async throws {
        let log = RequestLog()
        let sf = try client(
            transport(log: log) { _ in
                RawResponse(status: 200, json: ["totalSize": 0, "done": true, "records": []])
            })
        _ = try await sf.query("SELECT Id FROM Lead WHERE CreatedDate > 2024-01-01T00:00:00+00:00")
        let url = try #require(await log.requests.first?.url.absoluteString)
        #expect(url.hasSuffix("/query?q=SELECT%20Id%20FROM%20Lead%20WHERE%20CreatedDate%20%3E%202024-01-01T00%3A00%3A00%2B00%3A00"))
    }

    /// All pages are gathered by following nextRecordsUrl, and the stream fetches a page only when reached.
    @Test func pagingFollowsNextRecordsURL() async throws {
        let log = RequestLog()
        let sf = try client(
            transport(log: log) { request in
                if request.url.path.hasSuffix("/query") {
                    return RawResponse(
                        status: 200,
                        json: [
                            "totalSize": 3, "done": false, "nextRecordsUrl": "/services/data/v66.0/query/01g-2",
                            "records": [["Id": "1"], ["Id": "2"]],
                        ])
                }
                return RawResponse(status: 200, json: ["totalSize": 3, "done": true, "records": [["Id": "3"]]])
            })
        let all = try await sf.queryAllPages("SELECT Id FROM Lead")
        #expect(all.compactMap { $0["Id"]?.stringValue } == ["1", "2", "3"])
        #expect(await log.requests.last?.url.path == "/services/data/v66.0/query/01g-2")

        let streamLog = RequestLog()
        let streaming = try client(
            transport(log: streamLog) { request in
                request.url.path.hasSuffix("/query")
                    ? RawResponse(
                        status: 200,
                        json: [
                            "totalSize": 3, "done": false, "nextRecordsUrl": "/services/data/v66.0/query/01g-2",
                            "records": [["Id": "1"], ["Id": "2"]],
                        ])
                    : RawResponse(status: 200, json: ["totalSize": 3, "done": true, "records": [["Id": "3"]]])
            })
        var iterator = streaming.records("SELECT Id FROM Lead").makeAsyncIterator()
        _ = try await iterator.next()
        _ = try await iterator.next()
        #expect(await streamLog.count == 1)
        #expect(try await iterator.next()?["Id"] == "3")
        #expect(try await iterator.next() == nil)
        #expect(await streamLog.count == 2)
    }

    /// `queryAll` uses the endpoint that includes deleted rows.
    @Test func queryAllIncludesDeleted() async throws {
        let log = RequestLog()
        let sf = try client(
            transport(log: log) { _ in
                RawResponse(status: 200, json: ["totalSize": 0, "done": true, "records": []])
            })
        _ = try await sf.queryAll("SELECT Id FROM Lead")
        #expect(await log.requests.first?.url.path == "/services/data/v66.0/queryAll")
    }

    /// SOSL results are read from `searchRecords` and from the bare array of old API versions.
    @Test func searchReadsBothShapes() async throws {
        let modern = try client(
            ClosureTransport { _, _ in
                RawResponse(status: 200, json: ["searchRecords": [["Id": "00Q1"]]])
            })
        #expect(try await modern.search("FIND {Acme}").count == 1)
        let legacy = try client(ClosureTransport { _, _ in RawResponse(status: 200, json: [["Id": "00Q1"], ["Id": "00Q2"]]) })
        #expect(try await legacy.search("FIND {Acme}").count == 2)
        let odd = try client(ClosureTransport { _, _ in RawResponse(status: 200, json: ["records": []]) })
        await #expect(throws: SalesforceError.self) { _ = try await odd.search("FIND {Acme}") }
    }

    /// A parameterized search sends its options under Salesforce's parameter names.
    @Test func parameterizedSearchParameters() async throws {
        let log = RequestLog()
        let sf = try client(transport(log: log) { _ in RawResponse(status: 200, json: ["searchRecords": []]) })
        _ = try await sf.parameterizedSearch(
            ParameterizedSearch("Acme", objects: [.init("Lead", fields: ["Id", "Name"], limit: 10)], scope: "ALL", overallLimit: 20))
        let url = try #require(await log.requests.first?.url)
        #expect(url.absoluteString.hasPrefix("\(testInstance)/services/data/v66.0/parameterizedSearch/?"))
        #expect(url.query == "q=Acme&in=ALL&sobject=Lead&Lead.fields=Id%2CName&Lead.limit=10&overallLimit=20")
    }

    /// `send` returns error statuses as responses, replaces any given Authorization, and never sends the token
    /// to another host.
    @Test func sendIsRawButGuarded() async throws {
        let log = RequestLog()
        let sf = try client(transport(log: log) { _ in apiError(404, .notFound, "The requested resource does not exist") })
        let response = try await sf.send(
            method: .get, path: "\(testInstance)/services/data/v66.0/sobjects/Lead/00Q000000000001AAA",
            headers: ["authorization": "Bearer forged"])
        #expect(response.status == 404)
        #expect(await log.requests.first?.header("Authorization") == "Bearer 00Dtest!access-1")
        await #expect(throws: SalesforceError.self) {
            _ = try await sf.send(method: .get, path: "https://elsewhere.example/steal")
        }
        #expect(await log.count == 1)
    }

    /// Debug logs show each request with the Authorization header redacted.
    @Test func logsRedactAuthorization() async throws {
        let handler = CapturingLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .debug
        let sf = try client(ClosureTransport { _, _ in RawResponse(status: 200, json: ["searchRecords": []]) }, logger: logger)
        _ = try await sf.search("FIND {Acme}")
        #expect(handler.text.contains("Authorization: Bearer [redacted]"))
        #expect(handler.text.contains("/services/data/v66.0/search/"))
        #expect(!handler.text.contains("access-1"))
    }

    /// Versions are fetched without a token from the configured instance URL.
    @Test func versionsNeedNoToken() async throws {
        let log = RequestLog()
        let sf = try SalesforceClient(
            instanceURL: "https://login.example/",
            transport: transport(log: log) { _ in
                RawResponse(status: 200, json: [["label": "Spring '26", "url": "/services/data/v66.0", "version": "66.0"]])
            }, credentials: InMemoryCredentialStore())
        #expect(try await sf.versions().map(\.version) == ["66.0"])
        let sent = try #require(await log.requests.first)
        #expect(sent.url.absoluteString == "https://login.example/services/data/")
        #expect(sent.header("Authorization") == nil)
    }
}

struct LimitInfoTests {
    /// `Sforce-Limit-Info` is read with or without the burst part, and its absence is `nil`.
    @Test func apiUsageParses() {
        #expect(
            RawResponse(status: 200, headers: ["Sforce-Limit-Info": "api-usage=10018/100000"]).apiUsage
                == APILimitUsage(used: 10018, limit: 100000))
        #expect(
            RawResponse(status: 200, headers: ["sforce-limit-info": "api-usage=18/15000; api-bursts=1/750"]).apiUsage
                == APILimitUsage(used: 18, limit: 15000))
        #expect(RawResponse(status: 200).apiUsage == nil)
        #expect(RawResponse(status: 200, headers: ["Sforce-Limit-Info": "api-usage=x/y"]).apiUsage == nil)
    }
}
