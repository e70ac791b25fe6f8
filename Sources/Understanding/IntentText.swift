public import DialogModel
import Foundation
import ParleyJSON

/// One token of a request as intent classification reads it.
struct IntentToken: Sendable, Hashable {
    /// The stem ("lead" for "leads"), or a kind such as `#email` or `#text`.
    var stem: String
    /// The word as written, lowercased ("leads"); the stem again for kinds and synonyms.
    var word: String
    /// Whether a "don't", "not" or "never" just before negates it ("don't update anything").
    var negated = false
    /// Whether it was written capitalized inside a sentence, as names are ("the Negev Leak Detection Pilot"): never
    /// read as a typo of a word the bot knows.
    var capitalizedInSentence = false
    /// Whether it was written capitalized anywhere, a sentence's first word too.
    var capitalized = false
    /// Whether it was written in capitals only, two letters or more: shouted, or an acronym.
    var allCaps = false
    /// Whether "'s" followed it and it is no contraction's ("Callum's", not "she's"): a name so written is someone
    /// already known, as in "Callum McAllister's lead".
    var possessive = false
    /// Whether it names a record already known: "the Gulf Horizon lead", "Callum's number", "his lead". Features read
    /// it as ``IntentText/known`` before the token; rules that read neighbours never see it.
    var known = false

    init(stem: String, word: String) {
        self.stem = stem
        self.word = word
    }

    init(kind: String) {
        self.init(stem: kind, word: kind)
    }

    var isKind: Bool { stem.hasPrefix("#") }
}

/// Turns a request into the tokens intent classification reads, the same way for training
/// utterances and for what users type.
///
/// Step by step: typed values become their kind ("jane@acme.com" → `#email`, "$50k" → `#amount`,
/// "next Friday" → `#date`, "Jane Doe" → `#person`, a record id → `#id` and its object's word);
/// words are lowercased and stemmed; synonyms become the word they stand for ("get rid of" →
/// `delete`, "oppty" → `opportunity`); words after "don't" or "not" are marked negated; a word the
/// bot's vocabulary lacks becomes the known word it is a typo of ("serch" → `search`, "lst" →
/// `list`), or else `#text`, which is also what a `{slot}` of a training utterance becomes: names
/// and companies are never part of the vocabulary.
struct IntentText: Sendable {
    /// The token for words the vocabulary does not know, and for text slots.
    static let text = "#text"
    /// The token for a person's name.
    static let person = "#person"

    /// Synonym phrases as stem sequences by their first stem, longest first, with the words they stand for; list values
    /// stand for themselves.
    private let synonyms: [String: [(phrase: [String], meaning: [IntentToken])]]
    /// Every stem the training utterances use, with its scalars for typo matching.
    private var stems: [Spelling] = []
    private var knownStems: Set<String> = []
    /// Every word the training utterances use, as written, with its stem.
    private var words: [String: String] = [:]
    private var wordScalars: [Spelling] = []
    /// The words as written by their consonants ("search" under "srch"), made as they are learned, so that reading an
    /// abbreviation looks its skeleton up instead of taking apart every word of the vocabulary for each unknown word.
    private var wordsBySkeleton: [String: [String]] = [:]

    /// A word or a stem with its scalars; stems and words share the type, so typo matching reads either list as it is
    /// instead of converting it on every unknown word.
    private typealias Spelling = (text: String, scalars: [UInt32])

    /// Words as texted, read as spelled: "can u list …", "ur leads".
    static let textSpeak: [String: String] = ["u": "you", "ur": "your", "r": "are", "cn": "can", "wat": "what"]

    /// Words that never tell one request from another.
    static let ignored: Set<String> = ["a", "an", "the", "please", "pls", "plz", "kindly", "just", "um", "uh", "hey"]
    /// Words that negate the next ones; "not" only where ``notNegates(at:in:)`` says so, since "not converted" is a
    /// value, not a negation.
    static let negations: Set<String> = ["don't", "dont", "never", "without", "doesn't", "didn't"]

    /// - Parameter values: list values; those of several words are read as written, never as synonyms: "so open not
    ///   contacted" is a status, not "show".
    init(synonyms: [String: [String]], values: [String] = []) {
        var phrases: [(phrase: [String], meaning: [IntentToken])] = []
        for value in values {
            let words = Self.plainWords(in: Substring(value))
            let phrase = words.map(\.stem)
            if phrase.count > 1, !phrases.contains(where: { $0.phrase == phrase }) { phrases.append((phrase, words)) }
        }
        // In the words' order, so that a phrase given for two words means the first, every time.
        for (word, others) in synonyms.sorted(by: { $0.key < $1.key }) {
            let meaning = Self.plainWords(in: Substring(word))
            guard !meaning.isEmpty else { continue }
            for other in others {
                let phrase = Self.plainWords(in: Substring(other)).map(\.stem)
                if !phrase.isEmpty, phrase != meaning.map(\.stem), !phrases.contains(where: { $0.phrase == phrase }) {
                    phrases.append((phrase, meaning))
                }
            }
        }
        // Longest first, so "get rid of" wins over "get"; ties in a stable order.
        let sorted = phrases.sorted {
            ($0.phrase.count, $0.phrase.joined(separator: " ")) > ($1.phrase.count, $1.phrase.joined(separator: " "))
        }
        self.synonyms = Dictionary(grouping: sorted) { $0.phrase[0] }
    }

