import DialogRuntime
import Foundation
import Integrations
import ParleyJSON
import SalesforceSandboxTesting

/// The replay of one transcript, step by step: what has been captured, who speaks, and what failed so far.
struct Replay {
    let transcript: Transcript
    let stubs = HTTPStubs()
    var failures: [TranscriptFailure] = []
    var nodesRun: Set<CoveredNode> = []
    var transitionsTaken: Set<CoveredTransition> = []
    private var captures: [String: String] = [:]
    private var user: UserID = "tester"
    private var lastTurn: (line: Int, text: String)?
    /// The last authorization link each user was sent, which `@browser` opens.
    private var links: [UserID: String] = [:]
    /// The last callback each user's browser came back to, which `@browser reuse` comes back to again.
    private var callbacks: [UserID: CallbackQuery] = [:]
    /// The output of the last action, and the `<` lines that describe it.
    private var pending: (line: Int, output: TurnOutput, expectations: [(line: Int, expectation: MessageExpectation)])?

    init(transcript: Transcript) {
        self.transcript = transcript
    }

    mutating func run(runtime: BotRuntime, clock: TestClock, salesforce: SalesforceWorld?) async {
        for step in transcript.steps {
            if case .expect(let expectation) = step.action {
                // The parser puts `<` lines only after an action, so there is always output to compare with.
                pending?.expectations.append((step.line, expectation))
                continue
            }
            checkPending()
            do {
                try await perform(step, runtime: runtime, clock: clock, salesforce: salesforce)
            } catch {
                fail(step.line, "\(error)")
            }
        }
        checkPending()
    }

    private mutating func perform(
        _ step: TranscriptStep, runtime: BotRuntime, clock: TestClock, salesforce: SalesforceWorld?
    ) async throws {
        switch step.action {
        case .expect:
            break
        case .say(let text):
            let said = substituted(text)
            lastTurn = (step.line, said)
            received(await runtime.handle(said, from: user), at: step.line)
        case .greeting:
            received(await runtime.greeting(for: user), at: step.line)
        case .user(let name):
            user = name
        case .reset:
            try await runtime.reset(user)
        case .clock(let change):
            clock.apply(change)
        case .http(let stub):
            stubs.add(stub, captures: captures)
        case .salesforce(let authorization, let app):
            try await world(salesforce).configure(authorization: authorization, app: app)
        case .salesforceOutage(let on):
            try world(salesforce).setOutage(on)
        case .salesforceTokens(let change):
            try await world(salesforce).change(tokens: change, of: user)
        case .browser(let action):
            try await browse(action, runtime: runtime, clock: clock, world: try world(salesforce), line: step.line)
        case .browserAccount(let username):
            try world(salesforce).signInAs(username)
        case .expectContext(let path, let value):
            try await expectContext(path: path, value: value, runtime: runtime, line: step.line)
        case .expectRecord(let type, let fields, let exists):
            try await expectRecord(type: type, fields: fields, exists: exists, world: try world(salesforce), line: step.line)
        case .seedRecord(let type, let fields, let capture):
            var values: [String: JSONValue] = [:]
            for field in fields { values[field.field] = Self.typed(substituted(field.value)) }
            let id = try await world(salesforce).insert(type: type, fields: values)
            if let capture { captures[capture] = id }
        }
    }

    // MARK: - Output and `<` lines

    private mutating func received(_ output: TurnOutput, at line: Int) {
        for event in output.trace {
            switch event.kind {
            case .nodeRun:
                if let node = event.node { nodesRun.insert(CoveredNode(task: event.task, node: node)) }
            case .transition(let target):
                transitionsTaken.insert(CoveredTransition(task: event.task, from: event.node, to: target))
            case .note: break
            }
        }
        for message in output.messages {
            if case .authorization(let request) = message.kind { links[user] = request.url }
        }
        for call in stubs.takeUnanswered() {
            fail(line, "no @http stub answers \(call); add a line like @http \(call) -> 200 {…}")
        }
        for diagnostic in output.diagnostics {
            fail(line, "the bot reported a problem: \(diagnostic)")
        }
        pending = (line, output, [])
    }

    /// Compares the last action's messages with the `<` lines after it, one message per expectation.
    private mutating func checkPending() {
        guard let pending else { return }
        self.pending = nil
        stubs.updateCaptures(captures)
        let messages = pending.output.messages.map(\.text)
        let expectations = pending.expectations
        var expectedLines: [String] = []
        var firstMismatch: Int?
        for (index, (line, expectation)) in expectations.enumerated() {
            if index < messages.count, let captured = expectation.match(messages[index], captures: captures) {
                captures.merge(captured) { _, new in new }
                expectedLines += Self.lines(of: messages[index])
            } else {
                expectedLines += expectation.source
                if firstMismatch == nil { firstMismatch = line }
            }
        }
        stubs.updateCaptures(captures)
        guard firstMismatch != nil || messages.count != expectations.count else { return }
        let actualLines = messages.flatMap(Self.lines(of:))
        let message: String
        if messages.count != expectations.count {
            message = "the bot sent \(Self.count(messages.count)), the transcript expects \(Self.count(expectations.count))"
        } else {
            message = "the bot's answer differs"
        }
        let line = firstMismatch ?? expectations.last?.line ?? pending.line
        failures.append(TranscriptFailure(line: line, turn: lastTurn, message: message, expected: expectedLines, actual: actualLines))
    }

    static func lines(of message: String) -> [String] {
        let parts = message.split(separator: "\n", omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            (index == 0 ? "<" : "|") + (part.isEmpty ? "" : " " + part)
        }
    }

