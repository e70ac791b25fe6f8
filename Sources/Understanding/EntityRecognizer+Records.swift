import ParleyJSON

extension EntityRecognizer {
    // MARK: Regex

    func recognizeRegex(_ answer: String, pattern: String) -> Recognition {
        guard let regex = try? Regex(pattern) else {
            return .invalid(reason: "The entity's pattern isn't a valid regular expression")
        }
        if (try? regex.wholeMatch(in: answer)) != nil { return .value(.string(answer), text: answer) }
        if let match = try? regex.firstMatch(in: answer), !match.range.isEmpty {
            let text = String(answer[match.range])
            return .value(.string(text), text: text)
        }
        return .invalid(reason: "That isn't in the expected format")
    }

    func findRegexMatches(in utterance: String, pattern: String) -> [Match] {
        guard let regex = try? Regex(pattern) else { return [] }
        return utterance.matches(of: regex).filter { !$0.range.isEmpty }.map { match in
            let text = String(utterance[match.range])
            return Match(value: .string(text), text: text, range: match.range)
        }
    }

    // MARK: Salesforce record id

    func recognizeSalesforceID(_ answer: String, keyPrefix: String?) -> Recognition {
        let tokens = WordToken.tokens(in: answer)
        if tokens.count == 1, let token = tokens.first {
            if let problem = Self.recordIDProblem(token.text, keyPrefix: keyPrefix) { return .invalid(reason: problem) }
            return .value(.string(String(token.text)), text: String(token.text))
        }
        if let match = findSalesforceIDs(in: answer, keyPrefix: keyPrefix).first {
            return .value(match.value, text: match.text)
        }
        return .invalid(reason: "A record id has 15 or 18 letters and digits")
    }

    func findSalesforceIDs(in utterance: String, keyPrefix: String?) -> [Match] {
        // Ids hold an ASCII digit; most text has none and need not be split into words.
        guard utterance.holdsASCIIDigit else { return [] }
        return salesforceIDs(among: WordToken.tokens(in: utterance), keyPrefix: keyPrefix)
    }

    /// The record ids among words already split.
    func salesforceIDs(among tokens: [WordToken], keyPrefix: String?) -> [Match] {
        tokens.compactMap { token in
            guard Self.recordIDProblem(token.text, keyPrefix: keyPrefix) == nil else { return nil }
            return Match(value: .string(String(token.text)), text: String(token.text), range: token.range)
        }
    }

    /// Why the text is not a record id (of the key prefix's object), or `nil` when it is one.
    ///
    /// Ids always hold a digit, which keeps 15-letter words such as "characteristics" out.
    private static func recordIDProblem(_ text: Substring, keyPrefix: String?) -> String? {
        guard text.count == 15 || text.count == 18, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            text.contains(where: \.isNumber)
        else { return "A record id has 15 or 18 letters and digits" }
        if let keyPrefix, !keyPrefix.isEmpty, !text.hasPrefix(keyPrefix) {
            return "That isn't the right kind of record id (it should start with \(keyPrefix))"
        }
        return nil
    }
}
