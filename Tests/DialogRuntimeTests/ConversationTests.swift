import DialogRuntime
import Foundation
import ParleyJSON
import Synchronization
import Testing

@Suite struct ConversationTests {
    static let tasks = [
        "lead.yaml": EntityNodeTests.lead,
        "opportunity.yaml": """
        dialog: CreateOpportunity
        intent: { name: Create Opportunity, utterances: [create an opportunity, new opportunity] }
        nodes:
          - id: opportunityName
            entity: { type: string, prompt: "What is the opportunity called?" }
          - id: done
            message: "Opportunity {{context.entities.opportunityName}}."
        """,
        "delete.yaml": """
        dialog: DeleteLead
        intent: { name: Delete Lead, utterances: [delete a lead, remove a lead] }
        nodes:
          - id: leadId
            entity: { type: string, prompt: "Which lead?" }
          - id: done
            message: "Deleted {{context.entities.leadId}}."
        """,
    ]

    /// Text that matches no task gets the standard response listing what the bot can do.
    @Test func unknownRequestListsTasks() async throws {
        let bot = try Harness(Self.tasks)
        let answer = await bot.say("what's the weather like")
        #expect(answer == "Sorry, I didn't understand that. I can help you with: Create Lead, Create Opportunity and Delete Lead.")
    }

    /// Intent matching tolerates typos and word order.
    @Test func intentMatchingIsForgiving() async throws {
        let bot = try Harness(Self.tasks)
        #expect(await bot.say("creat a new lead") == "What is the lead's last name?")
        try await bot.runtime.reset("tester")
        #expect(await bot.say("opportunity create") == "What is the opportunity called?")
    }

    /// "cancel" ends the task; the next request starts fresh.
    @Test func cancelEndsTheTask() async throws {
        let bot = try Harness(Self.tasks)
        await bot.say("create a lead")
        #expect(await bot.say("cancel") == "OK, I've cancelled Create Lead.")
        #expect(try await bot.runtime.state(of: "tester").isInTask == false)
        #expect(await bot.say("cancel") == "There is nothing to cancel.")
    }

    /// "help" explains the question being asked and asks it again.
    @Test func helpExplainsThePrompt() async throws {
        let bot = try Harness(Self.tasks)
        await bot.say("create a lead")
        let help = await bot.say("help")
        #expect(help.contains("I'm asking for last name."))
        #expect(help.hasSuffix("What is the lead's last name?"))
    }

    /// Starting another task mid-way asks hold or discard; held tasks resume where they were.
    @Test func holdAndResume() async throws {
        let bot = try Harness(Self.tasks)
        await bot.say("create a lead")
        await bot.say("Doe")
        let question = await bot.say("create an opportunity")
        #expect(question.hasPrefix("You're in the middle of Create Lead."))
        #expect(await bot.say("hold") == "What is the opportunity called?")
        #expect(await bot.say("Big Deal") == "Opportunity Big Deal.\nNow, back to Create Lead.\nWhich company is Doe with?")
        #expect(await bot.say("Acme") == "Lead Doe at Acme.")
    }

    /// Discarding drops the current task and starts the new one.
    @Test func discardAndSwitch() async throws {
        let bot = try Harness(Self.tasks)
        await bot.say("create a lead")
        await bot.say("delete a lead")
        #expect(await bot.say("discard") == "OK, I've discarded Create Lead.\nWhich lead?")
        #expect(await bot.say("00Q1") == "Deleted 00Q1.")
        #expect(try await bot.runtime.state(of: "tester").held.isEmpty)
    }

    /// The user can correct a value given earlier without starting over.
    @Test func correctsAnEarlierValue() async throws {
        let bot = try Harness(Self.tasks)
        await bot.say("create a lead")
        await bot.say("Doe")
        let answer = await bot.say("actually the last name is Smith")
        #expect(answer == "Got it, last name is now Smith.\nWhich company is Smith with?")
        #expect(await bot.say("Globex") == "Lead Smith at Globex.")
    }

