/// A position in query text: 1-based row and column, as Salesforce reports them.
struct SourcePosition: Sendable, Hashable {
    var row: Int
    var column: Int
}

/// One token of SOQL or SOSL text.
struct SOQLToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A name or keyword; keywords are recognized by the parser, case-insensitively.
        case word
        /// A quoted string literal, with escapes already decoded in `value`.
        case string
        case number
        /// `2026-11-29`.
        case date
        /// `2026-11-29T10:00:00Z` and friends.
        case dateTime
        /// A SOSL search term in braces, with escapes decoded in `value`.
        case braced
        case comma, dot, colon, openParen, closeParen
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        case end
    }

    var kind: Kind
    /// The token as written.
    var text: String
    /// The decoded value for strings and search terms; the text otherwise.
    var value: String
    var position: SourcePosition

    /// Whether this is the keyword `keyword` (given in upper case).
    func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.uppercased() == keyword
    }
}
