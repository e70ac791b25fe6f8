import CivilTime
import Foundation
import ParleyJSON
import SalesforceWire
import Synchronization
import Testing

@testable import SalesforceSandbox

/// ORDER BY served from a field order: the same rows, in the same order, as sorting every match.
struct QueryOrderIndexTests {
    let store: RecordStore
    var leadIDs: [String] = []

    init() throws {
        store = try DataFixture.store(seeded: false)
        // Repeated ratings and companies make ties; some leads have no rating at all.
        let ratings: [String?] = ["Hot", nil, "Warm", "Cold", "Hot", nil, "warm", "Cold", "HOT", "Warm", nil, "Cold"]
        for (number, rating) in ratings.enumerated() {
            var fields: [String: JSONValue] = [
                "LastName": .string("Lead\(number)"), "Company": .string(number % 3 == 0 ? "Acme" : "Initech"),
                "Status": .string(number % 2 == 0 ? "Open - Not Contacted" : "Working - Contacted"),
            ]
            if let rating { fields["Rating"] = .string(rating) }
            leadIDs.append(try store.insert(type: "Lead", fields: fields))
        }
    }

    func lastNames(_ soql: String) throws -> [String] {
        try store.query(soql, includeDeleted: false, version: "66.0").records.compactMap { $0["LastName"]?.stringValue }
    }

    /// The rows `soql` returns when every match is sorted, without a field order.
    func fullySorted(_ soql: String) throws -> [String] {
        let plan = try SOQLPlan(SOQLParser.parse(soql), source: soql, today: SalesforceTime.Day(DataFixture.now))
        let tables = store.state.withLock { $0.tables }
        return plan.run(over: tables["Lead"]?.records ?? [], tables: tables, includeDeleted: false)
            .compactMap { $0["LastName"].stringValue }
    }

    static let queries = [
        "SELECT LastName FROM Lead ORDER BY Rating",
        "SELECT LastName FROM Lead ORDER BY Rating DESC",
        "SELECT LastName FROM Lead ORDER BY Rating ASC NULLS LAST",
        "SELECT LastName FROM Lead ORDER BY Rating DESC NULLS FIRST LIMIT 5",
        "SELECT LastName FROM Lead ORDER BY Company DESC LIMIT 4 OFFSET 3",
        "SELECT LastName FROM Lead WHERE Status = 'open - not contacted' ORDER BY Rating DESC LIMIT 3",
        "SELECT LastName FROM Lead WHERE Rating != null ORDER BY CreatedDate DESC LIMIT 20",
        "SELECT LastName FROM Lead ORDER BY LastName DESC OFFSET 10",
        "SELECT LastName FROM Lead ORDER BY Rating LIMIT 0",
    ]

    /// Each query returns what a full sort of its matches returns, ties and nulls included.
    @Test(arguments: queries) func matchesFullSort(soql: String) throws {
        #expect(try lastNames(soql) == fullySorted(soql))
    }

    /// Descending order keeps equal values in creation order, as the full sort's last tie-breaker does.
    @Test func descendingTiesKeepCreationOrder() throws {
        #expect(
            try lastNames("SELECT LastName FROM Lead WHERE Company = 'Acme' ORDER BY Company DESC") == [
                "Lead0", "Lead3", "Lead6", "Lead9",
            ])
        #expect(try lastNames("SELECT LastName FROM Lead ORDER BY Rating DESC LIMIT 3") == ["Lead2", "Lead6", "Lead9"])
    }

    /// Updates and deletes after the first query move and drop records in the order.
    @Test func writesKeepTheOrderCurrent() async throws {
        let soql = "SELECT LastName FROM Lead ORDER BY Rating DESC NULLS LAST"
        _ = try lastNames(soql)
        try await store.update(type: "Lead", id: leadIDs[3], body: ["Rating": "Warm"], as: .demo)
        try await store.update(type: "Lead", id: leadIDs[2], body: ["Rating": nil], as: .demo)
        try await store.update(type: "Lead", id: leadIDs[1], body: ["Rating": "Cold"], as: .demo)
        try await store.delete(type: "Lead", id: leadIDs[6], as: .demo)
        try store.insert(type: "Lead", fields: ["LastName": "Lead12", "Company": "Acme", "Rating": "Warm"])
        let names = try lastNames(soql)
        #expect(names == (try fullySorted(soql)))
        #expect(names.prefix(3) == ["Lead3", "Lead9", "Lead12"])
        #expect(!names.contains("Lead6"))
        #expect(names.last == "Lead10")
    }
}
