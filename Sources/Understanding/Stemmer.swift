/// A light English stemmer: enough to make "creating", "created" and "creates" one word.
///
/// It only has to map inflections of the same word together; the stems need not be words
/// ("create" → "creat"). Both sides of every comparison go through it.
enum Stemmer {
    static func stem(_ word: String) -> String {
        let lower = word.lowercased()
        var chars = Array(lower.unicodeScalars)
        guard chars.count > 3 else { return lower }
        if chars.last == "'" || chars.last == "’" { chars.removeLast() }
        if chars.last == "s", chars[chars.count - 2] == "'" || chars[chars.count - 2] == "’" { chars.removeLast(2) }
        if ends(chars, "ies") || ends(chars, "ied"), chars.count > 4 {
            chars.removeLast(3)
            chars.append("y")
        } else if ends(chars, "sses") || ends(chars, "shes") || ends(chars, "ches") || ends(chars, "xes") {
            chars.removeLast(2)
        } else if ends(chars, "ing"), chars.count - 3 >= 3, hasVowel(chars, before: chars.count - 3) {
            chars.removeLast(3)
            undouble(&chars)
        } else if ends(chars, "ed"), chars.count - 2 >= 3, hasVowel(chars, before: chars.count - 2) {
            chars.removeLast(2)
            undouble(&chars)
        } else if chars.last == "s", chars.count > 3, !ends(chars, "ss"), !ends(chars, "us"), !ends(chars, "is") {
            chars.removeLast()
        }
        if chars.count > 3, chars.last == "e" { chars.removeLast() }
        var result = ""
        result.reserveCapacity(chars.count)
        for scalar in chars { result.append(Character(scalar)) }
        return result
    }

    /// Whether the word ends with the ASCII suffix.
    private static func ends(_ chars: [Unicode.Scalar], _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard chars.count >= count else { return false }
        return suffix.withUTF8Buffer { buffer in
            for offset in 0..<count where chars[chars.count - count + offset].value != UInt32(buffer[offset]) {
                return false
            }
            return true
        }
    }

    private static func hasVowel(_ chars: [Unicode.Scalar], before end: Int) -> Bool {
        chars[..<end].contains { isVowel($0) || $0 == "y" }
    }

    private static func isVowel(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "a" || scalar == "e" || scalar == "i" || scalar == "o" || scalar == "u"
    }

    /// "stopp" → "stop", "runn" → "run", but "add" stays.
    private static func undouble(_ chars: inout [Unicode.Scalar]) {
        guard chars.count >= 4, let last = chars.last, chars[chars.count - 2] == last,
            last != "l", last != "s", last != "z", !isVowel(last)
        else { return }
        chars.removeLast()
    }
}
