import SalesforceWire

/// Splits SOQL and SOSL text into tokens with their positions.
struct SOQLLexer {
    private let characters: [Character]
    private var index = 0
    private var row = 1
    private var column = 1
    /// The query text, for error messages that quote the offending row.
    let source: String

    init(_ source: String) {
        self.source = source
        characters = Array(source)
    }

    /// All tokens, ending with `.end`.
    static func tokens(in source: String) throws(APIFailure) -> [SOQLToken] {
        var lexer = SOQLLexer(source)
        var tokens: [SOQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var current: Character? { index < characters.count ? characters[index] : nil }

    private func peek(_ offset: Int) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        if characters[index] == "\n" {
            row += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func next() throws(APIFailure) -> SOQLToken {
        while let character = current, character.isWhitespace { advance() }
        let start = SourcePosition(row: row, column: column)
        let startIndex = index
        func token(_ kind: SOQLToken.Kind, value: String? = nil) -> SOQLToken {
            let text = String(characters[startIndex..<index])
            return SOQLToken(kind: kind, text: text, value: value ?? text, position: start)
        }
        guard let character = current else {
            return SOQLToken(kind: .end, text: "", value: "", position: start)
        }
        switch character {
        case ",":
            advance()
            return token(.comma)
        case ".":
            advance()
            return token(.dot)
        case ":":
            advance()
            return token(.colon)
        case "(":
            advance()
            return token(.openParen)
        case ")":
            advance()
            return token(.closeParen)
        case "=":
            advance()
            return token(.equal)
        case "!":
            advance()
            guard current == "=" else { throw SOQLMessages.malformed(source, at: start, "unexpected token: '!'") }
            advance()
            return token(.notEqual)
        case "<":
            advance()
            if current == "=" {
                advance()
                return token(.lessOrEqual)
            }
            if current == ">" {
                advance()
                return token(.notEqual)
            }
            return token(.less)
        case ">":
            advance()
            if current == "=" {
                advance()
                return token(.greaterOrEqual)
            }
            return token(.greater)
        case "'", "\"":
            return try quoted(start: start, startIndex: startIndex, quote: character)
        case "{":
            return try braced(start: start, startIndex: startIndex)
        case "-", "+":
            guard let next = peek(1), next.isASCII, next.isNumber else {
                throw SOQLMessages.malformed(source, at: start, "unexpected token: '\(character)'")
            }
            advance()
            return scanNumber(start: start, startIndex: startIndex)
        default:
            if character.isASCII, character.isNumber {
                if let dateToken = scanDate(start: start, startIndex: startIndex) { return dateToken }
                return scanNumber(start: start, startIndex: startIndex)
            }
            if character.isLetter || character == "_" {
                while let next = current, next.isLetter || next.isNumber || next == "_" { advance() }
                return token(.word)
            }
            throw SOQLMessages.malformed(source, at: start, "unexpected token: '\(character)'")
        }
    }

    private mutating func scanNumber(start: SourcePosition, startIndex: Int) -> SOQLToken {
        while let next = current, next.isASCII, next.isNumber { advance() }
        if current == ".", let after = peek(1), after.isASCII, after.isNumber {
            advance()
            while let next = current, next.isASCII, next.isNumber { advance() }
        }
        let text = String(characters[startIndex..<index])
        return SOQLToken(kind: .number, text: text, value: text, position: start)
    }

    /// Recognizes `yyyy-MM-dd` and `yyyy-MM-ddTHH:mm:ss[.SSS](Z|±hh:mm)`; `nil` leaves the text to numbers.
    private mutating func scanDate(start: SourcePosition, startIndex: Int) -> SOQLToken? {
        func matches(_ pattern: String, at offset: Int) -> Bool {
            for (position, expected) in pattern.enumerated() {
                guard let actual = peek(offset + position) else { return false }
                if expected == "d" {
                    guard actual.isASCII, actual.isNumber else { return false }
                } else if actual != expected {
                    return false
                }
            }
            return true
        }
        guard matches("dddd-dd-dd", at: 0) else { return nil }
        var length = 10
        var kind = SOQLToken.Kind.date
        if matches("Tdd:dd:dd", at: 10) {
            kind = .dateTime
            length = 19
            if peek(length) == "." {
                length += 1
                while let next = peek(length), next.isASCII, next.isNumber { length += 1 }
            }
            if peek(length) == "Z" {
                length += 1
            } else if peek(length) == "+" || peek(length) == "-", matches("dd:dd", at: length + 1) {
                length += 6
            } else if peek(length) == "+" || peek(length) == "-", matches("dddd", at: length + 1) {
                length += 5
            } else {
                return nil
            }
        }
        for _ in 0..<length { advance() }
        let text = String(characters[startIndex..<index])
        return SOQLToken(kind: kind, text: text, value: text, position: start)
    }

    private mutating func quoted(start: SourcePosition, startIndex: Int, quote: Character) throws(APIFailure) -> SOQLToken {
        advance()
        var value = ""
        while let character = current {
            if character == quote {
                advance()
                return SOQLToken(kind: .string, text: String(characters[startIndex..<index]), value: value, position: start)
            }
            if character == "\\" {
                advance()
                guard let escaped = current else { break }
                switch escaped {
                case "n": value.append("\n")
                case "r": value.append("\r")
                case "t": value.append("\t")
                case "b": value.append("\u{08}")
                case "f": value.append("\u{0C}")
                case "'", "\"", "\\": value.append(escaped)
                // LIKE wildcards stay escaped so the pattern matcher can tell them from wildcards.
                case "%", "_":
                    value.append("\\")
                    value.append(escaped)
                default:
                    throw SOQLMessages.malformed(
                        source, at: SourcePosition(row: row, column: column - 1),
                        "Invalid string literal '\(String(characters[startIndex..<min(index + 1, characters.count)]))'. Illegal character sequence '\\\(escaped)' in string literal."
                    )
                }
                advance()
                continue
            }
            value.append(character)
            advance()
        }
        throw SOQLMessages.malformed(source, at: start, "unexpected token: <EOF>")
    }

    private mutating func braced(start: SourcePosition, startIndex: Int) throws(APIFailure) -> SOQLToken {
        advance()
        var value = ""
        while let character = current {
            if character == "}" {
                advance()
                return SOQLToken(kind: .braced, text: String(characters[startIndex..<index]), value: value, position: start)
            }
            if character == "\\", let escaped = peek(1) {
                advance()
                value.append(escaped)
                advance()
                continue
            }
            value.append(character)
            advance()
        }
        throw SOQLMessages.malformedSearch("Missing '}' in search term")
    }
}
