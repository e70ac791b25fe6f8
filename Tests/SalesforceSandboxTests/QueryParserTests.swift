import CivilTime
import SalesforceWire
import Testing

@testable import SalesforceSandbox

/// The SOQL tokenizer and parser: every construct, and errors with their row and column.
struct QueryParserTests {
    /// Keywords are case-insensitive and the clauses land in the right places.
    @Test func fullQuery() throws {
        let query = try SOQLParser.parse(
            "select Id, Account.Name from Opportunity where Amount >= 1000 and (StageName = 'Prospecting' or not IsClosed = true) order by CloseDate desc nulls last, Name limit 10 offset 5"
        )
        guard case .fields(let fields) = query.selection else {
            Issue.record("expected fields")
            return
        }
        #expect(fields.map(\.text) == ["Id", "Account.Name"])
        #expect(query.object.text == "Opportunity")
        #expect(query.ordering.count == 2)
        #expect(query.ordering[0].descending && query.ordering[0].nullsFirst == false)
        #expect(query.ordering[1].descending == false && query.ordering[1].nullsFirst == nil)
        #expect(query.limit == 10 && query.offset == 5)
        guard case .and(_, .or(_, .not)) = query.condition else {
            Issue.record("expected AND over OR with NOT: \(String(describing: query.condition))")
            return
        }
    }

    /// COUNT() is its own selection.
    @Test func countQuery() throws {
        let query = try SOQLParser.parse("SELECT COUNT() FROM Lead")
        guard case .count = query.selection else {
            Issue.record("expected COUNT()")
            return
        }
    }

    /// Literals: escaped strings, negative and decimal numbers, booleans, null, dates, datetimes, date literals.
    @Test func literals() throws {
        let query = try SOQLParser.parse(
            #"SELECT Id FROM Lead WHERE Name = 'O\'Brien \\ \n' AND Amount > -12.5 AND IsConverted = FALSE AND Email = null AND CloseDate = 2026-11-29 AND CreatedDate < 2026-11-29T10:00:00Z AND CreatedDate = LAST_N_DAYS:30 AND CloseDate = TODAY"#
        )
        var literals: [SOQLQuery.Literal.Value] = []
        func collect(_ condition: SOQLQuery.Condition?) {
            switch condition {
            case .and(let left, let right):
                collect(left)
                collect(right)
            case .comparison(_, _, let literal): literals.append(literal.value)
            default: break
            }
        }
        collect(query.condition)
        #expect(literals.count == 8)
        guard case .string(let text) = literals[0], case .number(let number) = literals[1],
            case .boolean(false) = literals[2], case .null = literals[3], case .date(let day) = literals[4],
            case .dateTime(let instant) = literals[5], case .relativeDate("LAST_N_DAYS", 30) = literals[6],
            case .relativeDate("TODAY", nil) = literals[7]
        else {
            Issue.record("unexpected literals \(literals)")
            return
        }
        #expect(text == "O'Brien \\ \n")
        #expect(number == -12.5)
        #expect(day == SalesforceTime.Day(year: 2026, month: 11, day: 29))
        #expect(instant == "2026-11-29T10:00:00.000+0000")
    }

    /// `<>` is `!=`, and IN / NOT IN take lists.
    @Test func operatorsAndLists() throws {
        let query = try SOQLParser.parse(
            "SELECT Id FROM Lead WHERE Status <> 'x' AND Rating IN ('Hot','Warm') AND Industry NOT IN ('Retail')")
        guard
            case .and(.and(.comparison(_, .notEqual, _), .membership(_, false, let hot)), .membership(_, true, let retail)) = query
                .condition
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(hot.count == 2 && retail.count == 1)
    }

    /// A misspelled keyword is MALFORMED_QUERY naming the token, the row and the column.
    @Test func unexpectedToken() {
        #expect {
            _ = try SOQLParser.parse("SELECT Id FRM Lead")
        } throws: { error in
            guard let failure = error as? APIFailure else { return false }
            return failure.code == .malformedQuery
                && failure.errors[0].message == "\nSELECT Id FRM Lead\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'"
        }
    }

    /// Positions count rows and columns across lines.
    @Test func positionOnSecondRow() {
        #expect {
            _ = try SOQLParser.parse("SELECT Id\nFROM Lead WHERE Name = = 'x'")
        } throws: { error in
            (error as? APIFailure)?.errors[0].message.contains("ERROR at Row:2:Column:24\nunexpected token: '='") == true
        }
    }

    /// Malformed input of every kind is an error, never a crash.
    @Test(arguments: [
        "", "SELECT", "SELECT FROM Lead", "SELECT Id FROM", "SELECT Id FROM Lead WHERE", "SELECT Id FROM Lead WHERE Name = 'open",
        "SELECT Id FROM Lead LIMIT -1", "SELECT Id FROM Lead WHERE (Name = 'a'", "SELECT Id, FROM Lead", "SELECT Id FROM Lead extra",
        "SELECT Id FROM Lead WHERE Name = 'a\\q'", "SELECT Id FROM Lead WHERE Name ! 'a'",
        "SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS",
        "SELECT Id FROM Lead WHERE Name IN ()", "SELECT Id FROM Lead; DROP TABLE sandbox_records",
        "SELECT Id FROM Lead WHERE Name = 'x' OR",
        "\u{0}\u{1}", "SELECT Id FROM Lead WHERE CloseDate = 2026-13-45",
    ])
    func malformedQueries(_ text: String) {
        #expect {
            _ = try SOQLParser.parse(text)
        } throws: { error in
            (error as? APIFailure)?.code == .malformedQuery
        }
    }

    /// LIKE patterns: `%` and `_` wildcards, escapes, case-insensitive.
    @Test func likePatterns() {
        #expect(LikePattern("acme%").matches("ACME Robotics"))
        #expect(LikePattern("%bot%").matches("Acme Robotics"))
        #expect(LikePattern("a_me").matches("Acme"))
        #expect(!LikePattern("a_me").matches("Acmme"))
        #expect(LikePattern("100\\%").matches("100%"))
        #expect(!LikePattern("100\\%").matches("1000"))
        #expect(LikePattern("%").matches(""))
        #expect(!LikePattern("abc").matches("abcd"))
    }

    /// SOSL: term, group, RETURNING with fields, WHERE and LIMIT, and the overall LIMIT.
    @Test func soslSearch() throws {
        let search = try SOSLSearch.parse(
            "FIND {Acme*} IN NAME FIELDS RETURNING Lead(Id, Name WHERE Status = 'Open - Not Contacted' LIMIT 5), Opportunity LIMIT 20")
        #expect(search.group == .name)
        #expect(search.objects.map(\.name.text) == ["Lead", "Opportunity"])
        #expect(search.objects[0].fields.map(\.text) == ["Id", "Name"])
        #expect(search.objects[0].limit == 5)
        #expect(search.overallLimit == 20)
    }

    /// SOSL terms shorter than two characters and terms without braces are refused.
    @Test func soslErrors() {
        for text in ["FIND {a} RETURNING Lead", "FIND Acme RETURNING Lead", "FIND {Acme", "FIND {Acme} IN SOME FIELDS"] {
            #expect(throws: APIFailure.self) { _ = try SOSLSearch.parse(text) }
        }
    }
}
