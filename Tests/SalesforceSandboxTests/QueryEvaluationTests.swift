import Foundation
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceSandbox

/// SOQL run over a small, known set of records.
struct QueryEvaluationTests {
    let store: RecordStore
    let acme: String

    init() throws {
        store = try DataFixture.store(seeded: false)
        acme = try store.insert(type: "Account", fields: ["Name": "Acme Corp", "Industry": "Technology"])
        let globex = try store.insert(type: "Account", fields: ["Name": "Globex"])
        for (name, stage, amount, close, account) in [
            ("Alpha", "Prospecting", 1000.0, "2026-03-18", acme), ("Beta", "Closed Won", 5000.0, "2026-03-01", acme),
            ("Gamma", "Negotiation/Review", 250.0, "2026-04-02", globex), ("Delta", "Closed Lost", 0.0, "2025-12-31", globex),
        ] {
            try store.insert(
                type: "Opportunity",
                fields: [
                    "Name": .string(name), "StageName": .string(stage), "Amount": .number(amount), "CloseDate": .string(close),
                    "AccountId": .string(account),
                ])
        }
        try store.insert(type: "Opportunity", fields: ["Name": "Epsilon", "StageName": "Qualification", "CloseDate": "2026-03-20"])
        try store.insert(type: "Lead", fields: ["LastName": "O'Brien", "Company": "Acme Robotics", "Email": "ob@acme.example.com"])
        try store.insert(type: "Lead", fields: ["LastName": "Smith", "Company": "Initech", "Rating": "Hot"])
    }

    func names(_ soql: String, all: Bool = false) throws -> [String] {
        try store.query(soql, includeDeleted: all, version: "66.0").records.compactMap { $0["Name"]?.stringValue }
    }

    /// Comparison operators on numbers, text (case-insensitive) and booleans.
    @Test func comparisons() throws {
        #expect(try names("SELECT Name FROM Opportunity WHERE Amount > 500 ORDER BY Name") == ["Alpha", "Beta"])
        #expect(try names("SELECT Name FROM Opportunity WHERE Amount <= 250 ORDER BY Name") == ["Delta", "Gamma"])
        #expect(try names("SELECT Name FROM Opportunity WHERE name = 'ALPHA'") == ["Alpha"])
        #expect(try names("SELECT Name FROM Opportunity WHERE IsWon = true") == ["Beta"])
        #expect(try names("SELECT Name FROM Opportunity WHERE Amount = null") == ["Epsilon"])
        #expect(try names("SELECT Name FROM Opportunity WHERE Amount != null AND IsClosed = false ORDER BY Name") == ["Alpha", "Gamma"])
    }

