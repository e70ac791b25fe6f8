import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON

/// Reads transcript files (`*.chat`) into ``Transcript`` values.
///
/// Every problem in a file is reported at once, each with its line.
public enum TranscriptParser {
    /// Reads a transcript file.
    ///
    /// - Parameter path: as the user named it; `@bot` folders are resolved against the file's folder.
    /// - Throws: `TranscriptSyntaxError` listing every line that cannot be read, or when the file cannot be read.
    public static func parse(contentsOf path: String) throws(TranscriptSyntaxError) -> Transcript {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TranscriptSyntaxError(
                path: path, problems: [.init(line: 0, message: "cannot read the file: \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TranscriptSyntaxError(path: path, problems: [.init(line: 0, message: "the file is not UTF-8 text")])
        }
        return try parse(text, path: path)
    }

    /// Reads a transcript from text.
    ///
    /// - Throws: `TranscriptSyntaxError` listing every line that cannot be read.
    public static func parse(_ text: String, path: String) throws(TranscriptSyntaxError) -> Transcript {
        var state = ParseState(path: path)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        for (index, line) in lines.enumerated() {
            state.read(line, number: index + 1)
        }
        state.finishMessage()
        guard state.problems.isEmpty else { throw TranscriptSyntaxError(path: path, problems: state.problems) }
        let fallbackTitle = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Transcript(path: path, title: state.title ?? fallbackTitle, settings: state.settings, steps: state.steps)
    }
}

/// Lines of a transcript that cannot be read, each with its line number.
public struct TranscriptSyntaxError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var message: String
    }

    public var path: String
    public var problems: [Problem]

    public var description: String {
        problems.map { "\($0.line > 0 ? "\(path):\($0.line)" : path): error: \($0.message)" }.joined(separator: "\n")
    }
}

private struct ParseState {
    let path: String
    var title: String?
    var settings = TranscriptSettings()
    var steps: [TranscriptStep] = []
    var problems: [TranscriptSyntaxError.Problem] = []
    /// Names captured so far, so a `{{name}}` used before its capture is caught before running.
    var captured: Set<String> = []
    /// The `<` message being read, which `|` lines continue.
    var message: (line: Int, marker: String, lines: [String])?
    /// Whether `<` lines may come now: right after a user line, `@greeting`, `@browser` or another `<` line.
    var botMayAnswer = false

    init(path: String) {
        self.path = path
    }

