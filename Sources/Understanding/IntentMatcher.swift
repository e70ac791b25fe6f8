public import DialogModel

/// Picks the intent an utterance asks for, from the intents' training utterances.
///
/// Matching compares meaningful words: stop words are dropped, words are stemmed ("creating",
/// "leads"), typos within a small edit distance count as the word, word order does not matter,
/// and `{slot}` placeholders stand for any words. Words that few intents use weigh more, so
/// "create a lead" and "delete a lead" stay apart. All per-intent work is done in `init`.
public struct IntentMatcher: Sendable {
    /// An utterance needs at least this score to match.
    public static let threshold = 0.6
    /// Intents scoring within this margin of the best are ambiguous with it.
    public static let ambiguityMargin = 0.05

    private struct Utterance: Sendable {
        var intent: Int
        /// Indexes into the vocabulary, distinct.
        var words: [Int]
        var totalWeight: Double
        var hasSlots: Bool
    }

    private let intentNames: [String]
    private let utterances: [Utterance]
    /// Every stem the training utterances use, and its weight.
    private let vocabulary: [String: Int]
    private let vocabularyScalars: [[UInt32]]
    private let weights: [Double]

    public init(intents: [IntentSpec]) {
        intentNames = intents.map(\.name)
        var vocabulary: [String: Int] = [:]
        var intentsUsing: [Set<Int>] = []
        var parsed: [(intent: Int, words: [Int], hasSlots: Bool)] = []
        for (intentIndex, intent) in intents.enumerated() {
            for text in intent.utterances {
                let (words, hasSlots) = Self.meaningfulWords(in: text)
                var ids: [Int] = []
                for word in words {
                    let id: Int
                    if let known = vocabulary[word] {
                        id = known
                    } else {
                        id = vocabulary.count
                        vocabulary[word] = id
                        intentsUsing.append([])
                    }
                    intentsUsing[id].insert(intentIndex)
                    if !ids.contains(id) { ids.append(id) }
                }
                if !ids.isEmpty { parsed.append((intentIndex, ids, hasSlots)) }
            }
        }
        // Inverse document frequency over intents: a word every intent uses tells little.
        let intentCount = Double(max(intents.count, 1))
        let weights = intentsUsing.map { (intentCount / Double(max($0.count, 1))).squareRoot() }
        self.vocabulary = vocabulary
        var scalars = [[UInt32]](repeating: [], count: vocabulary.count)
        for (word, id) in vocabulary { scalars[id] = word.unicodeScalars.map(\.value) }
        vocabularyScalars = scalars
        self.weights = weights
        utterances = parsed.map { entry in
            Utterance(
                intent: entry.intent, words: entry.words, totalWeight: entry.words.reduce(0) { $0 + weights[$1] },
                hasSlots: entry.hasSlots)
        }
    }

    /// The intent the text asks for.
    public func match(_ text: String) -> IntentMatch {
        let scores = intentScores(text)
        var ranked: [(intent: Int, score: Double)] = []
        for (intent, score) in scores.enumerated() where score >= Self.threshold { ranked.append((intent, score)) }
        ranked.sort { ($0.score, -$0.intent) > ($1.score, -$1.intent) }
        guard let best = ranked.first else { return .none }
        let close = ranked.prefix { best.score - $0.score <= Self.ambiguityMargin }
        if close.count > 1 { return .ambiguous(close.map { intentNames[$0.intent] }) }
        return .matched(name: intentNames[best.intent], score: best.score)
    }

    /// Every intent's score for the text, best first, for debugging traces.
    public func scores(_ text: String) -> [(name: String, score: Double)] {
        intentScores(text).enumerated().map { (intentNames[$0.offset], $0.element) }.sorted { $0.1 > $1.1 }
    }

    /// How well the text fits one training utterance, from 0 to 1.
    public func score(_ text: String, against utterance: String) -> Double {
        Self(intents: [IntentSpec(name: "", utterances: [utterance])]).intentScores(text).first ?? 0
    }

    private func intentScores(_ text: String) -> [Double] {
        var scores = [Double](repeating: 0, count: intentNames.count)
        let (words, _) = Self.meaningfulWords(in: text)
        guard !words.isEmpty else { return scores }
        // For each word of the text, the vocabulary words it stands for and how surely.
        var similarity = [Double](repeating: 0, count: vocabulary.count)
        var matchedIDs: [[Int]] = []
        matchedIDs.reserveCapacity(words.count)
        for word in words {
            var ids: [Int] = []
            if let id = vocabulary[word] {
                similarity[id] = 1
                ids.append(id)
            } else {
                let scalars = word.unicodeScalars.map(\.value)
                let tolerance = EditDistance.tolerance(forLength: scalars.count)
                if tolerance > 0 {
                    for (id, candidate) in vocabularyScalars.enumerated()
                    where abs(candidate.count - scalars.count) <= tolerance
                        && EditDistance.tolerance(forLength: candidate.count) > 0
                    {
                        guard let distance = EditDistance.distance(scalars, candidate, limit: tolerance) else {
                            continue
                        }
                        similarity[id] = max(similarity[id], distance == 1 ? 0.85 : 0.7)
                        ids.append(id)
                    }
                }
            }
            matchedIDs.append(ids)
        }
        for utterance in utterances {
            var covered = 0.0
            for id in utterance.words { covered += weights[id] * similarity[id] }
            let coverage = covered / utterance.totalWeight
            // Words of the text this utterance does not use count against it, less so when its
            // slots may hold them; words other intents use always count in full.
            var penalty = 0.0
            for ids in matchedIDs where !ids.contains(where: utterance.words.contains) {
                penalty += ids.isEmpty && utterance.hasSlots ? 0.1 : 0.3
            }
            let score = coverage * (1 - penalty / Double(words.count))
            if score > scores[utterance.intent] { scores[utterance.intent] = score }
        }
        return scores
    }

    /// Stemmed words that are not stop words, and whether the text holds `{slot}` placeholders.
    static func meaningfulWords(in text: String) -> (words: [String], hasSlots: Bool) {
        var words: [String] = []
        var hasSlots = false
        // UTF-8 bytes of the current word, lowercased; a byte buffer keeps this allocation-light.
        var current: [UInt8] = []
        current.reserveCapacity(32)
        var inSlot = false
        func flush() {
            while current.last == UInt8(ascii: "'") { current.removeLast() }
            guard !current.isEmpty else { return }
            let word = String(decoding: current, as: UTF8.self)
            current.removeAll(keepingCapacity: true)
            guard !StopWords.contains(word) else { return }
            let stem = Stemmer.stem(word)
            if !words.contains(stem) { words.append(stem) }
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if scalar == "{" {
                flush()
                inSlot = true
                hasSlots = true
            } else if scalar == "}" {
                inSlot = false
            } else if inSlot {
                continue
            } else if value < 128 {
                // The common case, without Unicode property lookups.
                if value >= 65, value <= 90 {
                    current.append(UInt8(value + 32))
                } else if (value >= 97 && value <= 122) || (value >= 48 && value <= 57) {
                    current.append(UInt8(value))
                } else if value == 39, !current.isEmpty {
                    current.append(UInt8(value))
                } else {
                    flush()
                }
            } else if scalar == "’" {
                if !current.isEmpty { current.append(UInt8(ascii: "'")) }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    current.append(contentsOf: UTF8.encode(lower).map { Array($0) } ?? [])
                }
            } else {
                flush()
            }
        }
        flush()
        return (words, hasSlots)
    }
}
