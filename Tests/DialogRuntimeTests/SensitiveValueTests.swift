import DialogRuntime
import Foundation
import ParleyJSON
import Testing

/// Entities marked `sensitive: true` are masked wherever a conversation is shown or kept outside the chat.
@Suite struct SensitiveValueTests {
    static let balance = """
        dialog: CheckBalance
        intent: { name: Check Balance, utterances: [check my balance] }
        nodes:
          - id: accountNumber
            entity: { type: string, prompt: "What is your account number?", sensitive: true }
          - id: pin
            entity: { type: number, prompt: "And your PIN?", sensitive: true }
          - id: nickname
            entity: { type: string, prompt: "What should I call you?" }
          - id: lookup
            service:
              method: GET
              url: "https://bank.test/accounts/{{context.entities.accountNumber}}?pin={{context.entities.pin}}"
          - id: done
            message: "Your balance is {{context.lookup.response.body.balance}}."
        """

    static func bot(store: any ConversationStore = InMemoryConversationStore()) throws -> Harness {
        let http = RecordingHTTP { _ throws(ServiceCallError) in RecordingHTTP.json(200, #"{"balance":"$12"}"#) }
        return try Harness(["balance.yaml": balance], http: http.service, store: store)
    }

    /// `/context` shows sensitive entities as `•••`, and the text the user typed for one too.
    @Test func theContextMasksSensitiveValues() async throws {
        let bot = try Self.bot()
        await bot.say("check my balance")
        await bot.say("AC-99887766")
        let context = try await bot.runtime.context(for: "tester")
        #expect(context["entities"]?["accountNumber"] == "•••")
        #expect(context["session"]?["BotUserSession"]?["lastMessage"]?["messagePayload"] == "•••")
        #expect(!context.jsonText().contains("99887766"))
        let revealed = try await bot.runtime.context(for: "tester", revealingSensitiveValues: true)
        #expect(revealed["entities"]?["accountNumber"] == "AC-99887766")
    }

    /// A turn answering a sensitive prompt says so and names the value to mask; its trace shows only masks.
    @Test func aTurnNamesItsSensitiveValuesAndMasksItsTrace() async throws {
        let bot = try Self.bot()
        await bot.say("check my balance")
        #expect(try await bot.runtime.isAwaitingSensitiveAnswer(from: "tester"))
        let account = await bot.turn("AC-99887766")
        #expect(account.userTextIsSensitive)
        #expect(account.sensitive.values.contains("AC-99887766"))
        await bot.say("4321")
        #expect(try await bot.runtime.isAwaitingSensitiveAnswer(from: "tester") == false)
        let last = await bot.turn("Sam")
        #expect(last.userTextIsSensitive == false)
        #expect(last.text == "Your balance is $12.")
        let trace = last.trace.map(\.description).joined(separator: "\n")
        #expect(trace.contains("GET https://bank.test/accounts/•••?pin=•••"))
        #expect(!trace.contains("99887766"))
        #expect(!trace.contains("4321"))
    }

    /// What the user typed for a sensitive prompt is not kept in the stored conversation's `lastMessage`.
    @Test func theStoredConversationKeepsOnlyTheMaskOfTheAnswer() async throws {
        let store = InMemoryConversationStore()
        let bot = try Self.bot(store: store)
        await bot.say("check my balance")
        await bot.say("my account is AC-99887766")
        let stored = try #require(try await store.load("tester"))
        #expect(stored.session["BotUserSession"]?["lastMessage"]?["messagePayload"] == "•••")
    }

    /// Short values are masked only where they are the whole text, longer ones wherever they appear.
    @Test func masking() {
        let sensitive = SensitiveText(["AC-99887766", "42"])
        #expect(sensitive.masked("account AC-99887766 has 42 items") == "account ••• has 42 items")
        #expect(sensitive.masked("42") == "•••")
        #expect(sensitive.masked(["pin": 42, "note": "AC-99887766/x"]) == ["pin": "•••", "note": "•••/x"])
    }
}
