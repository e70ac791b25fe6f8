import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON
import Synchronization
import Testing

@Suite struct NodeTypeTests {
    /// A service node sends its request with placeholders filled, stores the response and branches on it.
    @Test func serviceNodeCallsAndBranches() async throws {
        let http = RecordingHTTP { request throws(ServiceCallError) in
            RecordingHTTP.json(201, #"{"id":"00Q000000000001AAA","success":true,"errors":[]}"#)
        }
        let bot = try Harness(
            [
                "create.yaml": """
                dialog: CreateThing
                intent: { name: Create Thing, utterances: [create a thing] }
                nodes:
                  - id: name
                    entity: { type: string, prompt: "Name?" }
                  - id: createService
                    service:
                      method: POST
                      url: "http://localhost:9/things?name={{context.entities.name}}"
                      headers: { X-Caller: "parley" }
                      body: { Name: "{{context.entities.name}}", Count: 2 }
                    transitions:
                      - { if: "context.createService.response.statusCode == 201", then: ok }
                      - { else: failed }
                  - id: ok
                    message: "Created {{context.createService.response.body.id}}."
                    next: end
                  - id: failed
                    message: "Failed."
                """
            ], http: http.service)
        await bot.say("create a thing")
        #expect(await bot.say("Widget") == "Created 00Q000000000001AAA.")
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.method == "POST")
        #expect(request.url == "http://localhost:9/things?name=Widget")
        #expect(request.header("X-Caller") == "parley")
        #expect(request.header("Content-Type") == "application/json")
        let body = try JSONValue(parsing: request.body ?? Data())
        #expect(body == ["Name": "Widget", "Count": 2])
    }

    /// A timeout takes the node's `onError` transition; without one, the standard response ends the task.
    @Test func serviceTimeoutAndConnectionErrors() async throws {
        let http = RecordingHTTP { request throws(ServiceCallError) in
            if request.url.contains("slow") { throw .timeout }
            throw .connection("connection refused")
        }
        let bot = try Harness(
            [
                "svc.yaml": """
                dialog: Calls
                intent: { name: Call Slow, utterances: [call the slow service] }
                nodes:
                  - id: slowService
                    service: { method: GET, url: "http://localhost:9/slow", timeout: 2, onError: apology }
                  - id: fine
                    message: "Fine."
                    next: end
                  - id: apology
                    message: "It timed out ({{context.slowService.response.error}})."
                """,
                "down.yaml": """
                dialog: Down
                intent: { name: Call Down, utterances: [call the down service] }
                nodes:
                  - id: downService
                    service: { method: GET, url: "http://localhost:9/down" }
                  - id: fine
                    message: "Fine."
                """,
            ], http: http.service)
        #expect(await bot.say("call the slow service") == "It timed out (timeout).")
        #expect(http.requests.withLock { $0.first?.timeout } == .seconds(2))
        #expect(await bot.say("call the down service") == "Sorry, something went wrong and I had to discard your task. Please retry.")
        #expect(try await bot.runtime.state(of: "tester").isInTask == false)
    }

    /// Script nodes change the context; message scripts print what the user sees.
    @Test func scriptAndMessageScript() async throws {
        let bot = try Harness([
            "sum.yaml": """
            dialog: Sum
            intent: { name: Add Numbers, utterances: [add numbers] }
            nodes:
              - id: a
                entity: { type: number, prompt: "First?" }
              - id: b
                entity: { type: number, prompt: "Second?" }
              - id: compute
                script: "context.total = context.entities.a + context.entities.b; context.session.BotUserSession.lastTotal = context.total;"
              - id: show
                message: { script: "print('Total: ' + context.total); print('Twice: ' + context.total * 2)" }
            """
        ])
        await bot.say("add numbers")
        await bot.say("2")
        #expect(await bot.say("40") == "Total: 42\nTwice: 84")
        let context = try await bot.runtime.context(for: "tester")
        #expect(context["session"]?["BotUserSession"]?["lastTotal"] == 42)
    }

    /// A script that never ends is stopped, reported with its file and node, and the conversation goes on.
    @Test func runawayScriptIsStopped() async throws {
        let bot = try Harness(
            [
                "loop.yaml": """
                dialog: Loop
                intent: { name: Spin Forever, utterances: [spin forever] }
                nodes:
                  - id: spin
                    script: "while (true) {}"
                  - id: never
                    message: "unreachable"
                """,
                "hello.yaml": """
                dialog: Hello
                intent: { name: Say Hello, utterances: [say hello] }
                nodes:
                  - id: hi
                    message: "Hello!"
                """,
            ], scriptTimeLimit: .milliseconds(50))
        let output = await bot.turn("spin forever")
        #expect(output.text == "Sorry, something went wrong while I was working on that.")
        let diagnostic = try #require(output.diagnostics.first)
        #expect(diagnostic.location?.description.hasSuffix("loop.yaml:5:13") == true)
        #expect(diagnostic.message.contains("node 'spin' of task 'Loop'"))
        #expect(diagnostic.message.contains("was stopped"))
        #expect(await bot.say("say hello") == "Hello!")
    }

