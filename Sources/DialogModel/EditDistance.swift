/// Edit distances between words: for typo-tolerant matching of what users type, and for "did you mean".
public enum EditDistance {
    /// The optimal string alignment distance (insertions, deletions, substitutions and swaps of
    /// neighbours each cost 1), or `nil` when it exceeds `limit`.
    public static func distance(_ a: String, _ b: String, limit: Int) -> Int? {
        distance(a.unicodeScalars.map(\.value), b.unicodeScalars.map(\.value), limit: limit)
    }

    /// The distance between two words given as Unicode scalar values.
    public static func distance(_ a: [UInt32], _ b: [UInt32], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let width = b.count + 1
        // Three rows in one buffer: two rows back (for swaps), the previous row and the current one.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: width * 3) { buffer in
            var rowBeforePrevious = 0
            var previousRow = width
            var currentRow = width * 2
            for j in 0..<width {
                buffer[previousRow + j] = j
                buffer[rowBeforePrevious + j] = 0
            }
            for i in 1...a.count {
                buffer[currentRow] = i
                var rowMinimum = i
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var value = min(buffer[previousRow + j] + 1, buffer[currentRow + j - 1] + 1, buffer[previousRow + j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        value = min(value, buffer[rowBeforePrevious + j - 2] + 1)
                    }
                    buffer[currentRow + j] = value
                    rowMinimum = min(rowMinimum, value)
                }
                // Every later row is at least this row's minimum, so the limit is already exceeded.
                if rowMinimum > limit { return nil }
                (rowBeforePrevious, previousRow, currentRow) = (previousRow, currentRow, rowBeforePrevious)
            }
            let result = buffer[previousRow + b.count]
            return result <= limit ? result : nil
        }
    }

    /// How many typos a word of this length may hold and still count as the same word.
    public static func tolerance(forLength length: Int) -> Int {
        switch length {
        case ..<4: 0
        case 4...7: 1
        case 8...12: 2
        default: 3
        }
    }
}
