import DialogModel
import Foundation
import Synchronization

/// Matches what people say against the items of a list: by value, display name and synonyms,
/// without regard to case or accents, forgiving typos and accepting word prefixes ("neg" for
/// "Negotiation/Review").
struct ListMatcher: Sendable {
    /// How well an answer fits an item, from 0 to 1.
    struct Candidate: Hashable {
        var index: Int
        var score: Double
    }

    private struct Phrase: Sendable {
        var itemIndex: Int
        var words: [String]
        var joined: String
        /// Each word's Unicode scalars, for forgiving typos without converting the word again for every answer.
        var scalars: [[UInt32]]
    }

    /// Scores below this are no match at all.
    static let threshold = 0.7
    /// Candidates this close to the best one make the answer ambiguous.
    static let ambiguityMargin = 0.05

    /// What each way of fitting an item scores; the best way an answer fits counts.
    enum Score {
        /// The item's words, as written.
        static let sameWords = 1.0
        /// The item's letters with other spacing ("closedwon").
        static let sameLetters = 0.98
        /// A typo within the tolerance, less for each edit.
        static let typo = 0.95
        static let perEdit = 0.1
        /// Word prefixes in order, more the more of the item is typed.
        static let prefixes = 0.8
        static let prefixesTypedShare = 0.1
        /// The item named inside a longer answer.
        static let namedInside = 0.85
        /// Some of the item's words, in any order.
        static let someWords = 0.75
    }

    let items: [ListItem]
    private let phrases: [Phrase]

    /// Matchers already made, by their items: a bot's lists are read on every turn, and splitting every item's words
    /// again each time cost more than the matching. Lists made from records (`valuesFrom`) come and go, so the cache
    /// is emptied when it holds `cacheLimit` lists.
    private static let cache = Mutex<[[ListItem]: ListMatcher]>([:])
    static let cacheLimit = 128

