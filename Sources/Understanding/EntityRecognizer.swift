public import DialogModel
public import ParleyJSON

/// Reads the value of one entity from an answer to its prompt, or finds values of it in free text.
///
/// Values, as stored at `context.entities.<name>`:
/// - `string`: the trimmed answer. Rules `minLength`, `maxLength` and `pattern` apply.
/// - `personName`: the name, capitalized ("jane o'neil" → "Jane O'Neil"); "my name is" and the
///   like are dropped; digits and email addresses are refused.
/// - `company`, `jobTitle`: the answer as written, without "at", "it's", "she's the" before it.
/// - `reference`: what names the record, without "the lead for" before it or "'s" after it.
/// - `changes`: an object of field → value, each value read as its field's type.
/// - `number`: a number ("42", "1,234.5", "-3", "forty two", "1.2k").
/// - `amount`: `{"amount": 50000, "currency": "USD"}` from "$50k", "50,000 USD", "EUR 300",
///   "1500 dollars"; USD when no currency is said.
/// - `percentage`: the number of percent as written: "60%", "60 percent" and "60" are all 60,
///   and "0.6" is 0.6 (a bare number is read as percent, never as a fraction).
/// - `date`: `"YYYY-MM-DD"`, from ISO dates, "12/31/2026", "Dec 31", "31 Dec 2026", "today",
///   "next Friday", "in 3 days", "end of the quarter"… read against ``RecognitionCalendar``.
///   A date without a year is the next such date on or after today. "next Friday" is the
///   Friday of next week; "Friday" and "this Friday" the next Friday on or after today.
/// - `email`: the address with its domain lowercased.
/// - `phone`: digits with a leading `+` when one was written ("+14155550100"), 7 to 15 digits.
/// - `url`: an http(s) URL; a bare domain gets `https://` ("acme.com" → "https://acme.com").
/// - `yesNo`: a Bool. "cancel" is not a no: it is an interruption.
/// - `list`: the matching item's value (an array of values when the list allows several).
/// - `regex`: the whole answer when it matches, otherwise the first match in it.
/// - `salesforceId`: the id as written.
///
/// Rules `minimum` and `maximum` apply to numbers, amounts and percentages; `pattern` applies to
/// the value as text for the other types.
public struct EntityRecognizer: Sendable {
    /// A value found in free text.
    public struct Match: Sendable, Hashable {
        public var value: JSONValue
        /// The text the value was read from, as written.
        public var text: String
        /// Where that text stands in the utterance.
        public var range: Range<String.Index>

        public init(value: JSONValue, text: String, range: Range<String.Index>) {
            self.value = value
            self.text = text
            self.range = range
        }
    }

    public let type: EntityType
    public let rules: EntityRules
    public let calendar: RecognitionCalendar

    public init(type: EntityType, rules: EntityRules = .init(), calendar: RecognitionCalendar) {
        self.type = type
        self.rules = rules
        self.calendar = calendar
    }

    /// Reads a direct answer to the entity's prompt.
    public func recognize(_ answer: String) -> Recognition {
        let trimmed = answer.trimmingWhitespace()
        guard !trimmed.isEmpty else { return .empty }
        let recognition: Recognition
        switch type {
        case .string: recognition = recognizeString(trimmed)
        case .personName: recognition = recognizePersonName(trimmed)
        case .company: recognition = recognizeCompany(trimmed)
        case .jobTitle: recognition = recognizeJobTitle(trimmed)
        case .reference: recognition = recognizeReference(trimmed)
        case .changes(let spec): recognition = recognizeChanges(trimmed, spec: spec)
        case .number: recognition = recognizeNumber(trimmed)
        case .amount: recognition = recognizeAmount(trimmed)
        case .percentage: recognition = recognizePercentage(trimmed)
        case .date: recognition = recognizeDate(trimmed)
        case .email: recognition = recognizeEmail(trimmed)
        case .phone: recognition = recognizePhone(trimmed)
        case .url: recognition = recognizeURL(trimmed)
        case .yesNo: recognition = recognizeYesNo(trimmed)
        case .list(let list): recognition = recognizeListItems(trimmed, in: list)
        case .regex(let pattern): recognition = recognizeRegex(trimmed, pattern: pattern)
        case .salesforceID(let keyPrefix): recognition = recognizeSalesforceID(trimmed, keyPrefix: keyPrefix)
        }
        guard case .value(let value, let text) = recognition else { return recognition }
        if let problem = ruleViolation(value) { return .invalid(reason: problem) }
        return .value(value, text: text)
    }

