/// Finds what a developer probably meant when a name is misspelled.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance, ignoring case, when it is close enough to
    /// be a likely typo; `nil` otherwise.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let target = word.lowercased()
        let limit = limit(forLength: target.count)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            guard let distance = EditDistance.distance(target, candidate.lowercased(), limit: limit) else { continue }
            if let best, best.distance <= distance { continue }
            best = (candidate, distance)
        }
        return best?.candidate
    }

    /// How many edits a misspelling of this length may hold: about one in three characters, so "sucess" finds
    /// "success" but "foo" finds nothing.
    static func limit(forLength length: Int) -> Int {
        length < 3 ? 0 : max(1, min(3, length / 3))
    }
}
