import Foundation
public import DialogModel

/// Turns a request into the tokens intent classification reads, the same way for training
/// utterances and for what users type.
///
/// Step by step: typed values become their kind ("jane@acme.com" → `#email`, "$50k" → `#amount`,
/// "next Friday" → `#date`, a record id → `#id` and its object's word, "00Q…" → `lead`); words are
/// lowercased and stemmed; synonyms become the word they stand for ("get rid of" → `delete`,
/// "oppty" → `opportunity`); a word the bot's vocabulary lacks becomes the known word it is a typo
/// of ("serch" → `search`), or else `#text`, which is also what a `{slot}` of a training utterance
/// becomes: names and companies are never part of the vocabulary.
struct IntentText: Sendable {
    /// The token for words the vocabulary does not know, and for text slots.
    static let text = "#text"

    /// Synonym phrases as stem sequences, longest first, with the stems they stand for.
    private let synonyms: [(phrase: [String], meaning: [String])]
    /// Every stem the training utterances use, with its scalars for typo matching.
    private(set) var vocabulary: Set<String> = []
    private var vocabularyScalars: [(stem: String, scalars: [UInt32])] = []

    /// Words that never tell one request from another.
    static let ignored: Set<String> = ["a", "an", "the", "please", "pls", "plz", "kindly", "just", "um", "uh", "hey"]

    init(synonyms: [String: [String]]) {
        var phrases: [(phrase: [String], meaning: [String])] = []
        for (word, others) in synonyms {
            let meaning = Self.stems(word)
            guard !meaning.isEmpty else { continue }
            for other in others {
                let phrase = Self.stems(other)
                if !phrase.isEmpty, phrase != meaning { phrases.append((phrase, meaning)) }
            }
        }
        // Longest first, so "get rid of" wins over "get"; ties in a stable order.
        self.synonyms = phrases.sorted { ($0.phrase.count, $0.phrase.joined(separator: " ")) > ($1.phrase.count, $1.phrase.joined(separator: " ")) }
    }

    /// Learns the vocabulary from normalized training tokens.
    mutating func learn(_ tokens: [String]) {
        for token in tokens where !token.hasPrefix("#") && vocabulary.insert(token).inserted {
            vocabularyScalars.append((token, token.unicodeScalars.map(\.value)))
        }
    }

    // MARK: Training utterances

    /// The tokens of a training utterance; each `{slot}` becomes the token of its entity's type.
    func trainingTokens(_ utterance: String, slotTypes: [String: EntityType]) -> [String] {
        var words: [String] = []
        var rest = Substring(utterance)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") else {
                words += Self.words(in: rest)
                break
            }
            words += Self.words(in: rest[..<open])
            let name = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            words.append(Self.token(for: slotTypes[name]))
            rest = rest[rest.index(after: close)...]
        }
        return finish(replacingSynonyms(in: words), correctingTypos: false)
    }

    /// The token a slot of this type stands for in training utterances.
    static func token(for type: EntityType?) -> String {
        switch type {
        case .email: "#email"
        case .url: "#url"
        case .phone: "#phone"
        case .amount: "#amount"
        case .date: "#date"
        case .number, .percentage: "#number"
        case .salesforceID: "#id"
        default: text
        }
    }

    // MARK: What users type

    /// The tokens of a request.
    func tokens(_ request: String) -> [String] {
        var words: [String] = []
        let values = Self.typedValues(in: request)
        var cursor = request.startIndex
        for value in values {
            words += Self.words(in: request[cursor..<value.range.lowerBound])
            words += value.tokens
            cursor = value.range.upperBound
        }
        words += Self.words(in: request[cursor...])
        return finish(replacingSynonyms(in: words), correctingTypos: true)
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
        add(finder(.date).find(in: text)) { _ in ["#date"] }
        add(finder(.amount).find(in: text)) { _ in ["#amount"] }
        add(finder(.percentage).find(in: text)) { _ in ["#number"] }
        add(finder(.number).find(in: text)) { _ in ["#number"] }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    // MARK: Steps

    /// Lowercased stems of the words, split at anything but letters, digits and apostrophes.
    static func words(in text: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        func flush() {
            while current.hasSuffix("'") { current.removeLast() }
            while current.hasPrefix("'") { current.removeFirst() }
            if current.hasSuffix("'s") { current.removeLast(2) }
            if !current.isEmpty { words.append(Stemmer.stem(current)) }
            current = ""
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == "'" || character == "’" {
                current.append("'")
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    static func stems(_ phrase: String) -> [String] {
        words(in: Substring(phrase))
    }

    private func replacingSynonyms(in words: [String]) -> [String] {
        guard !synonyms.isEmpty else { return words }
        var result: [String] = []
        var index = 0
        next: while index < words.count {
            for (phrase, meaning) in synonyms where index + phrase.count <= words.count {
                if words[index..<index + phrase.count].elementsEqual(phrase) {
                    result += meaning
                    index += phrase.count
                    continue next
                }
            }
            result.append(words[index])
            index += 1
        }
        return result
    }

    /// Drops ignored words, fixes typos and masks unknown words, merging runs of `#text`.
    private func finish(_ words: [String], correctingTypos: Bool) -> [String] {
        var result: [String] = []
        for word in words where !Self.ignored.contains(word) {
            var token = word
            if correctingTypos, !word.hasPrefix("#"), !vocabulary.contains(word) {
                token = correction(of: word) ?? Self.text
            }
            if token == Self.text, result.last == Self.text { continue }
            result.append(token)
        }
        return result
    }

    /// The vocabulary stem this word is a typo of, when exactly one is closest.
    private func correction(of word: String) -> String? {
        let scalars = word.unicodeScalars.map(\.value)
        let tolerance = EditDistance.tolerance(forLength: scalars.count)
        guard tolerance > 0, !word.allSatisfy(\.isNumber) else { return nil }
        var best: (stem: String, distance: Int)?
        var tied = false
        for (stem, candidate) in vocabularyScalars where abs(candidate.count - scalars.count) <= tolerance {
            guard EditDistance.tolerance(forLength: candidate.count) > 0,
                let distance = EditDistance.distance(scalars, candidate, limit: tolerance)
            else { continue }
            if distance < best?.distance ?? Int.max {
                best = (stem, distance)
                tied = false
            } else if distance == best?.distance {
                tied = true
            }
        }
        return tied ? nil : best?.stem
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
