/// A light English stemmer: enough to make "creating", "created" and "creates" one word.
///
/// It only has to map inflections of the same word together; the stems need not be words
/// ("create" → "creat"). Both sides of every comparison go through it.
enum Stemmer {
    static func stem(_ word: String) -> String {
        var chars = Array(word.lowercased().unicodeScalars)
        guard chars.count > 3 else { return word.lowercased() }
        if chars.last == "'" || chars.last == "’" { chars.removeLast() }
        if ends(chars, "'s") || ends(chars, "’s") { chars.removeLast(2) }
        if ends(chars, "ies"), chars.count > 4 {
            chars.removeLast(3)
            chars.append("y")
        } else if ends(chars, "ied"), chars.count > 4 {
            chars.removeLast(3)
            chars.append("y")
        } else if ends(chars, "sses") || ends(chars, "shes") || ends(chars, "ches") || ends(chars, "xes") {
            chars.removeLast(2)
        } else if ends(chars, "ing"), hasVowel(chars.dropLast(3)), chars.count - 3 >= 3 {
            chars.removeLast(3)
            undouble(&chars)
        } else if ends(chars, "ed"), hasVowel(chars.dropLast(2)), chars.count - 2 >= 3 {
            chars.removeLast(2)
            undouble(&chars)
        } else if ends(chars, "s"), !ends(chars, "ss"), !ends(chars, "us"), !ends(chars, "is"), chars.count > 3 {
            chars.removeLast()
        }
        if chars.count > 3, chars.last == "e" { chars.removeLast() }
        var result = ""
        result.unicodeScalars.append(contentsOf: chars)
        return result
    }

    private static func ends(_ chars: [Unicode.Scalar], _ suffix: String) -> Bool {
        let suffix = Array(suffix.unicodeScalars)
        return chars.count >= suffix.count && Array(chars.suffix(suffix.count)) == suffix
    }

    private static func hasVowel(_ chars: ArraySlice<Unicode.Scalar>) -> Bool {
        chars.contains { "aeiouy".unicodeScalars.contains($0) }
    }

    /// "stopp" → "stop", "runn" → "run", but "add" stays.
    private static func undouble(_ chars: inout [Unicode.Scalar]) {
        guard chars.count >= 4, let last = chars.last, chars[chars.count - 2] == last,
            !"lsz".unicodeScalars.contains(last), !"aeiou".unicodeScalars.contains(last)
        else { return }
        chars.removeLast()
    }
}
