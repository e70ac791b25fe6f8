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
    static func parse(_ source: String) throws(APIFailure) -> SOSLSearch {
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

    /// - Throws: `APIFailure` `MALFORMED_SEARCH` when the term is shorter than two characters.
    init(_ text: String) throws(APIFailure) {
        let meaningful = text.filter { $0.isLetter || $0.isNumber }
        guard meaningful.count >= 2 else {
            throw SOQLMessages.malformedSearch("search term must be longer than one character")
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
    func matches(_ texts: [String], phoneDigits: [String]) -> Bool {
        let wordLists = texts.map(Self.words)
        return alternatives.contains { phrases in
            phrases.allSatisfy { phrase in
                wordLists.contains { words in Self.contains(words, phrase) }
                    || (phrase.count >= 1 && digits.count >= 4 && phoneDigits.contains { $0.contains(digits) })
            }
        }
    }

    private static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    private static func contains(_ words: [String], _ phrase: [LikePattern]) -> Bool {
        guard !phrase.isEmpty, words.count >= phrase.count else { return false }
        for start in 0...(words.count - phrase.count) {
            if phrase.indices.allSatisfy({ phrase[$0].matches(words[start + $0]) }) { return true }
        }
        return false
    }
}
