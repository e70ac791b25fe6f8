import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON
import Testing

/// Each conversation's scripts run apart from every other's; runaway allocation and printing are stopped.
@Suite struct ScriptContainmentTests {
    static let tasks = [
        "pollute.yaml": """
        dialog: Pollute
        intent: { name: Pollute, utterances: [pollute everything] }
        nodes:
          - id: dirty
            script: |
              leaked = 'from another user';
              Array.prototype.push = function () { return 'hijacked'; };
              Object.prototype.x = 'polluted';
              JSON.stringify = function () { return 'hijacked'; };
          - id: done
            message: "Done."
        """,
        "check.yaml": """
        dialog: Check
        intent: { name: Check, utterances: [check the engine] }
        nodes:
          - id: look
            message: { script: "print(typeof leaked, [].push(1), ({}).x, JSON.stringify({a: 1}), context.entities.x)" }
        """,
    ]

    static let clean = #"undefined 1 undefined {"a":1} undefined"#

    /// What one user's script changes (globals, prototypes, built-ins) another user's scripts never see, nor the
    /// same user's after a reset; the user who changed them sees them for the rest of the conversation.
    @Test func oneConversationsScriptsDoNotReachAnother() async throws {
        let bot = try Harness(Self.tasks)
        #expect(await bot.say("pollute everything", as: "mallory") == "Done.")
        #expect(await bot.say("check the engine", as: "alice") == Self.clean)
        #expect(await bot.say("check the engine", as: "mallory") == "string hijacked polluted hijacked polluted")
        try await bot.runtime.reset("mallory")
        #expect(await bot.say("check the engine", as: "mallory") == Self.clean)
    }

    /// A script that allocates without end is stopped like a runaway loop, reported at the script with its node,
    /// and the conversation goes on.
    @Test func runawayAllocationIsStopped() async throws {
        let bot = try Harness(
            [
                "hoard.yaml": """
                dialog: Hoard
                intent: { name: Hoard Memory, utterances: [hoard memory] }
                nodes:
                  - id: hoard
                    script: |
                      var a = [];
                      while (true) a.push('xxxxxxxxxx');
                  - id: never
                    message: "unreachable"
                """,
                "double.yaml": """
                dialog: Double
                intent: { name: Double Text, utterances: [double the text] }
                nodes:
                  - id: double
                    script: "var s = 'x'; while (true) s += s;"
                """,
                "hello.yaml": """
                dialog: Hello
                intent: { name: Say Hello, utterances: [say hello] }
                nodes:
                  - id: hi
                    message: "Hello!"
                """,
            ], scriptTimeLimit: .seconds(20), scriptMemoryLimit: 16 * 1024 * 1024)
        let output = await bot.turn("hoard memory")
        #expect(output.text == "Sorry, something went wrong while I was working on that.")
        let diagnostic = try #require(output.diagnostics.first)
        #expect(diagnostic.location?.description.hasSuffix("hoard.yaml:5:13") == true)
        #expect(diagnostic.message == "node 'hoard' of task 'Hoard': script allocated more than 16 MB and was stopped")
        #expect(await bot.say("say hello") == "Hello!")

        // A string that doubles reaches JavaScript's longest string first, and that is an error of its own.
        let doubled = await bot.turn("double the text")
        #expect(doubled.text == "Sorry, something went wrong while I was working on that.")
        let outOfMemory = try #require(doubled.diagnostics.first)
        #expect(outOfMemory.location?.description.hasSuffix("double.yaml:5:13") == true)
        #expect(outOfMemory.message == "node 'double' of task 'Double': RangeError: Out of memory")
        #expect(await bot.say("say hello") == "Hello!")
    }

    /// Scripts print at most 100 lines in a turn, across all of its scripts, and the user is told the rest was cut.
    @Test func printedOutputIsCappedPerTurn() async throws {
        let bot = try Harness([
            "chatty.yaml": """
            dialog: Chatty
            intent: { name: Chatty, utterances: [talk a lot] }
            nodes:
              - id: first
                message: { script: "for (var i = 0; i < 60; i++) print('first ' + i)" }
              - id: second
                message: { script: "for (var i = 0; i < 60; i++) print('second ' + i)" }
              - id: last
                message: "The end."
            """
        ])
        let output = await bot.turn("talk a lot")
        let texts = output.messages.map(\.text)
        #expect(texts.count == 102)
        #expect(texts[59] == "first 59")
        #expect(texts[99] == "second 39")
        #expect(texts[100] == "(That was too long to show in full, so I cut it short.)")
        #expect(texts[101] == "The end.")
        let diagnostic = try #require(output.diagnostics.first)
        #expect(diagnostic.location?.description.contains("chatty.yaml:7:") == true)
        #expect(diagnostic.message.contains("printed more than 100 lines or 64 KB in one turn"))
        // The next turn has the whole allowance again.
        #expect(await bot.say("talk a lot").split(separator: "\n").count == 102)
    }
}