    /// Learns the vocabulary from training tokens.
    mutating func learn(_ tokens: [IntentToken]) {
        for token in tokens where !token.isKind {
            if knownStems.insert(token.stem).inserted { stems.append((token.stem, token.stem.unicodeScalars.map(\.value))) }
            if words.updateValue(token.stem, forKey: token.word) == nil { addWord(token.word) }
        }
    }

    var vocabulary: Set<String> { knownStems }

    /// What ``learn(_:)`` has learned, in the order it learned it: stems, and words as written with their stems.
    var learned: (stems: [String], words: [(word: String, stem: String)]) {
        (stems.map(\.text), wordScalars.compactMap { word, _ in words[word].map { (word, $0) } })
    }

    /// Learns again what ``learned`` gave; the same requests then read the same way.
    mutating func restore(stems: [String], words: [(word: String, stem: String)]) {
        for stem in stems where knownStems.insert(stem).inserted {
            self.stems.append((stem, stem.unicodeScalars.map(\.value)))
        }
        for (word, stem) in words where self.words.updateValue(stem, forKey: word) == nil { addWord(word) }
    }

    /// Makes a word new to ``words`` one typos and abbreviations are matched against.
    private mutating func addWord(_ word: String) {
        wordScalars.append((word, word.unicodeScalars.map(\.value)))
        wordsBySkeleton[Self.consonants(word), default: []].append(word)
    }

    // MARK: Training utterances

    /// The tokens of a training utterance; each `{slot}` becomes the token of its entity's type.
    func trainingTokens(_ utterance: String, slots: [String: EntitySpec]) -> [IntentToken] {
        trainingVariants(utterance, slots: slots, samples: Self.slotSamples(slots), limit: 1)[0]
    }

    /// What people say where each slot stands (see ``trainingVariants(_:slots:samples:limit:)``),
    /// read once for all the utterances of an intent.
    static func slotSamples(_ slots: [String: EntitySpec]) -> [String: [[IntentToken]]] {
        slots.mapValues { entity in
            if !entity.examples.isEmpty { return entity.examples.map { exampleTokens($0) } }
            // A name the list of first names knows reads as a person, any other as text ("Ji-woo Park"): train on both.
            if case .personName = entity.type { return [[IntentToken(kind: person)], [IntentToken(kind: text)]] }
            return samples(for: entity.type)
        }
    }

