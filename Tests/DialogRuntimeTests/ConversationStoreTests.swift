import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON
import Synchronization
import Testing

/// How the runtime uses its conversation store, and what it does when the store fails.
@Suite struct ConversationStoreTests {
    /// A store that keeps conversations in memory and fails on command, counting what it was asked.
    final class FlakyStore: ConversationStore {
        struct Failure: Error, CustomStringConvertible {
            var description: String
        }

        private let states = Mutex<[UserID: ConversationState]>([:])
        let failLoads = Mutex(false)
        let failSaves = Mutex(false)
        let failRemoves = Mutex(false)
        let saves = Mutex(0)
        let loads = Mutex(0)

        func load(_ user: UserID) async throws -> ConversationState? {
            if failLoads.withLock({ $0 }) { throw Failure(description: "disk I/O error while loading") }
            loads.withLock { $0 += 1 }
            return states.withLock { $0[user] }
        }

        func save(_ state: ConversationState, for user: UserID) async throws {
            if failSaves.withLock({ $0 }) { throw Failure(description: "database or disk is full") }
            saves.withLock { $0 += 1 }
            states.withLock { $0[user] = state }
        }

        func remove(_ user: UserID) async throws {
            if failRemoves.withLock({ $0 }) { throw Failure(description: "attempt to write a readonly database") }
            _ = states.withLock { $0.removeValue(forKey: user) }
        }

        func stored(_ user: UserID) -> ConversationState? { states.withLock { $0[user] } }
    }

    /// A conversation stored by one runtime continues in another with the same store, as after a restart.
    @Test func aNewRuntimeContinuesTheStoredConversation() async throws {
        let store = FlakyStore()
        let first = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        #expect(await first.say("create a lead") == "What is the lead's last name?")
        #expect(await first.say("Doe") == "Which company is Doe with?")

        let second = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        #expect(await second.say("Acme") == "Lead Doe at Acme.")
    }

    /// Only the most recently used conversations stay in memory between turns: one let go is read back from the store
    /// when its user returns and goes on where it was. (One shard, so the limit is not shared out.)
    @Test func anIdleConversationIsLetGoAndReadBack() async throws {
        let store = FlakyStore()
        let harness = try Harness(["lead.yaml": EntityNodeTests.lead], store: store, cachedConversations: 2, shards: 1)
        #expect(await harness.say("create a lead", as: "ann") == "What is the lead's last name?")
        for user: UserID in ["bo", "cy", "di"] { await harness.say("create a lead", as: user) }
        let loads = store.loads.withLock { $0 }
        #expect(await harness.say("Doe", as: "ann") == "Which company is Doe with?")
        #expect(store.loads.withLock { $0 } == loads + 1, "ann's conversation came from the store")
        #expect(await harness.say("Roe", as: "di") == "Which company is Roe with?")
        #expect(store.loads.withLock { $0 } == loads + 1, "di's was still in memory")
    }

    /// A conversation whose save failed stays in memory however many others come after it: the store does not have
    /// its latest state. (One shard, so the others do pass the limit.)
    @Test func anUnsavedConversationIsNotLetGo() async throws {
        let store = FlakyStore()
        let harness = try Harness(["lead.yaml": EntityNodeTests.lead], store: store, cachedConversations: 2, shards: 1)
        store.failSaves.withLock { $0 = true }
        _ = await harness.say("create a lead", as: "ann")
        store.failSaves.withLock { $0 = false }
        #expect(store.stored("ann") == nil)
        for user: UserID in ["bo", "cy", "di"] { await harness.say("create a lead", as: user) }
        #expect(await harness.say("Doe", as: "ann") == "Which company is Doe with?")
        #expect(store.stored("ann")?.isInTask == true, "saved with the next turn")
    }

    /// A store several processes share, in memory: it counts the turns it let run alone and the loads made outside them.
    final class SharedStore: ConversationStore {
        private let states = Mutex<[UserID: ConversationState]>([:])
        private let holding = Mutex(0)
        let exclusiveRuns = Mutex(0)
        let loadsOutsideTheLock = Mutex(0)

        var isShared: Bool { true }

        func exclusively<T: Sendable>(
            _ user: UserID, isolation: isolated (any Actor)?, _ body: () async throws -> T
        ) async throws -> T {
            exclusiveRuns.withLock { $0 += 1 }
            holding.withLock { $0 += 1 }
            defer { holding.withLock { $0 -= 1 } }
            return try await body()
        }

