import ParleyJSON

extension EntityRecognizer {
    // MARK: Email

    func recognizeEmail(_ answer: String) -> Recognition {
        let matches = findEmails(in: answer)
        if matches.count == 1, let match = matches.first { return .value(match.value, text: match.text) }
        if matches.count > 1 { return .invalid(reason: "Please give just one email address") }
        return .invalid(reason: answer.contains("@") ? "That email address isn't valid" : "That isn't an email address")
    }

    func findEmails(in utterance: String) -> [Match] {
        // Most text has no address: not worth splitting into words.
        guard utterance.utf8.contains(UInt8(ascii: "@")) else { return [] }
        return WordToken.tokens(in: utterance).compactMap { token -> Match? in
            var word = token.text
            if word.lowercased().hasPrefix("mailto:") { word = word.dropFirst(7) }
            guard let address = Self.normalizedEmail(word) else { return nil }
            return Match(value: .string(address), text: String(token.text), range: token.range)
        }
    }

    /// The address with its domain lowercased, or `nil` when the word isn't one.
    static func normalizedEmail(_ word: Substring) -> String? {
        let parts = word.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, local.count <= 64,
            local.allSatisfy({ isASCIILetterOrDigit($0) || "._%+-'".contains($0) }),
            local.first != ".", local.last != ".", !zip(local, local.dropFirst()).contains(where: { $0 == "." && $1 == "." }),
            isDomain(domain, requireKnownTopLevel: false)
        else { return nil }
        return "\(local)@\(domain.lowercased())"
    }

