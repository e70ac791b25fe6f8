import ParleyJSON

extension EntityRecognizer {
    func recognizeYesNo(_ answer: String) -> Recognition {
        switch YesNo.read(answer) {
        case true?: .value(.bool(true), text: answer)
        case false?: .value(.bool(false), text: answer)
        case nil: .invalid(reason: "Please answer yes or no")
        }
    }
}

/// Reads yes and no in their everyday forms.
public enum YesNo {
    static let yes: Set<String> = [
        "yes", "y", "yeah", "yea", "yep", "yup", "ya", "sure", "ok", "okay", "k", "correct", "right", "go ahead",
        "affirmative", "absolutely", "of course", "definitely", "certainly", "please do", "do it", "that's right",
        "that is right", "thats right", "true", "yes please", "sounds good", "confirm", "confirmed", "agreed",
        "go for it", "yes go ahead", "sure thing", "indeed", "exactly", "that's correct", "that is correct", "proceed",
    ]
    /// What people say on reading a summary they are happy with: a yes, but not the clear yes a task that destroys
    /// data waits for ("great" to "Delete Jane Doe? This cannot be undone." deletes nothing).
    static let approvals: Set<String> = [
        "perfect", "great", "looks good", "looks right", "looks correct", "all good", "that's fine", "fine", "alright",
        "all right", "save it", "lgtm", "spot on", "yes perfect", "perfect thanks", "great thanks",
        "that's it", "that's perfect",
    ]
    static let no: Set<String> = [
        "no", "n", "nope", "nah", "negative", "don't", "dont", "do not", "no thanks", "no thank you", "not really",
        "false", "no way", "incorrect", "wrong", "that's wrong", "that is wrong", "not now", "don't do it",
        "absolutely not", "of course not", "definitely not", "not at all", "no it isn't", "no it's not",
    ]
    /// Words that start an answer and settle it when the rest does not contradict them.
    static let leadingYes: Set<String> = ["yes", "yeah", "yep", "yup", "sure", "ok", "okay", "absolutely", "definitely"]
    static let leadingNo: Set<String> = ["no", "nope", "nah"]

    /// Words that only say the yes again: "yes, delete it", "yes go ahead and do it".
    static let restatements: Set<String> = [
        "go", "ahead", "please", "do", "it", "that", "this", "one", "and", "delete", "remove", "confirm", "proceed",
        "him", "her", "them", "bin", "kill", "nuke", "scrap", "trash", "toss", "ditch", "wipe", "purge", "erase", "get",
        "rid", "of", "blow", "away", "just",
    ]

    /// Whether the whole answer is a yes ("yes", "go ahead", "yes, delete it"), not a yes followed by more ("sure, in a
    /// bit").
    public static func isWholeYes(_ answer: String) -> Bool {
        let words = answerWords(answer)
        if yes.contains(words.joined(separator: " ")) { return true }
        guard let first = words.first, leadingYes.contains(first), words.count > 1 else { return false }
        return words.dropFirst().allSatisfy(restatements.contains)
    }

    /// Words people hesitate with before they answer: "hmm actually no, keep it".
    static let hesitations: Set<String> = [
        "hmm", "hm", "hmmm", "um", "umm", "uh", "er", "erm", "well", "actually", "oh", "ah", "wait",
    ]

    /// The answer's words, lowercased, without the hesitations before them.
    private static func answerWords(_ answer: String) -> [String] {
        var words = WordToken.tokens(in: answer).map { $0.lower.replacing("’", with: "'") }
        while words.count > 1, hesitations.contains(words[0]) { words.removeFirst() }
        return words
    }

    /// `true` for yes, `false` for no, `nil` for anything else (including "cancel").
    public static func read(_ answer: String) -> Bool? {
        let words = answerWords(answer)
        let phrase = words.joined(separator: " ")
        if yes.contains(phrase) || approvals.contains(phrase) { return true }
        if no.contains(phrase) { return false }
        guard let first = words.first, words.count > 1 else { return nil }
        let rest = Set(words.dropFirst())
        if leadingYes.contains(first) || approvals.contains(first), rest.isDisjoint(with: leadingNo), !rest.contains("not"),
            !rest.contains("don't")
        {
            return true
        }
        if leadingNo.contains(first), rest.isDisjoint(with: leadingYes) { return false }
        return nil
    }
}
