import SalesforceWire

/// A recursive-descent parser for the SOQL subset the sandbox serves; errors carry row and column.
///
/// Recursion is bounded: NOT and parentheses nest at most ``maximumNesting`` deep, and AND and OR
/// chains become balanced trees, so no query text can exhaust the stack of the thread serving it.
struct SOQLParser {
    let source: String
    private(set) var tokens: [SOQLToken]
    private(set) var index = 0
    /// How many NOTs and parentheses enclose the condition being read.
    private var nesting = 0

    /// Salesforce's limit on the length of a SOQL statement.
    static let maximumLength = 100_000
    /// How deep NOT and parentheses may nest in a condition.
    static let maximumNesting = 100
    /// The largest `n` of `LAST_N_DAYS:n` and its kind: about 270 years of days, so date arithmetic cannot overflow.
    static let maximumDateLiteralCount = 100_000

    init(source: String) throws(APIFailure) {
        self.source = source
        tokens = try SOQLLexer.tokens(in: source)
    }

    /// Parses a whole `SELECT … FROM …` query.
    ///
    /// - Throws: `APIFailure` `MALFORMED_QUERY` with the row and column of the problem.
    static func parse(_ source: String) throws(APIFailure) -> SOQLQuery {
        guard !exceedsMaximumLength(source) else {
            throw APIFailure(
                status: 400, code: .malformedQuery,
                message: "SOQL statements cannot be longer than \(maximumLength) characters")
        }
        var parser = try SOQLParser(source: source)
        let query = try parser.parseQuery()
        try parser.expectEnd()
        return query
    }

    /// Whether `source` is longer than ``maximumLength`` characters, counting no further than needed.
    static func exceedsMaximumLength(_ source: String) -> Bool {
        source.utf8.count > maximumLength && !source.dropFirst(maximumLength).isEmpty
    }

