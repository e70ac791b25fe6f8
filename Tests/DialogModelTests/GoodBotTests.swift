import DialogModel
import Foundation
import ParleyJSON
import Testing

/// The complete fixture bot in Fixtures/GoodBot loads into the expected model.
@Suite struct GoodBotTests {
    let loaded: LoadedBot

    init() throws {
        loaded = try BotLoader.load(directory: Fixtures.path("GoodBot"), scriptChecker: AtSignChecker())
    }

    private var createLead: DialogTask? { loaded.bot.task(named: "createlead") }

    /// The fixture loads without warnings, with its tasks in file order.
    @Test func loadsCleanly() {
        #expect(loaded.warnings.map(\.description) == [])
        #expect(loaded.bot.tasks.map(\.name) == ["CreateLead", "LookupCompany"])
    }

    /// bot.yaml sets the name, greeting, overridden standard responses and integration settings.
    @Test func settings() {
        let settings = loaded.bot.settings
        #expect(settings.name == "Sales Assistant")
        #expect(settings.greeting == "Hi! I can create leads and look up companies.")
        #expect(settings.responses.didNotUnderstand == "Sorry, I can help with: {{tasks}}.")
        #expect(settings.responses.serviceTimedOut == "Salesforce is slow right now. Please try again.")
        #expect(settings.responses.taskCancelled == StandardResponses().taskCancelled)
        #expect(settings.integrations["salesforce"]?["apiVersion"] == .string("66.0"))
        #expect(settings.location?.file.hasSuffix("GoodBot/bot.yaml") == true)
    }

