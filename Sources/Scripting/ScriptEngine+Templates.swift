public import ParleyJSON

extension ScriptEngine {
    /// Replaces each `{{ expression }}` in `template` with its value as text.
    ///
    /// A plain dotted path (`context.entities.company`, `context.svc.response.body[0].message`)
    /// whose root is one of `variables` is read directly, without JavaScript; when any part of
    /// it is missing the placeholder renders as empty text. Anything else is a JavaScript
    /// expression. Values read the way a person expects: strings plain, whole numbers without
    /// `.0`, `null` and `undefined` empty, objects and arrays as JSON (``JSONValue/displayText``).
    /// - Throws: ``ScriptError`` when a JavaScript expression does not compile, throws, runs too long or allocates
    ///   too much.
    public func render(_ template: String, variables: [String: JSONValue]) throws(ScriptError) -> String {
        try render(template, variables: variables, escaping: nil)
    }

    /// Renders a template whose placeholder values pass through `escape` before they go in: it gets
    /// the text rendered so far and the value's text, and returns what to insert (a URL's parts
    /// percent-encoded, say). Literal text is never escaped.
    ///
    /// - Throws: ``ScriptError`` when a JavaScript expression does not compile, throws, runs too long or allocates
    ///   too much.
    public func render(
        _ template: String, variables: [String: JSONValue], escaping escape: ((_ before: String, _ value: String) -> String)?
    ) throws(ScriptError) -> String {
        try entering { () throws(ScriptError) -> String in try renderOnce(template, variables: variables, escaping: escape) }
    }

    private func renderOnce(
        _ template: String, variables: [String: JSONValue], escaping escape: ((_ before: String, _ value: String) -> String)?
    ) throws(ScriptError) -> String {
        let parsed = parsedTemplate(template)
        guard parsed.hasPlaceholders else {
            var output = ""
            for case .text(let text) in parsed.parts { output += text }
            return output
        }
        var pending: [(index: Int, expression: String)] = []
        var pieces: [String] = []
        var isValue: [Bool] = []
        pieces.reserveCapacity(parsed.parts.count)
        for part in parsed.parts {
            isValue.append(true)
            switch part {
            case .text(let text):
                isValue[isValue.count - 1] = false
                pieces.append(text)
            case .path(let root, let rest, let source):
                switch resolve(root: root, rest: rest, variables: variables) {
                case .value(let value):
                    pieces.append(value?.displayText ?? "")
                case .needsJavaScript:
                    pending.append((pieces.count, source))
                    pieces.append("")
                }
            case .expression(let expression):
                pending.append((pieces.count, expression))
                pieces.append("")
            }
        }
        if !pending.isEmpty {
            // One conversion of the variables serves every expression in the template.
            let values = try withArguments(variables) { (arguments) throws(ScriptError) -> [String] in
                var values: [String] = []
                values.reserveCapacity(pending.count)
                for (_, expression) in pending {
                    let function = try compile(expression, as: .expression, parameters: arguments.names)
                    let value = try convert(try call(function, with: arguments))
                    values.append(value?.displayText ?? "")
                }
                return values
            }
            for (offset, entry) in pending.enumerated() { pieces[entry.index] = values[offset] }
        }
        guard let escape else { return pieces.joined() }
        var output = ""
        for (index, piece) in pieces.enumerated() {
            output += isValue[index] ? escape(output, piece) : piece
        }
        return output
    }

    private enum Resolution {
        /// The value at the path, or `nil` when the path leads nowhere.
        case value(JSONValue?)
        /// JavaScript would give a different answer than the JSON alone (a built-in, a string index).
        case needsJavaScript
    }

    /// Reads a plain path the way JavaScript would, for the values JSON can hold.
    private func resolve(root: String, rest: [JSONPath.Component], variables: [String: JSONValue]) -> Resolution {
        guard var current = variables[root] else {
            return globalExists(root) ? .needsJavaScript : .value(nil)
        }
        for component in rest {
            switch (current, component) {
            case (.object(let members), .key(let key)):
                guard let next = members[key] else { return .value(nil) }
                current = next
            case (.object(let members), .index(let index)):
                guard let next = members[String(index)] else { return .value(nil) }
                current = next
            case (.array(let elements), .index(let index)):
                guard elements.indices.contains(index) else { return .value(nil) }
                current = elements[index]
            case (.array(let elements), .key("length")):
                current = .number(Double(elements.count))
            case (.string(let text), .key("length")):
                current = .number(Double(text.utf16.count))
            case (.null, _):
                return .value(nil)
            default:
                return .needsJavaScript
            }
        }
        return .value(current)
    }

    private func parsedTemplate(_ text: String) -> Template {
        if let cached = templates[text] { return cached }
        let parsed = Template(parsing: text)
        if templates.count >= Self.cacheLimit { templates.removeAll(keepingCapacity: true) }
        templates[text] = parsed
        return parsed
    }
}
