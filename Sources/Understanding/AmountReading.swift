/// Reads amounts of money: "$50k", "50,000 USD", "EUR 300", "1500 dollars", "€1.2m".
enum AmountReading {
    /// An amount and its ISO 4217 currency code.
    struct Amount: Hashable {
        var value: Double
        var currency: String
        /// Whether the text named the currency; otherwise it is the default.
        var currencyWasSaid: Bool
    }

    static let defaultCurrency = "USD"

    static let symbols: [(symbol: String, code: String)] = [
        ("us$", "USD"), ("c$", "CAD"), ("ca$", "CAD"), ("a$", "AUD"), ("au$", "AUD"), ("$", "USD"),
        ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR"),
    ]

    private static let symbolCharacters = Set(symbols.flatMap { $0.symbol.filter { !$0.isLetter } })

    static let codes: Set<String> = [
        "usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "cny", "inr", "mxn", "brl", "sek", "nok", "dkk", "nzd",
        "sgd", "hkd", "zar", "pln",
    ]

    static let words: [String: String] = [
        "dollar": "USD", "dollars": "USD", "buck": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
        "pound": "GBP", "pounds": "GBP", "quid": "GBP", "yen": "JPY", "rupee": "INR", "rupees": "INR",
        "yuan": "CNY", "rmb": "CNY", "franc": "CHF", "francs": "CHF", "pesos": "MXN", "reais": "BRL",
    ]

    static let twoWordNames: [String: String] = [
        "us dollars": "USD", "canadian dollars": "CAD", "australian dollars": "AUD", "swiss francs": "CHF",
        "british pounds": "GBP", "singapore dollars": "SGD", "new zealand": "NZD",
    ]

    /// The amount all the words say; `nil` when they say something else.
    static func amount(_ words: ArraySlice<String>) -> Amount? {
        guard let first = words.first, let last = words.last else { return nil }
        // A currency code or word in front: "EUR 300", "usd 1.5 million".
        if let code = currency(word: first), words.count > 1,
            let value = numberAllowingSymbols(words.dropFirst()), value.code == nil
        {
            return Amount(value: value.number, currency: code, currencyWasSaid: true)
        }
        // A currency name behind: "50,000 USD", "1500 dollars", "$50 US dollars".
        if words.count > 2 {
            let lastTwo = words.suffix(2).joined(separator: " ")
            if let code = twoWordNames[lastTwo], let value = numberAllowingSymbols(words.dropLast(2)) {
                return Amount(value: value.number, currency: code, currencyWasSaid: true)
            }
        }
        if let code = currency(word: last), words.count > 1, let value = numberAllowingSymbols(words.dropLast()) {
            return Amount(value: value.number, currency: value.code ?? code, currencyWasSaid: true)
        }
        guard let value = numberAllowingSymbols(words) else { return nil }
        return Amount(value: value.number, currency: value.code ?? defaultCurrency, currencyWasSaid: value.code != nil)
    }

    /// Whether an amount can start with this word: a currency code or name ("EUR 300"), a word holding a
    /// currency symbol, or the start of a number.
    static func mayStartAmount(_ word: String) -> Bool {
        currency(word: word) != nil || word.contains(where: { symbolCharacters.contains($0) })
            || NumberReading.mayStartNumber(word)
    }

    private static func currency(word: String) -> String? {
        if codes.contains(word) { return word.uppercased() }
        return words[word]
    }

    /// A number whose first word may start with a currency symbol ("$1.5 million") or end with one ("300€").
    private static func numberAllowingSymbols(_ words: ArraySlice<String>) -> (number: Double, code: String?)? {
        guard let first = words.first else { return nil }
        // Every symbol holds one of these; a word without any is read as it is, without trying each symbol.
        if !first.contains(where: { symbolCharacters.contains($0) }) {
            guard first != "", first != "-", let number = NumberReading.number(words) else { return nil }
            return (number, nil)
        }
        var head = first
        var code: String?
        var sign = ""
        if head.hasPrefix("-") {
            sign = "-"
            head.removeFirst()
        }
        for (symbol, symbolCode) in symbols where head.hasPrefix(symbol) {
            head = String(head.dropFirst(symbol.count))
            code = symbolCode
            break
        }
        if code == nil, words.count == 1 {
            for (symbol, symbolCode) in symbols where head.hasSuffix(symbol) && head.count > symbol.count {
                head = String(head.dropLast(symbol.count))
                code = symbolCode
                break
            }
        }
        guard !head.isEmpty else { return nil }
        var rewritten = Array(words)
        rewritten[0] = sign + head
        guard let number = NumberReading.number(rewritten[...]) else { return nil }
        return (number, code)
    }
}
