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
        var column = max(1, high)
        // "Unexpected identifier 'total'": point at the start of the token, not its end.
        if let token = Self.quotedToken(in: failure.message), !token.isEmpty,
            String(text[..<high]).hasSuffix(token)
        {
            column = max(1, high - token.count + 1)
        }
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

    private static func quotedToken(in message: String) -> String? {
        guard let open = message.firstIndex(of: "'") else { return nil }
        let rest = message[message.index(after: open)...]
        guard let close = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<close])
    }
}
