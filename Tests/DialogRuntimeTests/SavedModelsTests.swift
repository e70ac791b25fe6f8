import DialogModel
import DialogRuntime
import Foundation
import Synchronization
import Testing

/// Loading a bot a second time reads its trained model back, and only while its utterances are the same.
@Suite struct SavedModelsTests {
    /// Models in memory, counting what was asked and saved.
    final class Shelf: SavedModels {
        let models = Mutex<[String: Data]>([:])
        let reads = Mutex<[String]>([])

        func model(named name: String) -> Data? {
            reads.withLock { $0.append(name) }
            return models.withLock { $0[name] }
        }

        func save(_ model: Data, named name: String) {
            models.withLock { $0[name] = model }
        }
    }

    func bot(utterances: [String]) throws -> Bot {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: Models\n".write(to: directory.appendingPathComponent("bot.yaml"), atomically: true, encoding: .utf8)
        let task = """
            dialog: Greet
            intent:
              name: Say Hello
              utterances: [\(utterances.joined(separator: ", "))]
            nodes:
              - id: hello
                message: Hello!
            """
        try task.write(to: directory.appendingPathComponent("greet.yaml"), atomically: true, encoding: .utf8)
        return try BotLoader.load(directory: directory.path).bot
    }

    func reply(_ prepared: PreparedBot, to text: String) async throws -> String {
        let runtime = try BotRuntime(prepared: prepared, environment: RuntimeEnvironment(clock: .fixed(at: .now), random: .first))
        return await runtime.handle(text, from: "tester").text
    }

    @Test func theSecondLoadReadsTheModelTheFirstSaved() async throws {
        let shelf = Shelf()
        let bot = try bot(utterances: ["say hello", "greet me"])
        let first = PreparedBot(bot, models: shelf)
        let saved = shelf.models.withLock { $0 }
        #expect(saved.count == 1)
        let name = try #require(saved.keys.first)
        #expect(name.hasPrefix("intents-"))

        let second = PreparedBot(bot, models: shelf)
        #expect(shelf.reads.withLock { $0 } == [name, name])
        #expect(shelf.models.withLock { $0 } == saved)
        #expect(try await reply(second, to: "pls greet me") == reply(first, to: "pls greet me"))
        #expect(try await reply(second, to: "pls greet me").contains("Hello!"))
    }

    @Test func changedUtterancesTrainAgain() throws {
        let shelf = Shelf()
        _ = PreparedBot(try bot(utterances: ["say hello"]), models: shelf)
        _ = PreparedBot(try bot(utterances: ["say hello", "wave at me"]), models: shelf)
        #expect(shelf.models.withLock { $0.count } == 2)
    }

    @Test func aDamagedModelIsTrainedAgainAndReplaced() async throws {
        let shelf = Shelf()
        let bot = try bot(utterances: ["say hello"])
        _ = PreparedBot(bot, models: shelf)
        let name = try #require(shelf.models.withLock { $0.keys.first })
        shelf.models.withLock { $0[name] = Data("not a model".utf8) }
        let prepared = PreparedBot(bot, models: shelf)
        #expect(try await reply(prepared, to: "say hello").contains("Hello!"))
        #expect(shelf.models.withLock { $0[name] } != Data("not a model".utf8))
    }
}
