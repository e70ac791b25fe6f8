import DialogRuntime
import ParleyJSON
import Testing

@Suite struct EntityNodeTests {
    static let lead = """
        dialog: CreateLead
        intent: { name: Create Lead, utterances: [create a lead, "add a new lead for {lastName} at {company}"] }
        nodes:
          - id: lastName
            entity: { type: personName, prompt: "What is the lead's last name?" }
          - id: company
            entity: { type: string, prompt: "Which company is {{context.entities.lastName}} with?" }
          - id: done
            message: "Lead {{context.entities.lastName}} at {{context.entities.company}}."
        """

    /// An entity node asks its prompt, stores the answer and the task goes on to the next node.
    @Test func promptsForEachEntityInTurn() async throws {
        let bot = try Harness(["lead.yaml": Self.lead])
        #expect(await bot.say("create a lead") == "What is the lead's last name?")
        #expect(await bot.say("Doe") == "Which company is Doe with?")
        #expect(await bot.say("Acme") == "Lead Doe at Acme.")
        #expect(try await bot.runtime.state(of: "tester").isInTask == false)
    }

    /// Values in the utterance that starts a task fill their entities, so only the rest is asked.
    @Test func extractsEntitiesFromTheFirstUtterance() async throws {
        let bot = try Harness(["lead.yaml": Self.lead])
        #expect(await bot.say("add a new lead for Jane Doe at Acme") == "Lead Jane Doe at Acme.")
    }

    /// An invalid answer gets the error prompt; after the allowed retries the task ends.
    @Test func retriesThenGivesUp() async throws {
        let bot = try Harness([
            "count.yaml": """
            dialog: Count
            intent: { name: Count Things, utterances: [count things] }
            nodes:
              - id: amount
                entity: { type: number, prompt: "How many?", error: "Please give a number.", retries: 2 }
              - id: done
                message: "Counted {{context.entities.amount}}."
            """
        ])
        #expect(await bot.say("count things") == "How many?")
        #expect(await bot.say("lots") == "Please give a number.")
        #expect(await bot.say("heaps") == "Please give a number.")
        let last = await bot.say("plenty")
        #expect(last == "Sorry, I couldn't get a valid answer. Let's stop here.")
        #expect(try await bot.runtime.state(of: "tester").isInTask == false)
    }

    /// After too many invalid answers, `onRetriesExceeded` can send the task to a node instead of ending it.
    @Test func retriesExceededGoesToNode() async throws {
        let bot = try Harness([
            "count.yaml": """
            dialog: Count
            intent: { name: Count Things, utterances: [count things] }
            nodes:
              - id: amount
                entity: { type: number, prompt: "How many?", retries: 1, onRetriesExceeded: fallback }
              - id: done
                message: "Counted {{context.entities.amount}}."
                next: end
              - id: fallback
                message: "Let's use the usual."
            """
        ])
        await bot.say("count things")
        await bot.say("lots")
        #expect(await bot.say("heaps") == "Sorry, I couldn't get a valid answer. Let's stop here.\nLet's use the usual.")
    }

    /// An optional entity takes its default when the user skips it; a hidden one is never asked.
    @Test func optionalAndHiddenEntities() async throws {
        let bot = try Harness([
            "note.yaml": """
            dialog: Note
            intent: { name: Take Note, utterances: [take a note] }
            nodes:
              - id: title
                entity: { type: string, prompt: "Title?", presence: optional, default: "Untitled" }
              - id: source
                entity: { type: string, prompt: "never asked", presence: hidden, default: "chat" }
              - id: done
                message: "{{context.entities.title}} from {{context.entities.source}}"
            """
        ])
        #expect(await bot.say("take a note") == "Title?")
        #expect(await bot.say("skip") == "Untitled from chat")
    }

    /// A list entity accepts synonyms and asks "which of these" when an answer fits two values.
    @Test func listEntityResolvesSynonymsAndAmbiguity() async throws {
        let bot = try Harness([
            "source.yaml": """
            dialog: Source
            intent: { name: Set Source, utterances: [set the lead source] }
            nodes:
              - id: source
                entity:
                  type: list
                  prompt: "Where did the lead come from?"
                  values: [ { value: Web, synonyms: [website, online] }, "Phone Inquiry", "Partner Referral", "Partner Event", "Other" ]
              - id: done
                message: "Source: {{context.entities.source}}"
            """
        ])
        #expect(await bot.say("set the lead source") == "Where did the lead come from?")
        #expect(await bot.say("website") == "Source: Web")
        await bot.say("set the lead source")
        let question = await bot.turn("partner")
        #expect(question.messages.first?.text.hasPrefix("Which of these did you mean") == true)
        #expect(await bot.say("Partner Referral") == "Source: Partner Referral")
    }

    /// Tab completion offers the values of the list entity being asked for.
    @Test func completesListValues() async throws {
        let bot = try Harness([
            "source.yaml": """
            dialog: Source
            intent: { name: Set Source, utterances: [set the lead source] }
            nodes:
              - id: source
                entity: { type: list, prompt: "Source?", values: [Web, Phone Inquiry, Partner Referral] }
            """
        ])
        await bot.say("set the lead source")
        #expect(try await bot.runtime.completions(for: "tester", prefix: "P") == ["Phone Inquiry", "Partner Referral"])
    }

    /// Dates are understood relative to the runtime's clock, not the machine's.
    @Test func datesUseTheInjectedClock() async throws {
        let bot = try Harness([
            "meet.yaml": """
            dialog: Meet
            intent: { name: Book Meeting, utterances: [book a meeting] }
            nodes:
              - id: day
                entity: { type: date, prompt: "Which day?" }
              - id: done
                message: "Booked for {{context.entities.day}}."
            """
        ])
        await bot.say("book a meeting")
        #expect(await bot.say("tomorrow") == "Booked for 2026-03-03.")
    }
}
