import SalesforceWire

/// A parsed SOSL search: the term, where to look, and which objects and fields to return.
struct SOSLSearch: Sendable {
    var term: SearchTerm
    var group: SearchGroup = .all
    var objects: [ObjectSpec] = []
    var overallLimit: Int?
    /// The text the clauses were parsed from, for error positions.
    var source: String = ""

    /// One `RETURNING` entry: `Lead(Id, Name WHERE Status = 'Open' LIMIT 5)`.
    struct ObjectSpec: Sendable {
        var name: SOQLQuery.Name
        var fields: [SOQLQuery.FieldPath] = []
        var condition: SOQLQuery.Condition?
        var ordering: [SOQLQuery.Ordering] = []
        var limit: Int?
    }

    /// Objects searched when the search names none.
    static let defaultObjects = ["Account", "Contact", "Lead", "Opportunity"]

    /// Parses `FIND {term} [IN … FIELDS] [RETURNING …] [LIMIT n]`.
    ///
    /// - Throws: `APIFailure` `MALFORMED_SEARCH` for the search itself, `MALFORMED_QUERY` for its clauses.
    static func parse(_ source: String) throws(APIFailure) -> SOSLSearch {
        // SOSL has SOQL's limits: the same statement length, the same nesting in RETURNING conditions.
        guard !SOQLParser.exceedsMaximumLength(source) else {
            throw SOQLMessages.malformedSearch(
                "SOSL statements cannot be longer than \(SOQLParser.maximumLength) characters")
        }
        var parser = try SOQLParser(source: source)
        try parser.expectKeyword("FIND")
        let termToken = parser.current
        guard termToken.kind == .braced else {
            throw SOQLMessages.malformedSearch("No search term found. The search term must be enclosed in braces.")
        }
        parser.advance()
        var search = SOSLSearch(term: try SearchTerm(termToken.value), source: source)
        if parser.acceptKeyword("IN") {
            let groupToken = parser.current
            guard groupToken.kind == .word, let group = SearchGroup(rawValue: groupToken.text.uppercased()) else {
                throw SOQLMessages.unexpected(source, groupToken)
            }
            parser.advance()
            try parser.expectKeyword("FIELDS")
            search.group = group
        }
        if parser.acceptKeyword("RETURNING") {
            repeat {
                if !search.objects.isEmpty { parser.advance() }
                let nameToken = try parser.expectName()
                var spec = ObjectSpec(name: SOQLQuery.Name(text: nameToken.text, position: nameToken.position))
                if parser.current.kind == .openParen {
                    parser.advance()
                    spec.fields = [try parser.parseFieldPath()]
                    while parser.current.kind == .comma {
                        parser.advance()
                        spec.fields.append(try parser.parseFieldPath())
                    }
                    if parser.acceptKeyword("WHERE") { spec.condition = try parser.parseCondition() }
                    if parser.current.isKeyword("ORDER") {
                        parser.advance()
                        try parser.expectKeyword("BY")
                        spec.ordering = try parser.parseOrdering()
                    }
                    if parser.acceptKeyword("LIMIT") { spec.limit = try parser.parseCount() }
                    _ = try parser.expect(.closeParen)
                }
                search.objects.append(spec)
            } while parser.current.kind == .comma
        }
        if parser.acceptKeyword("LIMIT") { search.overallLimit = try parser.parseCount() }
        try parser.expectEnd()
        return search
    }
}

/// A SOSL search term: alternatives joined by `OR`, each a list of words and quoted phrases that must
/// all occur; `*` matches any run of characters and `?` one character.
struct SearchTerm: Sendable {
    /// Alternatives → required phrases → word patterns.
    var alternatives: [[[LikePattern]]]
    /// Digits of the term, for phone numbers written in another format.
    var digits: String

    /// Salesforce returns no rows for a longer search term.
    static let maximumLength = 10_000

    /// - Throws: `APIFailure` `MALFORMED_SEARCH` when the term is shorter than two characters.
    init(_ text: String) throws(APIFailure) {
        let meaningful = text.filter { $0.isLetter || $0.isNumber }
        guard meaningful.count >= 2 else {
            throw SOQLMessages.malformedSearch("search term must be longer than one character")
        }
        guard text.count <= Self.maximumLength else {
            alternatives = []
            digits = ""
            return
        }
        digits = text.filter { $0.isASCII && $0.isNumber }
        var alternatives: [[[LikePattern]]] = []
        var phrases: [[LikePattern]] = []
        var words: [String] = []
        var inQuotes = false
        var currentWord = ""
        func endWord() {
            if !currentWord.isEmpty { words.append(currentWord) }
            currentWord = ""
        }
        func endPhrase() {
            endWord()
            if !words.isEmpty { phrases.append(words.map(SearchTerm.pattern)) }
            words = []
        }
        for character in text {
            if character == "\"" {
                endPhrase()
                inQuotes.toggle()
            } else if character.isLetter || character.isNumber || character == "*" || character == "?" {
                currentWord.append(character)
            } else {
                endWord()
                if !inQuotes {
                    if words.last == "OR" {
                        words.removeLast()
                        endPhrase()
                        if !phrases.isEmpty { alternatives.append(phrases) }
                        phrases = []
                    } else if words.last == "AND" {
                        words.removeLast()
                    }
                    endPhrase()
                }
            }
        }
        endPhrase()
        if !phrases.isEmpty { alternatives.append(phrases) }
        self.alternatives = alternatives
    }

