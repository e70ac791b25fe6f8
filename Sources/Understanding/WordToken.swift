import ParleyJSON

/// A word of an utterance, with where it stands in the original text.
struct WordToken: Sendable, Hashable {
    /// The word as written, without surrounding quotes, brackets or sentence punctuation.
    var text: Substring
    /// The word lowercased, for comparisons.
    var lower: String
    /// Where the word stands in the original text.
    var range: Range<String.Index>

    /// Whether the token is a dash, a bar, a slash or an arrow standing alone, which separates phrases, or fields
    /// pasted from a list: "at the expo - Dana Whitfield", "Lorenzo Gatti | Apuan Marble Quarries", "callum
    /// mcallister / ops director".
    var isSeparator: Bool { !text.isEmpty && text.allSatisfy { "-–—|/\\•·→←".contains($0) } }

    /// Splits text on whitespace and trims the punctuation that surrounds words in sentences.
    ///
    /// Symbols that belong to values are kept: `$50k`, `60%`, `12/31/2026`, `o'neil`.
    static func tokens(in text: String) -> [WordToken] {
        if text.isASCII { return asciiTokens(in: text) }
        var tokens: [WordToken] = []
        var index = text.startIndex
        while index < text.endIndex {
            while index < text.endIndex, isWhitespace(text[index]) { index = text.index(after: index) }
            guard index < text.endIndex else { break }
            var end = index
            while end < text.endIndex, !isWhitespace(text[end]) { end = text.index(after: end) }
            var lower = index
            var upper = end
            while lower < upper, isLeadingPunctuation(text[lower]) { lower = text.index(after: lower) }
            while lower < upper, isTrailingPunctuation(text[text.index(before: upper)]) {
                upper = text.index(before: upper)
            }
            if lower < upper {
                let word = text[lower..<upper]
                tokens.append(WordToken(text: word, lower: word.lowercased(), range: lower..<upper))
            }
            index = end
        }
        return tokens
    }

    /// ``tokens(in:)`` for text that is all ASCII, the common case, where every byte is a character: read byte by
    /// byte, without breaking the text into characters.
    private static func asciiTokens(in text: String) -> [WordToken] {
        var tokens: [WordToken] = []
        let bytes = text.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex {
            while index < bytes.endIndex, isWhitespace(ascii: bytes[index]) { bytes.formIndex(after: &index) }
            guard index < bytes.endIndex else { break }
            var end = index
            while end < bytes.endIndex, !isWhitespace(ascii: bytes[end]) { bytes.formIndex(after: &end) }
            var lower = index
            var upper = end
            while lower < upper, isLeadingPunctuation(ascii: bytes[lower]) { bytes.formIndex(after: &lower) }
            while lower < upper, isTrailingPunctuation(ascii: bytes[bytes.index(before: upper)]) {
                bytes.formIndex(before: &upper)
            }
            if lower < upper {
                let word = text[lower..<upper]
                tokens.append(WordToken(text: word, lower: word.lowercased(), range: lower..<upper))
            }
            index = end
        }
        return tokens
    }

    // Every utterance is split several times a turn; ASCII, the common case, is answered without
    // Unicode property lookups or hashing a Character.

    private static func isWhitespace(ascii: UInt8) -> Bool { ascii == 0x20 || (0x09...0x0D).contains(ascii) }

    private static func isWhitespace(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return character.isWhitespace }
        return ascii == 0x20 || (0x09...0x0D).contains(ascii)
    }

    private static func isLeadingPunctuation(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return leadingPunctuation.contains(character) }
        return isLeadingPunctuation(ascii: ascii)
    }

    private static func isLeadingPunctuation(ascii: UInt8) -> Bool {
        switch ascii {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""), UInt8(ascii: "'"),
            UInt8(ascii: "<"), UInt8(ascii: "*"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    private static func isTrailingPunctuation(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return trailingPunctuation.contains(character) }
        return isTrailingPunctuation(ascii: ascii)
    }

    private static func isTrailingPunctuation(ascii: UInt8) -> Bool {
        switch ascii {
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: "'"),
            UInt8(ascii: ">"), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: ";"), UInt8(ascii: ":"),
            UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    private static let leadingPunctuation: Set<Character> = ["(", "[", "{", "\"", "'", "“", "‘", "«", "<", "*", "_"]
    private static let trailingPunctuation: Set<Character> = [
        ")", "]", "}", "\"", "'", "”", "’", "»", ">", ",", ".", ";", ":", "!", "?", "*", "_", "…",
    ]
}

extension Array where Element == WordToken {
    /// The original text from the first to the last of `tokens[range]`.
    func text(of range: Range<Int>, in source: String) -> Substring {
        guard !range.isEmpty else { return "" }
        return source[self[range.lowerBound].range.lowerBound..<self[range.upperBound - 1].range.upperBound]
    }

    /// Whether punctuation that separates phrases (a comma, a period, a semicolon, a dash between words) stands between
    /// two tokens: "at the expo - Dana Whitfield". A hyphen inside a word ("Gallagher-Byrne") is part of its token.
    func punctuation(between first: Int, and second: Int, in source: String) -> Bool {
        self[first].isSeparator || self[second].isSeparator
            || source[self[first].range.upperBound..<self[second].range.lowerBound].contains { ",.;:!?()-–—".contains($0) }
    }

    /// The tokens that `range` of the original text covers, from the first that starts in it to the last that ends in it.
    func span(of range: Range<String.Index>) -> Range<Int>? {
        guard let first = firstIndex(where: { $0.range.lowerBound >= range.lowerBound }),
            let last = lastIndex(where: { $0.range.upperBound <= range.upperBound }), first <= last
        else { return nil }
        return first..<(last + 1)
    }

    /// The words of `tokens[range]` as a value found where they stand, its text as written; `withoutPossessive`
    /// drops a trailing "'s" from the value ("Tom Becker's" → "Tom Becker"), not from its range.
    func match(of range: Range<Int>, in source: String, withoutPossessive: Bool = false) -> EntityRecognizer.Match {
        let written = String(text(of: range, in: source))
        let text = withoutPossessive ? References.withoutPossessive(written) : written
        return EntityRecognizer.Match(value: .string(text), text: text, range: sourceRange(of: range))
    }

    /// The original range from the first to the last of `tokens[range]`.
    func sourceRange(of range: Range<Int>) -> Range<String.Index> {
        self[range.lowerBound].range.lowerBound..<self[range.upperBound - 1].range.upperBound
    }
}