    /// Each user has a conversation of their own.
    @Test func usersAreIsolated() async throws {
        let bot = try Harness(Self.tasks)
        await bot.say("create a lead", as: "ana")
        #expect(
            await bot.say("Doe", as: "ben")
                == "Sorry, I didn't understand that. I can help you with: Create Lead, Create Opportunity and Delete Lead.")
        #expect(await bot.say("Doe", as: "ana") == "Which company is Doe with?")
    }

    /// A task whose integration has no credentials pauses with a link (a fresh one each time the user
    /// writes meanwhile) and resumes by itself once authorized.
    @Test func pausesForAuthorizationAndResumes() async throws {
        let integration = FakeIntegration()
        let bot = try Harness(
            [
                "crm.yaml": """
                dialog: ListLeads
                intent: { name: List Leads, utterances: [list my leads] }
                integration: crm
                nodes:
                  - id: listService
                    service: { method: GET, url: "{{integration.instanceUrl}}/leads" }
                  - id: show
                    message: "You have {{context.listService.response.body.count}} leads."
                """
            ], integrations: ["crm": integration])
        let delivered = Mutex<[String]>([])
        bot.runtime.setDeliveryHandler { _, output in delivered.withLock { $0.append(output.text) } }
        let first = await bot.turn("list my leads")
        #expect(first.text == "Please authorize crm before we continue: https://auth.example/authorize?user=tester")
        #expect(
            first.messages.first?.kind
                == .authorization(AuthorizationRequest(integration: "crm", url: "https://auth.example/authorize?user=tester")))
        #expect(await bot.say("what now?") == "Please authorize crm before we continue: https://auth.example/authorize?user=tester")
        #expect(integration.linksIssued.withLock { $0 } == 2)
        integration.authorize("tester")
        await bot.runtime.authorizationCompleted(user: "tester", integration: "crm")
        #expect(delivered.withLock { $0 } == ["You have 3 leads."])
        #expect(integration.requests.withLock { $0 } == ["https://crm.example/leads"])
    }

    static let listLeads = [
        "crm.yaml": """
        dialog: ListLeads
        intent: { name: List Leads, utterances: [list my leads] }
        integration: crm
        nodes:
          - id: listService
            service: { method: GET, url: "{{integration.instanceUrl}}/leads" }
          - id: show
            message: "You have {{context.listService.response.body.count}} leads."
        """
    ]

    /// In confirm-with-code mode the task waits for the code after the browser came back: other text asks for it
    /// again without a new link, and the code typed (spaced as people do) resumes the task; the conversation keeps
    /// only a mask of it.
    @Test func aCodeTypedInTheChatFinishesAuthorizing() async throws {
        let integration = FakeIntegration()
        let bot = try Harness(Self.listLeads, integrations: ["crm": integration])
        _ = await bot.turn("list my leads")
        integration.pendingCode.withLock { $0 = "482913" }
        let asked = await bot.runtime.authorizationAwaitsCode(user: "tester", integration: "crm")
        #expect(asked.text == "To finish connecting crm, type the six-digit code your browser shows.")
        #expect(await bot.say("what now?") == "To finish connecting crm, type the six-digit code your browser shows.")
        #expect(integration.linksIssued.withLock { $0 } == 1)

        let confirmed = await bot.turn("482 913")
        #expect(confirmed.text == "Connected to crm as rep@crm.example.\nYou have 3 leads.")
        #expect(confirmed.userTextIsSensitive)
        #expect(confirmed.userTextIsAuthorizationCode)
        #expect(confirmed.sensitive.masked("code 482913") == "code •••")
        let context = try await bot.runtime.context(for: "tester", revealingSensitiveValues: true)
        #expect(context["session"]?["BotUserSession"]?["lastMessage"]?["messagePayload"] == "•••")
    }

    /// Seven digits, letters or non-ASCII digits are no code: they ask the integration again instead.
    @Test func onlySixDigitsAreACode() async throws {
        let integration = FakeIntegration()
        let bot = try Harness(Self.listLeads, integrations: ["crm": integration])
        _ = await bot.turn("list my leads")
        integration.pendingCode.withLock { $0 = "123456" }
        await bot.runtime.authorizationAwaitsCode(user: "tester", integration: "crm")
        for text in ["1234567", "12345a", "١٢٣٤٥٦"] {
            #expect(await bot.say(text) == "To finish connecting crm, type the six-digit code your browser shows.")
        }
        #expect(integration.codesTried.withLock { $0 } == [])
        #expect(await bot.say("123-456") == "Connected to crm as rep@crm.example.\nYou have 3 leads.")
        #expect(integration.codesTried.withLock { $0 } == ["123456"])
    }

    /// When the integration's own connection needs attention the user is told so, and the task ends: no link and
    /// no problem reported as the bot's.
    @Test func aConnectionThatNeedsAttentionEndsTheTask() async throws {
        let integration = FakeIntegration()
        integration.broken.withLock { $0 = "the token was revoked" }
        let bot = try Harness(Self.listLeads, integrations: ["crm": integration])
        let output = await bot.turn("list my leads")
        #expect(
            output.text
                == "The crm connection needs attention, so I can't list the leads right now. I've noted the problem for the bot's operator."
        )
        #expect(output.diagnostics.isEmpty)
        #expect(try await bot.runtime.state(of: "tester").stack.isEmpty)
    }
}

/// An integration that needs authorization until told the user gave it.
final class FakeIntegration: Integration {
    let name = "crm"
    let authorized = Mutex<Set<UserID>>([])
    let requests = Mutex<[String]>([])

    func authorize(_ user: UserID) { _ = authorized.withLock { $0.insert(user) } }

    /// How many authorization links were handed out; each is single-use.
    let linksIssued = Mutex(0)

    /// The code a browser showed, in confirm-with-code mode; each code gets one try.
    let pendingCode = Mutex<String?>(nil)
    let codesTried = Mutex<[String]>([])
    /// Why the integration's own connection is unusable, when it is.
    let broken = Mutex<String?>(nil)

    func access(for user: UserID) async -> IntegrationAccess {
        if let reason = broken.withLock({ $0 }) { return .needsAttention(reason) }
        if pendingCode.withLock({ $0 }) != nil { return .authorizationRequired(.code(for: name)) }
        guard authorized.withLock({ $0.contains(user) }) else {
            linksIssued.withLock { $0 += 1 }
            return .authorizationRequired(AuthorizationRequest(integration: name, url: "https://auth.example/authorize?user=\(user)"))
        }
        return .ready(["instanceUrl": "https://crm.example", "apiVersion": "66.0"])
    }

    func send(_ request: ServiceRequest, for user: UserID) async throws(ServiceCallError) -> ServiceResponse {
        requests.withLock { $0.append(request.url) }
        return RecordingHTTP.json(200, #"{"count":3}"#)
    }

    func confirmAuthorization(code: String, for user: UserID) async -> AuthorizationConfirmation {
        codesTried.withLock { $0.append(code) }
        guard
            let pending = pendingCode.withLock({ code in
                defer { code = nil }
                return code
            })
        else { return .nothingPending }
        guard pending == code else { return .rejected(.wrongCode) }
        authorize(user)
        return .connected(account: "rep@crm.example")
    }
}
