import Foundation
import HTTPTypes
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceSandbox

/// Creating, reading, updating and deleting records over HTTP, with Salesforce's answers and errors.
struct RESTRecordTests {
    let leads = "/services/data/v66.0/sobjects/Lead"

    /// A create answers 201 with the new id, and the record reads back with attributes, audit fields and a compound Name.
    @Test func createThenRetrieveLead() async throws {
        try await DataFixture.withClient(try DataFixture.store(seeded: false)) { client in
            let created = try await client.call(
                .post, leads, body: #"{"FirstName":"Ada","LastName":"Lovelace","Company":"Analytical Engines"}"#)
            #expect(created.status == 201)
            #expect(created.json["success"] == true)
            #expect(created.json["errors"] == [])
            let id = try #require(created.json["id"]?.stringValue)
            #expect(id.count == 18 && id.hasPrefix("00Q") && RecordID(id)?.value == id)

            let record = try await client.call(.get, "\(leads)/\(id)")
            #expect(record.status == 200)
            #expect(record.json["attributes"] == ["type": "Lead", "url": .string("/services/data/v66.0/sobjects/Lead/\(id)")])
            #expect(record.json["Name"] == "Ada Lovelace")
            #expect(record.json["Status"] == "Open - Not Contacted")
            #expect(record.json["IsConverted"] == false)
            #expect(record.json["OwnerId"] == .string(SandboxUser.demo.id))
            #expect(record.json["CreatedById"] == .string(SandboxUser.demo.id))
            #expect(record.json["CreatedDate"] == "2026-03-18T12:00:00.000+0000")
            #expect(record.json["Email"] == .null)
        }
    }

    /// `?fields=` limits the fields returned; an unknown name is 400 INVALID_FIELD.
    @Test func retrieveWithFields() async throws {
        let store = try DataFixture.store(seeded: false)
        let id = try store.insert(type: "Lead", fields: ["LastName": "Hopper", "Company": "Navy"])
        try await DataFixture.withClient(store) { client in
            let some = try await client.call(.get, "\(leads)/\(id)?fields=company,LastName")
            #expect(some.json.objectValue?.keys.sorted() == ["Company", "Id", "LastName", "attributes"])
            let bad = try await client.call(.get, "\(leads)/\(id)?fields=Company,Foo")
            #expect(bad.status == 400)
            #expect(bad.errorCode == "INVALID_FIELD")
            #expect(bad.errorMessage?.hasPrefix("No such column 'Foo' on entity 'Lead'.") == true)
        }
    }

    /// A 15-character id finds the same record as its 18-character form.
    @Test func shortIDsAreAccepted() async throws {
        let store = try DataFixture.store(seeded: false)
        let id = try store.insert(type: "Lead", fields: ["LastName": "Short", "Company": "Ids"])
        try await DataFixture.withClient(store) { client in
            let record = try await client.call(.get, "\(leads)/\(id.prefix(15))")
            #expect(record.status == 200)
            #expect(record.json["Id"] == .string(id))
        }
    }

    /// PATCH answers 204, changes only the given fields, and the POST `_HttpMethod=PATCH` form works too.
    @Test func updateLead() async throws {
        let store = try DataFixture.store(seeded: false)
        let id = try store.insert(type: "Lead", fields: ["LastName": "Turing", "Company": "Bletchley"])
        try await DataFixture.withClient(store) { client in
            let patched = try await client.call(.patch, "\(leads)/\(id)", body: #"{"Status":"Working - Contacted","FirstName":"Alan"}"#)
            #expect(patched.status == 204)
            #expect(patched.json == .null)
            let viaPost = try await client.call(.post, "\(leads)/\(id)?_HttpMethod=PATCH", body: #"{"Title":"Mathematician"}"#)
            #expect(viaPost.status == 204)
            let record = try await client.call(.get, "\(leads)/\(id)")
            #expect(record.json["Status"] == "Working - Contacted")
            #expect(record.json["Name"] == "Alan Turing")
            #expect(record.json["Title"] == "Mathematician")
            #expect(record.json["Company"] == "Bletchley")
        }
    }

    /// DELETE answers 204; afterwards GET, PATCH and DELETE answer 404 ENTITY_IS_DELETED with empty fields.
    @Test func deleteThenEntityIsDeleted() async throws {
        let store = try DataFixture.store(seeded: false)
        let id = try store.insert(type: "Lead", fields: ["LastName": "Gone", "Company": "Away"])
        try await DataFixture.withClient(store) { client in
            #expect(try await client.call(.delete, "\(leads)/\(id)").status == 204)
            for reply in [
                try await client.call(.get, "\(leads)/\(id)"),
                try await client.call(.patch, "\(leads)/\(id)", body: #"{"Title":"x"}"#),
                try await client.call(.delete, "\(leads)/\(id)"),
            ] {
                #expect(reply.status == 404)
                #expect(reply.json == [["errorCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []]])
            }
        }
    }

    /// Missing required fields are listed in Salesforce's order, for leads and opportunities.
    @Test func requiredFieldsMissing() async throws {
        try await DataFixture.withClient(try DataFixture.store(seeded: false)) { client in
            let lead = try await client.call(.post, leads, body: #"{"FirstName":"No"}"#)
            #expect(lead.status == 400)
            #expect(
                lead.json == [
                    [
                        "errorCode": "REQUIRED_FIELD_MISSING", "message": "Required fields are missing: [LastName, Company]",
                        "fields": ["LastName", "Company"],
                    ]
                ])
            let opportunity = try await client.call(.post, "/services/data/v66.0/sobjects/Opportunity", body: "{}")
            #expect(opportunity.errorMessage == "Required fields are missing: [Name, StageName, CloseDate]")
        }
    }

    /// Each kind of bad value gets its own Salesforce error code and message.
    @Test(arguments: [
        (
            #"{"Id":"00Q000000000001AAA","LastName":"A","Company":"B"}"#, "INVALID_FIELD",
            "The Id field should not be specified in the sobject data."
        ),
        (#"{"Foo":"x","LastName":"A","Company":"B"}"#, "INVALID_FIELD", "No such column 'Foo' on sobject of type Lead"),
        (
            #"{"Name":"x","LastName":"A","Company":"B"}"#, "INVALID_FIELD_FOR_INSERT_UPDATE",
            "Unable to create/update fields: Name. Please check the security settings of this field and verify that it is read/write for your profile or permission set."
        ),
        (
            #"{"Status":"Foo","LastName":"A","Company":"B"}"#, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Status: bad value for restricted picklist field: Foo"
        ),
        (#"{"Email":"not-an-email","LastName":"A","Company":"B"}"#, "INVALID_EMAIL_ADDRESS", "Email: invalid email address: not-an-email"),
        (
            #"{"NumberOfEmployees":"many","LastName":"A","Company":"B"}"#, "JSON_PARSER_ERROR",
            "Cannot deserialize instance of int from VALUE_STRING value many or request may be missing a required field"
        ),
        (#"{"LastName":"A","Company":"B""#, "JSON_PARSER_ERROR", "unexpected end of JSON at [line:1, column:30]"),
        (
            #"[1,2]"#, "JSON_PARSER_ERROR",
            "Cannot deserialize instance of Lead from START_ARRAY value or request may be missing a required field"
        ),
        ("", "JSON_PARSER_ERROR", "The HTTP entity body is required, but this request has no entity body."),
    ])
    func invalidLeadBodies(body: String, code: String, message: String) async throws {
        let store = try DataFixture.store(seeded: false)
        try await DataFixture.withClient(store) { client in
            let reply = try await client.call(.post, leads, body: body)
            #expect(reply.status == 400)
            #expect(reply.errorCode == code)
            #expect(reply.errorMessage == message)
        }
        #expect(store.records(ofType: "Lead").isEmpty)
    }

    /// A company name over 255 characters is STRING_TOO_LONG with the value and the limit.
    @Test func stringTooLong() async throws {
        let company = String(repeating: "x", count: 256)
        try await DataFixture.withClient(try DataFixture.store(seeded: false)) { client in
            let reply = try await client.call(.post, leads, body: #"{"LastName":"A","Company":"\#(company)"}"#)
            #expect(
                reply.json == [
                    [
                        "errorCode": "STRING_TOO_LONG", "message": .string("Company: data value too large: \(company) (max length=255)"),
                        "fields": ["Company"],
                    ]
                ])
        }
    }

    /// Invalid UTF-8 and a bad date are refused with JSON_PARSER_ERROR and nothing is stored.
    @Test func invalidUTF8AndBadDate() async throws {
        let store = try DataFixture.store(seeded: false)
        try await DataFixture.withClient(store) { client in
            let bytes = Array(#"{"LastName":"A"#.utf8) + [0xFF, 0xFE] + Array(#"","Company":"B"}"#.utf8)
            let utf8 = try await client.call(.post, leads, bytes: bytes)
            #expect(utf8.status == 400 && utf8.errorCode == "JSON_PARSER_ERROR")
            let date = try await client.call(
                .post, "/services/data/v66.0/sobjects/Opportunity",
                body: #"{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-02-30"}"#)
            #expect(date.status == 400 && date.errorCode == "JSON_PARSER_ERROR")
        }
        #expect(store.records(ofType: "Lead").isEmpty && store.records(ofType: "Opportunity").isEmpty)
    }

    /// Opportunities derive Probability, ForecastCategoryName, IsClosed and IsWon from the stage, also on update.
    @Test func opportunityStageDefaults() async throws {
        let store = try DataFixture.store(seeded: false)
        let account = try store.insert(type: "Account", fields: ["Name": "Acme"])
        try await DataFixture.withClient(store) { client in
            let path = "/services/data/v66.0/sobjects/Opportunity"
            let created = try await client.call(
                .post, path,
                body:
                    #"{"Name":"Big deal","StageName":"Negotiation/Review","CloseDate":"2026-11-29","Amount":50000,"AccountId":"\#(account.prefix(15))"}"#
            )
            #expect(created.status == 201)
            let id = try #require(created.json["id"]?.stringValue)
            var record = try await client.call(.get, "\(path)/\(id)")
            #expect(record.json["Probability"] == 90)
            #expect(record.json["ForecastCategoryName"] == "Pipeline")
            #expect(record.json["IsClosed"] == false)
            #expect(record.json["AccountId"] == .string(account))
            #expect(record.json["CloseDate"] == "2026-11-29")
            _ = try await client.call(.patch, "\(path)/\(id)", body: #"{"StageName":"Closed Won"}"#)
            record = try await client.call(.get, "\(path)/\(id)")
            #expect(record.json["Probability"] == 100)
            #expect(record.json["ForecastCategoryName"] == "Closed")
            #expect(record.json["IsClosed"] == true && record.json["IsWon"] == true)
        }
    }

    /// An id of another object is MALFORMED_ID; text that is no id is NOT_FOUND; an unknown object is NOT_FOUND.
    @Test func wrongIDsAndObjects() async throws {
        let store = try DataFixture.store(seeded: false)
        let account = try store.insert(type: "Account", fields: ["Name": "Acme"])
        try await DataFixture.withClient(store) { client in
            let wrongType = try await client.call(.get, "\(leads)/\(account)")
            #expect(wrongType.status == 400)
            #expect(
                wrongType.json == [
                    ["errorCode": "MALFORMED_ID", "message": .string("Lead ID: id value of incorrect type: \(account)"), "fields": ["Id"]]
                ])
            let notAnID = try await client.call(.get, "\(leads)/nope")
            #expect(notAnID.status == 404 && notAnID.errorCode == "NOT_FOUND")
            let missing = try await client.call(.get, "\(leads)/\(RecordID.withChecksum("00QPa0000000zzz"))")
            #expect(missing.status == 404 && missing.errorMessage == "The requested resource does not exist")
            let widget = try await client.call(.post, "/services/data/v66.0/sobjects/Widget", body: "{}")
            #expect(widget.status == 404 && widget.errorCode == "NOT_FOUND")
            let badReference = try await client.call(
                .post, "/services/data/v66.0/sobjects/Contact", body: #"{"LastName":"X","AccountId":"00QPa0000000001"}"#)
            #expect(badReference.status == 400 && badReference.errorCode == "MALFORMED_ID")
        }
    }

    /// Without a valid session every data route answers 401 INVALID_SESSION_ID; the versions list needs none.
    @Test func sessionRequired() async throws {
        try await DataFixture.withClient(try DataFixture.store()) { client in
            let reply = try await client.call(.get, "/services/data/v66.0/sobjects", token: "expired")
            #expect(reply.status == 401)
            #expect(reply.json == [["errorCode": "INVALID_SESSION_ID", "message": "Session expired or invalid"]])
            #expect(try await client.call(.get, "/services/data/", token: nil).status == 200)
        }
    }

    /// A body over the size limit is refused with 413 before it is parsed.
    @Test func hugeBodyIsRefused() async throws {
        let store = try DataFixture.store(seeded: false)
        try await DataFixture.withClient(store) { client in
            let big = #"{"LastName":"A","Company":""# + String(repeating: "x", count: DataRoutes.maximumBodySize) + #""}"#
            let reply = try await client.call(.post, leads, body: big)
            #expect(reply.status == 413 && reply.errorCode == "REQUEST_ENTITY_TOO_LARGE")
        }
        #expect(store.records(ofType: "Lead").isEmpty)
    }
}
