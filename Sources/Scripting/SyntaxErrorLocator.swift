import CJavaScriptCore

/// Finds where in a source JavaScriptCore's parser gives up.
///
/// JavaScriptCore reports the line of a syntax error but not its column. The column is found by
/// checking ever shorter prefixes of that line: the shortest prefix that still fails with the
/// same message ends at the offending token. This costs a handful of parses, only on failure.
struct SyntaxErrorLocator {
    let context: JSContextRef

    /// The syntax error in `source`, or `nil` when it compiles.
    func syntaxError(in source: String, mode: SourceMode) -> ScriptError? {
        guard let failure = check(source, mode: mode) else { return nil }
        guard let line = failure.line else {
            return ScriptError(kind: .syntax, message: failure.message)
        }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else {
            // The parser reached the wrapper's closing line: the source ended too early.
            let last = lines.last.map { Array($0) } ?? []
            return ScriptError(kind: .syntax, message: failure.message, line: lines.count, column: last.count + 1)
        }
        let before = lines[..<(line - 1)].map { $0 + "\n" }.joined()
        let text = Array(lines[line - 1])

        func reproduces(_ length: Int) -> Bool {
            guard let candidate = check(before + String(text[..<length]), mode: mode) else { return false }
            return candidate.message == failure.message && candidate.line == line
        }
        guard reproduces(text.count) else {
            return ScriptError(kind: .syntax, message: failure.message, line: line, column: nil)
        }
        var low = 0
        var high = text.count
        while low < high {
            let middle = (low + high) / 2
            if reproduces(middle) { high = middle } else { low = middle + 1 }
        }
        // The prefix ends with the offending token; point at where that token starts.
        let column = Self.tokenStart(endingAt: high, in: text) + 1
        return ScriptError(kind: .syntax, message: failure.message, line: line, column: column)
    }

    private func check(_ source: String, mode: SourceMode) -> (message: String, line: Int?)? {
        var exception: JSValueRef?
        let valid = withJSString(mode.wrap(source)) { JSCheckScriptSyntax(context, $0, nil, 1, &exception) }
        if valid { return nil }
        guard let exception else { return ("SyntaxError: invalid source", nil) }
        let offset = mode.prefix(parameters: []).utf16.count
        let error = ScriptError(exception: exception, in: context, kind: .syntax, firstLineOffset: offset)
        return (error.message, error.line)
    }

    /// The 0-based start of the token whose last character is at `end - 1`.
    private static func tokenStart(endingAt end: Int, in text: [Character]) -> Int {
        guard end > 0 else { return 0 }
        let last = text[end - 1]
        var start = end - 1
        if last == "'" || last == "\"" || last == "`" {
            // A string literal: back to its opening quote.
            start -= 1
            while start > 0, text[start] != last || text[start - 1] == "\\" { start -= 1 }
            return max(0, start)
        }
        if isIdentifierPart(last) {
            while start > 0, isIdentifierPart(text[start - 1]) { start -= 1 }
        }
        return start
    }

    private static func isIdentifierPart(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "$"
    }
}
