/// Edit distances between words, for typo-tolerant matching.
enum EditDistance {
    /// The optimal string alignment distance (insertions, deletions, substitutions and swaps of
    /// neighbours each cost 1), or `nil` when it exceeds `limit`.
    static func distance<C: Collection>(_ a: C, _ b: C, limit: Int) -> Int?
    where C.Element: Equatable {
        let a = Array(a)
        let b = Array(b)
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty { return b.count <= limit ? b.count : nil }
        if b.isEmpty { return a.count <= limit ? a.count : nil }
        let width = b.count + 1
        var previousPrevious = [Int](repeating: 0, count: width)
        var previous = Array(0..<width)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            // Every later row is at least this row's minimum, so the limit is already exceeded.
            if rowMinimum > limit { return nil }
            swap(&previousPrevious, &previous)
            swap(&previous, &current)
        }
        let result = previous[b.count]
        return result <= limit ? result : nil
    }

    /// How many typos a word of this length may hold and still count as the same word.
    static func tolerance(forLength length: Int) -> Int {
        switch length {
        case ..<4: 0
        case 4...7: 1
        case 8...12: 2
        default: 3
        }
    }
}