    private static func pattern(_ word: String) -> LikePattern {
        var translated = ""
        for character in word {
            switch character {
            case "*": translated.append("%")
            case "?": translated.append("_")
            case "%", "_", "\\":
                translated.append("\\")
                translated.append(character)
            default: translated.append(character)
            }
        }
        return LikePattern(translated)
    }

    /// Whether the searched texts of one record match: some alternative has every phrase in some text.
    ///
    /// Texts are split into words only as far as needed, and phone digits only when the term has enough digits,
    /// since most records are rejected or accepted by their first few fields.
    func matches(_ texts: some Sequence<String>, phoneDigits: () -> [String]) -> Bool {
        var remaining = texts.makeIterator()
        var seen: [String] = []
        var wordLists: [Int: [String]] = [:]
        func text(at index: Int) -> String? {
            while seen.count <= index {
                guard let text = remaining.next() else { return nil }
                seen.append(text)
            }
            return seen[index]
        }
        func phraseIsIn(_ phrase: [LikePattern], at index: Int) -> Bool? {
            guard let text = text(at: index) else { return nil }
            // One plain word in ASCII text, the usual search: found by bytes, without splitting the text into words.
            if phrase.count == 1, let literal = phrase[0].literal, let found = Self.containsWord(literal, inASCII: text) {
                return found
            }
            if wordLists[index] == nil { wordLists[index] = Self.words(text.lowercased()) }
            return Self.contains(wordLists[index] ?? [], phrase)
        }
        var digitTexts: [String]?
        func phoneMatch() -> Bool {
            guard digits.count >= 4 else { return false }
            if digitTexts == nil { digitTexts = phoneDigits() }
            return digitTexts?.contains { $0.contains(digits) } ?? false
        }
        return alternatives.contains { phrases in
            phrases.allSatisfy { phrase in
                var index = 0
                while let found = phraseIsIn(phrase, at: index) {
                    if found { return true }
                    index += 1
                }
                return !phrase.isEmpty && phoneMatch()
            }
        }
    }

    /// Whether ASCII `text` has the lowercased `word` as a whole word, ignoring case (letters and digits around it
    /// do not count); `nil` when either is not ASCII.
    private static func containsWord(_ word: String, inASCII text: String) -> Bool? {
        var word = word
        var text = text
        return word.withUTF8 { needle -> Bool? in
            text.withUTF8 { bytes -> Bool? in
                guard needle.allSatisfy({ $0 < 0x80 }), bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                guard !needle.isEmpty, needle.count <= bytes.count else { return false }
                func folded(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
                func isWordByte(_ byte: UInt8) -> Bool {
                    let lower = folded(byte)
                    return (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39)
                }
                var start = 0
                while start + needle.count <= bytes.count {
                    if start == 0 || !isWordByte(bytes[start - 1]) {
                        var offset = 0
                        while offset < needle.count && folded(bytes[start + offset]) == needle[offset] { offset += 1 }
                        if offset == needle.count && (start + offset == bytes.count || !isWordByte(bytes[start + offset])) {
                            return true
                        }
                    }
                    start += 1
                }
                return false
            }
        }
    }

    /// The lowercased words (runs of letters and digits) of text already in lower case.
    private static func words(_ lower: String) -> [String] {
        guard lower.utf8.allSatisfy({ $0 < 0x80 }) else {
            return lower.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        }
        // ASCII, the common case: letters and digits by byte, without grapheme breaking.
        var words: [String] = []
        var start: String.UTF8View.Index?
        let bytes = lower.utf8
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            let isWordByte = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
            if isWordByte {
                if start == nil { start = index }
            } else if let wordStart = start {
                words.append(String(lower[wordStart..<index]))
                start = nil
            }
            index = bytes.index(after: index)
        }
        if let wordStart = start { words.append(String(lower[wordStart...])) }
        return words
    }

    private static func contains(_ words: [String], _ phrase: [LikePattern]) -> Bool {
        guard !phrase.isEmpty, words.count >= phrase.count else { return false }
        for start in 0...(words.count - phrase.count) {
            if phrase.indices.allSatisfy({ phrase[$0].matches(lowercased: words[start + $0]) }) { return true }
        }
        return false
    }
}
