public import DialogRuntime
public import Foundation
import Synchronization

/// Writes a live conversation down as a transcript that replays green.
///
/// Values that change from run to run become patterns: Salesforce record ids turn into captures
/// (`{{lead1:/00Q\w{15}/}}`) reused wherever they appear again, timestamps and authorization links into
/// `{{…}}` holes. The recording starts with `@clock` set to the time it began, so relative dates ("tomorrow")
/// replay the same, and service calls answered during the chat are kept as `@http` stubs. The file is
/// rewritten after every turn, so it is complete whenever the chat ends. Values of sensitive entities are
/// written masked (`•••`), with a comment where the user's own answer was masked.
public final class TranscriptRecorder: Sendable {
    /// Where the transcript is written.
    public let path: String
    private let state: Mutex<State>

    private struct State {
        var lines: [String]
        var user: UserID
        /// Captured id → name, so a later mention becomes `{{name}}`.
        var names: [String: String] = [:]
        var counters: [String: Int] = [:]
        /// Service calls made since the last turn was written.
        var exchanges: [String] = []
        /// Every sensitive value seen so far, masked in whatever is written.
        var sensitive = SensitiveText()
        var stubs: Set<String> = []
    }

    /// - Parameters:
    ///   - botFolder: written as `@bot`, relative to the transcript's folder.
    ///   - variables: the bot variables the chat overrides, written as `@env`.
    public init(path: String, botFolder: String, user: UserID, start: Date = Date(), variables: [String: String] = [:]) {
        self.path = path
        let formatter = ISO8601DateFormatter()
        var lines = [
            "# Title: Recorded chat",
            "@bot " + Self.relativePath(from: (path as NSString).deletingLastPathComponent, to: botFolder),
            "@clock " + formatter.string(from: Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down))),
            "@user \(user)",
        ]
        var sensitive = SensitiveText()
        for name in variables.keys.sorted() {
            let value = variables[name] ?? ""
            if Self.namesACredential(name) && !value.isEmpty {
                // A token given on the command line stays out of the file, and out of the stubs that echo it.
                sensitive.insert(value)
                lines.append("# \(name) held a credential and is masked; put a test value in its place to replay.")
                lines.append("@env \(name)=\(SensitiveText.mask)")
            } else {
                lines.append("@env \(name)=\(value)")
            }
        }
        var initial = State(lines: lines, user: user)
        initial.sensitive = sensitive
        state = Mutex(initial)
    }

    /// Whether a bot variable's name says it holds a credential (`apiToken`, `clientSecret`, `password`).
    static func namesACredential(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["token", "secret", "password", "passwd", "apikey", "api_key", "credential"].contains { lowered.contains($0) }
    }

    /// The transcript so far.
    public var text: String { state.withLock { $0.lines.joined(separator: "\n") + "\n" } }

    /// Records the greeting the user saw.
    public func greeting(_ output: TurnOutput) throws {
        try record { state in
            state.sensitive.formUnion(output.sensitive)
            state.lines.append("")
            state.lines.append("@greeting")
            Self.append(output, to: &state)
        }
    }

    /// Records one turn: what the user said and everything the bot answered.
    public func turn(_ text: String, output: TurnOutput) throws {
        try record { state in
            state.sensitive.formUnion(output.sensitive)
            let sensitive = state.sensitive
            state.lines.append("")
            state.lines += state.exchanges.map { sensitive.masked($0) }
            state.exchanges = []
            if output.userTextIsAuthorizationCode {
                // The code differs each time; `@browser allow` captures the one shown as {{code}}.
                state.lines.append("> {{code}}")
            } else if output.userTextIsSensitive {
                state.lines.append("# The answer below was sensitive and is masked; put a test value in its place to replay.")
                state.lines.append("> " + SensitiveText.mask)
            } else {
                state.lines.append("> " + Self.generalizedUserText(sensitive.masked(text), state: state))
            }
            Self.append(output, to: &state)
        }
    }

    /// Records output that arrived between turns: a task resuming after the user authorized in the browser, or the
    /// chat told that the authorization did not connect.
    public func authorized(_ output: TurnOutput, user: UserID) throws {
        try record { state in
            state.sensitive.formUnion(output.sensitive)
            if state.user != user {
                state.lines.append("@user \(user)")
                state.user = user
            }
            switch output.authorizationFailure {
            case nil: state.lines.append("@browser allow")
            case .denied?: state.lines.append("@browser deny")
            case .expired?: state.lines.append("@browser expire")
            case .alreadyUsed?: state.lines.append("@browser reuse")
            case .failed?: state.lines.append("@browser deny                       # the authorization failed; a denial is told alike")
            // A code is typed in the chat, so its outcome is a turn's, never a callback's.
            case .wrongCode?, .codeExpired?: break
            }
            Self.append(output, to: &state)
        }
    }

    /// Records that a different user speaks from now on.
    public func userChanged(to user: UserID) throws {
        try record { state in
            guard state.user != user else { return }
            state.lines.append("")
            state.lines.append("@user \(user)")
            state.user = user
        }
    }

    /// Records that the conversation started over.
    public func reset() throws {
        try record { state in state.lines.append("@reset") }
    }

    /// A service that forwards to `http` and keeps each answer as an `@http` stub for the next turn.
    public func recording(_ http: HTTPService) -> HTTPService {
        HTTPService { [self] request throws(ServiceCallError) in
            let response = try await http.send(request)
            let body = String(decoding: response.body, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            let line = "@http \(request.method) \(request.url) -> \(response.statusCode) \(body)"
            state.withLock { state in
                if state.stubs.insert(line).inserted { state.exchanges.append(line) }
            }
            return response
        }
    }

    private func record(_ change: (inout State) -> Void) throws {
        let text = state.withLock { state in
            change(&state)
            return state.lines.joined(separator: "\n") + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: - Generalizing volatile values

    private static func append(_ output: TurnOutput, to state: inout State) {
        for message in output.messages {
            let text: String
            if case .authorization(let request) = message.kind {
                // The link holds a fresh state and the sandbox's port each time.
                text = escaped(message.text).replacingOccurrences(of: escaped(request.url), with: "{{*}}")
            } else {
                text = generalized(state.sensitive.masked(message.text), state: &state)
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                state.lines.append((index == 0 ? "<" : "|") + (line.isEmpty ? "" : " " + line))
            }
        }
    }

    /// Salesforce ids: a three-character key prefix (most start with 0) and 12 or 15 more characters.
    private static let recordID = try? NSRegularExpression(pattern: #"\b0[0-9A-Za-z]{2}[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?\b"#)
    /// Timestamps, which differ between a recording and its replay.
    private static let timestamp = try? NSRegularExpression(
        pattern: #"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b"#)

    private static let prefixNames = [
        "00Q": "lead", "006": "opportunity", "001": "account", "003": "contact", "005": "user", "00T": "task",
    ]

    private static func generalized(_ message: String, state: inout State) -> String {
        var result = ""
        var rest = Substring(message)
        while let (range, kind) = nextVolatile(in: rest) {
            result += escaped(String(rest[..<range.lowerBound]))
            let value = String(rest[range])
            switch kind {
            case .timestamp:
                result += #"{{/\d{4}-\d{2}-\d{2}[T ][0-9:.]+(Z|[+-][0-9:]{4,5})?/}}"#
            case .recordID:
                if let name = state.names[value] {
                    result += "{{\(name)}}"
                } else {
                    let base = prefixNames[String(value.prefix(3))] ?? "record"
                    let number = (state.counters[base] ?? 0) + 1
                    state.counters[base] = number
                    let name = "\(base)\(number)"
                    state.names[value] = name
                    result +=
                        "{{\(name):/\(NSRegularExpression.escapedPattern(for: String(value.prefix(3))))[0-9A-Za-z]{\(value.count - 3)}/}}"
                }
            }
            rest = rest[range.upperBound...]
        }
        return result + escaped(String(rest))
    }

    /// What the user typed, with ids the bot showed earlier turned back into `{{name}}`.
    private static func generalizedUserText(_ text: String, state: State) -> String {
        var result = escaped(text)
        for (value, name) in state.names.sorted(by: { $0.key.count > $1.key.count }) {
            result = result.replacingOccurrences(of: value, with: "{{\(name)}}")
        }
        return result
    }

    private enum Volatile { case recordID, timestamp }

    private static func nextVolatile(in text: Substring) -> (Range<Substring.Index>, Volatile)? {
        let string = String(text)
        let range = NSRange(string.startIndex..., in: string)
        var best: (NSRange, Volatile)?
        for (regex, kind) in [(timestamp, Volatile.timestamp), (recordID, Volatile.recordID)] {
            guard let regex, let match = regex.firstMatch(in: string, range: range) else { continue }
            if best == nil || match.range.location < best!.0.location { best = (match.range, kind) }
        }
        guard let (found, kind) = best, let swiftRange = Range(found, in: string) else { return nil }
        let lower = text.index(text.startIndex, offsetBy: string.distance(from: string.startIndex, to: swiftRange.lowerBound))
        let upper = text.index(lower, offsetBy: string.distance(from: swiftRange.lowerBound, to: swiftRange.upperBound))
        return (lower..<upper, kind)
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "{{", with: "\\{{")
    }

    static func relativePath(from folder: String, to target: String) -> String {
        let from = URL(fileURLWithPath: folder).standardizedFileURL.pathComponents
        let to = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var common = 0
        while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        let path = (ups + to[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
