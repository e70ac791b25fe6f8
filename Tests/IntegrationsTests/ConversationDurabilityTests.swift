import DialogModel
import DialogRuntime
import Foundation
import Integrations
import ParleyJSON
import SalesforceSandbox
import SalesforceSandboxTesting
import Testing

@Suite("Conversations kept in the state folder's SQLite database")
struct ConversationDurabilityTests {
    /// A bot of its own, so the tests do not change with the shipped templates' wording.
    static let leadTask = """
        dialog: CreateLead
        intent: { name: Create Lead, utterances: [create a lead, "create a lead for {lastName} at {companyName}"] }
        integration: salesforce
        nodes:
          - id: firstName
            entity: { type: string, prompt: "What is the lead's first name?" }
          - id: lastName
            entity: { type: string, prompt: "What is the lead's last name?" }
          - id: companyName
            entity: { type: string, prompt: "Which company is {{context.entities.lastName}} with?" }
          - id: createLead
            service:
              method: POST
              url: "{{integration.instanceUrl}}/services/data/v{{integration.apiVersion}}/sobjects/Lead/"
              body: { FirstName: "{{context.entities.firstName}}", LastName: "{{context.entities.lastName}}", Company: "{{context.entities.companyName}}" }
            transitions:
              - { if: "context.createLead.response.statusCode == 201", then: created }
              - { else: failed }
          - id: created
            message: "Lead {{context.entities.lastName}} at {{context.entities.companyName}} created with id {{context.createLead.response.body.id}}."
            next: end
          - id: failed
            message: "Salesforce refused the lead."
        """

    static func runtime(state: String, integrations: [String: any Integration] = [:]) throws -> BotRuntime {
        let folder = (state as NSString).appendingPathComponent("bot")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name: Leads\n".write(toFile: folder + "/bot.yaml", atomically: true, encoding: .utf8)
        try leadTask.write(toFile: folder + "/create-lead.yaml", atomically: true, encoding: .utf8)
        let loaded = try BotLoader.load(directory: folder, scriptChecker: JavaScriptSyntaxChecker())
        let store = try SQLiteConversationStore(stateDirectory: state, bot: "Dialogs")
        return try BotRuntime(
            bot: loaded.bot, environment: RuntimeEnvironment(integrations: integrations, store: store, clock: .live, random: .live))
    }

    /// A conversation written to `parley.sqlite` continues in a new store and runtime, as after a restart.
    @Test func aConversationContinuesAfterReopening() async throws {
        try await withStateDirectory { state in
            let before = try Self.runtime(state: state)
            _ = await before.handle("create a lead", from: "ana")
            #expect(await before.handle("Ann", from: "ana").text == "What is the lead's last name?")

            let after = try Self.runtime(state: state)
            #expect(await after.handle("Doe", from: "ana").text == "Which company is Doe with?")
            let context = try await after.context(for: "ana")
            #expect(context["entities"]?["firstName"] == "Ann")
        }
    }

    /// Resetting deletes the stored conversation; a new runtime finds nothing of it.
    @Test func resetDeletesTheStoredConversation() async throws {
        try await withStateDirectory { state in
            let runtime = try Self.runtime(state: state)
            _ = await runtime.handle("create a lead", from: "ana")
            let store = try SQLiteConversationStore(stateDirectory: state, bot: "Dialogs")
            #expect(try await store.users() == ["ana"])

            try await runtime.reset("ana")
            #expect(try await store.users() == [])
            #expect(try await store.load("ana") == nil)
            #expect(try await Self.runtime(state: state).state(of: "ana").isInTask == false)
        }
    }

    /// Saves `count` conversations at once, "user-N" with the last intent "intent-N".
    static func saveAtOnce(_ count: Int, to store: SQLiteConversationStore) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    var conversation = ConversationState()
                    conversation.lastIntent = "intent-\(index)"
                    try await store.save(conversation, for: UserID("user-\(index)"))
                }
            }
            try await group.waitForAll()
        }
    }

    /// Saves made at the same moment (committed together) each land, with their own state, and a later save of a
    /// conversation replaces its row.
    @Test func concurrentSavesEachLand() async throws {
        try await withStateDirectory { state in
            let store = try SQLiteConversationStore(stateDirectory: state, bot: "Dialogs")
            try await Self.saveAtOnce(200, to: store)
            var replaced = ConversationState()
            replaced.lastIntent = "replaced"
            try await store.save(replaced, for: "user-7")

            #expect(try await store.users().count == 200)
            #expect(try await store.load("user-42")?.lastIntent == "intent-42")
            #expect(try await store.load("user-7")?.lastIntent == "replaced")
        }
    }

    /// Saves made while the log is checkpointed apart from the commits (as `parley serve` runs) each land, and a store
    /// opened afterwards reads them.
    @Test func savesLandWhileCheckpointsRunApart() async throws {
        try await withStateDirectory { state in
            let store = try SQLiteConversationStore(stateDirectory: state, bot: "Dialogs")
            let saved = try await store.withCheckpointsApart(every: .milliseconds(5)) {
                try await Self.saveAtOnce(200, to: store)
                // A few checkpoints' time.
                try await Task.sleep(for: .milliseconds(50))
                return try await store.users().count
            }
            #expect(saved == 200)
            let reopened = try SQLiteConversationStore(stateDirectory: state, bot: "Dialogs")
            #expect(try await reopened.users().count == 200)
            #expect(try await reopened.load("user-42")?.lastIntent == "intent-42")
        }
    }

    /// Each bot has its own conversations in the shared file.
    @Test func botsDoNotSeeEachOthersConversations() async throws {
        try await withStateDirectory { state in
            let runtime = try Self.runtime(state: state)
            _ = await runtime.handle("create a lead", from: "ana")
            let other = try SQLiteConversationStore(stateDirectory: state, bot: "orders")
            #expect(try await other.load("ana") == nil)
        }
    }

    /// A task paused on authorization resumes when the OAuth callback arrives after a restart: the link survives
    /// the process, and the new runtime finds the paused task in the store.
    @Test func aTaskPausedOnAuthorizationResumesAfterARestart() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let before = try Self.runtime(state: fixture.state, integrations: ["salesforce": fixture.integration()])
            var output = await before.handle("create a lead for Doe at Acme", from: "ana")
            while !output.messages.contains(where: { if case .authorization = $0.kind { true } else { false } }) {
                try #require(output.messages.last?.kind == .prompt, "the task stopped: \(output.text)")
                output = await before.handle("Ann", from: "ana")
            }
            let link = try #require(
                output.messages.compactMap { message -> String? in
                    if case .authorization(let request) = message.kind { return request.url }
                    return nil
                }.first)

            let after = try Self.runtime(state: fixture.state, integrations: ["salesforce": fixture.integration()])
            let page = try await fixture.browser.authorize(try #require(URL(string: link)), sandboxURL: fixture.sandbox.baseURL).page
            #expect(page.text.contains("Connected demo@parley.dev to the chat of"))
            #expect(fixture.completed.map(\.user) == ["ana"])

            let resumed = await after.authorizationCompleted(user: "ana", integration: "salesforce")
            #expect(resumed.storeError == nil)
            #expect(resumed.text.contains("Lead Doe at Acme created with id 00Q"))
            #expect(try await after.state(of: "ana").isInTask == false)
        }
    }
}
