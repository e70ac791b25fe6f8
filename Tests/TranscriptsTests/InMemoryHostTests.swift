import Foundation
import Testing
import Transcripts

@Suite("Transcripts on a bot the host assembles in memory")
struct InMemoryHostTests {
    /// A bot whose only Salesforce call is a service node naming the integration gets the transcript's sandbox:
    /// the user is asked to authorize, as with a task that names it.
    @Test func aServiceNodesIntegrationGetsTheSandbox() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "name: Counting\n".write(to: folder.appendingPathComponent("bot.yaml"), atomically: true, encoding: .utf8)
        try """
        dialog: CountLeads
        intent: { name: Count Leads, utterances: [count the leads, how many leads are there] }
        nodes:
          - id: countLeads
            service:
              url: "https://sandbox.parley.test/services/data/v66.0/query?q=SELECT+Id+FROM+Lead"
              integration: salesforce
            transitions:
              - { if: "context.countLeads.response.statusCode == 200", then: counted }
              - { else: failed }
          - id: counted
            message: "Counted."
          - id: failed
            message: "No count."
        """.write(to: folder.appendingPathComponent("count-leads.yaml"), atomically: true, encoding: .utf8)
        let transcript = try TranscriptParser.parse(
            """
            # Title: a service node's integration
            @bot \(folder.path)
            > count the leads
            < Please authorize Salesforce before we continue: {{*}}
            """,
            path: folder.appendingPathComponent("count.chat").path)
        let result = await TranscriptRunner(defaultBotFolder: folder.path).run(transcript)
        #expect(result.failures.map(\.message) == [])
    }
}
