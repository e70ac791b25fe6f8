import ParleyJSON

extension EntityRecognizer {
    func recognizeString(_ answer: String) -> Recognition {
        .value(.string(answer), text: answer)
    }

    func recognizePersonName(_ answer: String) -> Recognition {
        let name = PersonName.strippingIntroduction(from: answer)
        guard !name.isEmpty else { return .invalid(reason: "That doesn't look like a name") }
        guard PersonName.isPlausible(name) else { return .invalid(reason: "That doesn't look like a name") }
        let capitalized = PersonName.capitalized(name)
        return .value(.string(capitalized), text: answer)
    }

    func findPersonNames(in utterance: String) -> [Match] {
        let tokens = WordToken.tokens(in: utterance)
        var matches: [Match] = []
        var index = 0
        while index < tokens.count {
            let cueLength = PersonName.cueLength(in: tokens, at: index)
            guard cueLength > 0 else {
                index += 1
                continue
            }
            // A name is one to four words that look like one, up to the first that doesn't.
            let start = index + cueLength
            var end = start
            while end < tokens.count, end - start < 4, PersonName.isNameWord(tokens[end]) { end += 1 }
            if end > start {
                let text = String(tokens.text(of: start..<end, in: utterance))
                matches.append(
                    Match(
                        value: .string(PersonName.capitalized(text)), text: text,
                        range: tokens.sourceRange(of: start..<end)))
            }
            index = max(end, index + 1)
        }
        return matches
    }
}

/// How people say their names, and how names are written.
enum PersonName {
    /// Phrases people put before their name, longest first.
    static let introductions: [[String]] = [
        ["my", "name", "is"], ["my", "name's"], ["the", "name", "is"], ["name", "is"], ["name's"], ["it", "is"],
        ["it's"], ["its"], ["this", "is"], ["i", "am"], ["i'm"], ["im"], ["call", "me"], ["they", "are"],
        ["he", "is"], ["she", "is"], ["he's"], ["she's"],
    ]

    /// Words that introduce a name in free text.
    static let cues: [[String]] = [["my", "name", "is"], ["my", "name's"], ["named"], ["called"], ["name", "is"]]

    /// Lowercase particles that stay lowercase inside a name ("Ludwig van Beethoven").
    static let particles: Set<String> = ["van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "dos", "das", "le", "la"]

    static func strippingIntroduction(from answer: String) -> String {
        let tokens = WordToken.tokens(in: answer)
        for phrase in introductions where tokens.count > phrase.count {
            if zip(tokens, phrase).allSatisfy({ normalizedApostrophes($0.lower) == $1 }) {
                return String(tokens.text(of: phrase.count..<tokens.count, in: answer))
            }
        }
        return String(tokens.text(of: 0..<tokens.count, in: answer))
    }

    static func cueLength(in tokens: [WordToken], at index: Int) -> Int {
        for cue in cues where index + cue.count < tokens.count {
            if zip(tokens[index...], cue).allSatisfy({ normalizedApostrophes($0.lower) == $1 }) {
                return cue.count
            }
        }
        return 0
    }

    /// Names hold letters, spaces, apostrophes, hyphens and periods (initials), and no more than
    /// six words; a yes or a no on its own answers something else ("yes" to "What is the lead's first name?").
    static func isPlausible(_ name: String) -> Bool {
        guard name.contains(where: \.isLetter), !answerWords.contains(name.lowercased()) else { return false }
        guard name.allSatisfy({ $0.isLetter || $0 == " " || "'’-.".contains($0) }) else { return false }
        return name.split(separator: " ").count <= 6
    }

    /// Words that answer a yes-or-no question, never a name when said alone.
    private static let answerWords: Set<String> = ["yes", "yeah", "yep", "yup", "no", "nope", "nah", "ok", "okay", "sure"]

    static func isNameWord(_ token: WordToken) -> Bool {
        guard let first = token.text.first, first.isUppercase else { return false }
        return token.text.allSatisfy { $0.isLetter || "'’-.".contains($0) }
    }

    /// Capitalizes each part of the name; words already in mixed case ("McDonald") are kept.
    static func capitalized(_ name: String) -> String {
        let words = name.split(whereSeparator: \.isWhitespace)
        return words.enumerated().map { index, word -> String in
            let lower = word.lowercased()
            let isMixedCase = word != Substring(lower) && word != Substring(word.uppercased())
            if isMixedCase { return String(word) }
            // "mcallister" is McAllister.
            if lower.hasPrefix("mc"), lower.count > 3, lower.dropFirst(2).allSatisfy(\.isLetter) {
                return "Mc" + lower.dropFirst(2).prefix(1).uppercased() + lower.dropFirst(3)
            }
            if index > 0, index < words.count - 1, particles.contains(lower) { return lower }
            var result = ""
            var startsPart = true
            for character in lower {
                result.append(startsPart ? Character(character.uppercased()) : character)
                startsPart = "'’-.".contains(character)
            }
            return result
        }.joined(separator: " ")
    }

    private static func normalizedApostrophes(_ word: String) -> String {
        // Most words hold no ’ (its UTF-8 starts with E2): those are returned as they are, without a copy.
        guard word.utf8.contains(0xE2) else { return word }
        return String(word.map { $0 == "’" ? "'" : $0 })
    }
}
