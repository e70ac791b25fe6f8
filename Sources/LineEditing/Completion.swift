/// Tab completion: which word is being completed and what replaces it.
struct Completion: Equatable {
    /// The word before the cursor, the part the candidates complete.
    let word: String
    /// The text that replaces `word` in the line.
    let replacement: String
    /// The candidates to list below the prompt; empty when there is nothing to list.
    let listing: [String]

    /// Decides what Tab does for the text before the cursor and the completer's candidates, or nil for nothing.
    ///
    /// One candidate replaces the word and adds a space. Several replace it with
    /// their longest common prefix (when that extends the word) and are listed.
    init?(textBeforeCursor: String, candidates: [String]) {
        var unique: [String] = []
        for candidate in candidates where !unique.contains(candidate) {
            unique.append(candidate)
        }
        guard !unique.isEmpty else { return nil }
        let word = String(textBeforeCursor.reversed().prefix { !$0.isWhitespace }.reversed())
        self.word = word
        if unique.count == 1 {
            replacement = unique[0] + " "
            listing = []
            return
        }
        let prefix = Completion.commonPrefix(of: unique)
        replacement = prefix.count > word.count && prefix.hasPrefix(word) ? prefix : word
        listing = unique
    }

    /// The longest prefix, in characters, that all strings share.
    static func commonPrefix(of strings: [String]) -> String {
        guard var prefix = strings.first.map(Array.init) else { return "" }
        for string in strings.dropFirst() {
            let characters = Array(string)
            let shared = zip(prefix, characters).prefix { $0 == $1 }.count
            prefix = Array(prefix.prefix(shared))
        }
        return String(prefix)
    }

    /// Lays candidates out in columns that fit `width`, row by row, each line ending in a newline.
    static func columns(_ candidates: [String], width: Int) -> String {
        let cellWidth = (candidates.map(\.count).max() ?? 0) + 2
        let perRow = max(1, (width > 0 ? width : 80) / cellWidth)
        var text = ""
        for start in stride(from: 0, to: candidates.count, by: perRow) {
            let row = candidates[start..<min(start + perRow, candidates.count)]
            let cells = row.enumerated().map { index, candidate in
                index == row.count - 1 ? candidate : candidate + String(repeating: " ", count: cellWidth - candidate.count)
            }
            text += cells.joined() + "\n"
        }
        return text
    }
}
