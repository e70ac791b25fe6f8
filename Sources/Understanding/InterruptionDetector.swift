/// Tells cancel, help and corrections apart from ordinary answers.
///
/// Conservative by design, since answers can be anything: cancel and help only count as the
/// whole utterance ("stop", but not "Stop & Shop"), and a correction must name one of the task's
/// entities ("actually the company is Globex", "change the last name to Smith").
public struct InterruptionDetector: Sendable {
    /// An entity a correction may name.
    public struct Entity: Sendable, Hashable {
        public var name: String
        /// How people call it ("Last Name"); camelCase names are also understood as spoken
        /// ("lastName" ↔ "last name").
        public var displayName: String?

        public init(name: String, displayName: String? = nil) {
            self.name = name
            self.displayName = displayName
        }
    }

    /// Each entity's ways of being named, as lowercase word lists, longest first.
    private let names: [(entity: String, words: [String])]

    public init(entities: [Entity] = []) {
        var names: [(entity: String, words: [String])] = []
        for entity in entities {
            var variants: [[String]] = [spokenWords(of: entity.name), [entity.name.lowercased()]]
            // "companyName" is "the company" too; "firstName" is never "the first".
            let spoken = spokenWords(of: entity.name)
            if spoken.count > 1, spoken.last == "name", !Self.nameQualifiers.contains(spoken[spoken.count - 2]) {
                variants.append(Array(spoken.dropLast()))
            }
            if let display = entity.displayName {
                variants.append(WordToken.tokens(in: display).map(\.lower))
            }
            for words in variants where !words.isEmpty && !names.contains(where: { $0.words == words }) {
                names.append((entity.name, words))
            }
        }
        self.names = names.sorted { $0.words.count > $1.words.count }
    }

    /// Words before "name" that make it a kind of name, which the word alone does not say.
    private static let nameQualifiers: Set<String> = ["first", "last", "middle", "full", "nick", "user", "given", "family", "display"]

    /// What kind of interruption the utterance is, if any.
    public func classify(_ utterance: String) -> Interruption {
        let trimmed = utterance.trimmingWhitespace()
        if trimmed.allSatisfy({ $0 == "?" }) && !trimmed.isEmpty { return .help }
        let tokens = WordToken.tokens(in: trimmed)
        // Only a word with non-ASCII text can hold a typographic apostrophe; the rest need no copy.
        let words = tokens.map { $0.lower.utf8.contains(where: { $0 >= 0x80 }) ? $0.lower.replacing("’", with: "'") : $0.lower }
        var core = words[...]
        while let first = core.first, Self.politeWords.contains(first), core.count > 1 { core = core.dropFirst() }
        while let last = core.last, Self.politeWords.contains(last), core.count > 1 { core = core.dropLast() }
        // Longer utterances cannot be one of the phrases; most answers skip building the phrase.
        if core.count <= Self.longestPhraseWordCount {
            let phrase = core.joined(separator: " ")
            if Self.cancelPhrases.contains(phrase) { return .cancel }
            if Self.helpPhrases.contains(phrase) { return .help }
        }
        return correction(tokens: tokens, words: words, in: trimmed)
    }

    // MARK: Corrections

    private func correction(tokens: [WordToken], words: [String], in text: String) -> Interruption {
        guard !names.isEmpty else { return .none }
        var index = 0
        var marked = false
        // "actually", "no,", "sorry", "I meant" before the correction itself.
        while index < words.count {
            if let length = Self.markers.first(where: { Self.has($0, in: words, at: index) })?.count {
                index += length
                marked = true
            } else {
                break
            }
        }
        // "change the company to Globex", "set last name to Smith".
        if index < words.count, Self.changeVerbs.contains(words[index]) {
            var position = index + 1
            if position < words.count, Self.determiners.contains(words[position]) { position += 1 }
            if let name = entityName(in: words, at: position) {
                let after = position + name.length
                if after < words.count, Self.changeLinks.contains(words[after]) {
                    return value(tokens, from: after + 1, in: text).map { .correction(entity: name.entity, text: $0) }
                        ?? .none
                }
            }
            return .none
        }
        // "the company is Globex" (after a marker), "company should be Globex".
        var position = index
        var determiner = false
        if position < words.count, Self.determiners.contains(words[position]) {
            position += 1
            determiner = true
        }
        guard let name = entityName(in: words, at: position) else { return .none }
        let after = position + name.length
        for verb in Self.copulas where Self.has(verb, in: words, at: after) {
            let strong = verb != ["is"] && verb != ["="] && verb != ["'s"]
            guard strong || marked || determiner else { return .none }
            return value(tokens, from: after + verb.count, in: text).map { .correction(entity: name.entity, text: $0) }
                ?? .none
        }
        return .none
    }