        func load(_ user: UserID) async throws -> ConversationState? {
            if holding.withLock({ $0 }) == 0 { loadsOutsideTheLock.withLock { $0 += 1 } }
            return states.withLock { $0[user] }
        }

        func save(_ state: ConversationState, for user: UserID) async throws {
            states.withLock { $0[user] = state }
        }

        func remove(_ user: UserID) async throws {
            _ = states.withLock { $0.removeValue(forKey: user) }
        }
    }

    /// With a shared store, runtimes in two processes take turns of one conversation: each turn reads it from the store
    /// inside the store's lock, never from a copy the runtime kept (which the other process has changed since).
    @Test func runtimesSharingAStoreReadEachTurnFresh() async throws {
        let store = SharedStore()
        let first = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        let second = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        #expect(await first.say("create a lead") == "What is the lead's last name?")
        #expect(await second.say("Doe") == "Which company is Doe with?")
        #expect(await first.say("Acme") == "Lead Doe at Acme.")
        #expect(store.exclusiveRuns.withLock { $0 } == 3)
        #expect(store.loadsOutsideTheLock.withLock { $0 } == 0)
    }

    /// A conversation that cannot be loaded is not replaced by a new one: the turn does not run, the user gets
    /// the standard response, and the error reaches the caller.
    @Test func aLoadFailureIsReportedAndTheTurnDoesNotRun() async throws {
        let store = FlakyStore()
        let before = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        await before.say("create a lead")
        let stored = try #require(store.stored("tester"))

        store.failLoads.withLock { $0 = true }
        let bot = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        let output = await bot.turn("Doe")
        #expect(output.text == "Sorry, I can't reach our conversation right now. Please try again in a moment.")
        #expect(output.storeError?.operation == .load)
        #expect(output.storeError?.description == "could not load the conversation of tester: disk I/O error while loading")
        #expect(store.stored("tester") == stored)

        store.failLoads.withLock { $0 = false }
        #expect(await bot.say("Doe") == "Which company is Doe with?")
    }

    /// A turn whose result cannot be saved keeps its answers, adds the standard response and reports the error;
    /// the next turn saves the conversation again even when it changes nothing.
    @Test func aSaveFailureIsReportedAndRetried() async throws {
        let store = FlakyStore()
        let bot = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        store.failSaves.withLock { $0 = true }
        let output = await bot.turn("create a lead")
        #expect(
            output.messages.map(\.text) == [
                "What is the lead's last name?", "I couldn't save our conversation, so I may forget this if I restart.",
            ])
        #expect(output.storeError?.operation == .save)
        #expect(output.storeError?.reason == "database or disk is full")
        #expect(store.stored("tester") == nil)

        store.failSaves.withLock { $0 = false }
        let retried = await bot.turn("")
        #expect(retried.storeError == nil)
        #expect(store.stored("tester")?.current?.task == "CreateLead")
    }

    /// Resetting removes the conversation from the store, keeping only who the user is.
    @Test func resetRemovesTheConversationFromTheStore() async throws {
        let store = FlakyStore()
        let bot = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        await bot.say("create a lead")
        await bot.say("Doe")
        try await bot.runtime.reset("tester")
        #expect(store.stored("tester") == nil)

        try await bot.runtime.setUserContext(["name": "Ana"], for: "ana")
        await bot.say("create a lead", as: "ana")
        try await bot.runtime.reset("ana")
        let kept = try #require(store.stored("ana"))
        #expect(kept.stack.isEmpty)
        #expect(kept.session["UserContext"]?["name"] == "Ana")
        #expect(kept.session["BotUserSession"] == nil)
    }

    /// A reset the store refuses throws, and the conversation starts over in memory all the same.
    @Test func aRefusedResetThrows() async throws {
        let store = FlakyStore()
        let bot = try Harness(["lead.yaml": EntityNodeTests.lead], store: store)
        await bot.say("create a lead")
        store.failRemoves.withLock { $0 = true }
        await #expect(throws: ConversationStoreError.self) {
            try await bot.runtime.reset("tester")
        }
        #expect(try await bot.runtime.state(of: "tester").isInTask == false)
    }
}

