import Foundation
import HTTPTypes
import ParleyJSON
import SalesforceWire
import Testing
import WebEncoding

@testable import SalesforceSandbox

/// Versions, resources, describe, query paging and search over HTTP.
struct RESTQueryTests {
    /// `GET /services/data/` lists 31.0 … 66.0 with release names, without a session.
    @Test func versionList() async throws {
        try await DataFixture.withClient(try DataFixture.store()) { client in
            let reply = try await client.call(.get, "/services/data/", token: nil)
            let versions = try #require(reply.json.arrayValue)
            #expect(versions.count == 36)
            #expect(versions.first == ["label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"])
            #expect(versions.last == ["label": "Spring '26", "url": "/services/data/v66.0", "version": "66.0"])
            #expect(versions.contains(["label": "Winter '26", "url": "/services/data/v65.0", "version": "65.0"]))
            #expect(versions.contains(["label": "Spring '25", "url": "/services/data/v63.0", "version": "63.0"]))
        }
    }

    /// A version's resource list; `latest` is 66.0; retired versions are 410 and unknown ones 404.
    @Test func versionResources() async throws {
        try await DataFixture.withClient(try DataFixture.store()) { client in
            let resources = try await client.call(.get, "/services/data/v59.0")
            #expect(resources.json["query"] == "/services/data/v59.0/query")
            #expect(resources.json["parameterizedSearch"] == "/services/data/v59.0/parameterizedSearch")
            let latest = try await client.call(.get, "/services/data/latest/sobjects")
            #expect(latest.json["sobjects"]?[0]?["urls"]?["sobject"] == "/services/data/v66.0/sobjects/Account")
            #expect(try await client.call(.get, "/services/data/v30.0/sobjects").status == 410)
            let unknown = try await client.call(.get, "/services/data/v99.0/sobjects")
            #expect(unknown.status == 404 && unknown.errorCode == "NOT_FOUND")
            let elsewhere = try await client.call(.get, "/services/data/v66.0/nothing/here")
            #expect(elsewhere.status == 404)
        }
    }