    private static func count(_ n: Int) -> String { n == 1 ? "1 message" : "\(n) messages" }

    // MARK: - The browser

    private mutating func browse(
        _ action: BrowserAction, runtime: BotRuntime, clock: TestClock, world: SalesforceWorld, line: Int
    ) async throws {
        let query: CallbackQuery
        if action == .reuse {
            guard let last = callbacks[user] else {
                throw TranscriptRunError("@browser reuse needs a callback the browser came back to before, but \(user) has none")
            }
            query = last
        } else {
            guard let link = links[user] else {
                throw TranscriptRunError("@browser \(action) needs an authorization link, but the bot sent \(user) none")
            }
            links[user] = nil
            let callback = try await world.openLink(link, allow: action != .deny)
            if action == .deny, callback.error == nil {
                throw TranscriptRunError("denying access did not send an error back to the callback")
            }
            if action == .expire {
                // The person took longer than the link lives before coming back from the consent page.
                clock.apply(.advance(world.authorizer.linkLifetime + 1))
            }
            query = CallbackQuery(state: callback.state, code: callback.code, error: callback.error)
        }
        callbacks[user] = query
        // The same answer the callback server gives a browser, delivered to the chat as the server does.
        let result = await world.authorizer.answer(query)
        if action == .allow {
            switch result.outcome {
            case .connected: break
            case .awaitingCode:
                // Confirm-with-code mode: what the page shows is what the user types next, as `> {{code}}`.
                captures["code"] = result.code
            default: throw TranscriptRunError("the sandbox did not authorize: \(result.outcome)")
            }
        }
        received(await result.outcome.deliver(to: runtime) ?? TurnOutput(), at: line)
    }

    // MARK: - Assertions

    private mutating func expectContext(path: String, value: String, runtime: BotRuntime, line: Int) async throws {
        let text = substituted(value)
        guard let expected = try? JSONValue(parsing: text) else {
            throw TranscriptRunError("'\(text)' is not JSON; write strings in quotes, like \"Acme\"")
        }
        let actual = try await runtime.context(for: user, revealingSensitiveValues: true).value(atPath: path)
        // A missing value and `null` are the same to scripts (`context.x == null`), so they are here too.
        guard (actual ?? .null) != expected else { return }
        failures.append(
            TranscriptFailure(
                line: line, turn: lastTurn, message: "context.\(path) differs",
                expected: ["context.\(path) == \(expected.jsonText())"],
                actual: ["context.\(path) == \(actual?.jsonText() ?? "undefined")"]))
    }

    private mutating func expectRecord(
        type: String, fields: [FieldValue], exists: Bool, world: SalesforceWorld, line: Int
    ) async throws {
        var patterns: [(field: String, pattern: MessagePattern)] = []
        for field in fields {
            do {
                patterns.append((field.field, try MessagePattern(parsing: field.value)))
            } catch {
                throw TranscriptRunError("\(field.field): \(error)")
            }
        }
        let plain = patterns.filter(\.pattern.isPlainText).map { ($0.field, Self.typed($0.pattern.substituted(captures))) }
        let candidates: [JSONValue]
        if let id = plain.first(where: { $0.0 == "Id" })?.1.stringValue {
            candidates = try await world.record(type: type, id: id).map { [$0] } ?? []
        } else {
            candidates = try await world.records(type: type, fields: patterns.map(\.field), where: plain)
        }
        for candidate in candidates {
            var found: [String: String] = [:]
            let matches = patterns.allSatisfy { field, pattern in
                guard let captured = pattern.match(candidate[field]?.displayText ?? "", captures: captures) else { return false }
                found.merge(captured) { _, new in new }
                return true
            }
            if matches, !exists {
                failures.append(
                    TranscriptFailure(
                        line: line, turn: lastTurn, message: "a \(type) record has these fields, and none should",
                        expected: ["(no \(type) like this)"],
                        actual: patterns.map { "\($0.field)=\(candidate[$0.field]?.displayText ?? "")" }))
                return
            }
            if matches {
                captures.merge(found) { _, new in new }
                stubs.updateCaptures(captures)
                return
            }
        }
        guard exists else { return }
        let expected = patterns.map { "\($0.field)=\($0.pattern.substituted(captures))" }
        let actual = candidates.first.map { record in patterns.map { "\($0.field)=\(record[$0.field]?.displayText ?? "")" } }
        failures.append(
            TranscriptFailure(
                line: line, turn: lastTurn,
                message: actual == nil ? "no \(type) record has these fields" : "the \(type) record's fields differ",
                expected: expected, actual: actual ?? ["(no \(type) found)"]))
    }

    // MARK: - Helpers

    private func world(_ salesforce: SalesforceWorld?) throws -> SalesforceWorld {
        guard let salesforce else { throw TranscriptRunError("this bot has no Salesforce integration") }
        return salesforce
    }

    private func substituted(_ text: String) -> String {
        guard text.contains("{{") else { return text }
        return (try? MessagePattern(parsing: text))?.substituted(captures) ?? text
    }

    private mutating func fail(_ line: Int, _ message: String) {
        failures.append(TranscriptFailure(line: line, turn: lastTurn, message: message))
    }

    /// A field value as Salesforce would take it: plain numbers and booleans as such, everything else as text.
    static func typed(_ text: String) -> JSONValue {
        if text == "true" || text == "false" { return .bool(text == "true") }
        let isNumber = text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"#, options: .regularExpression) != nil
        if isNumber, let number = Double(text) { return .number(number) }
        return .string(text)
    }
}
