import DialogModel
import Foundation
import ParleyJSON
import Testing
import Understanding

@Suite struct ListEntityTests {
    /// Values, display names and synonyms match without regard to case, with typos and prefixes.
    @Test(arguments: [
        ("Closed Won", "Closed Won"), ("closed won", "Closed Won"), ("qualificaton", "Qualification"),
        ("neg", "Negotiation/Review"), ("negotiation review", "Negotiation/Review"), ("value prop", "Value Proposition"),
        ("I'd say prospecting", "Prospecting"), ("Perception analisys", "Perception Analysis"),
    ])
    func matches(answer: String, expected: String) {
        #expect(value(.list(opportunityStages), answer) == .string(expected))
    }

    /// Two equally close items make the answer ambiguous, best first.
    @Test func ambiguity() {
        #expect(
            recognize(.list(opportunityStages), "closed")
                == .ambiguous([ListItem(value: "Closed Won"), ListItem(value: "Closed Lost")]))
        #expect(
            recognize(.list(opportunityStages), "analysis")
                == .ambiguous([ListItem(value: "Needs Analysis"), ListItem(value: "Perception Analysis")]))
    }

    /// Answers that name no item are refused.
    @Test(arguments: ["xyz", "banana split", "c"])
    func noMatch(answer: String) {
        #expect(recognize(.list(opportunityStages), answer) == .invalid(reason: "That isn't one of the choices"))
    }

    /// Synonyms give the item's value; lists that allow several return an array.
    @Test func synonymsAndMultipleValues() {
        #expect(value(.list(leadSources), "partner") == .array([.string("Partner Referral")]))
        #expect(value(.list(leadSources), "Web and phone") == .array([.string("Web"), .string("Phone Inquiry")]))
        #expect(
            value(.list(leadSources), "web, partner, other")
                == .array([.string("Web"), .string("Partner Referral"), .string("Other")]))
        #expect(isInvalid(recognize(.list(leadSources), "web and carrier pigeon")))
    }

    /// Completions are the display names starting with the prefix, in list order.
    @Test func completions() {
        let recognizer = EntityRecognizer(type: .list(opportunityStages), calendar: utc)
        #expect(recognizer.completions(prefix: "c") == ["Closed Won", "Closed Lost"])
        #expect(recognizer.completions(prefix: "NEG") == ["Negotiation/Review"])
        #expect(recognizer.completions(prefix: "z").isEmpty)
        #expect(recognizer.completions(prefix: "").count == 8)
        #expect(EntityRecognizer(type: .string, calendar: utc).completions(prefix: "a").isEmpty)
    }

    /// List values are found in free text, typos in long words included.
    @Test func findingItems() {
        let recognizer = EntityRecognizer(type: .list(opportunityStages), calendar: utc)
        let matches = recognizer.find(in: "move it to closed won, not prospectng")
        #expect(matches.map(\.text) == ["closed won", "prospectng"])
        #expect(matches.map(\.value) == [.string("Closed Won"), .string("Prospecting")])
    }

    /// An item said negated is the list's item for its negation, where the list has one; elsewhere a "not" changes
    /// nothing ("not prospecting" above still finds Prospecting, which has no negated item).
    @Test(arguments: [
        ("leads nobody has contacted yet", "Open - Not Contacted"), ("leads we haven't contacted", "Open - Not Contacted"),
        ("the ones that never converted", "Closed - Not Converted"), ("leads we contacted", "Working - Contacted"),
    ])
    func negatedItems(request: String, expected: String) {
        let statuses = ListSpec(items: [
            ListItem(value: "Open - Not Contacted", synonyms: ["not contacted"]),
            ListItem(value: "Working - Contacted", synonyms: ["contacted"]),
            ListItem(value: "Closed - Converted", synonyms: ["converted"]),
            ListItem(value: "Closed - Not Converted", synonyms: ["not converted"]),
        ])
        let found = EntityRecognizer(type: .list(statuses), calendar: utc).find(in: request)
        #expect(found.map(\.value) == [.string(expected)])
    }

    /// The periods of List Opportunities' "closing", as its list names them.
    private static let periods = ListSpec(
        items: [
            "TODAY", "THIS_MONTH", "NEXT_MONTH", "LAST_MONTH", "THIS_QUARTER", "NEXT_QUARTER", "LAST_QUARTER", "THIS_YEAR",
            "NEXT_YEAR", "LAST_YEAR",
        ].map { ListItem(value: $0, synonyms: [$0.lowercased().replacingOccurrences(of: "_", with: " ")]) }
            + (1...4).map { ListItem(value: "QUARTER_\($0)", synonyms: ["q\($0)"]) }
            + [
                "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december",
            ].enumerated().map { ListItem(value: "MONTH_\($0.offset + 1)", synonyms: [$0.element]) })

    /// A period is stored relative to today where the list can say so (today is 2 March 2026): the month or quarter
    /// now and the next are this and next, the month before is last; one further away is named; a year, a span of
    /// months that is a quarter, and the year so far are read too.
    @Test(arguments: [
        ("deals closing in march", "THIS_MONTH"), ("closing in april", "NEXT_MONTH"), ("anything lost in february", "LAST_MONTH"),
        ("closing in july", "MONTH_7"), ("closing in january", "MONTH_1"), ("what's closing in q1", "THIS_QUARTER"),
        ("pipeline for Q2?", "NEXT_QUARTER"), ("deals closing q4", "QUARTER_4"), ("our Q4 2025 wins", "LAST_QUARTER"),
        ("q3 2026 deals", "QUARTER_3"), ("deals in march 2027", "none"), ("closing in may 2026", "MONTH_5"),
        ("lost deals from 2025", "LAST_YEAR"), ("what closes in 2027", "NEXT_YEAR"), ("year to date wins", "THIS_YEAR"),
        ("YTD wins", "THIS_YEAR"), ("the year's closed-won deals so far", "THIS_YEAR"),
        ("deals due to close between april and june", "NEXT_QUARTER"), ("closing jul-sep", "QUARTER_3"),
        ("closing in the third quarter", "QUARTER_3"), ("closing in the last quarter", "LAST_QUARTER"),
        ("from april to may", "NEXT_MONTH"),
    ])
    func periods(request: String, expected: String) {
        let found = EntityRecognizer(type: .list(Self.periods), calendar: utc).find(in: request).map(\.value)
        #expect(found.first == (expected == "none" ? nil : .string(expected)), "\(found)")
    }

    /// A period with a year the list cannot name is no period, and its month is not read alone either.
    @Test func aPeriodTooFarIsNotRead() {
        #expect(EntityRecognizer(type: .list(Self.periods), calendar: utc).find(in: "wins in march 2024").isEmpty)
        #expect(value(.list(Self.periods), "April") == .string("NEXT_MONTH"))
    }
}
