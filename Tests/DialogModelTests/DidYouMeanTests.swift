import DialogModel
import Testing

@Suite("Did you mean")
struct DidYouMeanTests {
    /// About one edit in three characters is a typo (swaps of neighbours count once); short words get none.
    @Test func closeNamesAreSuggested() {
        #expect(Suggestion.closest(to: "sucess", among: ["success", "failure"]) == "success")
        #expect(Suggestion.closest(to: "PSOT", among: ["GET", "POST"]) == "POST")
        #expect(Suggestion.closest(to: "/hepl", among: ["/help", "/quit"]) == "/help")
        #expect(Suggestion.closest(to: "@brwoser", among: ["@bot", "@browser"]) == "@browser")
        #expect(Suggestion.closest(to: "foo", among: ["bar", "food"]) == "food")
        #expect(Suggestion.closest(to: "xy", among: ["xz"]) == nil)
        #expect(Suggestion.closest(to: "completely", among: ["different"]) == nil)
    }

    /// The word itself is never suggested, and case does not count as an edit.
    @Test func caseIsIgnoredAndTheSameWordIsNotSuggested() {
        #expect(Suggestion.closest(to: "Lastname", among: ["lastName"]) == "lastName")
        #expect(Suggestion.closest(to: "end", among: ["end"]) == nil)
    }

    /// The bounded distance gives up past its limit.
    @Test func boundedDistance() {
        #expect(EditDistance.distance("kitten", "sitting", limit: 3) == 3)
        #expect(EditDistance.distance("kitten", "sitting", limit: 2) == nil)
        #expect(EditDistance.distance("ab", "ba", limit: 1) == 1)
    }
}