/// The JSON a conversation is stored as, made without the generic encoder, reads back as the same state.
@Suite struct StoredConversationJSONTests {
    /// Every kind of frame, wait and question, with values that need escaping and numbers of every shape.
    @Test func everyPartReadsBackAsItWas() throws {
        var state = ConversationState()
        var waitingForEntity = TaskFrame(
            task: "CreateLead",
            context: [
                "entities": [
                    "lastName": "Doe \"the\" \\ Ünïcödé 🦊\n", "amount": 50_000, "rate": 0.125, "negative": -3, "none": .null,
                ],
                "intent": ["name": "Create Lead", "utterance": "create a lead"], "flags": [true, false, 1e20, 1.5e-7],
            ])
        waitingForEntity.node = "lastName"
        waitingForEntity.waiting = .entity
        waitingForEntity.retries = 2
        var confirming = TaskFrame(task: "DeleteLead", context: [:])
        confirming.node = "confirm"
        confirming.waiting = .confirmation
        confirming.authorizationFailures = 1
        var choosing = TaskFrame(task: "UpdateLead", context: ["entities": [:]])
        choosing.waiting = .listChoice(["Working", "Open - Not Contacted"])
        var authorizing = TaskFrame(task: "CreateLead", context: [:])
        authorizing.node = "createLead"
        authorizing.waiting = .authorization(AuthorizationRequest(integration: "salesforce", url: "http://127.0.0.1:8974/a/x"))
        let starting = TaskFrame(task: "ListLeads", context: [:])
        state.stack = [waitingForEntity, authorizing]
        state.held = [[confirming, choosing], [starting]]
        state.session = ["BotUserSession": ["lastMessage": ["messagePayload": "hi"]], "UserContext": ["id": "u1"]]
        state.history = [["state": "processing", "taskName": "CreateLead", "nodeId": "lastName"]]
        state.lastIntent = "Create Lead"
        state.question = .whichTask(candidates: ["Create Lead", "Create Opportunity"], utterance: "create")

        let holding = with(state) { $0.question = .holdOrDiscard(newTask: "DeleteLead", utterance: "delete it") }
        for variant in [state, holding, ConversationState()] {
            let read = try JSONDecoder().decode(ConversationState.self, from: Data(variant.storedJSON().utf8))
            #expect(read == variant)
            #expect(read == (try JSONDecoder().decode(ConversationState.self, from: JSONEncoder().encode(variant))))
            // What the stores load with reads both, the same.
            #expect(try ConversationState(storedJSON: variant.storedJSON()) == variant)
            let encoded = try #require(String(data: JSONEncoder().encode(variant), encoding: .utf8))
            #expect(try ConversationState(storedJSON: encoded) == variant)
        }
    }

    /// Conversations stored before a member existed, and `null` for what is optional, read as the generic decoder
    /// read them.
    @Test func olderAndNullMembersRead() throws {
        let text = """
            {"stack":[{"task":"CreateLead","context":{},"retries":1,"node":null,
            "waiting":{"authorization":{"_0":{"integration":"salesforce","url":"http://x/a/1"}}}}],
            "held":[],"session":{},"history":[],"question":null}
            """
        let state = try ConversationState(storedJSON: text)
        #expect(state == (try JSONDecoder().decode(ConversationState.self, from: Data(text.utf8))))
        #expect(state.stack.first?.waiting == .authorization(AuthorizationRequest(integration: "salesforce", url: "http://x/a/1")))
        #expect(state.stack.first?.node == nil)
        #expect(state.question == nil && state.lastIntent == nil)
    }

    /// A stored conversation that is not one is refused, naming the member that is wrong, rather than read as
    /// something else.
    @Test(arguments: [
        ("[]", "the state: should be an object"),
        (#"{"held":[],"session":{},"history":[]}"#, "stack: is missing"),
        (#"{"stack":[{"task":"A","context":{}}],"held":[],"session":{},"history":[]}"#, "stack[0].retries: is missing"),
        (
            #"{"stack":[{"task":"A","context":{},"retries":1.5}],"held":[],"session":{},"history":[]}"#,
            "stack[0].retries: should be a whole number"
        ),
        (#"{"stack":[],"held":[[{"task":7,"context":{},"retries":0}]],"session":{},"history":[]}"#, "held[0][0].task: should be text"),
        (
            #"{"stack":[{"task":"A","context":{},"retries":0,"waiting":{"sleep":{}}}],"held":[],"session":{},"history":[]}"#,
            #"stack[0].waiting: "sleep" is not something a task waits for"#
        ),
        (
            #"{"stack":[],"held":[],"session":{},"history":[],"question":{"whichTask":{"candidates":"A"}}}"#,
            "question.whichTask.candidates: should be a list"
        ),
    ])
    func malformedStateIsRefused(text: String, message: String) {
        #expect {
            _ = try ConversationState(storedJSON: text)
        } throws: { error in
            "\(error)" == message
        }
    }

    private func with(_ state: ConversationState, _ change: (inout ConversationState) -> Void) -> ConversationState {
        var state = state
        change(&state)
        return state
    }
}