    /// Whether the text is a host name with at least two labels and a top-level domain of letters.
    static func isDomain(_ text: Substring, requireKnownTopLevel: Bool) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let topLevel = labels.last, topLevel.count >= 2,
            topLevel.allSatisfy(isASCIILetter)
        else { return false }
        let labelsAreValid = labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { isASCIILetterOrDigit($0) || $0 == "-" }
        }
        guard labelsAreValid else { return false }
        return !requireKnownTopLevel || knownTopLevelDomains.contains(topLevel.lowercased())
            || text.lowercased().hasPrefix("www.")
    }

    // Letters and digits as ASCII codes: asked of every character of every word that might be an
    // address, where Unicode property lookups were most of the cost.

    static func isASCIILetter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii.isASCIILetter
    }

    static func isASCIILetterOrDigit(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii.isASCIILetter || ascii.isASCIIDigit
    }

    /// Top-level domains common enough that a bare "acme.com" in a sentence is surely a web address.
    static let knownTopLevelDomains: Set<String> = [
        "com", "org", "net", "io", "co", "ai", "dev", "app", "edu", "gov", "biz", "info", "us", "uk", "de", "fr",
        "es", "it", "nl", "be", "ch", "at", "se", "no", "dk", "fi", "ie", "pl", "pt", "ca", "au", "nz", "in", "jp",
        "cn", "br", "mx", "eu", "tech", "cloud", "site", "online", "store", "shop",
    ]

    // MARK: Phone

    func recognizePhone(_ answer: String) -> Recognition {
        let phoneCharacters = answer.filter { !($0.isNumber || " ()-.+/".contains($0)) }
        if phoneCharacters.isEmpty {
            return Self.phoneValue(answer).map { .value(.string($0), text: answer) }
                ?? .invalid(reason: "A phone number has 7 to 15 digits")
        }
        if let match = findPhones(in: answer, lenient: true).first { return .value(match.value, text: match.text) }
        return .invalid(reason: "That isn't a phone number")
    }

    func findPhones(in utterance: String) -> [Match] {
        findPhones(in: utterance, lenient: false)
    }

    /// In free text a run of digits is a phone number only when it looks like one: a leading `+`,
    /// separators in phone-number places, or at least ten digits. Dates and decimals are not.
    private func findPhones(in utterance: String, lenient: Bool) -> [Match] {
        // The pattern needs digits; most text has none and need not run it.
        guard utterance.mayHoldDigit else { return [] }
        var matches: [Match] = []
        for match in utterance.matches(of: Self.phoneRun) {
            let text = match.output
            guard let value = Self.phoneValue(text) else { continue }
            let digitCount = text.filter(\.isNumber).count
            let hasPlus = text.hasPrefix("+")
            let dots = text.filter { $0 == "." }.count
            let separated = text.contains(" ") || text.contains("-") || text.contains("(") || dots >= 2
            guard dots == 0 || dots >= 2 else { continue }
            if !lenient {
                guard hasPlus || separated || digitCount >= 10 else { continue }
                // 2026-03-02 is a date.
                if (try? Self.isoDate.wholeMatch(in: text)) != nil { continue }
            }
            matches.append(Match(value: .string(value), text: String(text), range: match.range))
        }
        return matches
    }

    // Compiled once: a regex literal is parsed again each time it is evaluated. `Regex` is not marked
    // Sendable, but it is immutable once made and compiles its program once, atomically.
    nonisolated(unsafe) private static let phoneRun = #/\+?\(?\d[\d ().\-]{4,}\d/#
    nonisolated(unsafe) private static let isoDate = #/\d{4}-\d{1,2}-\d{1,2}/#

    /// "+14155550100" or "4155550100", or `nil` unless there are 7 to 15 digits.
    static func phoneValue(_ text: Substring) -> String? {
        let digits = text.filter(\.isNumber).filter(\.isASCII)
        guard (7...15).contains(digits.count) else { return nil }
        return text.trimmingWhitespace().hasPrefix("+") ? "+" + digits : digits
    }

    static func phoneValue(_ text: String) -> String? { phoneValue(text[...]) }

    // MARK: URL

    func recognizeURL(_ answer: String) -> Recognition {
        let tokens = WordToken.tokens(in: answer)
        if tokens.count == 1, let token = tokens.first {
            switch Self.webAddress(token.text, requireKnownTopLevel: false) {
            case .address(let url): return .value(.string(url), text: String(token.text))
            case .refused(let reason): return .invalid(reason: reason)
            case .none: break
            }
        }
        if let match = findURLs(in: answer).first { return .value(match.value, text: match.text) }
        return .invalid(reason: answer.contains("@") ? "That's an email address, not a web address" : "That isn't a web address")
    }

    func findURLs(in utterance: String) -> [Match] {
        // A web address has a dot in its host, or a scheme ("http://localhost").
        guard utterance.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }) else { return [] }
        return WordToken.tokens(in: utterance).compactMap { token -> Match? in
            guard case .address(let url) = Self.webAddress(token.text, requireKnownTopLevel: true) else { return nil }
            return Match(value: .string(url), text: String(token.text), range: token.range)
        }
    }

    enum WebAddress: Equatable {
        case address(String)
        case refused(String)
        case none
    }

    /// An http(s) URL as written, or a bare domain with `https://` in front.
    static func webAddress(_ word: Substring, requireKnownTopLevel: Bool) -> WebAddress {
        guard !word.contains("@") else { return .none }
        let lower = word.lowercased()
        var rest: Substring
        var scheme: String
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            scheme = lower.hasPrefix("https://") ? "https://" : "http://"
            rest = word.dropFirst(scheme.count)
        } else if let colon = lower.firstIndex(of: ":"), lower[..<colon].allSatisfy(\.isLetter),
            lower[lower.index(after: colon)...].hasPrefix("//")
        {
            return .refused("Only http and https web addresses are accepted")
        } else {
            scheme = "https://"
            rest = word
        }
        let hostEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
        var host = rest[..<hostEnd]
        if let colon = host.firstIndex(of: ":") {
            guard host[host.index(after: colon)...].allSatisfy(\.isNumber) else { return .none }
            host = host[..<colon]
        }
        let explicitScheme = word.count != rest.count
        let hostIsValid =
            isDomain(host, requireKnownTopLevel: requireKnownTopLevel && !explicitScheme)
            || (explicitScheme && host.lowercased() == "localhost")
        guard hostIsValid else { return explicitScheme ? .refused("That web address isn't valid") : .none }
        return .address(scheme + rest[..<hostEnd].lowercased() + rest[hostEnd...])
    }
}

extension String {
    /// Whether any character may be a digit (`\d` matches numbers of any script); ASCII text is answered
    /// without Unicode property lookups.
    fileprivate var mayHoldDigit: Bool {
        if isASCII { return holdsASCIIDigit }
        return unicodeScalars.contains { $0.properties.numericType != nil }
    }
}