    /// The matcher for `items`, made once while it is in use.
    static func matching(_ items: [ListItem]) -> ListMatcher {
        if let cached = cache.withLock({ $0[items] }) { return cached }
        let matcher = ListMatcher(items: items)
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[items] = matcher
        }
        return matcher
    }

    init(items: [ListItem]) {
        self.items = items
        var phrases: [Phrase] = []
        for (index, item) in items.enumerated() {
            var seen = Set<[String]>()
            for text in [item.value, item.display] + item.synonyms {
                let words = Self.words(in: text).map(\.word)
                guard !words.isEmpty, seen.insert(words).inserted else { continue }
                phrases.append(
                    Phrase(
                        itemIndex: index, words: words, joined: words.joined(),
                        scalars: words.map { $0.unicodeScalars.map(\.value) }))
            }
        }
        self.phrases = phrases
    }

    /// The items the answer may mean, best first; only those within the ambiguity margin of the best.
    func bestCandidates(for answer: String) -> [Candidate] {
        let answerWords = Self.words(in: answer).map(\.word)
        guard !answerWords.isEmpty else { return [] }
        var best: [Int: Double] = [:]
        for phrase in phrases {
            let score = Self.score(answerWords, against: phrase)
            if score > (best[phrase.itemIndex] ?? 0) { best[phrase.itemIndex] = score }
        }
        let ranked = best.filter { $0.value >= Self.threshold }
            .map { Candidate(index: $0.key, score: $0.value) }
            .sorted { ($0.score, -$0.index) > ($1.score, -$1.index) }
        guard let top = ranked.first else { return [] }
        // An exact match is never ambiguous with a fuzzy one.
        if top.score == 1 { return ranked.filter { $0.score == 1 } }
        return ranked.filter { top.score - $0.score <= Self.ambiguityMargin }
    }

    /// Items named in free text, each with the words that named it, left to right.
    func occurrences(in utterance: String) -> [(index: Int, range: Range<String.Index>)] {
        let words = Self.words(in: utterance)
        let lowered = words.map(\.word)
        let scalars = lowered.map { $0.unicodeScalars.map(\.value) }
        var found: [(index: Int, start: Int, end: Int, quality: Int)] = []
        for phrase in phrases {
            let count = phrase.words.count
            guard count <= lowered.count else { continue }
            for start in 0...(lowered.count - count) {
                var exact = true
                var fits = true
                for offset in 0..<count {
                    let word = scalars[start + offset]
                    let target = phrase.scalars[offset]
                    if word == target { continue }
                    exact = false
                    // Typos only in words long enough that they cannot be another word, and never a
                    // word's other number: "need" is not the stage "Needs Analysis".
                    let tolerance = target.count >= 5 ? EditDistance.tolerance(forLength: target.count) : 0
                    if tolerance == 0 || abs(word.count - target.count) > tolerance
                        || Self.isOtherNumber(word, of: target)
                        || EditDistance.distance(word, target, limit: tolerance) == nil
                    {
                        fits = false
                        break
                    }
                }
                if fits { found.append((phrase.itemIndex, start, start + count, count * 2 + (exact ? 1 : 0))) }
            }
        }
        // Longer and exact phrases first; then keep those that do not overlap a better one.
        found.sort { ($0.quality, -$0.start) > ($1.quality, -$1.start) }
        var taken = [Bool](repeating: false, count: words.count)
        var result: [(index: Int, start: Int, end: Int)] = []
        for candidate in found where !taken[candidate.start..<candidate.end].contains(true) {
            for position in candidate.start..<candidate.end { taken[position] = true }
            result.append((candidate.index, candidate.start, candidate.end))
        }
        return result.sorted { $0.start < $1.start }.map { match in
            // "leads nobody has contacted yet": an item said negated is the item that is its negation, when the list
            // has one ("Open - Not Contacted" for "not contacted" against "Working - Contacted").
            if let negation = Self.negation(before: match.start, in: lowered),
                let opposite = negatedItem(of: match.index, said: Array(lowered[match.start..<match.end]))
            {
                return (opposite, words[negation].range.lowerBound..<words[match.end - 1].range.upperBound)
            }
            return (match.index, words[match.start].range.lowerBound..<words[match.end - 1].range.upperBound)
        }
    }

    /// Whether one word is the other with an "s" added: "need" and "needs".
    private static func isOtherNumber(_ word: [UInt32], of target: [UInt32]) -> Bool {
        let s = UInt32(("s" as Unicode.Scalar).value)
        if word.count == target.count + 1 { return word.last == s && word.starts(with: target) }
        if target.count == word.count + 1 { return target.last == s && target.starts(with: word) }
        return false
    }

    /// The item with a "not …" phrase whose rest is what was said of another item: "not contacted" for "contacted".
    private func negatedItem(of index: Int, said: [String]) -> Int? {
        let ways = Set(phrases.filter { $0.itemIndex == index }.map(\.words) + [said])
        return phrases.first { phrase in
            phrase.itemIndex != index && phrase.words.first == "not" && ways.contains(Array(phrase.words.dropFirst()))
        }?.itemIndex
    }

    /// Where a negation stands just before the word at `start`, with nothing between but words such as "has" or
    /// "yet": "haven't contacted" (read as "haven", "t"), "nobody has contacted", "not yet converted".
    static func negation(before start: Int, in words: [String]) -> Int? {
        var index = start - 1
        while index >= 0, start - index <= 4 {
            let word = words[index]
            if negations.contains(word) { return index }
            if word == "t", index > 0, words[index - 1].hasSuffix("n") { return index - 1 }
            guard negationBridges.contains(word) else { return nil }
            index -= 1
        }
        return nil
    }

    private static let negations: Set<String> = [
        "not", "never", "no", "nobody", "without", "havent", "hasnt", "hadnt", "arent", "isnt", "wasnt", "werent", "didnt",
        "dont", "doesnt", "cant", "wont", "nor",
    ]
    private static let negationBridges: Set<String> = [
        "has", "have", "had", "been", "be", "yet", "ever", "even", "one", "really", "actually", "still",
    ]

    private static func score(_ answer: [String], against phrase: Phrase) -> Double {
        if answer == phrase.words { return Score.sameWords }
        let joined = answer.joined()
        if joined == phrase.joined { return Score.sameLetters }
        var best = 0.0
        let tolerance = EditDistance.tolerance(forLength: phrase.joined.count)
        if tolerance > 0, let distance = EditDistance.distance(joined, phrase.joined, limit: tolerance) {
            best = max(best, Score.typo - Score.perEdit * Double(distance))
        }
        // Word prefixes in order: "neg" → "negotiation review", "closed w" → "closed won".
        if joined.count >= 2, answer.count <= phrase.words.count,
            zip(answer, phrase.words).allSatisfy({ $1.hasPrefix($0) })
        {
            best = max(best, Score.prefixes + Score.prefixesTypedShare * Double(joined.count) / Double(max(phrase.joined.count, 1)))
        }
        // The item named inside a longer answer: "I'd say negotiation".
        if phrase.joined.count >= 3, answer.count > phrase.words.count,
            (0...(answer.count - phrase.words.count)).contains(where: {
                Array(answer[$0..<$0 + phrase.words.count]) == phrase.words
            })
        {
            best = max(best, Score.namedInside)
        }
        // Some of the item's words, in any order: "review" → "negotiation review", "the rollout one"
        // → "Umbrella Rollout (Qualification, $90,000)".
        let content = answer.filter { !Self.fillers.contains($0) }
        if !content.isEmpty, content.allSatisfy({ word in word.count >= 3 && phrase.words.contains(word) }) {
            best = max(best, Score.someWords)
        }
        return best
    }

    /// Words around a choice that do not name it: "the rollout one", "I mean the pilot".
    static let fillers: Set<String> = [
        "the", "a", "an", "one", "ones", "that", "this", "i", "mean", "meant", "want", "please", "pick", "take", "choose",
        "it", "its", "is", "s", "with", "thanks", "go", "for", "oh", "um", "uh",
    ]

    /// Lowercased words of letters and digits, accents removed, with where each stands.
    static func words(in text: String) -> [(word: String, range: Range<String.Index>)] {
        var result: [(word: String, range: Range<String.Index>)] = []
        var start: String.Index?
        var index = text.startIndex
        let ascii = text.isASCII
        func close(at end: String.Index) {
            guard let begin = start else { return }
            let written = text[begin..<end]
            // Most words are plain ASCII, which has no accents to fold.
            let word =
                ascii || written.isASCII
                ? written.lowercased()
                : written.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
            result.append((word, begin..<end))
            start = nil
        }
        if ascii {
            // ASCII, the common case, a byte at a time: no characters to break out, no Unicode properties to look up.
            let bytes = text.utf8
            var index = bytes.startIndex
            while index < bytes.endIndex {
                if bytes[index].isASCIILetter || bytes[index].isASCIIDigit {
                    if start == nil { start = index }
                } else {
                    close(at: index)
                }
                bytes.formIndex(after: &index)
            }
            close(at: text.endIndex)
            return result
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isLetter || character.isNumber {
                if start == nil { start = index }
            } else {
                close(at: index)
            }
            index = text.index(after: index)
        }
        close(at: text.endIndex)
        return result
    }
}
