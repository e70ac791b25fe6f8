/// How caller source is wrapped before JavaScriptCore sees it.
///
/// Each expression and script becomes the body of a function whose parameters are the call's
/// variables. Passing variables as arguments is much faster than adding and deleting globals on
/// every call, and declarations stay local to one run (a top-level `let` would otherwise fail the
/// second time the same script runs). A script runs in an inner function so it may `return`
/// early; the outer one then hands back the variables, which the script may have reassigned.
/// The wrapper opens on the source's first line and closes on a line of its own, so line numbers
/// are the source's own and only first-line columns need shifting.
enum SourceMode: Hashable {
    /// A single expression whose value is the result.
    case expression
    /// Statements; the result is an array of the parameters' final values.
    case script

    /// The text JavaScriptCore compiles for `source`, with `parameters` in scope.
    func wrap(_ source: String, parameters: [String] = []) -> String {
        prefix(parameters: parameters) + source + suffix(parameters: parameters)
    }

    func prefix(parameters: [String]) -> String {
        let list = parameters.joined(separator: ",")
        switch self {
        case .expression: return "(function(\(list)){return ("
        case .script: return "(function(\(list)){(function(){"
        }
    }

    func suffix(parameters: [String]) -> String {
        switch self {
        case .expression: return "\n);})"
        case .script: return "\n})();return [\(parameters.joined(separator: ","))];})"
        }
    }
}

/// Checks that variable names can be function parameters.
enum VariableName {
    /// Why `name` cannot be a variable, or `nil` when it can.
    static func problem(with name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first else { return "a variable name is empty" }
        func isStart(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == "$"
        }
        guard isStart(first), scalars.allSatisfy({ isStart($0) || ("0"..."9").contains($0) }) else {
            return "variable name '\(name)' is not a JavaScript identifier (letters, digits, _ and $)"
        }
        if reserved.contains(name) {
            return "variable name '\(name)' is a reserved word in JavaScript"
        }
        return nil
    }

    private static let reserved: Set<String> = [
        "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
        "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "implements", "import",
        "in", "instanceof", "interface", "let", "new", "null", "package", "private", "protected", "public",
        "return", "static", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while",
        "with", "yield", "arguments", "eval",
    ]
}
