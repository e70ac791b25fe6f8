import DialogModel
import Foundation
import Testing
import Understanding

@Suite struct IntentMatcherTests {
    let matcher = IntentMatcher(intents: [
        IntentSpec(name: "Create Lead", utterances: ["create a lead", "add a new lead for {company}"]),
        IntentSpec(name: "Delete Lead", utterances: ["delete a lead", "remove lead {leadId}"]),
        IntentSpec(name: "Update Lead", utterances: ["update a lead", "change the {field} of a lead"]),
        IntentSpec(name: "Create Opportunity", utterances: ["create an opportunity", "new opportunity"]),
        IntentSpec(name: "Search Opportunities", utterances: ["search opportunities", "find opportunities for {account}"]),
    ])

    func name(_ text: String) -> String? {
        if case .matched(let name, _) = matcher.match(text) { return name }
        return nil
    }

    /// Typos, word order, inflections and extra words still find the intent.
    @Test(arguments: [
        ("create a lead", "Create Lead"), ("creat a new lead", "Create Lead"), ("lead, create", "Create Lead"),
        ("creating leads", "Create Lead"), ("Please create a new lead for Jane Doe at Acme", "Create Lead"),
        ("delete the lead", "Delete Lead"), ("deleted leads", "Delete Lead"), ("update lead", "Update Lead"),
        ("create an opportunty", "Create Opportunity"), ("searching opportunities at acme", "Search Opportunities"),
        ("find the opportunities for Acme", "Search Opportunities"),
    ])
    func matches(text: String, expected: String) {
        #expect(name(text) == expected)
    }

    /// Verbs keep intents on the same object apart.
    @Test func verbsDecide() {
        #expect(name("create a lead") == "Create Lead")
        #expect(name("delete a lead") == "Delete Lead")
        #expect(name("update a lead") == "Update Lead")
    }

    /// Unrelated text and bare objects match nothing.
    @Test(arguments: ["what's the weather", "lead", "hello there", "", "the"])
    func noMatch(text: String) {
        #expect(matcher.match(text) == .none)
    }

    /// Asking for two things at once is ambiguous between them.
    @Test func ambiguity() {
        #expect(matcher.match("create a lead and an opportunity") == .ambiguous(["Create Lead", "Create Opportunity"]))
    }

    /// Scores are exposed for traces, best first, and for single utterances.
    @Test func scoresForTraces() {
        let scores = matcher.scores("delete a lead")
        #expect(scores.first?.name == "Delete Lead")
        #expect(scores.first?.score == 1)
        #expect(matcher.score("creating leads", against: "create a lead") == 1)
        #expect(matcher.score("weather", against: "create a lead") == 0)
    }

    /// Among 20 intents of 5 utterances each, the right one is picked every time (speed is measured by `make bench`).
    @Test func manyIntents() {
        var intents: [IntentSpec] = []
        for verb in ["create", "delete", "update", "search", "show"] {
            for object in ["lead", "opportunity", "account", "contact"] {
                intents.append(
                    IntentSpec(
                        name: "\(verb) \(object)",
                        utterances: [
                            "\(verb) a \(object)", "\(verb) a new \(object) for {company}", "I want to \(verb) an \(object)",
                            "please \(verb) the \(object) named {name}", "\(verb) \(object)s",
                        ]))
            }
        }
        let matcher = IntentMatcher(intents: intents)
        guard case .matched(let name, _) = matcher.match("please create a new lead for Jane") else {
            Issue.record("no intent matched")
            return
        }
        #expect(name.lowercased().contains("create") && name.lowercased().contains("lead"))
    }
}
