import Testing
import Understanding

@Suite struct InterruptionDetectorTests {
    let detector = InterruptionDetector(entities: [
        .init(name: "lastName"), .init(name: "company", displayName: "Company Name"), .init(name: "email"),
    ])

    /// Whole-utterance cancel phrases cancel.
    @Test(arguments: ["cancel", "Stop.", "never mind", "forget it", "quit this", "Cancel please", "nevermind!"])
    func cancel(utterance: String) {
        #expect(detector.classify(utterance) == .cancel)
    }

    /// Help phrases and a lone question mark ask for help.
    @Test(arguments: ["help", "What do you mean?", "what should I say", "?", "??", "I don't understand"])
    func help(utterance: String) {
        #expect(detector.classify(utterance) == .help)
    }

    /// Corrections name an entity by its spoken name, display name or identifier.
    @Test(arguments: [
        ("actually the company is Globex", "company", "Globex"), ("change the company to Globex", "company", "Globex"),
        ("no, the last name is Smith", "lastName", "Smith"), ("company should be Globex", "company", "Globex"),
        ("set the company name to Globex Corporation", "company", "Globex Corporation"),
        ("Actually, lastName is O'Neil", "lastName", "O'Neil"), ("sorry, my email is jane@acme.com", "email", "jane@acme.com"),
    ])
    func corrections(utterance: String, entity: String, text: String) {
        #expect(detector.classify(utterance) == .correction(entity: entity, text: text))
    }

    /// Ordinary answers are not interruptions, even when they start like one.
    @Test(arguments: [
        "Stop & Shop", "Acme", "no", "yes", "company is Globex", "stop the bleeding inc", "Helpful Things LLC",
        "change management", "the weather is nice",
    ])
    func ordinaryAnswers(utterance: String) {
        #expect(detector.classify(utterance) == .none)
    }

    /// An entity called "companyName" is "the company" too; "firstName" is never "the first".
    @Test func aNamesHeadWordNamesIt() {
        let detector = InterruptionDetector(entities: [.init(name: "companyName"), .init(name: "firstName")])
        #expect(detector.classify("actually the company is Globex") == .correction(entity: "companyName", text: "Globex"))
        #expect(detector.classify("actually the first is Jo") == .none)
    }
}