    static let relativeDates: Set<String> = [
        "TODAY", "YESTERDAY", "TOMORROW", "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK", "THIS_MONTH", "LAST_MONTH",
        "NEXT_MONTH", "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR",
        "LAST_90_DAYS", "NEXT_90_DAYS",
    ]
    static let relativeDatesWithCount: Set<String> = [
        "LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO", "LAST_N_WEEKS", "NEXT_N_WEEKS", "LAST_N_MONTHS", "NEXT_N_MONTHS",
        "LAST_N_QUARTERS", "NEXT_N_QUARTERS",
    ]
    /// Words that end a field list or a condition and cannot be field names.
    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER", "BY", "LIMIT", "OFFSET", "NULL",
        "TRUE", "FALSE", "ASC", "DESC", "NULLS", "RETURNING", "FIND", "GROUP", "HAVING", "WITH",
    ]

    var current: SOQLToken { tokens[index] }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    mutating func expect(_ kind: SOQLToken.Kind) throws(APIFailure) -> SOQLToken {
        let token = current
        guard token.kind == kind else { throw SOQLMessages.unexpected(source, token) }
        advance()
        return token
    }

    mutating func expectKeyword(_ keyword: String) throws(APIFailure) {
        guard current.isKeyword(keyword) else { throw SOQLMessages.unexpected(source, current) }
        advance()
    }

    mutating func acceptKeyword(_ keyword: String) -> Bool {
        guard current.isKeyword(keyword) else { return false }
        advance()
        return true
    }

    mutating func expectEnd() throws(APIFailure) {
        guard current.kind == .end else { throw SOQLMessages.unexpected(source, current) }
    }

    mutating func parseQuery() throws(APIFailure) -> SOQLQuery {
        try expectKeyword("SELECT")
        let selection: SOQLQuery.Selection
        if current.isKeyword("COUNT"), tokens[index + 1].kind == .openParen {
            advance()
            advance()
            _ = try expect(.closeParen)
            selection = .count
        } else {
            var fields = [try parseFieldPath()]
            while current.kind == .comma {
                advance()
                fields.append(try parseFieldPath())
            }
            selection = .fields(fields)
        }
        try expectKeyword("FROM")
        let objectToken = try expectName()
        var query = SOQLQuery(
            selection: selection, object: SOQLQuery.Name(text: objectToken.text, position: objectToken.position))
        if acceptKeyword("WHERE") { query.condition = try parseCondition() }
        if current.isKeyword("ORDER") {
            advance()
            try expectKeyword("BY")
            query.ordering = try parseOrdering()
        }
        if acceptKeyword("LIMIT") { query.limit = try parseCount() }
        if acceptKeyword("OFFSET") { query.offset = try parseCount() }
        return query
    }

    /// A name that is not a reserved word.
    mutating func expectName() throws(APIFailure) -> SOQLToken {
        let token = current
        guard token.kind == .word, !Self.reserved.contains(token.text.uppercased()) else {
            throw SOQLMessages.unexpected(source, token)
        }
        advance()
        return token
    }

    mutating func parseFieldPath() throws(APIFailure) -> SOQLQuery.FieldPath {
        let first = try expectName()
        var parts = [first.text]
        while current.kind == .dot {
            advance()
            parts.append(try expectName().text)
        }
        return SOQLQuery.FieldPath(parts: parts, position: first.position)
    }

    mutating func parseCount() throws(APIFailure) -> Int {
        let token = current
        guard token.kind == .number, let value = Int(token.text), value >= 0 else {
            throw SOQLMessages.unexpected(source, token)
        }
        advance()
        return value
    }

    mutating func parseOrdering() throws(APIFailure) -> [SOQLQuery.Ordering] {
        var orderings: [SOQLQuery.Ordering] = []
        repeat {
            if !orderings.isEmpty { advance() }
            var ordering = SOQLQuery.Ordering(field: try parseFieldPath(), descending: false, nullsFirst: nil)
            if acceptKeyword("DESC") {
                ordering.descending = true
            } else {
                _ = acceptKeyword("ASC")
            }
            if acceptKeyword("NULLS") {
                if acceptKeyword("FIRST") {
                    ordering.nullsFirst = true
                } else {
                    try expectKeyword("LAST")
                    ordering.nullsFirst = false
                }
            }
            orderings.append(ordering)
        } while current.kind == .comma
        return orderings
    }

    // MARK: Conditions: OR binds loosest, then AND, then NOT.

    mutating func parseCondition() throws(APIFailure) -> SOQLQuery.Condition {
        var operands = [try parseConjunction()]
        while acceptKeyword("OR") { operands.append(try parseConjunction()) }
        return Self.balanced(operands[...], SOQLQuery.Condition.or)
    }

    private mutating func parseConjunction() throws(APIFailure) -> SOQLQuery.Condition {
        var operands = [try parseNegation()]
        while acceptKeyword("AND") { operands.append(try parseNegation()) }
        return Self.balanced(operands[...], SOQLQuery.Condition.and)
    }

    private mutating func parseNegation() throws(APIFailure) -> SOQLQuery.Condition {
        guard current.isKeyword("NOT") || current.kind == .openParen else { return try parseSimpleCondition() }
        guard nesting < Self.maximumNesting else {
            throw SOQLMessages.malformed(
                source, at: current.position,
                "conditions nest too deeply: at most \(Self.maximumNesting) levels of NOT and parentheses")
        }
        nesting += 1
        defer { nesting -= 1 }
        if acceptKeyword("NOT") { return .not(try parseNegation()) }
        advance()
        let inner = try parseCondition()
        _ = try expect(.closeParen)
        return inner
    }

    /// `operands` joined pairwise into a balanced tree, leaning left as a chain would (`a AND b AND c` is
    /// `(a AND b) AND c`), so thousands of ANDs make a tree a dozen levels deep rather than thousands.
    private static func balanced(
        _ operands: ArraySlice<SOQLQuery.Condition>, _ join: (SOQLQuery.Condition, SOQLQuery.Condition) -> SOQLQuery.Condition
    ) -> SOQLQuery.Condition {
        guard operands.count > 1 else { return operands[operands.startIndex] }
        let middle = operands.startIndex + (operands.count + 1) / 2
        return join(balanced(operands[..<middle], join), balanced(operands[middle...], join))
    }

    private mutating func parseSimpleCondition() throws(APIFailure) -> SOQLQuery.Condition {
        if current.kind == .word, tokens[index + 1].kind == .openParen,
            let part = SOQLQuery.DatePart(rawValue: current.text.uppercased())
        {
            advance()
            advance()
            let field = try parseFieldPath()
            _ = try expect(.closeParen)
            let token = current
            guard let op = Self.comparisonOperator(token.kind) else { throw SOQLMessages.unexpected(source, token) }
            advance()
            return .datePart(part, field, op, try parseLiteral())
        }
        let field = try parseFieldPath()
        let token = current
        switch token.kind {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            advance()
            guard let op = Self.comparisonOperator(token.kind) else { throw SOQLMessages.unexpected(source, token) }
            return .comparison(field, op, try parseLiteral())
        case .word where token.isKeyword("LIKE"):
            advance()
            return .like(field, try parseLiteral())
        case .word where token.isKeyword("IN"):
            advance()
            return .membership(field, negated: false, try parseLiteralList())
        case .word where token.isKeyword("NOT") && tokens[index + 1].isKeyword("IN"):
            advance()
            advance()
            return .membership(field, negated: true, try parseLiteralList())
        default:
            throw SOQLMessages.unexpected(source, token)
        }
    }

    /// The comparison a token is, or `nil` for any other token.
    private static func comparisonOperator(_ kind: SOQLToken.Kind) -> SOQLQuery.Operator? {
        switch kind {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        default: nil
        }
    }

    private mutating func parseLiteralList() throws(APIFailure) -> [SOQLQuery.Literal] {
        _ = try expect(.openParen)
        var literals = [try parseLiteral()]
        while current.kind == .comma {
            advance()
            literals.append(try parseLiteral())
        }
        _ = try expect(.closeParen)
        return literals
    }

    mutating func parseLiteral() throws(APIFailure) -> SOQLQuery.Literal {
        let token = current
        let value: SOQLQuery.Literal.Value
        switch token.kind {
        case .string:
            value = .string(token.value)
        case .number:
            guard let number = Double(token.text) else { throw SOQLMessages.unexpected(source, token) }
            guard number.isFinite else {
                throw SOQLMessages.malformed(source, at: token.position, "number out of range: \(token.text)")
            }
            value = .number(number)
        case .date:
            guard let day = SalesforceTime.parseDay(token.text) else {
                throw SOQLMessages.malformed(
                    source, at: token.position,
                    "line \(token.position.row):\(token.position.column - 1) no viable alternative at character '\(token.text)'")
            }
            value = .date(day)
        case .dateTime:
            guard let instant = SalesforceTime.parseDateTime(token.text) else {
                throw SOQLMessages.malformed(
                    source, at: token.position,
                    "line \(token.position.row):\(token.position.column - 1) no viable alternative at character '\(token.text)'")
            }
            value = .dateTime(SalesforceTime.dateTimeText(instant))
        case .word:
            let word = token.text.uppercased()
            if word == "NULL" {
                value = .null
            } else if word == "TRUE" || word == "FALSE" {
                value = .boolean(word == "TRUE")
            } else if Self.relativeDates.contains(word) {
                value = .relativeDate(word, nil)
            } else if Self.relativeDatesWithCount.contains(word) {
                advance()
                _ = try expect(.colon)
                let countToken = current
                guard countToken.kind == .number else { throw SOQLMessages.unexpected(source, countToken) }
                guard let count = Int(countToken.text), (0...Self.maximumDateLiteralCount).contains(count) else {
                    throw SOQLMessages.malformed(
                        source, at: countToken.position,
                        "\(word) takes a whole number from 0 to \(Self.maximumDateLiteralCount), not \(countToken.text)")
                }
                advance()
                return SOQLQuery.Literal(value: .relativeDate(word, count), position: token.position)
            } else {
                throw SOQLMessages.unexpected(source, token)
            }
        default:
            throw SOQLMessages.unexpected(source, token)
        }
        advance()
        return SOQLQuery.Literal(value: value, position: token.position)
    }
}
