import CivilTime
import Foundation
import HTTPTypes
import ParleyJSON
import SalesforceWire
import Testing
import WebEncoding

@testable import SalesforceSandbox

/// Hostile SOQL and SOSL: out-of-range numbers, deep nesting and oversized statements are refused with
/// Salesforce's 400 error array, and the sandbox goes on serving.
struct QueryLimitsTests {
    let store: RecordStore

    init() throws {
        store = try DataFixture.store(seeded: false)
        try store.insert(type: "Lead", fields: ["LastName": "Smith", "Company": "Initech"])
        try store.insert(type: "Lead", fields: ["LastName": "Jones", "Company": "Globex"])
    }

    func failure(_ soql: String) -> APIFailure? {
        do {
            _ = try store.query(soql, includeDeleted: false, version: "66.0")
            return nil
        } catch {
            return error
        }
    }

    func names(_ soql: String) throws -> [String] {
        try store.query(soql, includeDeleted: false, version: "66.0").records.compactMap { $0["Name"]?.stringValue }
    }

    /// The depth of a parsed condition tree.
    static func depth(_ condition: SOQLQuery.Condition?) -> Int {
        switch condition {
        case nil: 0
        case .and(let left, let right), .or(let left, let right): 1 + max(depth(left), depth(right))
        case .not(let inner): 1 + depth(inner)
        default: 1
        }
    }

    /// The two queries that used to kill the sandbox get a 400 MALFORMED_QUERY each, and the next query is answered.
    @Test func crashingQueriesAreRefusedOverHTTP() async throws {
        let nots = String(repeating: "NOT ", count: 5000)
        try await DataFixture.withClient(store) { client in
            let overflowing = "SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:-9223372036854775808"
            let overflow = try await client.call(.get, "/services/data/v66.0/query?q=\(PercentEncoding.component(overflowing))")
            #expect(overflow.status == 400 && overflow.errorCode == "MALFORMED_QUERY")
            #expect(overflow.errorMessage?.contains("ERROR at Row:1:Column:53") == true)
            #expect(overflow.errorMessage?.contains("LAST_N_DAYS takes a whole number from 0 to 100000") == true)
            let deep = try await client.call(
                .get, "/services/data/v66.0/query?q=\(PercentEncoding.component("SELECT Id FROM Lead WHERE \(nots)Name = 'x'"))")
            #expect(deep.status == 400 && deep.errorCode == "MALFORMED_QUERY")
            #expect(deep.errorMessage?.contains("conditions nest too deeply") == true)
            let after = try await client.call(.get, "/services/data/v66.0/query?q=\(PercentEncoding.component("SELECT Id FROM Lead"))")
            #expect(after.status == 200 && after.json["totalSize"] == 2)
        }
    }

    /// Relative date counts are whole numbers from 0 to 100000; anything else is MALFORMED_QUERY at the count.
    @Test(arguments: [
        "LAST_N_DAYS:-1", "NEXT_N_DAYS:100001", "N_DAYS_AGO:-9223372036854775808", "LAST_N_WEEKS:9223372036854775807",
        "NEXT_N_MONTHS:99999999999999999999", "LAST_N_MONTHS:-100000",
    ])
    func relativeDateCountsOutOfRange(literal: String) throws {
        let error = try #require(failure("SELECT Id FROM Lead WHERE CreatedDate = \(literal)"))
        #expect(error.status == 400 && error.code == .malformedQuery)
        #expect(error.errors[0].message.contains("ERROR at Row:1:Column:"))
        #expect(error.errors[0].message.contains("takes a whole number from 0 to 100000"))
    }

    /// The largest counts are served: the date arithmetic of every relative literal stays in range.
    @Test(arguments: SOQLParser.relativeDatesWithCount.sorted())
    func largestRelativeDateCountsRun(name: String) throws {
        let today = SalesforceTime.Day(DataFixture.now)
        for count in [0, SOQLParser.maximumDateLiteralCount] {
            #expect(throws: Never.self) { try names("SELECT Name FROM Lead WHERE CreatedDate = \(name):\(count)") }
            let (lower, upper) = SOQLPlan.relativeRange(name, count, today: today)
            #expect(lower <= upper)
        }
        let today0 = try names("SELECT Name FROM Lead WHERE CreatedDate = LAST_N_DAYS:0 ORDER BY Name")
        #expect(today0 == ["Jones", "Smith"])
    }

