import DialogModel
import Foundation
import Testing
import Understanding

/// A saved model reads back into the same classifier, and nothing else does.
@Suite struct SavedModelTests {
    let intents: [IntentClassifier.Intent] = [
        .init(IntentSpec(name: "Create Lead", utterances: ["create a lead", "add a new lead for {company}"])),
        .init(
            IntentSpec(
                name: "Delete Lead", utterances: ["delete a lead", "remove lead {leadId}"],
                synonyms: ["delete": ["get rid of", "erase"]]),
            isDestructive: true),
        .init(IntentSpec(name: "Search Leads", utterances: ["search leads", "find leads at {company}"])),
    ]
    let requests = [
        "create a lead", "creat a new lead for Acme", "get rid of Jane's lead", "don't delete anything",
        "serch leads acme", "what's the weather", "find leads and delete them",
    ]

    @Test func aSavedModelClassifiesExactlyAsTheTrainedOne() throws {
        let trained = IntentClassifier(intents: intents)
        let saved = trained.savedModel()
        let read = try #require(IntentClassifier(intents: intents, savedModel: saved))
        #expect(read.fingerprint == trained.fingerprint)
        for request in requests {
            #expect(read.classify(request) == trained.classify(request), "\(request)")
            #expect(read.tokens(request) == trained.tokens(request), "\(request)")
            let expected = trained.probabilities(request)
            let actual = read.probabilities(request)
            #expect(actual.map(\.name) == expected.map(\.name), "\(request)")
            #expect(zip(actual, expected).allSatisfy { $0.probability == $1.probability }, "\(request)")
        }
        // Saving what was read back gives the same bytes: nothing is lost on the way.
        #expect(read.savedModel() == saved)
    }

    @Test func aModelOfOtherUtterancesIsNotRead() {
        let saved = IntentClassifier(intents: intents).savedModel()
        var changed = intents
        changed[0].spec.utterances.append("log a new prospect")
        #expect(IntentClassifier(intents: changed, savedModel: saved) == nil)
        #expect(IntentClassifier(intents: intents, synonyms: ["lead": ["prospect"]], savedModel: saved) == nil)
        var slots = intents
        slots[0].slots = ["company": EntitySpec(name: "company", type: .company, prompts: [], examples: ["Acme"])]
        #expect(IntentClassifier(intents: slots, savedModel: saved) == nil)
        #expect(IntentClassifier.fingerprint(intents: changed) != IntentClassifier.fingerprint(intents: intents))
    }

    /// A damaged or hostile file is refused, whatever its bytes say about counts and sizes.
    @Test func aDamagedModelIsRefusedWithoutCrashing() {
        let saved = IntentClassifier(intents: intents).savedModel()
        #expect(IntentClassifier(intents: intents, savedModel: Data()) == nil)
        for length in stride(from: 0, to: saved.count, by: max(1, saved.count / 97)) {
            #expect(IntentClassifier(intents: intents, savedModel: saved.prefix(length)) == nil)
        }
        #expect(IntentClassifier(intents: intents, savedModel: saved + Data([0])) == nil)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = [UInt8](saved)
            for _ in 0..<4 { bytes[Int.random(in: 12..<bytes.count, using: &random)] = .random(in: 0...255, using: &random) }
            // Either refused, or (a weight changed) read: never a crash.
            _ = IntentClassifier(intents: intents, savedModel: Data(bytes))
        }
        // Counts far larger than the file.
        var huge = [UInt8](saved.prefix(28))  // magic, version, fingerprint
        huge += [0xFF, 0xFF, 0xFF, 0x7F]
        #expect(IntentClassifier(intents: intents, savedModel: Data(huge)) == nil)
    }
}