    /// A confirmation node takes yes and no (and the node's own synonyms) and goes where each leads.
    @Test func confirmationNode() async throws {
        let yaml = """
            dialog: Delete
            intent: { name: Delete Record, utterances: [delete the record] }
            nodes:
              - id: sure
                confirmation: { prompt: "Delete it?", yes: gone, no: kept, yesSynonyms: [do it] }
              - id: gone
                message: "Deleted."
                next: end
              - id: kept
                message: "Kept."
            """
        let bot = try Harness(["delete.yaml": yaml])
        #expect(await bot.say("delete the record") == "Delete it?")
        #expect(await bot.say("maybe") == "Please answer yes or no.")
        #expect(await bot.say("do it") == "Deleted.")
        await bot.say("delete the record")
        #expect(await bot.say("nope") == "Kept.")
    }

    /// A confirmation's own choices are offered instead of yes and no, and count as answers.
    @Test func confirmationChoices() async throws {
        let yaml = """
            dialog: Page
            intent: { name: Show Pages, utterances: [show the pages] }
            nodes:
              - id: more
                confirmation: { prompt: "Say more for the next ones.", choices: [more, stop], yes: next, no: done }
              - id: next
                message: "Page 2."
                next: end
              - id: done
                message: "OK."
            """
        let bot = try Harness(["page.yaml": yaml])
        #expect(await bot.say("show the pages") == "Say more for the next ones.")
        #expect(await bot.say("maybe") == "Please answer more or stop.")
        #expect(await bot.say("more") == "Page 2.")
        await bot.say("show the pages")
        #expect(await bot.say("stop") == "OK.")
    }

    /// Logic nodes set context values (keeping types) and branch on them.
    @Test func logicNodeSetsAndBranches() async throws {
        let bot = try Harness([
            "logic.yaml": """
            dialog: Grade
            intent: { name: Grade Score, utterances: [grade my score] }
            nodes:
              - id: score
                entity: { type: number, prompt: "Score?" }
              - id: decide
                logic:
                  set: { "context.passed": "{{context.entities.score >= 50}}", "context.session.BotUserSession.graded": true }
                transitions:
                  - { if: "context.passed", then: pass }
                  - { else: fail }
              - id: pass
                message: "Passed."
                next: end
              - id: fail
                message: "Failed."
            """
        ])
        await bot.say("grade my score")
        #expect(await bot.say("72") == "Passed.")
        await bot.say("grade my score")
        #expect(await bot.say("12") == "Failed.")
        #expect(try await bot.runtime.context(for: "tester")["session"]?["BotUserSession"]?["graded"] == true)
    }

    /// A dialog node runs another task with pre-filled entities, then returns with its results.
    @Test func dialogNodeCallsAndReturns() async throws {
        let bot = try Harness([
            "main.yaml": """
            dialog: Plan
            intent: { name: Plan Trip, utterances: [plan a trip] }
            nodes:
              - id: city
                entity: { type: string, prompt: "Which city?" }
              - id: lookup
                dialog: { task: Weather, pre: { place: "{{context.entities.city}}" }, post: { "context.forecast": "{{context.entities.outlook}}" } }
              - id: done
                message: "Trip to {{context.entities.city}}: {{context.forecast}}."
            """,
            "weather.yaml": """
            dialog: Weather
            subdialog: true
            intent: { name: Weather, utterances: [weather report] }
            nodes:
              - id: place
                entity: { type: string, prompt: "Where?" }
              - id: outlook
                entity: { type: string, prompt: "What does the sky look like over {{context.entities.place}}?" }
            """,
        ])
        await bot.say("plan a trip")
        #expect(await bot.say("Lisbon") == "What does the sky look like over Lisbon?")
        #expect(await bot.say("sunny") == "Trip to Lisbon: sunny.")
    }

    /// An end node says its message and ends the task, skipping the nodes after it.
    @Test func endNode() async throws {
        let bot = try Harness([
            "end.yaml": """
            dialog: Stop
            intent: { name: Stop Early, utterances: [stop early] }
            nodes:
              - id: bye
                end: "Goodbye."
              - id: after
                message: "never"
            """
        ])
        #expect(await bot.say("stop early") == "Goodbye.")
        #expect(try await bot.runtime.state(of: "tester").isInTask == false)
    }

    /// The history records each node's state, as Kore.ai's context.history does.
    @Test func historyRecordsNodeStates() async throws {
        let bot = try Harness(["lead.yaml": EntityNodeTests.lead])
        await bot.say("create a lead")
        let history = try await bot.runtime.context(for: "tester")["history"]?.arrayValue ?? []
        #expect(history.last == ["taskName": "CreateLead", "nodeId": "lastName", "state": "waitingForUserInput"])
    }
}