    /// Finds values of this entity anywhere in free text, in the order they appear.
    ///
    /// Only types that can be told apart from other words are found: numbers, amounts,
    /// percentages, dates, emails, phones, URLs, list values, regex matches, record ids, field
    /// changes, person names ("named Jane Doe", "Tom Becker", "tom becker"), companies introduced
    /// by "at", "from" or "works for", and job titles. Plain strings and yes/no are never found in
    /// free text; they come from slots in training utterances or direct answers.
    public func find(in utterance: String) -> [Match] {
        find(in: utterance, tokens: nil)
    }

    /// ``find(in:)``, with the utterance's words when they were split already: the readers that go word by word
    /// use them as they are.
    func find(in utterance: String, tokens: [WordToken]?) -> [Match] {
        let matches: [Match]
        switch type {
        case .string, .yesNo: matches = []
        case .personName(let part): matches = findNamesAnywhere(in: utterance, part: part, uncommonLowercase: true)
        case .company: matches = findCompanies(in: utterance)
        case .jobTitle: matches = findJobTitles(in: utterance)
        case .reference: matches = findReferences(in: utterance)
        case .changes(let spec): matches = findChanges(in: utterance, spec: spec)
        case .number: matches = findNumbers(in: utterance, tokens: tokens)
        case .amount: matches = findAmounts(in: utterance, tokens: tokens)
        case .percentage: matches = findPercentages(in: utterance, tokens: tokens)
        case .date: matches = findDates(in: utterance, tokens: tokens)
        case .email: matches = findEmails(in: utterance)
        case .phone: matches = findPhones(in: utterance)
        case .url: matches = findURLs(in: utterance)
        case .list(let list): matches = findListItems(in: utterance, list: list)
        case .regex(let pattern): matches = findRegexMatches(in: utterance, pattern: pattern)
        case .salesforceID(let keyPrefix): matches = findSalesforceIDs(in: utterance, keyPrefix: keyPrefix)
        }
        return matches.filter { ruleViolation($0.value) == nil }
    }

    /// Why a value breaks the entity's rules, or `nil` when it keeps them.
    private func ruleViolation(_ value: JSONValue) -> String? {
        switch value {
        case .number(let number):
            return rangeViolation(number, unit: nil)
        case .object(let members):
            if case .number(let amount)? = members["amount"] {
                return rangeViolation(amount, unit: members["currency"]?.displayText)
            }
            return nil
        case .string(let text):
            return textViolation(text)
        case .array(let elements):
            return elements.lazy.compactMap { element in
                if case .string(let text) = element { return textViolation(text) }
                return nil
            }.first
        case .null, .bool:
            return nil
        }
    }

    private func rangeViolation(_ number: Double, unit: String?) -> String? {
        let suffix = unit.map { " \($0)" } ?? ""
        if let minimum = rules.minimum, number < minimum {
            return "That must be at least \(JSONValue.format(number: minimum))\(suffix)"
        }
        if let maximum = rules.maximum, number > maximum {
            return "That must be at most \(JSONValue.format(number: maximum))\(suffix)"
        }
        return nil
    }

    private func textViolation(_ text: String) -> String? {
        if let minimum = rules.minLength, text.count < minimum {
            return "That's too short (at least \(minimum) characters)"
        }
        if let maximum = rules.maxLength, text.count > maximum {
            return "That's too long (at most \(maximum) characters)"
        }
        if let pattern = rules.pattern {
            guard let regex = try? Regex(pattern) else { return "The entity's pattern isn't a valid regular expression" }
            if (try? regex.firstMatch(in: text)) == nil { return "That isn't in the expected format" }
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !Self.isWhitespace($0) }),
            let last = lastIndex(where: { !Self.isWhitespace($0) })
        else { return "" }
        return String(self[first...last])
    }

    /// ASCII answered directly: Unicode property lookups cost more than the rest of the trimming.
    private static func isWhitespace(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return character.isWhitespace }
        return ascii == 0x20 || (0x09...0x0D).contains(ascii)
    }
}