    /// LIKE, IN, NOT IN, NOT and parentheses combine as expected.
    @Test func logic() throws {
        #expect(try names("SELECT Name FROM Opportunity WHERE Name LIKE '%ta' ORDER BY Name") == ["Beta", "Delta"])
        #expect(
            try names("SELECT Name FROM Opportunity WHERE StageName IN ('Closed Won','Closed Lost') ORDER BY Name") == ["Beta", "Delta"])
        #expect(
            try names("SELECT Name FROM Opportunity WHERE StageName NOT IN ('Closed Won','Closed Lost') ORDER BY Name") == [
                "Alpha", "Epsilon", "Gamma",
            ])
        #expect(try names("SELECT Name FROM Opportunity WHERE NOT (Amount > 100 OR Amount = null)") == ["Delta"])
        #expect(try names("SELECT Name FROM Opportunity WHERE (Name = 'Alpha' OR Name = 'Gamma') AND Amount > 500") == ["Alpha"])
    }

    /// Parent fields filter, sort and come back nested under the relationship, null when there is no parent.
    @Test func parentFields() throws {
        let result = try store.query(
            "SELECT Name, Account.Name, Owner.Name FROM Opportunity WHERE Account.Name = 'acme corp' ORDER BY Name", includeDeleted: false,
            version: "66.0")
        #expect(result.records.map { $0["Name"] } == ["Alpha", "Beta"])
        #expect(result.records[0]["Account"]?["Name"] == "Acme Corp")
        #expect(result.records[0]["Account"]?["attributes"]?["url"] == .string("/services/data/v66.0/sobjects/Account/\(acme)"))
        #expect(result.records[0]["Owner"]?["Name"] == "Dana Demo")
        let orphan = try store.query("SELECT Account.Name FROM Opportunity WHERE Name = 'Epsilon'", includeDeleted: false, version: "66.0")
        #expect(orphan.records[0]["Account"] == .null)
    }

    /// ORDER BY with several fields and NULLS FIRST/LAST, then LIMIT and OFFSET.
    @Test func orderingLimitOffset() throws {
        #expect(
            try names("SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS FIRST") == ["Epsilon", "Beta", "Alpha", "Gamma", "Delta"])
        #expect(try names("SELECT Name FROM Opportunity ORDER BY Amount ASC NULLS LAST") == ["Delta", "Gamma", "Alpha", "Beta", "Epsilon"])
        #expect(try names("SELECT Name FROM Opportunity ORDER BY IsClosed, Name LIMIT 2 OFFSET 1") == ["Epsilon", "Gamma"])
    }

    /// Date literals resolve against the clock (Wednesday 2026-03-18) for date and datetime fields.
    @Test func dateLiterals() throws {
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = TODAY") == ["Alpha"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = THIS_MONTH ORDER BY Name") == ["Alpha", "Beta", "Epsilon"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:20 ORDER BY Name") == ["Epsilon", "Gamma"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = LAST_YEAR") == ["Delta"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = THIS_QUARTER ORDER BY Name") == ["Alpha", "Beta", "Epsilon"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = NEXT_QUARTER") == ["Gamma"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_QUARTERS:4") == ["Delta"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = LAST_QUARTER") == ["Delta"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_QUARTERS:2") == ["Gamma"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate = THIS_WEEK ORDER BY Name") == ["Alpha", "Epsilon"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CloseDate > 2026-03-18 ORDER BY Name") == ["Epsilon", "Gamma"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CreatedDate = TODAY").count == 5)
        #expect(try names("SELECT Name FROM Opportunity WHERE CreatedDate = YESTERDAY").isEmpty)
        #expect(try names("SELECT Name FROM Opportunity WHERE CreatedDate > 2026-03-18T11:59:59Z").count == 5)
    }

    /// Date functions pick a part of a date (its month, year or day) and compare it with a number; with a date
    /// literal they find "December, the next one" as the list of opportunities asks.
    @Test func dateFunctions() throws {
        let march = try names("SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CloseDate) = 3 ORDER BY Name")
        #expect(march == ["Alpha", "Beta", "Epsilon"])
        #expect(try names("SELECT Name FROM Opportunity WHERE calendar_month(CloseDate) >= 4 ORDER BY Name") == ["Delta", "Gamma"])
        #expect(try names("SELECT Name FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) < 2026") == ["Delta"])
        #expect(try names("SELECT Name FROM Opportunity WHERE DAY_IN_MONTH(CloseDate) = 2") == ["Gamma"])
        #expect(
            try names(
                "SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CloseDate) = 12 AND (CloseDate = THIS_MONTH OR CloseDate = NEXT_N_MONTHS:11)"
            ).isEmpty)
        #expect(try names("SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CreatedDate) = 3").count == 5)
        #expect(try names("SELECT Name FROM Opportunity WHERE NOT CALENDAR_MONTH(CloseDate) = 3 ORDER BY Name") == ["Delta", "Gamma"])
    }

    /// A date function of a field that is no date, or compared with anything but a whole number, is refused.
    @Test(arguments: [
        "SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(Name) = 3",
        "SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CloseDate) = '3'",
        "SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CloseDate) = 3.5",
        "SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CloseDate = 3",
        "SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CloseDate) LIKE 3",
        "SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(Nope) = 3",
    ])
    func badDateFunctions(soql: String) {
        #expect(throws: APIFailure.self) { try names(soql) }
    }

    /// Extreme numbers in LIMIT and date literals are answered, never crash the server.
    @Test func extremeNumbers() throws {
        #expect(try names("SELECT Name FROM Opportunity LIMIT 9223372036854775807 OFFSET 2").count == 3)
        #expect(throws: APIFailure.self) { try names("SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:9223372036854775807") }
        #expect(throws: APIFailure.self) { try names("SELECT Name FROM Opportunity LIMIT 99999999999999999999") }
    }

    /// COUNT() answers totalSize with no records.
    @Test func count() throws {
        let result = try store.query("SELECT COUNT() FROM Opportunity WHERE IsClosed = true", includeDeleted: false, version: "66.0")
        #expect(result.totalSize == 2 && result.records.isEmpty && result.done)
    }

    /// A quote inside a literal is text, not SQL or SOQL: injection attempts match nothing and harm nothing.
    @Test func injectionIsJustText() throws {
        #expect(try names(#"SELECT Name FROM Lead WHERE LastName = 'x\' OR Name != \''"#).isEmpty)
        #expect(try names("SELECT Name FROM Lead WHERE LastName = 'O\\'Brien'") == ["O'Brien"])
        #expect(throws: APIFailure.self) {
            try names("SELECT Name FROM Lead WHERE Company = 'a''; DELETE FROM sandbox_records; --'")
        }
        #expect(store.records(ofType: "Lead").count == 2)
    }

    /// Unknown fields, objects and relationships, and literals of the wrong kind, get Salesforce's codes.
    @Test(arguments: [
        ("SELECT Foo FROM Lead", "INVALID_FIELD", "No such column 'Foo' on entity 'Lead'. If you are attempting to use a custom field"),
        ("SELECT Id FROM Widget", "INVALID_TYPE", "sObject type 'Widget' is not supported."),
        ("SELECT Widget.Name FROM Opportunity", "INVALID_FIELD", "Didn't understand relationship 'Widget'"),
        (
            "SELECT Id FROM Opportunity WHERE Amount = 'abc'", "INVALID_QUERY_FILTER_OPERATOR",
            "must be of type double and should not be enclosed in quotes"
        ),
        (
            "SELECT Id FROM Lead WHERE Company = 5", "INVALID_QUERY_FILTER_OPERATOR",
            "must be of type string and should be enclosed in quotes"
        ),
        ("SELECT Id FROM Lead WHERE Id = 'nope'", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: nope"),
        ("SELECT Name, name FROM Lead", "MALFORMED_QUERY", "duplicate field selected"),
        ("SELECT Id FROM Lead OFFSET 2001", "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000"),
    ])
    func queryErrors(soql: String, code: String, fragment: String) {
        #expect {
            _ = try store.query(soql, includeDeleted: false, version: "66.0")
        } throws: { error in
            guard let failure = error as? APIFailure else { return false }
            return failure.status == 400 && failure.errors[0].errorCode == code && failure.errors[0].message.contains(fragment)
        }
    }

    /// Field names come back in their canonical case whatever case the query used.
    @Test func canonicalFieldNames() throws {
        let result = try store.query("select name, stagename from opportunity where name = 'Alpha'", includeDeleted: false, version: "66.0")
        #expect(result.records[0]["StageName"] == "Prospecting")
        #expect(result.records[0]["Name"] == "Alpha")
    }

    /// Deleted records are hidden from query and visible to queryAll with IsDeleted true.
    @Test func queryAllSeesDeleted() async throws {
        let id = try #require(store.records(ofType: "Lead", where: ["LastName": "Smith"]).first?["Id"]?.stringValue)
        try await store.delete(type: "Lead", id: id, as: .demo)
        #expect(try names("SELECT Name FROM Lead WHERE LastName = 'Smith'").isEmpty)
        let all = try store.query("SELECT Name, IsDeleted FROM Lead WHERE LastName = 'Smith'", includeDeleted: true, version: "66.0")
        #expect(all.records.first?["IsDeleted"] == true)
    }

    /// SOSL finds words and prefixes in the chosen field group and applies WHERE and LIMIT per object.
    @Test func search() throws {
        func found(_ sosl: String) throws -> [String] {
            try store.search(SOSLSearch.parse(sosl), version: "66.0").compactMap { $0["Name"]?.stringValue }
        }
        #expect(try found("FIND {acme} RETURNING Lead(Name), Account(Name)") == ["O'Brien", "Acme Corp"])
        #expect(try found("FIND {acm*} IN NAME FIELDS RETURNING Account(Name)") == ["Acme Corp"])
        #expect(try found("FIND {ob@acme.example.com} IN EMAIL FIELDS RETURNING Lead(Name)") == ["O'Brien"])
        #expect(try found("FIND {acme} RETURNING Lead(Name WHERE Rating = 'Hot')").isEmpty)
        #expect(try found("FIND {\"acme robotics\"} RETURNING Lead(Name), Account(Name)") == ["O'Brien"])
        #expect(try found("FIND {acme OR initech} RETURNING Lead(Name ORDER BY Name)") == ["O'Brien", "Smith"])
        #expect(try found("FIND {acme} RETURNING Lead(Name), Account(Name) LIMIT 1") == ["O'Brien"])
    }
}