    /// describeGlobal lists the objects; describe gives fields with types, lengths, picklists and references.
    @Test func describe() async throws {
        try await DataFixture.withClient(try DataFixture.store()) { client in
            let global = try await client.call(.get, "/services/data/v66.0/sobjects")
            let names = global.json["sobjects"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["Account", "Contact", "Lead", "Opportunity", "User"])
            let lead = try await client.call(.get, "/services/data/v66.0/sobjects/Lead/describe")
            #expect(lead.json["keyPrefix"] == "00Q" && lead.json["createable"] == true)
            let fields = try #require(lead.json["fields"]?.arrayValue)
            let company = try #require(fields.first { $0["name"] == "Company" })
            #expect(company["type"] == "string" && company["length"] == 255 && company["nillable"] == false)
            let status = try #require(fields.first { $0["name"] == "Status" })
            #expect(status["restrictedPicklist"] == true && status["defaultedOnCreate"] == true)
            #expect(
                status["picklistValues"]?[0] == [
                    "active": true, "defaultValue": true, "label": "Open - Not Contacted", "validFor": nil, "value": "Open - Not Contacted",
                ])
            let name = try #require(fields.first { $0["name"] == "Name" })
            #expect(name["createable"] == false && name["updateable"] == false)
            let opportunity = try await client.call(.get, "/services/data/v66.0/sobjects/Opportunity/describe/")
            let account = try #require(opportunity.json["fields"]?.arrayValue?.first { $0["name"] == "AccountId" })
            #expect(account["referenceTo"] == ["Account"] && account["relationshipName"] == "Account")
            let info = try await client.call(.get, "/services/data/v66.0/sobjects/Lead")
            #expect(info.json["objectDescribe"]?["name"] == "Lead")
            #expect(info.json["recentItems"]?.arrayValue?.count == 5)
        }
    }

    /// Queries page in batches with nextRecordsUrl until done; queryAll pages the same way.
    @Test func queryPaging() async throws {
        let store = try DataFixture.store(seeded: false)
        for index in 0..<450 { try store.insert(type: "Lead", fields: ["LastName": .string("L\(index)"), "Company": "Paging"]) }
        try await DataFixture.withClient(store) { client in
            let soql = PercentEncoding.component("SELECT Id, LastName FROM Lead ORDER BY LastName")
            var page = try await client.call(
                .get, "/services/data/v62.0/query?q=\(soql)", headers: [HTTPField.Name("Sforce-Query-Options")!: "batchSize=200"])
            #expect(page.json["totalSize"] == 450 && page.json["done"] == false)
            var seen = page.json["records"]?.arrayValue?.count ?? 0
            var pages = 1
            while let next = page.json["nextRecordsUrl"]?.stringValue {
                #expect(next.hasPrefix("/services/data/v62.0/query/01g"))
                page = try await client.call(.get, next)
                seen += page.json["records"]?.arrayValue?.count ?? 0
                pages += 1
            }
            #expect(seen == 450 && pages == 3 && page.json["done"] == true)
            let bad = try await client.call(.get, "/services/data/v62.0/query/01gNOPE-200")
            #expect(bad.status == 400 && bad.errorCode == "INVALID_QUERY_LOCATOR")
        }
    }

    /// The query routes answer query errors with positions, and a `+`-encoded query works like `%20`.
    @Test func queryOverHTTP() async throws {
        try await DataFixture.withClient(try DataFixture.store()) { client in
            let ok = try await client.call(.get, "/services/data/v66.0/query/?q=SELECT+Id,Name+FROM+Lead+LIMIT+3")
            #expect(ok.status == 200 && ok.json["totalSize"] == 3)
            #expect(ok.json["records"]?[0]?["attributes"]?["type"] == "Lead")
            let malformed = try await client.call(.get, "/services/data/v66.0/query?q=\(PercentEncoding.component("SELECT Id FRM Lead"))")
            #expect(malformed.status == 400 && malformed.errorCode == "MALFORMED_QUERY")
            #expect(malformed.errorMessage?.contains("ERROR at Row:1:Column:11") == true)
            let widget = try await client.call(
                .get, "/services/data/v66.0/queryAll?q=\(PercentEncoding.component("SELECT Id FROM Widget"))")
            #expect(widget.errorCode == "INVALID_TYPE")
            let missing = try await client.call(.get, "/services/data/v66.0/query")
            #expect(missing.errorCode == "MALFORMED_QUERY")
        }
    }

    /// SOSL over HTTP: `searchRecords` from v36, a bare array before; short terms are refused.
    @Test func searchOverHTTP() async throws {
        let store = try DataFixture.store(seeded: false)
        try store.insert(type: "Lead", fields: ["LastName": "Wozniak", "Company": "Apple Orchard Farms"])
        try await DataFixture.withClient(store) { client in
            let sosl = PercentEncoding.component("FIND {orchard} IN ALL FIELDS RETURNING Lead(Id, Name, Company)")
            let modern = try await client.call(.get, "/services/data/v66.0/search?q=\(sosl)")
            #expect(modern.json["searchRecords"]?[0]?["Company"] == "Apple Orchard Farms")
            let old = try await client.call(.get, "/services/data/v35.0/search/?q=\(sosl)")
            #expect(old.json[0]?["Name"] == "Wozniak")
            let short = try await client.call(.get, "/services/data/v66.0/search?q=\(PercentEncoding.component("FIND {a}"))")
            #expect(short.status == 400 && short.errorCode == "MALFORMED_SEARCH")
        }
    }

    /// parameterizedSearch by GET parameters and by a POST body.
    @Test func parameterizedSearch() async throws {
        let store = try DataFixture.store(seeded: false)
        try store.insert(type: "Lead", fields: ["LastName": "Wozniak", "Company": "Apple Orchard Farms"])
        try store.insert(type: "Account", fields: ["Name": "Orchard Supply"])
        try await DataFixture.withClient(store) { client in
            let get = try await client.call(
                .get, "/services/data/v66.0/parameterizedSearch/?q=orchard&sobject=Account&Account.fields=id,name&Account.limit=10")
            #expect(get.json["searchRecords"]?.arrayValue?.map { $0["Name"] } == ["Orchard Supply"])
            let post = try await client.call(
                .post, "/services/data/v66.0/parameterizedSearch",
                body: #"{"q":"orchard","fields":["Name"],"sobjects":[{"name":"Lead"},{"name":"Account"}],"overallLimit":5}"#)
            #expect(post.json["searchRecords"]?.arrayValue?.compactMap { $0["Name"]?.stringValue } == ["Wozniak", "Orchard Supply"])
        }
    }
}