    /// The task header: intent, integration, description; ids default to `<type><position>`.
    @Test func taskHeader() throws {
        let task = try #require(createLead)
        #expect(
            task.intent == IntentSpec(name: "Create Lead", utterances: ["create a lead", "add a new lead for {lastName} at {company}"]))
        #expect(task.integration == "salesforce")
        #expect(task.description == "Create a lead in Salesforce")
        #expect(!task.isSubdialog)
        #expect(
            task.nodes.map(\.id) == [
                "lastName", "company", "source", "confirm", "createLeadService", "done", "remember", "lookup", "tally",
                "message10", "failed", "bye",
            ])
        #expect(
            task.nodes.map(\.kind.typeName) == [
                "entity", "entity", "entity", "confirmation", "service", "message", "logic", "dialog", "script",
                "message", "message", "end",
            ])
        #expect(task.location.line == 1)
        #expect(task.nodes[1].location.line == 16)
    }

    /// Entity nodes keep every setting, with defaults for the rest.
    @Test func entities() throws {
        let task = try #require(createLead)
        guard case .entity(let lastName) = task.node("lastName")?.kind,
            case .entity(let company) = task.node("company")?.kind,
            case .entity(let source) = task.node("source")?.kind
        else {
            Issue.record("expected entity nodes")
            return
        }
        #expect(lastName.name == "lastName")
        #expect(lastName.type == .string)
        #expect(lastName.prompts.map(\.text) == ["What is the lead's last name?"])
        #expect(lastName.errorPrompts.map(\.text) == ["That doesn't look like a name.", "Please type only the last name."])
        #expect(lastName.help?.text == "The family name, as on a business card.")
        #expect(lastName.retries == 3)
        #expect(lastName.onRetriesExceeded == .end)
        #expect(lastName.rules == EntityRules(minLength: 1, maxLength: 80, pattern: "^[A-Z]"))
        #expect(lastName.prompts.first?.location.line == 9)
        #expect(company.prompts.count == 2)
        #expect(company.retries == 5 && company.presence == .mandatory && company.extractFromUtterance)
        #expect(source.presence == .optional)
        #expect(source.defaultValue == .string("Web"))
        #expect(
            source.type
                == .list(
                    ListSpec(items: [
                        ListItem(value: "Web", synonyms: ["website", "online"]),
                        ListItem(value: "Phone Inquiry"),
                        ListItem(value: "Other", display: "Something else"),
                    ])))
    }

    /// The subdialog's entities: hidden, Salesforce id with key prefix, regex, and an `end: {}` node.
    @Test func subdialog() throws {
        let task = try #require(loaded.bot.task(named: "LookupCompany"))
        #expect(task.isSubdialog)
        #expect(task.intent == IntentSpec(name: "LookupCompany", utterances: []))
        #expect(task.nodes.map(\.id) == ["companyName", "accountId", "code", "end4"])
        guard case .entity(let name) = task.nodes[0].kind, case .entity(let account) = task.nodes[1].kind,
            case .entity(let code) = task.nodes[2].kind, case .end(let end) = task.nodes[3].kind
        else {
            Issue.record("expected three entities and an end")
            return
        }
        #expect(name.presence == .hidden)
        #expect(account.type == .salesforceID(keyPrefix: "001"))
        #expect(account.isSensitive && !account.extractFromUtterance)
        #expect(code.type == .regex(pattern: #"^[A-Z]{3}-\d{4}$"#))
        #expect(end.message == nil)
    }

    /// Confirmation, service and transitions keep their targets and templates.
    @Test func confirmationAndService() throws {
        let task = try #require(createLead)
        guard case .confirmation(let confirm) = task.node("confirm")?.kind,
            case .service(let service) = task.node("createLeadService")?.kind
        else {
            Issue.record("expected a confirmation and a service")
            return
        }
        #expect(confirm.name == "confirm")
        #expect(confirm.onYes == .node("createLeadService") && confirm.onNo == .node("bye"))
        #expect(confirm.yesSynonyms == ["go ahead"] && confirm.noSynonyms == ["nah"] && confirm.retries == 3)
        #expect(service.method == "POST")
        #expect(service.url.text == "{{integration.instanceUrl}}/services/data/v{{integration.apiVersion}}/sobjects/Lead")
        #expect(service.headers.map(\.name) == ["X-Trace"])
        #expect(service.timeout == 10)
        #expect(service.onError == .node("failed"))
        guard case .json(let body) = service.body else {
            Issue.record("expected a JSON body")
            return
        }
        #expect(body["LastName"] == .string("{{context.entities.lastName}}"))
        let transitions = task.node("createLeadService")?.transitions ?? []
        #expect(transitions.map(\.target) == [.node("done"), .node("failed")])
        guard case .script(let condition) = transitions.first?.condition, case .always = transitions.last?.condition
        else {
            Issue.record("expected an if and an else")
            return
        }
        #expect(condition.source == "context.createLeadService.response.statusCode == 201")
        #expect(condition.location.line == 37)
    }

    /// Messages, logic, dialog calls, scripts and end nodes.
    @Test func otherNodes() throws {
        let task = try #require(createLead)
        guard case .message(let done) = task.node("done")?.kind, case .text(let texts) = done.content,
            case .message(let failed) = task.node("failed")?.kind, case .script(let script) = failed.content,
            case .logic(let logic) = task.node("remember")?.kind,
            case .dialog(let call) = task.node("lookup")?.kind,
            case .script(let tally) = task.node("tally")?.kind,
            case .end(let bye) = task.node("bye")?.kind
        else {
            Issue.record("expected every node type")
            return
        }
        #expect(texts.map(\.text) == ["Lead created: {{context.createLeadService.response.body.id}}"])
        #expect(task.node("done")?.transitions.map(\.target) == [.node("remember")])
        #expect(script.source.hasPrefix("print('Salesforce said: '"))
        #expect(logic.assignments.map(\.path) == ["context.session.BotUserSession.lastLead", "context.count"])
        #expect(logic.assignments.last?.value == .number(3))
        #expect(logic.removals == ["context.tmp"])
        #expect(call.task == "LookupCompany" && call.returnsAfter)
        #expect(call.preAssignments.map(\.entity) == ["companyName"])
        #expect(call.postAssignments.map(\.path) == ["context.entities.companyId"])
        #expect(tally.script.source.hasPrefix("context.entities.total = 1 + 2;\n"))
        #expect(tally.script.location.line == 50)
        #expect(bye.message?.text == "Goodbye.")
        #expect(task.node("message10")?.transitions.map(\.target) == [.end])
    }

    /// Linting the good bot finds nothing.
    @Test func lintIsClean() {
        #expect(BotLoader.lint(directory: Fixtures.path("GoodBot"), scriptChecker: AtSignChecker()).isEmpty)
    }
}
