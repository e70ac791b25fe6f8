import DialogModel
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
}
