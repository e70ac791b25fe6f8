/// Reads numbers written in digits ("1,234.5", "1.2k") or words ("forty two").
enum NumberReading {
    /// The number the words say, all of them; `nil` when any word is not part of a number.
    static func number(_ words: ArraySlice<String>) -> Double? {
        guard let first = words.first, mayStartNumber(first) else { return nil }
        if words.count == 1 { return digits(first) ?? spelled(splitHyphens(words)) }
        // "1.5 million", "5 thousand", and "1,2 Mio." with a decimal comma before a scale.
        if words.count == 2, let scale = scales[words[words.index(after: words.startIndex)]],
            let value = digits(first) ?? decimalComma(first)
        {
            return value * scale
        }
        if let half = half(words) { return half }
        var sign = 1.0
        var rest = words
        if first == "minus" || first == "negative" {
            sign = -1
            rest = words.dropFirst()
            if rest.count == 1, let value = digits(rest[rest.startIndex]) { return -value }
        }
        return spelled(splitHyphens(rest)).map { $0 * sign }
    }

    /// Whether a number can start with this word: digits, a sign, or a word of a spelled number. Asked first,
    /// since free text is read a run of words at a time and most runs start with another word.
    static func mayStartNumber(_ word: String) -> Bool {
        // An empty word is dropped when spelled numbers are split at hyphens: the next one decides.
        guard let opening = word.utf8.first else { return true }
        switch opening {
        // Digits, a point and signs; any other script's text (a "−" sign among it) is left to the readers.
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), 0x80...:
            return true
        default:
            break
        }
        return openingWords.contains(word.utf8.contains(UInt8(ascii: "-")) ? String(word.prefix { $0 != "-" }) : word)
    }

    /// The words a spelled number can start with, its sign included.
    private static let openingWords = Set(units.keys).union(tens.keys).union(scales.keys)
        .union(["hundred", "a", "minus", "negative", "half", "quarter"])

    /// "half a million", "a half million", "a quarter of a million", "three quarters of a mil": a share of one scale
    /// word.
    private static func half(_ words: ArraySlice<String>) -> Double? {
        var rest = words.drop { $0 == "a" || $0 == "an" }
        let share: Double
        switch (rest.first, rest.dropFirst().first) {
        case ("half", _): share = 0.5
        case ("quarter", _): share = 0.25
        case ("three", "quarters"?):
            share = 0.75
            rest = rest.dropFirst()
        default: return nil
        }
        rest = rest.dropFirst().drop { $0 == "a" || $0 == "an" || $0 == "of" }
        guard rest.count == 1, let word = rest.first, word != "k", let scale = scales[word] else { return nil }
        return scale * share
    }

    /// A number in digits with an optional sign, thousands separators, decimals and a k/m/b suffix.
    static func digits(_ word: String) -> Double? {
        // Only the end is cut before the first character is looked at: a word that cannot start a number is
        // refused before any copy is made, as most words are.
        guard let opening = word.first, opening.isASCII && (opening.isNumber || opening == ".") || "+-−".contains(opening)
        else { return nil }
        var text = Substring(word)
        var multiplier = 1.0
        if let last = text.last?.lowercased() {
            if text.lowercased().hasSuffix("bn"), text.count > 2 {
                multiplier = 1e9
                text = text.dropLast(2)
            } else if text.lowercased().hasSuffix("mm"), text.count > 2 {
                multiplier = 1e6
                text = text.dropLast(2)
            } else if let factor = digitSuffixes[last], text.count > 1 {
                multiplier = factor
                text = text.dropLast()
            }
        }
        var sign = 1.0
        if text.first == "-" || text.first == "+" || text.first == "−" {
            if text.first != "+" { sign = -1 }
            text = text.dropFirst()
        }
        guard let firstCharacter = text.first, firstCharacter.isASCII, firstCharacter.isNumber || firstCharacter == "."
        else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let whole = parts[0]
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 {
            // Thousands separators must separate groups of three: "1,234" but not "12,34".
            guard let head = groups.first, (1...3).contains(head.count),
                groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { return nil }
        }
        let plain = groups.joined() + (parts.count == 2 ? "." + parts[1] : "")
        guard plain.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), plain != ".",
            let value = Double(plain.hasPrefix(".") ? "0" + plain : plain)
        else { return nil }
        return sign * value * multiplier
    }

    /// "1,2" or "2,75": a comma before one or two digits is a decimal point, as much of Europe writes it; it can
    /// be no thousands separator.
    private static func decimalComma(_ word: String) -> Double? {
        let parts = word.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...3).contains(parts[0].count), (1...2).contains(parts[1].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        return Double(parts[0] + "." + parts[1])
    }

    private static let digitSuffixes: [String: Double] = ["k": 1e3, "m": 1e6, "b": 1e9]

    static let units: [String: Double] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    static let tens: [String: Double] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90,
    ]
    static let scales: [String: Double] = [
        "thousand": 1e3, "k": 1e3, "grand": 1e3, "million": 1e6, "mil": 1e6, "billion": 1e9,
        // As written in India and around it, and in German and French figures.
        "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "crore": 1e7, "crores": 1e7, "mio": 1e6, "mn": 1e6,
        "mln": 1e6, "bn": 1e9, "mrd": 1e9,
    ]

    /// Whether the word can be part of a number written in words.
    static func isNumberWord(_ word: String) -> Bool {
        splitHyphens([word]).allSatisfy {
            units[$0] != nil || tens[$0] != nil || scales[$0] != nil || $0 == "hundred"
        }
    }

    private static func splitHyphens(_ words: ArraySlice<String>) -> [String] {
        words.flatMap { $0.split(separator: "-").map(String.init) }
    }

    /// "forty two", "one hundred and five", "a thousand", "two million three hundred thousand".
    private static func spelled(_ words: [String]) -> Double? {
        guard !words.isEmpty else { return nil }
        var total = 0.0
        var current = 0.0
        var sawNumber = false
        var lastWasTens = false
        for (index, word) in words.enumerated() {
            if let value = units[word] {
                // "forty two" is fine, "two two" is not.
                if current.truncatingRemainder(dividingBy: 100) != 0, !lastWasTens { return nil }
                current += value
                sawNumber = true
                lastWasTens = false
            } else if let value = tens[word] {
                if current.truncatingRemainder(dividingBy: 100) != 0 { return nil }
                current += value
                sawNumber = true
                lastWasTens = true
            } else if word == "hundred" {
                current = (current == 0 ? 1 : current) * 100
                sawNumber = true
                lastWasTens = false
            } else if let scale = scales[word], word != "k" {
                total += (current == 0 ? 1 : current) * scale
                current = 0
                sawNumber = true
                lastWasTens = false
            } else if word == "a", index == 0, words.count > 1 {
                continue
            } else if word == "and", sawNumber, index < words.count - 1 {
                continue
            } else {
                return nil
            }
        }
        if words.first == "a", !(words.count > 1 && (words[1] == "hundred" || scales[words[1]] != nil)) {
            return nil
        }
        return sawNumber ? total + current : nil
    }
}