    /// Variants of a training utterance: slots take examples of what people say there (the
    /// entity's `examples`, a list's values, "title to …" for field changes), read like any request,
    /// so the words and the kind of the values count for the intent too; slots without examples
    /// become their type's token.
    func trainingVariants(
        _ utterance: String, slots: [String: EntitySpec], samples slotSamples: [String: [[IntentToken]]], limit: Int
    ) -> [[IntentToken]] {
        var pieces: [(text: Substring, slot: String?)] = []
        var rest = Substring(utterance)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") else {
                pieces.append((rest, nil))
                break
            }
            pieces.append((rest[..<open], nil))
            pieces.append(("", rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)))
            rest = rest[rest.index(after: close)...]
        }
        let samples = pieces.map { piece in piece.slot.flatMap { slotSamples[$0] } ?? [] }
        let count = min(max(1, samples.map(\.count).max() ?? 1), limit)
        return (0..<count).map { variant in
            var tokens: [IntentToken] = []
            for (index, piece) in pieces.enumerated() {
                if piece.slot == nil {
                    var text = piece.text
                    // "{lead}'s lead": the slot's value is someone's already known.
                    if text.hasPrefix("'s") || text.hasPrefix("\u{2019}s"), !tokens.isEmpty {
                        tokens[tokens.count - 1].possessive = true
                        text = text.dropFirst(2)
                    }
                    tokens += Self.plainWords(in: text)
                } else if samples[index].isEmpty {
                    tokens.append(IntentToken(kind: Self.kind(of: slots[piece.slot ?? ""]?.type)))
                } else {
                    // Spread over the samples, so a few variants still see different ones.
                    let count = samples[index].count
                    tokens += samples[index][count > limit ? variant * count / limit : variant % count]
                }
            }
            return finish(
                Self.markingExistenceQuestion(Self.markingNegations(replacingSynonyms(in: tokens))), correctingTypos: false)
        }
    }

    /// The kind a slot of this type stands for in training utterances.
    static func kind(of type: EntityType?) -> String {
        switch type {
        case .email: "#email"
        case .url: "#url"
        case .phone: "#phone"
        case .amount: "#amount"
        case .date: "#date"
        case .number, .percentage: "#number"
        case .salesforceID: "#id"
        case .personName: "#person"
        default: text
        }
    }

    /// An example value as the tokens it becomes: its typed values and people by their kind, any
    /// other words as `#text`, so that names never enter the vocabulary.
    static func exampleTokens(_ value: String) -> [IntentToken] {
        var tokens: [IntentToken] = []
        for token in words(in: value) {
            let kind = token.isKind ? token : IntentToken(kind: text)
            if kind.stem == text, tokens.last?.stem == text { continue }
            tokens.append(kind)
        }
        return tokens
    }

    /// What people say where a slot of this type stands: a list's values, a field's name and its
    /// value; empty for types whose slot is just its kind.
    static func samples(for type: EntityType?) -> [[IntentToken]] {
        switch type {
        case .list(let list):
            return list.items.flatMap { item in ([item.value] + item.synonyms).map { words(in: $0) } }
        case .changes(let spec):
            var samples: [[IntentToken]] = []
            for field in spec.fields {
                let values = Self.samples(for: field.type)
                let value = values.isEmpty ? [IntentToken(kind: kind(of: field.type))] : values[samples.count % values.count]
                for word in field.words.prefix(2) {
                    samples.append(plainWords(in: Substring(word)) + [IntentToken(stem: "to", word: "to")] + value)
                }
                // A value alone names its field too: "mark it closed won".
                if case .list = field.type { samples += values.prefix(3) }
            }
            return samples
        default:
            return []
        }
    }

    // MARK: What users type

    /// The tokens of a request.
    func tokens(_ request: String) -> [IntentToken] {
        finish(
            Self.markingExistenceQuestion(
                Self.markingNegations(
                    replacingSynonyms(in: Self.readingIdioms(Self.words(in: Self.withoutAsides(request)))))),
            correctingTypos: true)
    }

    /// Words that open a clause about another moment: "before I call him", "once we close it".
    private static let asideOpeners: Set<String> = ["before", "after", "once", "until", "till", "when", "while"]
    private static let asideSubjects: Set<String> = ["i", "we", "you", "they", "he", "she"]
    /// Events an aside may be about instead of a subject: "before the demo", "after my call", "before lunch".
    private static let asideEvents: Set<String> = [
        "demo", "call", "meeting", "lunch", "standup", "stand-up", "review", "qbr", "presentation", "pitch", "trip",
        "flight", "weekend", "break", "huddle", "sync", "offsite", "onsite", "visit",
    ]
    /// Words that may come between an aside's opener and its event: "before the demo", "after my call".
    private static let asideDeterminers: Set<String> = ["the", "my", "our", "this", "that", "tomorrow's", "today's"]

    /// The request without its clauses about another moment, up to the next comma or the end: "show me
    /// Jacques Dubois before I update it" asks to see, not to update. A request that is nothing else stays whole.
    static func withoutAsides(_ request: String) -> String {
        var result = ""
        var rest = Substring(request)
        while let opener = asideStart(in: rest) {
            result += rest[..<opener]
            let end = rest[opener...].firstIndex(where: { ",.;!?".contains($0) }) ?? rest.endIndex
            rest = rest[end...]
        }
        result += rest
        return result.contains(where: \.isLetter) ? result : request
    }

    /// Where the first aside starts: an opener at a word's start, followed by a subject.
    private static func asideStart(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            let wordStart = index
            while index < text.endIndex, text[index].isLetter { index = text.index(after: index) }
            if wordStart < index, asideOpeners.contains(text[wordStart..<index].lowercased()) {
                let following = text[index...].split(separator: " ", maxSplits: 3).prefix(2).map {
                    $0.lowercased().trimmingCharacters(in: CharacterSet.letters.union(["'", "-"]).inverted)
                }
                if let first = following.first, text[index...].first == " ",
                    asideSubjects.contains(first) && !text[index...].dropFirst().dropFirst(first.count).hasPrefix("'")
                        || asideEvents.contains(first)
                        || asideDeterminers.contains(first) && following.count > 1 && asideEvents.contains(following[1])
                {
                    return wordStart
                }
            }
            if index == wordStart { index = text.index(after: index) }
        }
        return nil
    }

    /// Words and typed values, left to right: values by their kind, words lowercased and stemmed.
    static func words(in text: String) -> [IntentToken] {
        var tokens: [IntentToken] = []
        var cursor = text.startIndex
        for value in typedValues(in: text) {
            tokens += plainWords(in: text[cursor..<value.range.lowerBound])
            tokens += value.tokens.map { IntentToken(kind: $0) }
            cursor = value.range.upperBound
            if text[value.range].hasSuffix("'s") || text[value.range].hasSuffix("\u{2019}s") {
                tokens[tokens.count - 1].possessive = true
            }
            // "Jane Doe's lead": the name is someone's already known, and its "'s" no word.
            let rest = text[cursor...]
            if rest.hasPrefix("'s") || rest.hasPrefix("\u{2019}s"), !tokens.isEmpty,
                rest.dropFirst(2).first.map({ !$0.isLetter && !$0.isNumber }) ?? true
            {
                tokens[tokens.count - 1].possessive = true
                cursor = text.index(cursor, offsetBy: 2)
            }
        }
        return tokens + plainWords(in: text[cursor...])
    }

    /// Typed values in the text, left to right and without overlaps, as the tokens they become.
    static func typedValues(in text: String) -> [(range: Range<String.Index>, tokens: [String])] {
        let calendar = RecognitionCalendar(now: Date(timeIntervalSince1970: 0), timeZone: .gmt)
        func finder(_ type: EntityType) -> EntityRecognizer { EntityRecognizer(type: type, calendar: calendar) }
        var found: [(range: Range<String.Index>, tokens: [String])] = []
        func add(_ matches: [EntityRecognizer.Match], _ tokens: (EntityRecognizer.Match) -> [String]) {
            for match in matches where !found.contains(where: { $0.range.overlaps(match.range) }) {
                found.append((match.range, tokens(match)))
            }
        }
        // The most distinctive kinds first, so a phone is not read as a number.
        add(finder(.email).find(in: text)) { _ in ["#email"] }
        add(finder(.url).find(in: text)) { _ in ["#url"] }
        add(finder(.salesforceID(keyPrefix: nil)).find(in: text)) { match in
            ["#id"] + (RecordKeyPrefix.objectWord(of: match.text).map { [$0] } ?? [])
        }
        add(finder(.phone).find(in: text)) { _ in ["#phone"] }
        // Split once for every reader that goes word by word.
        let words = WordToken.tokens(in: text)
        add(people(in: text, words: words)) { _ in ["#person"] }
        add(dealNames(in: text, words: words)) { _ in [deal] }
        add(finder(.date).find(in: text, tokens: words)) { _ in ["#date"] }
        add(monthNames(among: words)) { _ in ["#date"] }
        add(finder(.amount).find(in: text, tokens: words)) { _ in ["#amount"] }
        add(finder(.percentage).find(in: text, tokens: words)) { _ in ["#number"] }
        add(finder(.number).find(in: text, tokens: words)) { _ in ["#number"] }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// A month said alone is a time as much as a date is: "what closes in february", "deals for dec". "may", "march"
    /// and "mar" are words too, so they count only after a word that introduces a time ("in may", "end of march").
    static func monthNames(among tokens: [WordToken]) -> [EntityRecognizer.Match] {
        return tokens.indices.compactMap { index in
            let word = tokens[index].lower
            guard DateReading.months[word] != nil else { return nil }
            if ["may", "march", "mar"].contains(word),
                index == 0
                    || !["in", "of", "for", "by", "until", "till", "through", "before", "after", "since"].contains(
                        tokens[index - 1].lower)
            {
                return nil
            }
            return EntityRecognizer.Match(value: .string(word), text: String(tokens[index].text), range: tokens[index].range)
        }
    }

    /// Names that start with a known first name ("Jane Doe", "priya raghunathan"): people, not
    /// companies or deals, which tells a lead from an opportunity when nothing else does.
    static func people(in text: String, words: [WordToken]? = nil) -> [EntityRecognizer.Match] {
        // Text without a known first name has no such name; most requests are spared looking for names at all.
        guard (words ?? WordToken.tokens(in: text)).contains(where: { PersonName.firstNames.contains($0.lower) }) else { return [] }
        let calendar = RecognitionCalendar(now: Date(timeIntervalSince1970: 0), timeZone: .gmt)
        return EntityRecognizer(type: .personName(.full), calendar: calendar).findNamesAnywhere(in: text, part: .full).filter { match in
            PersonName.firstNames.contains(match.text.split(separator: " ").first.map { $0.lowercased() } ?? "")
        }
    }

    // MARK: Steps

    /// Words whose "'s" is "is" or "has" ("she's", "what's"), or that time owns ("today's"): no one's record.
    private static let contractedWithS: Set<String> = [
        "it", "he", "she", "that", "what", "there", "here", "who", "where", "how", "let", "this", "one", "everyone",
        "today", "tomorrow", "yesterday", "week", "month", "year", "quarter", "everything", "nothing", "something",
    ]

    /// Lowercased words and their stems, split at anything but letters, digits and apostrophes.
    static func plainWords(in text: Substring) -> [IntentToken] {
        var tokens: [IntentToken] = []
        var current = ""
        // Whether the word being read starts with a capital, and whether a sentence starts with it.
        var capitalized = false
        var allCaps = false
        var sentenceStart =
            text.startIndex == text.base.startIndex
            || text.base[..<text.startIndex].last(where: { !$0.isWhitespace }).map { ".!?".contains($0) } ?? true
        var startsSentence = sentenceStart
        func flush() {
            while current.hasSuffix("'") { current.removeLast() }
            while current.hasPrefix("'") { current.removeFirst() }
            var possessive = false
            if current.hasSuffix("'s") {
                current.removeLast(2)
                possessive = !contractedWithS.contains(current)
            }
            if let spelled = textSpeak[current] { current = spelled }
            if !current.isEmpty {
                var token = IntentToken(stem: Stemmer.stem(current), word: current)
                token.possessive = possessive
                token.capitalizedInSentence = capitalized && !startsSentence
                token.capitalized = capitalized
                token.allCaps = allCaps && current.count > 1
                tokens.append(token)
                sentenceStart = false
            }
            current = ""
        }
        func wordCharacter(upper: Bool, lower: Bool) {
            if current.isEmpty {
                capitalized = upper
                allCaps = true
                startsSentence = sentenceStart
            }
            if lower { allCaps = false }
        }
        if text.isASCII {
            // ASCII, the common case, a byte at a time: no characters to break out, no Unicode properties to look up.
            for byte in text.utf8 {
                let upper = byte.isASCIIUppercase
                let lower = byte.isASCIILowercase
                if upper || lower || byte.isASCIIDigit {
                    wordCharacter(upper: upper, lower: lower)
                    current.unicodeScalars.append(Unicode.Scalar(upper ? byte + 0x20 : byte))
                } else if byte == UInt8(ascii: "'") {
                    if !current.isEmpty { current.append("'") }
                } else {
                    flush()
                    if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") {
                        sentenceStart = true
                    }
                }
            }
            flush()
            return tokens
        }
        for character in text {
            if character.isLetter || character.isNumber {
                wordCharacter(upper: character.isUppercase, lower: character.isLowercase)
                current += character.lowercased()
            } else if character == "'" || character == "’" {
                // An apostrophe before a word is a quotation mark: 'Punta del Este' starts with a capital.
                if !current.isEmpty { current.append("'") }
            } else {
                flush()
                if ".!?".contains(character) { sentenceStart = true }
            }
        }
        flush()
        return tokens
    }

    private func replacingSynonyms(in tokens: [IntentToken]) -> [IntentToken] {
        guard !synonyms.isEmpty else { return tokens }
        var result: [IntentToken] = []
        var index = 0
        let inNames = nameWords(in: tokens)
        next: while index < tokens.count {
            // A name's words are no words of a task: "Punta del Este" holds no "del" for delete, "Húsavík Booking
            // Engine" no "book" for create.
            if inNames.contains(index) {
                result.append(IntentToken(kind: Self.text))
                index += 1
                continue
            }
            for (phrase, meaning) in synonyms[tokens[index].stem] ?? [] where index + phrase.count <= tokens.count {
                if phrase.count == 1, Self.inflectionMeansOtherwise(tokens, at: index, synonym: phrase[0], meaning: meaning) {
                    continue
                }
                if phrase.indices.allSatisfy({ tokens[index + $0].stem == phrase[$0] }) {
                    result += meaning
                    index += phrase.count
                    continue next
                }
            }
            result.append(tokens[index])
            index += 1
        }
        return result
    }

    /// Whether the word at `index`, an inflection of the one-word synonym it stems like, means something else than
    /// the synonym:
    /// - a verb said in the past describes what was done and asks for nothing ("logged under the wrong account" is no
    ///   "log" for create), unless it is wished for ("I want her lead removed");
    /// - a verb made of a record's word is no record: "prospecting deals" are deals in a stage, not leads.
    private static func inflectionMeansOtherwise(
        _ tokens: [IntentToken], at index: Int, synonym: String, meaning: [IntentToken]
    ) -> Bool {
        let word = tokens[index].word
        if word.hasSuffix("ed"), !synonym.hasSuffix("ed") { return !isWishedFor(at: index, in: tokens, within: 6) }
        return word.hasSuffix("ing") && !synonym.hasSuffix("ing")
            && meaning.contains { References.objectWords.contains($0.word) }
    }

    /// Whether one of the `within` words before an inflected verb asks for it to be done: "I want it deleted", "needs
    /// deleting".
    static func isWishedFor(at index: Int, in tokens: [IntentToken], within: Int = 4) -> Bool {
        tokens[max(0, index - within)..<index].contains { askingFor.contains($0.word) }
    }

    /// Words a few before an inflected verb that ask for it to be done.
    private static let askingFor: Set<String> = [
        "want", "wanna", "need", "needs", "get", "like", "should", "must", "please", "pls", "be", "go", "keep", "can", "could",
    ]

    /// The indices of the words that belong to a record's or a place's name rather than to what the request asks:
    /// - a lowercase particle between two capitalized words: "del" in "Punta del Este";
    /// - a synonym capitalized inside a sentence right after another capitalized word: "Booking" in "Húsavík Booking
    ///   Engine";
    /// - lowercase words between a word capitalized inside a sentence and the word for the record, three at most,
    ///   the last a word the bot does not know: "booking engine" in "the Húsavík booking engine opp".
    func nameWords(in tokens: [IntentToken]) -> Set<Int> {
        var words = Set<Int>()
        for index in tokens.indices.dropFirst() where !tokens[index].isKind && tokens[index - 1].capitalized {
            let token = tokens[index]
            // Only a synonym is taken from a capitalized name, since the bot's own words there are often a value: "Closed -
            // Not Converted". Shouted words and the words for records say nothing of names: "DELETE LEAD".
            if token.capitalizedInSentence && !tokens[index - 1].isKind && !token.allCaps && !tokens[index - 1].allCaps
                && synonyms[token.stem] != nil && !References.objectWords.contains(token.word)
            {
                words.insert(index)
            } else if !token.capitalized, index + 1 < tokens.count, tokens[index + 1].capitalized,
                PersonName.particles.contains(token.word)
            {
                words.insert(index)
            }
        }
        for object in tokens.indices where !tokens[object].capitalized && References.objectWords.contains(tokens[object].word) {
            guard
                let name = (max(0, object - 4)..<object).last(where: {
                    tokens[$0].capitalizedInSentence && !tokens[$0].isKind
                }),
                // The name ends in a word of its own: "Figueredo, search leads" asks to search.
                name + 1 < object,
                tokens[object - 1].stem == Self.deal
                    || !knownStems.contains(tokens[object - 1].stem) && synonyms[tokens[object - 1].stem] == nil,
                (name + 1..<object).allSatisfy({
                    !tokens[$0].capitalized && (!tokens[$0].isKind || tokens[$0].stem == Self.deal) && !StopWords.contains(tokens[$0].word)
                        && !References.namesNobody.contains(tokens[$0].word)
                })
            else { continue }
            words.formUnion((name + 1..<object).filter { tokens[$0].stem != Self.deal })
        }
        return words
    }

    /// The token that marks a request opening with a question about whether records exist ("do we have anybody from
    /// Zenith as a lead?", "is there already a deal for Aurora?"). Such a question looks records up; it reads like a
    /// create by its other words ("as a lead", "a deal for"), so the mood is a feature of its own, learned from the
    /// utterances that open the same way.
    static let existenceQuestion = "#exists"

    /// Words a request may open with before its question: "so", "hey", "quick question".
    private static let questionOpeners: Set<String> = [
        "so", "ok", "okay", "hi", "hello", "quick", "question", "um", "uh", "hmm", "and", "also", "oh", "wait", "sorry",
    ]
    /// Who a "do … have" or "have … got" question asks about: "do we have", "have you got".
    private static let questionSubjects: Set<String> = [
        "we", "i", "you", "they", "anyone", "anybody", "someone", "somebody", "salesforce", "crm",
    ]

    /// Marks a request that opens with a question about whether records exist with ``existenceQuestion`` before its
    /// words: "do we (already) have", "is there", "are there", "have we got", "got any".
    static func markingExistenceQuestion(_ tokens: [IntentToken]) -> [IntentToken] {
        guard let start = tokens.firstIndex(where: { !questionOpeners.contains($0.word) && !ignored.contains($0.word) })
        else { return tokens }
        let words = tokens[start...].prefix(4).map(\.word)
        let asks: Bool
        switch words[0] {
        case "do", "does", "did":
            asks = words.count > 2 && questionSubjects.contains(words[1]) && words[2...].contains { $0 == "have" || $0 == "got" }
        case "is", "are": asks = words.count > 1 && words[1] == "there"
        case "have": asks = words.count > 1 && questionSubjects.contains(words[1])
        case "got": asks = words.count > 1 && words[1] == "any"
        default: asks = false
        }
        var result = tokens
        if asks {
            result.insert(IntentToken(kind: existenceQuestion), at: start)
        } else if let check = checkingExistence(tokens) {
            result.insert(IntentToken(kind: existenceQuestion), at: check)
        }
        return result
    }

    /// Words that ask to find something out before "if" or "whether": "check whether", "not sure if".
    private static let checkingWords: Set<String> = ["check", "see", "know", "sure", "verify", "confirm", "wonder", "tell", "find"]

    /// Where a request asks whether records exist further on: "check if we already have one", "see whether there's a
    /// deal for Marisol", "not sure if we have her already", "check whether Kumasi Cocoa Traders has a deal", "check
    /// whether anyone from Sendai is already a lead"; or asks it in a clause of its own: "got a voicemail from
    /// El-Sayed, do we have them as a lead?".
    private static func checkingExistence(_ tokens: [IntentToken]) -> Int? {
        tokens.indices.first { index in
            if ["do", "does", "did"].contains(tokens[index].word), index + 2 < tokens.count,
                questionSubjects.contains(tokens[index + 1].word),
                tokens[(index + 2)...].prefix(2).contains(where: { $0.word == "have" || $0.word == "got" })
            {
                return true
            }
            guard ["if", "whether"].contains(tokens[index].word), index + 1 < tokens.count else { return false }
            let words = tokens[(index + 1)...].prefix(3).map(\.word)
            if words[0] == "there" || words[0] == "there's" { return true }
            if questionSubjects.contains(words[0]) && words.dropFirst().contains(where: { $0 == "have" || $0 == "got" }) {
                return true
            }
            let asked = tokens[max(0, index - 3)..<index].contains { checkingWords.contains($0.word) }
            let clause = tokens[(index + 1)...].prefix(8).map(\.word)
            return asked
                && clause.contains { ["already", "exist", "exists", "existing"].contains($0) || $0 == "has" || $0 == "have" }
        }
    }

    /// Marks the two words after a negation as negated: "don't update anything" is not about updating. Words that only
    /// carry the negation on to a verb do not count: "don't want to make a dupe" is not about making one.
    static func markingNegations(_ tokens: [IntentToken]) -> [IntentToken] {
        var result = tokens
        var remaining = 0
        for index in result.indices {
            let doNot = result[index].word == "not" && Self.notNegates(at: index, in: result)
            // "before I add a new lead for Tidewater, check if we have one": what is to be done later is not asked now.
            let later =
                result[index].word == "before" && index + 1 < result.count
                && ["i", "we", "i'm", "we're"].contains(result[index + 1].word)
            // "only reading, no edits": "no" before a word for a change, where it does not open the request.
            let noChange =
                result[index].word == "no" && index > 0 && index + 1 < result.count
                && Self.changeNouns.contains(result[index + 1].word)
            if negations.contains(result[index].word) || doNot || noChange {
                remaining = 2
            } else if later {
                remaining = 3
            } else if remaining > 0, !ignored.contains(result[index].word) {
                result[index].negated = true
                if !negationCarriers.contains(result[index].word) { remaining -= 1 }
            }
        }
        return result
    }

    /// Whether this "not" negates what follows: after "do" ("do not delete"), before a word that carries a negation on
    /// to a verb ("I'm not going to change anything") or before a verb in "-ing" ("not editing anything"). Elsewhere
    /// "not" is part of a value: "not converted", "not contacted", "not interested".
    private static func notNegates(at index: Int, in tokens: [IntentToken]) -> Bool {
        if index > 0, ["do", "does", "did"].contains(tokens[index - 1].word) { return true }
        guard index + 1 < tokens.count else { return false }
        let next = tokens[index + 1].word
        return negationCarriers.contains(next) || (next.count > 5 && next.hasSuffix("ing") && !progressiveValues.contains(next))
    }

    /// Words for changes that "no" before them negates: "no edits", "no changes".
    private static let changeNouns: Set<String> = [
        "edit", "edits", "change", "changes", "update", "updates", "editing", "changing", "updating", "deletion", "deletions",
    ]

    /// Words in "-ing" that name a state a record's field can be in, so "not working" is no negation of a verb.
    private static let progressiveValues: Set<String> = ["working", "nurturing", "prospecting", "pending", "outstanding"]

    /// Words between a negation and the verb it negates: "don't want to", "never need to", "don't wanna".
    private static let negationCarriers: Set<String> = [
        "want", "wanna", "need", "to", "have", "gonna", "going", "mean", "trying", "planning", "asking", "looking",
    ]

    /// Drops ignored words, fixes typos and masks unknown words, merging runs of `#text`.
    private func finish(_ tokens: [IntentToken], correctingTypos: Bool) -> [IntentToken] {
        var result: [IntentToken] = []
        // The unknown words before a deal's name's ending are the rest of its name, no typos: "speyside cask tracking".
        var inDealName = Set<Int>()
        for end in tokens.indices where tokens[end].stem == Self.deal {
            var index = end - 1
            while index >= 0, !tokens[index].isKind, !knownStems.contains(tokens[index].stem) {
                inDealName.insert(index)
                index -= 1
            }
        }
        // Each name's place among the results, where it starts among the tokens, and whether it is said as one already
        // known: "the Gulf Horizon lead", "the lead Jane Doe", "Callum McAllister's".
        var names: [(result: Int, start: Int, possessive: Bool)] = []
        for (index, var token) in tokens.enumerated() where !Self.ignored.contains(token.word) {
            let possessive = token.possessive
            // "his lead", "her record": someone's already known, and the word whose it is no name.
            if Self.ownedBy.contains(token.word), index + 1 < tokens.count, Self.oneRecord.contains(tokens[index + 1].word) {
                token.known = true
                result.append(token)
                continue
            }
            // A word for another kind of record capitalized after a capitalized word is part of a name: "Rotorua
            // Turbine Service Contract" is a deal, not a contract.
            if correctingTypos, token.capitalizedInSentence, IntentClassifier.foreignObjects.contains(token.word),
                index > 0, tokens[index - 1].capitalized, !tokens[index - 1].isKind
            {
                token = IntentToken(kind: Self.text)
            }
            // Another kind of record, though no task's utterance names it, says what the request is about: "set a
            // reminder to ping Ahmed" is about a reminder. It stays as written.
            if correctingTypos, !token.isKind, !knownStems.contains(token.stem),
                !IntentClassifier.foreignObjects.contains(token.word)
            {
                let negated = token.negated
                if inDealName.contains(index) {
                    token = IntentToken(kind: Self.text)
                } else if !token.capitalizedInSentence, CommonWords.contains(token.word) {
                    // An ordinary word none of the tasks uses says nothing about which one is meant, and it is no
                    // typo of one they use: "then" is not "them".
                    continue
                } else if !token.capitalizedInSentence,
                    let corrected = correction(of: token),
                    !Self.startsAName(token, next: index + 1 < tokens.count ? tokens[index + 1] : nil, corrected: corrected)
                {
                    token = corrected
                } else {
                    token = IntentToken(kind: Self.text)
                }
                token.negated = negated
            }
            // One name is one token, however many words or slots it spans: "{firstName} {lastName}" is "Tom Becker".
            if token.stem == Self.text || token.stem == Self.person, result.last?.stem == token.stem {
                if possessive, names.last?.result == result.count - 1 { names[names.count - 1].possessive = true }
                continue
            }
            if token.stem == Self.text || token.stem == Self.person || token.stem == Self.deal {
                names.append((result.count, index, possessive))
            }
            result.append(token)
        }
        for name in names where Self.isKnown(name, in: tokens, result: result) {
            result[name.result].known = true
        }
        return result
    }

    /// The feature before a name said as one already known: "the Gulf Horizon lead", "the lead Jane Doe", "Callum's
    /// number". A new record is "a lead for Callum"; an existing one is "the" one or someone's.
    static let known = "#the"

    /// The words for one record, which "the" before them or before a name and then them makes one already known.
    static let oneRecord: Set<String> = ["lead", "opportunity", "opp", "oppty", "deal", "record"]
    /// Words for whose record it is, which make it one already known: "his lead".
    private static let ownedBy: Set<String> = ["his", "her", "their", "its"]

    private static func isKnown(
        _ name: (result: Int, start: Int, possessive: Bool), in tokens: [IntentToken], result: [IntentToken]
    ) -> Bool {
        if name.possessive { return true }
        let before = tokens[..<name.start].suffix(2).map(\.word)
        // "the lead Jane Doe"
        if before.count == 2, before[0] == "the", oneRecord.contains(before[1]) { return true }
        // "the Gulf Horizon lead"
        guard before.last == "the", name.result + 1 < result.count else { return false }
        return oneRecord.contains(result[name.result + 1].word)
    }

    /// Whether a capitalized word opening a sentence before another capitalized one is a name rather than a typo of a
    /// word as long: "Mara Okonkwo, head of logistics" is no "mark"; "Updte Acme Q2 Renewal" still says update.
    private static func startsAName(_ token: IntentToken, next: IntentToken?, corrected: IntentToken) -> Bool {
        guard token.capitalized, let next, next.capitalized, !next.isKind else { return false }
        return corrected.word.count == token.word.count
    }

    /// The vocabulary stem this word is a typo of, when exactly one is closest, or the word a
    /// vowel-less abbreviation stands for.
    private func correction(of token: IntentToken) -> IntentToken? {
        guard !token.word.allSatisfy(\.isNumber) else { return nil }
        if let word = closest(to: token.word, among: wordScalars), let stem = words[word] {
            return IntentToken(stem: stem, word: word)
        }
        if let stem = closest(to: token.stem, among: stems) ?? abbreviation(of: token.word) {
            return IntentToken(stem: stem, word: stem)
        }
        return nil
    }

    private func closest(to word: String, among candidates: [Spelling]) -> String? {
        let scalars = word.unicodeScalars.map(\.value)
        let tolerance = EditDistance.tolerance(forLength: scalars.count)
        guard tolerance > 0 else { return nil }
        var best: (word: String, distance: Int)?
        var tied = false
        // Typos seldom touch a word's first letter, and "kill" must not become "will".
        for (candidate, candidateScalars) in candidates
        where abs(candidateScalars.count - scalars.count) <= tolerance && candidateScalars.first == scalars.first {
            guard EditDistance.tolerance(forLength: candidateScalars.count) > 0,
                let distance = EditDistance.distance(scalars, candidateScalars, limit: tolerance)
            else { continue }
            if distance < best?.distance ?? Int.max {
                best = (candidate, distance)
                tied = false
            } else if distance == best?.distance, best?.word != candidate {
                tied = true
            }
        }
        return tied ? nil : best?.word
    }

    /// The stem of the vocabulary word a vowel-less abbreviation stands for: "srch" → search, "shw" → show.
    private func abbreviation(of word: String) -> String? {
        let skeleton = Self.consonants(word)
        guard skeleton.count >= 3, skeleton.count >= word.count - 1 else { return nil }
        let candidates = wordsBySkeleton[skeleton, default: []].filter { $0.count > word.count }
        let matches = Set(candidates.compactMap { words[$0] })
        if matches.count == 1 { return matches.first }
        // "lst" is "list" rather than "last": requests start with what to do.
        let actions = matches.intersection(IntentClassifier.actionWords)
        return actions.count == 1 ? actions.first : nil
    }

    private static func consonants(_ word: String) -> String {
        String(word.filter { !"aeiouy'".contains($0) })
    }
}

/// The standard objects' record id prefixes, so "show me 00Q…" reads as being about a lead.
enum RecordKeyPrefix {
    static let objectWords: [String: String] = [
        "00Q": "lead", "006": "opportunity", "001": "account", "003": "contact", "005": "user", "500": "case",
        "00T": "task", "00U": "event", "701": "campaign",
    ]

    /// The stemmed word for the object a record id belongs to, when it is a standard one.
    static func objectWord(of id: String) -> String? {
        objectWords[String(id.prefix(3))].map(Stemmer.stem)
    }
}
