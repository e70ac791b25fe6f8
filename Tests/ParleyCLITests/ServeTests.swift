import AsyncHTTPClient
import Foundation
import HTTPChannel
import NIOCore
import NIOHTTP1
import ParleyJSON
import SalesforceSandboxTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ServeChannelTests {
    /// `parley serve`: the HTTP JSON API as a caller uses it, over loopback, against the lead bot and the in-process sandbox.
    @Suite struct API {
        /// Without a valid bearer secret or body signature a request gets 401 and runs nothing; a signed one is accepted.
        @Test func requestsWithoutValidCredentialsGet401() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state) { server in
                let body = #"{"text":"create a lead"}"#
                let none = try await server.send(.POST, "/v1/users/ann/messages", secret: nil, body: body)
                #expect(none.status == 401)
                #expect(none.json["error"]?["code"] == "unauthenticated")
                #expect(none.headers.first(name: "WWW-Authenticate") == "Bearer realm=\"parley\"")
                let wrong = try await server.send(.POST, "/v1/users/ann/messages", secret: "not-the-secret-at-all", body: body)
                #expect(wrong.status == 401)
                #expect(!wrong.text.contains(ServeServer.webSecret))
                #expect(try await server.send(.GET, "/v1/users/ann/events", secret: nil).status == 401)
                #expect(try await server.send(.GET, "/v1/users/ann/stream", secret: nil).status == 401)

                // An HMAC-SHA256 signature of the body: accepted as the caller; a body changed after signing is not.
                let signed = ChannelCallers.signatureHeaders(
                    caller: "web", secret: ServeServer.webSecret, body: Array(body.utf8), now: Date())
                let accepted = try await server.send(.POST, "/v1/users/ann/messages", secret: nil, headers: signed, body: body)
                #expect(accepted.status == 200)
                #expect(accepted.messages == "What is the lead's first name?")
                let tampered = try await server.send(
                    .POST, "/v1/users/ann/messages", secret: nil, headers: signed, body: #"{"text":"create a lead!"}"#)
                #expect(tampered.status == 401)
                let stale = ChannelCallers.signatureHeaders(
                    caller: "web", secret: ServeServer.webSecret, body: Array(body.utf8), now: Date() - 3600)
                #expect(try await server.send(.POST, "/v1/users/ann/messages", secret: nil, headers: stale, body: body).status == 401)

                // Health, readiness and metrics need no credentials, and the secrets never appear in what the server prints.
                #expect(try await server.send(.GET, "/healthz", secret: nil).status == 200)
                #expect(!server.process.text.contains(ServeServer.webSecret))
                #expect(!server.process.text.contains(ServeServer.crmSecret))
            }
        }

        /// A caller's users are its own: another caller's user of the same name is another conversation, and a name
        /// that tries to reach across callers is refused.
        @Test func callersCannotReadOrDriveEachOthersConversations() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state) { server in
                let started = try await server.say("create a lead for Doe at Acme", as: "alice")
                #expect(started.messages == "What is the lead's first name?")
                // crm's alice has no task waiting for a first name: "Jane" starts nothing of web's alice's task.
                let other = try await server.say("Jane", as: "alice", secret: ServeServer.crmSecret)
                #expect(other.status == 200)
                #expect(!other.messages.contains("authorize"))
                #expect(!other.messages.contains("last name"))
                // web's alice still waits for her first name.
                let web = try await server.say("Jane", as: "alice")
                #expect(web.messages.hasPrefix("Please authorize Salesforce before we continue: "))

                for name in ["web%2Falice", "web:alice", "..", String(repeating: "a", count: 65)] {
                    let reply = try await server.say("hello", as: name, secret: ServeServer.crmSecret)
                    #expect(reply.status == 400 || reply.status == 404, "user \(name) got \(reply.status)")
                    if reply.status == 400 { #expect(reply.json["error"]?["field"] == "user") }
                }
            }
        }

        /// Bad requests get 400 naming the field, and a body over the limit gets 413, without running a turn.
        @Test func badAndOversizedRequestsAreRefused() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state, arguments: ["--max-body", "1024"]) { server in
                let large = JSONValue.object(["text": .string(String(repeating: "x", count: 4096))]).jsonText()
                let tooLarge = try await server.send(.POST, "/v1/users/bo/messages", body: large)
                #expect(tooLarge.status == 413)
                #expect(tooLarge.json["error"]?["code"] == "body_too_large")

                let cases: [(String, String)] = [
                    (#"{"txt":"hi"}"#, "text"), (#"{"text":7}"#, "text"), (#"{"text":"  "}"#, "text"),
                ]
                for (body, field) in cases {
                    let reply = try await server.send(.POST, "/v1/users/bo/messages", body: body)
                    #expect(reply.status == 400, "\(body)")
                    #expect(reply.json["error"]?["field"] == .string(field), "\(body)")
                }
                let notJSON = try await server.send(.POST, "/v1/users/bo/messages", body: "{text")
                #expect(notJSON.status == 400)
                #expect(notJSON.json["error"]?["code"] == "invalid_json")
                let badCursor = try await server.send(.GET, "/v1/users/bo/events?after=-1")
                #expect(badCursor.json["error"]?["field"] == "after")
                let badWait = try await server.send(.GET, "/v1/users/bo/events?wait=99")
                #expect(badWait.json["error"]?["field"] == "wait")
                let badAck = try await server.send(.POST, "/v1/users/bo/events/ack", body: #"{"upTo":"x"}"#)
                #expect(badAck.json["error"]?["field"] == "upTo")
                // None of it ran a turn.
                let metrics = try await server.send(.GET, "/metrics", secret: nil)
                #expect(metrics.text.contains("parley_turns_total 0"))
            }
        }

        /// A conversation that sends turns faster than its rate gets 429 with Retry-After; another conversation does not.
        @Test func tooManyTurnsGet429WithRetryAfter() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state, arguments: ["--rate", "0.01", "--burst", "2"]) { server in
                #expect(try await server.say("help", as: "cy").status == 200)
                #expect(try await server.say("help", as: "cy").status == 200)
                let limited = try await server.say("help", as: "cy")
                #expect(limited.status == 429)
                let retryAfter = try #require(limited.headers.first(name: "Retry-After").flatMap(Int.init))
                #expect((1...100).contains(retryAfter))
                #expect(try await server.say("help", as: "dee").status == 200)
            }
        }

        /// A retried turn with the same Idempotency-Key gets the first replies and does not run again; the key used for
        /// another message is refused. Both hold after the server is killed and started again.
        @Test func retryingATurnWithTheSameKeyNeverRunsItTwice() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            let first = try await ServeServer.start(state: state)
            let original = try await first.say("create a lead for Doe at Acme", as: "eve", key: "turn-1")
            #expect(original.messages == "What is the lead's first name?")
            let retried = try await first.say("create a lead for Doe at Acme", as: "eve", key: "turn-1")
            #expect(retried.status == 200)
            #expect(retried.text == original.text)
            #expect(retried.headers.first(name: "Idempotent-Replayed") == "true")
            let reused = try await first.say("something else", as: "eve", key: "turn-1")
            #expect(reused.status == 422)
            #expect(reused.json["error"]?["code"] == "idempotency_key_reused")

            // Killed without warning and started again: the key still replays, and the conversation goes on where it was
            // (had the retry run, "create a lead…" would have been taken as the first name).
            kill(first.process.pid, SIGKILL)
            await first.process.stop()
            try await ServeServer.with(state: state) { second in
                let again = try await second.say("create a lead for Doe at Acme", as: "eve", key: "turn-1")
                #expect(again.text == original.text)
                #expect(again.headers.first(name: "Idempotent-Replayed") == "true")
                let next = try await second.say("Jane", as: "eve", key: "turn-2")
                #expect(next.messages.hasPrefix("Please authorize Salesforce before we continue: "))
            }
        }

        /// A task resumed after authorization arrives in the outbox: by long-poll and by server-sent events, to its own
        /// caller only, until acknowledged; the callback and the short link are on the server's own port.
        @Test func resumedTaskArrivesByLongPollAndEventStream() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state) { server in
                _ = try await server.say("create a lead for Hopper at Navy", as: "grace")
                let link = try ServeServer.link(in: try await server.say("Grace", as: "grace"))
                #expect(link.hasPrefix(server.baseURL + "/a/"))

                // The stream is open before the browser comes back, so the event arrives on it as it happens.
                let stream = Task { try await Self.firstStreamEvent(server: server, user: "grace") }
                try await Task.sleep(for: .milliseconds(300))
                let page = try await SandboxBrowser.withBrowser(overHTTP: server.sandboxURL) { browser in
                    try await server.authorize(link, browser: browser)
                }
                #expect(page.status == 200)
                #expect(page.text.contains("Connected demo@parley.dev"))

                let events = try await server.waitForEvent(containing: "Lead Hopper at Navy created with id", user: "grace")
                let event = try #require(events.last)
                let id = try #require(event["id"]?.numberValue)
                #expect(event.jsonText().contains("Connected to Salesforce as demo@parley.dev."))
                let streamed = try await stream.value
                #expect(streamed.id == Int(id))
                #expect(streamed.data.contains("Lead Hopper at Navy created with id"))

                // Another caller's grace sees nothing of it.
                let other = try await server.send(.GET, "/v1/users/grace/events", secret: ServeServer.crmSecret)
                #expect(other.json["events"] == [])

                // Until acknowledged it is fetched again; afterwards it is gone.
                let again = try await server.send(.GET, "/v1/users/grace/events?after=0")
                #expect(again.json["events"]?.arrayValue?.count == 1)
                let ack = try await server.send(.POST, "/v1/users/grace/events/ack", body: #"{"upTo":\#(Int(id))}"#)
                #expect(ack.json["acknowledged"] == 1)
                let after = try await server.send(.GET, "/v1/users/grace/events?after=0")
                #expect(after.json["events"] == [])
            }
        }

        /// The first event of a server-sent event stream: its id and data.
        static func firstStreamEvent(server: ServeServer, user: String) async throws -> (id: Int, data: String) {
            var request = HTTPClientRequest(url: server.baseURL + "/v1/users/\(user)/stream")
            request.headers.add(name: "Authorization", value: "Bearer \(ServeServer.webSecret)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
            var text = ""
            for try await buffer in response.body {
                text += String(buffer: buffer)
                if let match = text.firstMatch(of: /id: (\d+)\nevent: messages\ndata: (.*)\n\n/) {
                    return (Int(match.output.1) ?? -1, String(match.output.2))
                }
            }
            throw ChildProcess.Failure(description: "the stream ended without an event: \(text)")
        }

        /// Health and readiness answer, and the metrics count turns, their latency, service calls and pending links.
        @Test func healthReadinessAndMetrics() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state) { server in
                #expect(try await server.send(.GET, "/healthz", secret: nil).json == ["status": "ok"])
                #expect(try await server.send(.GET, "/readyz", secret: nil).json == ["status": "ready"])
                _ = try await server.say("create a lead for Lamarr at Films", as: "hedy")
                _ = try await server.say("Hedy", as: "hedy")
                let metrics = try await server.send(.GET, "/metrics", secret: nil)
                #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
                #expect(metrics.text.contains("parley_turns_total 2"))
                #expect(metrics.text.contains("parley_turn_duration_seconds_count 2"))
                #expect(metrics.text.contains("parley_turn_duration_seconds_bucket{le=\"+Inf\"} 2"))
                #expect(metrics.text.contains("parley_active_conversations 1"))
                #expect(metrics.text.contains("parley_pending_authorizations 1"))
                #expect(metrics.text.contains("# TYPE parley_turn_duration_seconds histogram"))
            }
        }

        /// SIGTERM ends open event streams, lets the server stop and exit by itself, and says so.
        @Test func sigtermStopsGracefully() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            let server = try await ServeServer.start(state: state)
            let stream = Task { try await Self.firstStreamEvent(server: server, user: "ivy") }
            try await Task.sleep(for: .milliseconds(300))
            let turn = Task { try await server.say("create a lead for Ivy at Vines", as: "ivy") }
            try await Task.sleep(for: .milliseconds(50))
            kill(server.process.pid, SIGTERM)
            // The turn in flight when the signal came still gets its answer, or was never accepted.
            if let reply = try? await turn.value { #expect(reply.status == 200 || reply.status == 503) }
            _ = try await server.process.waitFor("Stopped.", timeout: .seconds(30))
            await #expect(throws: (any Error).self) { try await stream.value }
            await server.process.stop()
        }
    }
}
