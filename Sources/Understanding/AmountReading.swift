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

    /// ISO 4217 codes, but for those that are also English words ("all", "cop", "mad", "pen", "top", "try").
    static let codes: Set<String> = [
        "usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "cny", "inr", "mxn", "brl", "sek", "nok", "dkk", "nzd",
        "sgd", "hkd", "zar", "pln", "czk", "huf", "ron", "bgn", "isk", "uah", "rub", "aed", "sar", "qar", "kwd",
        "bhd", "omr", "ils", "egp", "ngn", "kes", "ghs", "tzs", "ugx", "etb", "xof", "xaf", "lkr", "pkr", "bdt",
        "npr", "vnd", "thb", "idr", "myr", "php", "krw", "twd", "clp", "ars", "uyu", "mnt", "kzt", "uzs",
    ]

    static let words: [String: String] = [
        "dollar": "USD", "dollars": "USD", "buck": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
        "pound": "GBP", "pounds": "GBP", "quid": "GBP", "yen": "JPY", "rupee": "INR", "rupees": "INR",
        "yuan": "CNY", "rmb": "CNY", "franc": "CHF", "francs": "CHF", "pesos": "MXN", "reais": "BRL", "rs": "INR",
        "taka": "BDT", "rand": "ZAR", "naira": "NGN", "baht": "THB", "ringgit": "MYR", "zloty": "PLN",
        "dirhams": "AED", "rupiah": "IDR", "dong": "VND",
    ]

    static let twoWordNames: [String: String] = [
        "us dollars": "USD", "canadian dollars": "CAD", "australian dollars": "AUD", "swiss francs": "CHF",
        "british pounds": "GBP", "singapore dollars": "SGD", "new zealand": "NZD",
    ]

    /// The amount all the words say; `nil` when they say something else.
    static func amount(_ written: ArraySlice<String>) -> Amount? {
        let words = joiningDigitGroups(written)
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
        if let code = currency(word: last), words.count > 1 {
            // "65 000 $ CAD": a symbol standing alone before the code says no more than the code.
            var number = words.dropLast()
            if number.count > 1, let symbol = number.last, symbols.contains(where: { $0.symbol == symbol }) {
                number = number.dropLast()
            }
            if let value = numberAllowingSymbols(number) {
                return Amount(value: value.number, currency: value.code ?? code, currencyWasSaid: true)
            }
        }
        guard let value = numberAllowingSymbols(words) else { return nil }
        return Amount(value: value.number, currency: value.code ?? defaultCurrency, currencyWasSaid: value.code != nil)
    }

    /// "65 000 CAD", "XOF 250 000": thousands separated by spaces are one number, where a currency is said with
    /// them; without one, digits in groups are more often a phone number.
    private static func joiningDigitGroups(_ words: ArraySlice<String>) -> ArraySlice<String> {
        guard words.count > 2 || (words.count == 2 && words.contains { currency(word: $0) == nil }),
            words.contains(where: { currency(word: $0) != nil || $0.contains(where: symbolCharacters.contains) })
        else { return words }
        var joined: [String] = []
        // Whether the last word joined can take another group: it began with one to three digits.
        var takesGroup = false
        for word in words {
            let isGroup = word.count == 3 && word.allSatisfy { $0.isASCII && $0.isNumber }
            if isGroup, takesGroup {
                joined[joined.count - 1] += word
                continue
            }
            let digits = word.drop { symbolCharacters.contains($0) }
            takesGroup = (1...3).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
            joined.append(word)
        }
        return joined[...]
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