    /// Five thousand NOTs, or as many parentheses, are refused with a MALFORMED_QUERY naming the limit.
    @Test func deepNestingIsRefused() throws {
        for condition in [
            String(repeating: "NOT ", count: 5000) + "Name = 'x'",
            String(repeating: "(", count: 5000) + "Name = 'x'" + String(repeating: ")", count: 5000),
            String(repeating: "NOT (", count: 3000) + "Name = 'x'" + String(repeating: ")", count: 3000),
        ] {
            let error = try #require(failure("SELECT Id FROM Lead WHERE \(condition)"))
            #expect(error.code == .malformedQuery)
            #expect(
                error.errors[0].message.hasSuffix(
                    "conditions nest too deeply: at most 100 levels of NOT and parentheses"))
        }
    }

    /// A hundred levels of NOT and parentheses are still a query, and they are evaluated as written.
    @Test func nestingUpToTheLimitRuns() throws {
        let evenNots = String(repeating: "NOT ", count: 100) + "LastName = 'Smith'"
        #expect(try names("SELECT Name FROM Lead WHERE \(evenNots)") == ["Smith"])
        let parentheses = String(repeating: "(", count: 100) + "LastName = 'Jones'" + String(repeating: ")", count: 100)
        #expect(try names("SELECT Name FROM Lead WHERE \(parentheses)") == ["Jones"])
        #expect(failure("SELECT Id FROM Lead WHERE " + String(repeating: "NOT ", count: 101) + "Name = 'x'") != nil)
    }

    /// Long AND and OR chains become shallow trees and still mean what they say.
    @Test func longChainsStayShallow() throws {
        let ors = (0..<4000).map { "LastName = 'n\($0)'" }.joined(separator: " OR ") + " OR LastName = 'Jones'"
        let query = try SOQLParser.parse("SELECT Name FROM Lead WHERE \(ors)")
        #expect(Self.depth(query.condition) <= 15)
        #expect(try names("SELECT Name FROM Lead WHERE \(ors)") == ["Jones"])
        let ands = Array(repeating: "LastName != 'x'", count: 4000).joined(separator: " AND ")
        #expect(try names("SELECT Name FROM Lead WHERE \(ands) ORDER BY Name") == ["Jones", "Smith"])
        let three = try SOQLParser.parse("SELECT Id FROM Lead WHERE Name = 'a' AND Name = 'b' AND Name = 'c'")
        guard case .and(.and(.comparison, .comparison), .comparison) = three.condition else {
            Issue.record("a short chain groups from the left: \(String(describing: three.condition))")
            return
        }
    }

    /// A statement over 100,000 characters is MALFORMED_QUERY, as in Salesforce; one just under runs.
    @Test func statementLength() throws {
        let prefix = "SELECT Name FROM Lead WHERE LastName = '"
        let fits = prefix + String(repeating: "x", count: SOQLParser.maximumLength - prefix.count - 1) + "'"
        #expect(try names(fits).isEmpty)
        let error = try #require(failure(prefix + String(repeating: "x", count: SOQLParser.maximumLength) + "'"))
        #expect(error.code == .malformedQuery)
        #expect(error.errors[0].message == "SOQL statements cannot be longer than 100000 characters")
    }

    /// A number too large for a double is MALFORMED_QUERY, not a comparison with infinity.
    @Test func hugeNumbersAreRefused() throws {
        let digits = "1" + String(repeating: "0", count: 400)
        let error = try #require(failure("SELECT Id FROM Lead WHERE AnnualRevenue > \(digits)"))
        #expect(error.code == .malformedQuery)
        #expect(error.errors[0].message.hasSuffix("number out of range: \(digits)"))
        #expect(try names("SELECT Name FROM Lead WHERE AnnualRevenue < \(digits.dropLast(100))").isEmpty)
    }

    /// LIMIT and OFFSET beyond the integers are MALFORMED_QUERY; OFFSET beyond 2000 is Salesforce's range error.
    @Test func limitAndOffsetBounds() throws {
        #expect(failure("SELECT Id FROM Lead LIMIT 99999999999999999999")?.code == .malformedQuery)
        #expect(failure("SELECT Id FROM Lead LIMIT -1")?.code == .malformedQuery)
        #expect(failure("SELECT Id FROM Lead OFFSET 9223372036854775807")?.code.rawValue == "NUMBER_OUTSIDE_VALID_RANGE")
        #expect(try names("SELECT Name FROM Lead ORDER BY Name LIMIT 9223372036854775807 OFFSET 1") == ["Smith"])
    }

    /// SOSL: a statement over 100,000 characters is MALFORMED_SEARCH, a term over 10,000 finds nothing, and
    /// RETURNING conditions have SOQL's nesting limit.
    @Test func searchLimits() throws {
        let longStatement = "FIND {Smith} RETURNING Lead(Name WHERE LastName = '\(String(repeating: "x", count: 100_000))')"
        #expect {
            _ = try SOSLSearch.parse(longStatement)
        } throws: { error in
            (error as? APIFailure)?.errors[0]
                == APIErrorItem(message: "SOSL statements cannot be longer than 100000 characters", errorCode: "MALFORMED_SEARCH")
        }
        let longTerm = try SOSLSearch.parse("FIND {Smith \(String(repeating: "OR Smith ", count: 1200))}")
        #expect(try store.search(longTerm, version: "66.0").isEmpty)
        #expect(try store.search(SOSLSearch.parse("FIND {Smith OR Smith}"), version: "66.0").count == 1)
        let nots = String(repeating: "NOT ", count: 3000)
        #expect {
            _ = try SOSLSearch.parse("FIND {Smith} RETURNING Lead(Name WHERE \(nots)LastName = 'x')")
        } throws: { error in
            (error as? APIFailure)?.errors[0].message.hasSuffix("conditions nest too deeply: at most 100 levels of NOT and parentheses")
                == true
        }
    }
}
