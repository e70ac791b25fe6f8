import SalesforceWire

/// A recursive-descent parser for the SOQL subset the sandbox serves; errors carry row and column.
struct SOQLParser {
    let source: String
    private(set) var tokens: [SOQLToken]
    private(set) var index = 0

    init(source: String) throws(APIFailure) {
        self.source = source
        tokens = try SOQLLexer.tokens(in: source)
    }

    /// Parses a whole `SELECT … FROM …` query.
    static func parse(_ source: String) throws(APIFailure) -> SOQLQuery {
        var parser = try SOQLParser(source: source)
        let query = try parser.parseQuery()
        try parser.expectEnd()
        return query
    }

    static let relativeDates: Set<String> = [
        "TODAY", "YESTERDAY", "TOMORROW", "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK", "THIS_MONTH", "LAST_MONTH",
        "NEXT_MONTH", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR", "LAST_90_DAYS", "NEXT_90_DAYS",
    ]
    static let relativeDatesWithCount: Set<String> = [
        "LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO", "LAST_N_WEEKS", "NEXT_N_WEEKS", "LAST_N_MONTHS", "NEXT_N_MONTHS",
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
        var condition = try parseConjunction()
        while acceptKeyword("OR") { condition = .or(condition, try parseConjunction()) }
        return condition
    }

    private mutating func parseConjunction() throws(APIFailure) -> SOQLQuery.Condition {
        var condition = try parseNegation()
        while acceptKeyword("AND") { condition = .and(condition, try parseNegation()) }
        return condition
    }

    private mutating func parseNegation() throws(APIFailure) -> SOQLQuery.Condition {
        if acceptKeyword("NOT") { return .not(try parseNegation()) }
        if current.kind == .openParen {
            advance()
            let inner = try parseCondition()
            _ = try expect(.closeParen)
            return inner
        }
        return try parseSimpleCondition()
    }

    private mutating func parseSimpleCondition() throws(APIFailure) -> SOQLQuery.Condition {
        let field = try parseFieldPath()
        let token = current
        switch token.kind {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            advance()
            let op: SOQLQuery.Operator =
                switch token.kind {
                case .equal: .equal
                case .notEqual: .notEqual
                case .less: .less
                case .lessOrEqual: .lessOrEqual
                case .greater: .greater
                default: .greaterOrEqual
                }
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
                // Bounded so day arithmetic cannot overflow; a hundred thousand days is ~270 years.
                guard countToken.kind == .number, let count = Int(countToken.text), count <= 100_000 else {
                    throw SOQLMessages.unexpected(source, countToken)
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
