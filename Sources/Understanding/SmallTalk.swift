/// What a person says to a bot that is not a request: a greeting, thanks, a goodbye. Read only when the whole message
/// is one of them ("hey there!", "thanks so much", "ok bye"), so "hi, create a lead for Jane Doe" is still a request.
public enum SmallTalk: Sendable, Hashable {
    case greeting
    case thanks
    case goodbye

    /// The small talk the whole message is, or `nil` for anything else.
    public static func read(_ message: String) -> SmallTalk? {
        var words = message.lowercased().split { !$0.isLetter && $0 != "'" && $0 != "’" }.map {
            String($0).replacingApostrophes()
        }
        // "ok thanks", "hey there", "thanks so much": words that only soften or address count for nothing.
        words.removeAll { softeners.contains($0) }
        guard !words.isEmpty, words.count <= 4 else { return nil }
        let phrase = words.joined(separator: " ")
        if greetingPhrases.contains(phrase) { return .greeting }
        if thanksPhrases.contains(phrase) || isAcknowledgement(words) { return .thanks }
        if goodbyePhrases.contains(phrase) { return .goodbye }
        return nil
    }

    /// Whether the words thank or acknowledge and say nothing else, in any order: "cool thx", "ty great", "nice one
    /// thank you".
    private static func isAcknowledgement(_ words: [String]) -> Bool {
        words.contains { thanksWords.contains($0) } && words.allSatisfy { thanksWords.contains($0) || approvals.contains($0) }
    }

    private static let thanksWords: Set<String> = ["thanks", "thx", "thanx", "tks", "ty", "tysm", "cheers", "thank", "you", "ta"]
    private static let approvals: Set<String> = [
        "great", "perfect", "awesome", "cool", "nice", "good", "excellent", "brilliant", "lovely", "super", "sweet",
        "one", "job", "work", "done", "it", "got", "appreciate", "appreciated", "kk", "k",
    ]

    private static let softeners: Set<String> = [
        "ok", "okay", "oh", "well", "there", "so", "much", "very", "again", "a", "lot", "bot", "assistant", "buddy",
        "mate", "folks", "guys", "man", "then", "for", "now", "that", "the",
    ]
    private static let greetingPhrases: Set<String> = [
        "hi", "hello", "hey", "hiya", "howdy", "yo", "greetings", "good morning", "good afternoon", "good evening",
        "morning", "afternoon", "evening", "hi hi", "hello hello", "how are you", "how are you doing",
        "how's it going", "how is it going", "what's up", "sup", "hey hey", "hi how are you", "hello how are you",
        "hey how are you",
    ]
    /// Thanks without a word of thanks; the rest are read by ``isAcknowledgement(_:)``.
    private static let thanksPhrases: Set<String> = [
        "appreciate it", "much appreciated", "great", "perfect", "awesome", "cool", "nice", "got it", "good",
    ]
    private static let goodbyePhrases: Set<String> = [
        "bye", "goodbye", "bye bye", "see ya", "see you", "later", "see you later", "good night", "night", "ciao",
        "that's it", "that's all", "i'm done", "done", "thanks bye", "bye thanks", "thank you bye", "cheers bye",
    ]
}

extension String {
    /// The text with typographic apostrophes as plain ones: "that’s" is "that's".
    fileprivate func replacingApostrophes() -> String {
        String(map { $0 == "’" ? "'" : $0 })
    }
}
