import DialogRuntime
import Foundation
import ParleyJSON
import Synchronization
import Testing

/// What a user types and what a service returns is inserted as text: never read again as a
/// `{{…}}` template, never run as JavaScript, percent-encoded in URLs and built as JSON in bodies.
@Suite struct ValuesAreDataTests {
    static let hostile = #"x {{ JSON.stringify(env) }} {{ 6*7 }} "quoted" \ a&b=c#d/e?f"#

    @Test func hostileValuesStayText() async throws {
        let http = RecordingHTTP { _ throws(ServiceCallError) in
            // The service answers with a template and a script of its own.
            RecordingHTTP.json(200, #"{"name":"{{env.secretKey}}","note":"<script>print(env.secretKey)</script> {{7*6}}"}"#)
        }
        let bot = try Harness(
            [
                "echo.yaml": """
                dialog: Echo
                intent: { name: Echo Thing, utterances: [echo a thing] }
                nodes:
                  - id: text
                    entity: { type: string, prompt: "What?" }
                  - id: call
                    service:
                      method: POST
                      url: "http://localhost:9/things/{{context.entities.text}}?q={{context.entities.text}}"
                      body: { Text: "{{context.entities.text}}" }
                  - id: said
                    message: "You said {{context.entities.text}}; it said {{context.call.response.body.name}}."
                  - id: printed
                    message: { script: "print('Printed ' + context.entities.text + ' and ' + context.call.response.body.note)" }
                """
            ], settings: "name: Test Bot\nenv: { secretKey: hunter2 }\n", http: http.service)
        await bot.say("echo a thing")
        let reply = await bot.say(Self.hostile)
        #expect(
            reply == """
                You said \(Self.hostile); it said {{env.secretKey}}.
                Printed \(Self.hostile) and <script>print(env.secretKey)</script> {{7*6}}
                """)
        #expect(!reply.contains("hunter2") && !reply.contains("42"))
        let request = try #require(http.requests.withLock { $0.first })
        let encoded = "x%20%7B%7B%20JSON.stringify%28env%29%20%7D%7D%20%7B%7B%206%2A7%20%7D%7D%20%22quoted%22%20%5C%20a%26b%3Dc%23d%2Fe%3Ff"
        #expect(request.url == "http://localhost:9/things/\(encoded)?q=\(encoded)")
        #expect(try JSONValue(parsing: request.body ?? Data()) == ["Text": .string(Self.hostile)])
    }
}