    mutating func read(_ line: String, number: Int) {
        if line.hasPrefix("|") {
            guard message != nil else {
                problem(number, "a '|' line continues a bot message, but no '<' line comes before it")
                return
            }
            message?.lines.append(line.hasPrefix("| ") ? String(line.dropFirst(2)) : String(line.dropFirst()))
            return
        }
        finishMessage()
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return }
        if trimmed.hasPrefix("#") {
            let comment = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
            if comment.lowercased().hasPrefix("title:"), title == nil {
                title = comment.dropFirst(6).trimmingCharacters(in: .whitespaces)
            }
            return
        }
        if line.hasPrefix(">") {
            let text = Self.afterMarker(line, 1)
            do {
                let pattern = try MessagePattern(parsing: text)
                guard pattern.isPlainText else {
                    problem(number, "a user line can reuse captures ({{name}}) but not match patterns")
                    return
                }
                checkReuse(pattern.reusedNames, line: number)
                steps.append(TranscriptStep(line: number, action: .say(text)))
                botMayAnswer = true
            } catch {
                problem(number, error.description)
            }
            return
        }
        if line.hasPrefix("<"), !botMayAnswer {
            problem(number, "a '<' line must follow what the bot answers: a '>' line, @greeting or @browser")
            return
        }
        if !line.hasPrefix("<") { botMayAnswer = false }
        if line.hasPrefix("<~") {
            message = (number, "<~", [Self.afterMarker(line, 2)])
        } else if line.hasPrefix("<?") {
            message = (number, "<?", [Self.afterMarker(line, 2)])
        } else if line.hasPrefix("<") {
            message = (number, "<", [Self.afterMarker(line, 1)])
        } else if line.hasPrefix("@") {
            directive(Self.withoutComment(trimmed), line: number)
        } else {
            problem(
                number,
                "'\(trimmed.prefix(30))' is not a transcript line; start it with '>' (user), '<' (bot), '|' (more of the bot's message), '@' (directive) or '#' (comment)"
            )
        }
    }

    mutating func finishMessage() {
        guard let message else { return }
        self.message = nil
        let text = message.lines.joined(separator: "\n")
        var source = [message.marker + (message.lines[0].isEmpty ? "" : " ") + message.lines[0]]
        source += message.lines.dropFirst().map { "| " + $0 }
        let kind: MessageExpectation.Kind
        do {
            switch message.marker {
            case "<~":
                do {
                    var probe = text
                    for name in captured { probe = probe.replacingOccurrences(of: "{{\(name)}}", with: "x") }
                    _ = try NSRegularExpression(pattern: probe)
                } catch {
                    problem(message.line, "'\(text)' is not a valid regular expression")
                    return
                }
                kind = .regex(text)
            case "<?":
                let alternatives = text.components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces) }
                guard alternatives.count > 1 else {
                    problem(message.line, "a '<?' line lists alternatives separated by ' | ', and this one has only one")
                    return
                }
                kind = .oneOf(try alternatives.map { alternative throws(PatternSyntaxError) in try MessagePattern(parsing: alternative) })
            default:
                kind = .text(try MessagePattern(parsing: text))
            }
        } catch {
            problem(message.line, error.description)
            return
        }
        let expectation = MessageExpectation(kind: kind, source: source)
        checkReuse(expectation.reusedNames, line: message.line)
        var seen = Set<String>()
        for name in expectation.captureNames where !seen.insert(name).inserted {
            problem(message.line, "'\(name)' is captured twice in one message; give each capture its own name")
        }
        captured.formUnion(expectation.captureNames)
        steps.append(TranscriptStep(line: message.line, action: .expect(expectation)))
    }

    // MARK: - Directives

    /// Each directive and its own small parser, in the order the format's documentation lists them.
    static let directives: [(name: String, parse: @Sendable (inout ParseState, _ argument: String, _ line: Int) -> Void)] = [
        ("@bot", { $0.bot($1, line: $2) }),
        ("@user", { $0.user($1, line: $2) }),
        ("@greeting", { state, _, line in state.greeting(line: line) }),
        ("@reset", { state, _, line in state.steps.append(TranscriptStep(line: line, action: .reset)) }),
        ("@env", { $0.env($1, line: $2) }),
        ("@timezone", { $0.timeZone($1, line: $2) }),
        ("@clock", { $0.clock($1, line: $2) }),
        ("@http", { $0.http($1, line: $2) }),
        ("@salesforce", { $0.salesforce($1, line: $2) }),
        ("@browser", { $0.browser($1, line: $2) }),
        ("@expect", { $0.expect($1, line: $2) }),
        ("@seed", { $0.seed($1, line: $2) }),
        ("@title", { state, argument, _ in state.title = argument }),
    ]

    mutating func directive(_ text: String, line: Int) {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0].lowercased()
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        if let directive = Self.directives.first(where: { $0.name == name }) {
            return directive.parse(&self, argument, line)
        }
        let known = Self.directives.map(\.name)
        var message = "unknown directive \(parts[0])"
        if let close = Suggestion.closest(to: name, among: known) {
            message += "; did you mean \(close)?"
        } else {
            message += "; directives are " + known.joined(separator: ", ")
        }
        problem(line, message)
    }

    mutating func bot(_ argument: String, line: Int) {
        guard !argument.isEmpty else { return problem(line, "@bot names the bot's folder, relative to this file") }
        let folder = (path as NSString).deletingLastPathComponent
        settings.botFolder = argument.hasPrefix("/") ? argument : (folder as NSString).appendingPathComponent(argument)
    }

    mutating func user(_ argument: String, line: Int) {
        guard !argument.isEmpty, !argument.contains(" ") else { return problem(line, "@user takes one name, like @user ana") }
        steps.append(TranscriptStep(line: line, action: .user(UserID(argument))))
    }

    mutating func greeting(line: Int) {
        steps.append(TranscriptStep(line: line, action: .greeting))
        botMayAnswer = true
    }

    mutating func env(_ argument: String, line: Int) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            return problem(line, "@env takes name=value, like @env ordersApi=http://orders.test")
        }
        settings.variables[String(argument[..<equals])] = .string(String(argument[argument.index(after: equals)...]))
    }

    mutating func timeZone(_ argument: String, line: Int) {
        guard let zone = TimeZone(identifier: argument) else {
            return problem(line, "'\(argument)' is not a time zone; use a name like Europe/Paris or UTC")
        }
        settings.timeZone = zone
    }

    mutating func browser(_ argument: String, line: Int) {
        if argument.hasPrefix("as ") {
            let username = argument.dropFirst(3).trimmingCharacters(in: .whitespaces)
            guard SalesforceWorld.passwords[username] != nil else {
                let known = SalesforceWorld.passwords.keys.sorted().joined(separator: " or ")
                return problem(line, "@browser as takes a sandbox login (\(known)), not '\(username)'")
            }
            steps.append(TranscriptStep(line: line, action: .browserAccount(username)))
            return
        }
        guard let action = BrowserAction(rawValue: argument.lowercased()) else {
            return problem(line, "@browser takes allow, deny, expire, reuse or as LOGIN, not '\(argument)'")
        }
        steps.append(TranscriptStep(line: line, action: .browser(action)))
        // In confirm-with-code mode the page's code is captured as `code`, for `> {{code}}`.
        if action == .allow { captured.insert("code") }
        botMayAnswer = true
    }

    /// How far one `@clock +N` may move time: a century, which keeps every date a run computes in range.
    static let longestClockStep: TimeInterval = 36_500 * 86_400

    mutating func clock(_ argument: String, line: Int) {
        if argument.hasPrefix("+") {
            let amount = argument.dropFirst()
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
            guard let unit = amount.last, let scale = units[unit], let value = Double(amount.dropLast()), value >= 0 else {
                return problem(line, "@clock +N moves time on by N seconds, minutes, hours or days: +30s, +15m, +2h, +1d")
            }
            // `Double` also reads `inf` and `1e300`, which would move the clock past any date.
            guard value * scale <= Self.longestClockStep else {
                return problem(line, "@clock +N moves time on by at most 100 years (+36500d), not \(argument)")
            }
            steps.append(TranscriptStep(line: line, action: .clock(.advance(value * scale))))
            return
        }
        guard let date = Self.isoDate(argument) else {
            return problem(line, "@clock takes a time like 2026-03-02T09:00:00Z, or +15m to move it on")
        }
        steps.append(TranscriptStep(line: line, action: .clock(.set(date))))
    }

    mutating func http(_ argument: String, line: Int) {
        guard let arrow = argument.range(of: " -> ") else {
            return problem(line, "@http takes METHOD URL -> STATUS BODY, like @http GET http://orders.test/orders/1 -> 404 {}")
        }
        let request = argument[..<arrow.lowerBound].split(separator: " ").map(String.init)
        let response = argument[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
        let statusText = response.prefix { $0.isNumber }
        guard request.count == 2, let status = Int(statusText), (100...599).contains(status) else {
            return problem(line, "@http takes METHOD URL -> STATUS BODY, like @http GET http://orders.test/orders/1 -> 404 {}")
        }
        do {
            let url = try MessagePattern(parsing: request[1])
            let body = response.dropFirst(statusText.count).trimmingCharacters(in: .whitespaces)
            steps.append(
                TranscriptStep(line: line, action: .http(HTTPStub(method: request[0].uppercased(), url: url, status: status, body: body))))
        } catch {
            problem(line, error.description)
        }
    }

    mutating func salesforce(_ argument: String, line: Int) {
        let usage =
            "@salesforce takes authorization=user|preauthorized, app=system|custom, data=empty|demo, outage=on|off and tokens=revoked|expired|signed-out"
        guard let pairs = Self.fields(argument), !pairs.isEmpty else { return problem(line, usage) }
        var authorization: String?
        var app: String?
        for pair in pairs {
            switch pair.field.lowercased() {
            case "authorization" where ["user", "preauthorized"].contains(pair.value):
                authorization = pair.value
            case "app" where ["system", "custom"].contains(pair.value):
                app = pair.value
            case "data" where ["demo", "empty"].contains(pair.value):
                settings.salesforceDemoData = pair.value == "demo"
            case "outage" where ["on", "off"].contains(pair.value):
                steps.append(TranscriptStep(line: line, action: .salesforceOutage(pair.value == "on")))
            case "tokens" where SalesforceTokenChange(rawValue: pair.value) != nil:
                steps.append(TranscriptStep(line: line, action: .salesforceTokens(SalesforceTokenChange(rawValue: pair.value)!)))
            default:
                return problem(line, "\(usage), not \(pair.field)=\(pair.value)")
            }
        }
        guard authorization != nil || app != nil else { return }
        steps.append(TranscriptStep(line: line, action: .salesforce(authorization: authorization, app: app)))
    }

    mutating func expect(_ argument: String, line: Int) {
        let exists = !argument.hasPrefix("no salesforce ")
        let argument = exists ? argument : String(argument.dropFirst(3))
        if argument.hasPrefix("salesforce ") {
            let rest = argument.dropFirst("salesforce ".count)
            let parts = rest.split(separator: " ", maxSplits: 1).map(String.init)
            guard let type = parts.first, let fields = Self.fields(parts.count > 1 ? parts[1] : ""), !fields.isEmpty else {
                return problem(line, "@expect salesforce takes a type and Field=value pairs, like @expect salesforce Lead LastName=Doe")
            }
            checkPatterns(fields, line: line)
            steps.append(TranscriptStep(line: line, action: .expectRecord(type: type, fields: fields, exists: exists)))
            return
        }
        guard argument.hasPrefix("context."), let equals = argument.range(of: " == ") else {
            return problem(
                line, "@expect takes context.PATH == JSON (like context.entities.city == \"Paris\") or salesforce TYPE Field=value")
        }
        let path = String(argument[argument.index(argument.startIndex, offsetBy: 8)..<equals.lowerBound])
        let value = argument[equals.upperBound...].trimmingCharacters(in: .whitespaces)
        var probe = value
        for name in captured { probe = probe.replacingOccurrences(of: "{{\(name)}}", with: name) }
        if (try? JSONValue(parsing: probe)) == nil, !value.contains("{{") {
            return problem(line, "'\(value)' is not JSON; write strings in quotes, like \"Acme\"")
        }
        steps.append(TranscriptStep(line: line, action: .expectContext(path: path, value: value)))
    }

    mutating func seed(_ argument: String, line: Int) {
        guard argument.hasPrefix("salesforce ") else {
            return problem(line, "@seed takes salesforce TYPE Field=value ..., like @seed salesforce Lead LastName=Smith Company=Globex")
        }
        var rest = String(argument.dropFirst("salesforce ".count))
        var capture: String?
        if let range = rest.range(of: " as ", options: .backwards) {
            let name = rest[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if !name.contains("="), !name.contains(" "), !name.isEmpty {
                capture = name
                rest = String(rest[..<range.lowerBound])
            }
        }
        let parts = rest.split(separator: " ", maxSplits: 1).map(String.init)
        guard let type = parts.first, let fields = Self.fields(parts.count > 1 ? parts[1] : ""), !fields.isEmpty else {
            return problem(
                line, "@seed salesforce takes a type and Field=value pairs, like @seed salesforce Lead LastName=Smith Company=Globex")
        }
        checkPatterns(fields, line: line)
        if let capture { captured.insert(capture) }
        steps.append(TranscriptStep(line: line, action: .seedRecord(type: type, fields: fields, capture: capture)))
    }

    // MARK: - Helpers

    mutating func checkPatterns(_ fields: [FieldValue], line: Int) {
        for field in fields {
            do {
                checkReuse(try MessagePattern(parsing: field.value).reusedNames, line: line)
            } catch {
                problem(line, "\(field.field): \(error.description)")
            }
        }
    }

    mutating func checkReuse(_ names: [String], line: Int) {
        for name in names where !captured.contains(name) {
            problem(line, "{{\(name)}} is used before any line captures it; capture it first with {{\(name):/regex/}}")
        }
    }

    mutating func problem(_ line: Int, _ message: String) {
        problems.append(.init(line: line, message: message))
    }

    static func afterMarker(_ line: String, _ count: Int) -> String {
        let rest = line.dropFirst(count)
        return String(rest.hasPrefix(" ") ? rest.dropFirst() : rest)
    }

    /// A directive may end with a comment after whitespace and `#`.
    static func withoutComment(_ text: String) -> String {
        var inQuotes = false
        var previous: Character = " "
        for index in text.indices {
            let character = text[index]
            if character == "\"" { inQuotes.toggle() }
            if character == "#", !inQuotes, previous == " " || previous == "\t" {
                return text[..<index].trimmingCharacters(in: .whitespaces)
            }
            previous = character
        }
        return text
    }

    /// `Field=value Other="two words"`, or `nil` when a pair is malformed.
    static func fields(_ text: String) -> [FieldValue]? {
        var result: [FieldValue] = []
        var rest = Substring(text).drop { $0 == " " }
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), equals != rest.startIndex else { return nil }
            let name = String(rest[..<equals])
            guard !name.contains(" ") else { return nil }
            rest = rest[rest.index(after: equals)...]
            let value: String
            if rest.hasPrefix("\"") {
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: "\"") else { return nil }
                value = String(body[..<close])
                rest = body[body.index(after: close)...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            result.append(FieldValue(name, value))
            rest = rest.drop { $0 == " " }
        }
        return result
    }

    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }
}
