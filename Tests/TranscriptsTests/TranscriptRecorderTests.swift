import Channels
import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON
import Testing
import Transcripts

@Suite("Recording chats as transcripts")
struct TranscriptRecorderTests {
    /// Record ids become named captures reused later (also in what the user types); links and timestamps become holes.
    @Test func volatileValuesBecomePatterns() throws {
        let recorder = TranscriptRecorder(
            path: NSTemporaryDirectory() + "parley-recorded-\(UUID().uuidString).chat", botFolder: TestPaths.dialogs,
            user: "ana", start: Date(timeIntervalSince1970: 1_772_442_000))
        defer { try? FileManager.default.removeItem(atPath: recorder.path) }
        let link = "http://127.0.0.1:40123/services/oauth2/authorize?state=abc"
        try recorder.turn(
            "create a lead",
            output: TurnOutput(messages: [
                BotMessage(
                    "Please authorize Salesforce before we continue: \(link)",
                    kind: .authorization(AuthorizationRequest(integration: "salesforce", url: link)))
            ]))
        try recorder.authorized(
            TurnOutput(messages: [BotMessage("Lead created with id 00QPa0000000001MAA at 2026-03-02T09:00:12Z.")]), user: "ana")
        try recorder.turn("show 00QPa0000000001MAA", output: TurnOutput(messages: [BotMessage("00QPa0000000001MAA: Doe, {{odd}}")]))
        let text = try String(contentsOfFile: recorder.path, encoding: .utf8)
        #expect(text.contains("@clock 2026-03-02T09:00:00Z\n@user ana\n"))
        #expect(text.contains("< Please authorize Salesforce before we continue: {{*}}\n@browser allow\n"))
        #expect(text.contains(#"< Lead created with id {{lead1:/00Q[0-9A-Za-z]{15}/}} at {{/\d{4}-"#))
        #expect(text.contains("> show {{lead1}}\n< {{lead1}}: Doe, \\{{odd}}\n"))
        // What was written is a transcript the parser accepts.
        _ = try TranscriptParser.parse(text, path: recorder.path)
    }

    /// The code that finishes an authorization is written as `{{code}}`, what `@browser allow` captures, never as
    /// typed; the result replays as a transcript the parser accepts.
    @Test func anAuthorizationCodeIsRecordedAsTheCapture() throws {
        let recorder = TranscriptRecorder(
            path: NSTemporaryDirectory() + "parley-recorded-\(UUID().uuidString).chat", botFolder: TestPaths.dialogs,
            user: "ana", start: Date(timeIntervalSince1970: 1_772_442_000))
        defer { try? FileManager.default.removeItem(atPath: recorder.path) }
        let link = "http://127.0.0.1:8974/a/abc"
        try recorder.turn(
            "list my leads",
            output: TurnOutput(messages: [
                BotMessage(
                    "Please authorize Salesforce before we continue: \(link)",
                    kind: .authorization(AuthorizationRequest(integration: "salesforce", url: link)))
            ]))
        try recorder.authorized(
            TurnOutput(messages: [BotMessage("To finish connecting Salesforce, type the six-digit code your browser shows.")]),
            user: "ana")
        var output = TurnOutput(messages: [BotMessage("Connected to Salesforce as demo@parley.dev.")])
        output.sensitive.insert("271828")
        output.userTextIsSensitive = true
        output.userTextIsAuthorizationCode = true
        try recorder.turn("271828", output: output)
        let text = try String(contentsOfFile: recorder.path, encoding: .utf8)
        #expect(text.contains("@browser allow\n< To finish connecting Salesforce"))
        #expect(text.contains("> {{code}}\n< Connected to Salesforce as demo@parley.dev.\n"))
        #expect(!text.contains("271828"))
        _ = try TranscriptParser.parse(text, path: recorder.path)
    }

    /// A sensitive answer is written as `•••` with a comment saying so, its value is masked in the bot's
    /// messages and in the service stubs kept for replay, and so is a credential given as a bot variable.
    @Test func sensitiveValuesAreMasked() async throws {
        let path = NSTemporaryDirectory() + "parley-recorded-\(UUID().uuidString).chat"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recording = TranscriptRecording(botFolder: TestPaths.dialogs, variables: ["bankToken": "tok-5f3a9c", "region": "eu"])
        let service = HTTPService { _ throws(ServiceCallError) in
            ServiceResponse(statusCode: 200, headers: [], body: Data(#"{"account":"AC-99887766","balance":12}"#.utf8))
        }
        try recording.start(path: path, user: "ana")
        let recorder = try #require(recording.recorder)
        try recorder.turn("check my balance", output: TurnOutput(messages: [BotMessage("What is your account number?")]))
        _ = try await recording.wrap(service).send(ServiceRequest(method: "GET", url: "https://bank.test/accounts/AC-99887766"))
        var answer = TurnOutput(messages: [BotMessage("Account AC-99887766 holds $12.")])
        answer.sensitive = SensitiveText(["AC-99887766"])
        answer.userTextIsSensitive = true
        try recorder.turn("AC-99887766", output: answer)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("99887766"))
        #expect(text.contains("@http GET https://bank.test/accounts/••• -> 200 {\"account\":\"•••\",\"balance\":12}"))
        #expect(text.contains("# The answer below was sensitive and is masked; put a test value in its place to replay.\n> •••\n"))
        #expect(text.contains("< Account ••• holds $12."))
        #expect(text.contains("@env bankToken=•••\n@env region=eu\n"))
        #expect(!text.contains("tok-5f3a9c"))
    }

    /// A chat recorded against a live service replays green on its own, from the `@http` stubs it kept.
    @Test func recordedChatReplaysGreen() async throws {
        let folder = TestPaths.root + "Examples/orders"
        let path = NSTemporaryDirectory() + "parley-recorded-\(UUID().uuidString).chat"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recording = TranscriptRecording(botFolder: folder, variables: ["ordersApi": "http://orders.test"])
        let service = HTTPService { request throws(ServiceCallError) in
            ServiceResponse(statusCode: 201, headers: [.init("Content-Type", "application/json")], body: Data(#"{"id":"ORD-2001"}"#.utf8))
        }
        let bot = try BotLoader.load(directory: folder, scriptChecker: JavaScriptSyntaxChecker()).bot
        let runtime = try BotRuntime(
            bot: bot,
            environment: RuntimeEnvironment(
                http: recording.wrap(service), clock: RuntimeClock(timeZone: TimeZone(identifier: "UTC") ?? .gmt) { Date() },
                random: .live,
                variableOverrides: ["ordersApi": "http://orders.test"]))
        try recording.start(path: path, user: "ana")
        let recorder = try #require(recording.recorder)
        try recorder.greeting(await runtime.greeting(for: "ana"))
        for line in ["buy a grinder", "1", "2026-04-01", "yes"] {
            try recorder.turn(line, output: await runtime.handle(line, from: "ana"))
        }
        #expect(recording.stop() == path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("@http POST http://orders.test/orders -> 201 {\"id\":\"ORD-2001\"}"))
        let result = await TranscriptRunner(defaultBotFolder: TestPaths.dialogs).run(file: path)
        #expect(result.passed, "\(result.report(style: TerminalStyle(usesColor: false)))\n\(text)")
        #expect(result.turns == 4)
    }
}
