import ParleyJSON

extension EntityRecognizer {
    func recognizeNumber(_ answer: String) -> Recognition {
        let words = WordToken.tokens(in: answer).map(\.lower)
        if let value = NumberReading.number(words[...]) { return .value(.number(value), text: answer) }
        // "about 42 I think"; but "two two" or "3 or 4" does not say which.
        let matches = findNumbers(in: answer)
        if matches.count > 1 { return .invalid(reason: "Please give just one number") }
        if let match = matches.first { return .value(match.value, text: match.text) }
        return .invalid(reason: "That isn't a number")
    }

    func findNumbers(in utterance: String, tokens: [WordToken]? = nil) -> [Match] {
        scan(utterance, tokens: tokens, maxWords: 8, startingWith: NumberReading.mayStartNumber) { words in
            NumberReading.number(words).map(JSONValue.number)
        }
    }

    func recognizeAmount(_ answer: String) -> Recognition {
        let words = WordToken.tokens(in: answer).map(\.lower)
        if let amount = AmountReading.amount(words[...]) { return .value(Self.json(amount), text: answer) }
        let matches = scan(answer, maxWords: 8) { words in AmountReading.amount(words).map(Self.json) }
        if let match = matches.first { return .value(match.value, text: match.text) }
        return .invalid(reason: "That isn't an amount")
    }

    /// Amounts in free text need a currency or a scale ("$50k", "300 EUR", "50k"), so that
    /// every bare number is not taken for money.
    func findAmounts(in utterance: String, tokens: [WordToken]? = nil) -> [Match] {
        scan(utterance, tokens: tokens, maxWords: 8, startingWith: AmountReading.mayStartAmount) { words in
            guard let amount = AmountReading.amount(words) else { return nil }
            let hasScale = words.contains { word in
                NumberReading.scales[word] != nil
                    || (word.count > 1 && ["k", "m", "b"].contains(word.last.map(String.init) ?? "")
                        && word.dropLast().allSatisfy { $0.isNumber || $0 == "." || $0 == "," })
            }
            // "250,000": thousands written in groups are money in a request about deals, never a year or a phone.
            let grouped = words.count == 1 && words.first.map(Self.isGroupedThousands) == true
            guard amount.currencyWasSaid || hasScale || grouped else { return nil }
            return Self.json(amount)
        }
    }

    /// Digits in groups of three after the first: "250,000", "1,200,000".
    static func isGroupedThousands(_ word: String) -> Bool {
        let groups = word.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count >= 2, let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isNumber) } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    func recognizePercentage(_ answer: String) -> Recognition {
        let words = WordToken.tokens(in: answer).map(\.lower)
        if let value = Self.percentage(words[...], requireSign: false) { return .value(.number(value), text: answer) }
        if let match = findPercentages(in: answer).first { return .value(match.value, text: match.text) }
        return .invalid(reason: "That isn't a percentage")
    }

    func findPercentages(in utterance: String, tokens: [WordToken]? = nil) -> [Match] {
        scan(utterance, tokens: tokens, maxWords: 8, startingWith: Self.mayStartPercentage) { words in
            Self.percentage(words, requireSign: true).map(JSONValue.number)
        }
    }

    /// Whether a percentage can start with this word: a number, or a word with its sign ("five%").
    private static func mayStartPercentage(_ word: String) -> Bool {
        NumberReading.mayStartNumber(word) || word.hasSuffix("%")
    }

    /// "60%", "60 %", "60 percent", "sixty per cent"; a bare number only when `requireSign` is false.
    private static func percentage(_ words: ArraySlice<String>, requireSign: Bool) -> Double? {
        guard let last = words.last else { return nil }
        if words.count == 1, last.hasSuffix("%"), last.count > 1 {
            return NumberReading.number([String(last.dropLast())])
        }
        if ["%", "percent", "pct", "percentage"].contains(last), words.count > 1 {
            return NumberReading.number(words.dropLast())
        }
        if words.count > 2, words.suffix(2).elementsEqual(["per", "cent"]) {
            return NumberReading.number(words.dropLast(2))
        }
        return requireSign ? nil : NumberReading.number(words)
    }

    private static func json(_ amount: AmountReading.Amount) -> JSONValue {
        .object(["amount": .number(amount.value), "currency": .string(amount.currency)])
    }

    /// At each word, the longest run of up to `maxWords` words that `read` accepts, left to right
    /// and without overlaps.
    ///
    /// - Parameter mayStart: whether a value can start with this word; runs from other words are not read,
    ///   which spares trying every length at every word of text that holds no value.
    /// - Parameter mustHold: a word every value holds at least one of; runs without one are not read.
    /// - Parameter tokens: the utterance's words, when they were split already.
    func scan(
        _ utterance: String, tokens: [WordToken]? = nil, maxWords: Int,
        startingWith mayStart: (String) -> Bool = { _ in true }, holding mustHold: ((String) -> Bool)? = nil,
        read: (ArraySlice<String>) -> JSONValue?
    ) -> [Match] {
        let tokens = tokens ?? WordToken.tokens(in: utterance)
        let words = tokens.map(\.lower)
        // How many of the words before each position are ones a value must hold.
        var heldBefore = [0]
        if let mustHold {
            heldBefore.reserveCapacity(words.count + 1)
            for word in words { heldBefore.append(heldBefore[heldBefore.count - 1] + (mustHold(word) ? 1 : 0)) }
        }
        var matches: [Match] = []
        var start = 0
        while start < words.count {
            guard mayStart(words[start]) else {
                start += 1
                continue
            }
            var found = false
            for length in stride(from: min(maxWords, words.count - start), through: 1, by: -1) {
                if mustHold != nil, heldBefore[start + length] == heldBefore[start] { break }
                if let value = read(words[start..<start + length]) {
                    matches.append(
                        Match(
                            value: value, text: String(tokens.text(of: start..<start + length, in: utterance)),
                            range: tokens.sourceRange(of: start..<start + length)))
                    start += length
                    found = true
                    break
                }
            }
            if !found { start += 1 }
        }
        return matches
    }
}