    private func entityName(in words: [String], at index: Int) -> (entity: String, length: Int)? {
        for name in names where Self.has(name.words, in: words, at: index) {
            return (name.entity, name.words.count)
        }
        // "company's Globex"
        if index < words.count, words[index].hasSuffix("'s") {
            let bare = String(words[index].dropLast(2))
            if let name = names.first(where: { $0.words == [bare] }) { return (name.entity, 1) }
        }
        return nil
    }

    /// The rest of the utterance from the token, as written, without a final period.
    private func value(_ tokens: [WordToken], from index: Int, in text: String) -> String? {
        guard index < tokens.count else { return nil }
        let value = text[tokens[index].range.lowerBound...].trimmingWhitespace()
        let trimmed = String(value.reversed().drop { ".!".contains($0) }.reversed())
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func has(_ phrase: [String], in words: [String], at index: Int) -> Bool {
        index + phrase.count <= words.count && words[index..<index + phrase.count].elementsEqual(phrase)
    }

    // MARK: Phrases

    private static let politeWords: Set<String> = ["please", "ok", "okay", "oh", "just", "um", "uh", "hmm"]

    static let cancelPhrases: Set<String> = [
        "cancel", "stop", "never mind", "nevermind", "nvm", "forget it", "forget about it", "quit", "quit this",
        "quit it", "abort", "cancel that", "cancel this", "cancel it", "stop this", "stop it", "stop that",
        "exit", "cancel the task", "cancel this task", "i want to cancel", "i'd like to cancel", "let's stop",
        "forget that", "drop it",
    ]

    static let helpPhrases: Set<String> = [
        "help", "help me", "what do you mean", "what should i say", "what can i say", "what do i say",
        "i need help", "i don't understand", "i dont understand", "what", "huh", "what are my options",
        "what are the options", "options", "what do you need", "what is this", "what's this", "i'm confused",
        "im confused", "what can you do", "what can you help with", "what can you help me with", "what do you do",
        "how does this work", "how do i use this", "what can i ask", "what can i ask you", "what else can you do",
    ]

    private static let markers: [[String]] = [
        ["actually"], ["no"], ["nope"], ["sorry"], ["wait"], ["oops"], ["correction"], ["i", "meant"],
        ["i", "mean"], ["oh"], ["instead"], ["rather"], ["hmm"],
    ]

    /// Words between a change verb and the entity's name ("change the company").
    private static let determiners = ["the", "my", "his", "her", "their"]

    /// Words between the entity's name and the new value ("change the company to Globex").
    private static let changeLinks = ["to", "as", "into"]

    /// The most words any cancel or help phrase has.
    private static let longestPhraseWordCount =
        cancelPhrases.union(helpPhrases)
        .map { $0.split(separator: " ").count }.max() ?? 0

    private static let changeVerbs: Set<String> = ["change", "set", "update", "make", "switch", "correct", "fix"]

    /// Longest first, so "should be" wins over "is".
    private static let copulas: [[String]] = [
        ["should", "be"], ["must", "be"], ["needs", "to", "be"], ["is", "actually"], ["was", "supposed", "to", "be"],
        ["should", "have", "been"], ["is", "really"], ["is"], ["="],
    ]
}
