import BotHost
import Foundation
import Testing

@Suite struct ModelFolderTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-model-folder-\(UUID().uuidString)")

    @Test func keepsTheLatestModelOfAKind() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let models = ModelFolder(folder: folder)
        #expect(models.model(named: "intents-aaaa") == nil)
        models.save(Data([1, 2, 3]), named: "intents-aaaa")
        #expect(models.model(named: "intents-aaaa") == Data([1, 2, 3]))
        // The bot changed: the new model replaces the old one, which is never read again.
        models.save(Data([4]), named: "intents-bbbb")
        #expect(models.model(named: "intents-bbbb") == Data([4]))
        #expect(models.model(named: "intents-aaaa") == nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files == ["intents-bbbb.model"])
    }

    /// Names are the runtime's own; anything that could leave the folder is neither read nor written.
    @Test func namesAreNeverPaths() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let models = ModelFolder(folder: folder)
        for name in ["../escape", "a/b", "", ".hidden", "intents-x.model"] {
            models.save(Data([9]), named: name)
            #expect(models.model(named: name) == nil)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().appendingPathComponent("escape.model").path))
    }

    @Test func aFolderThatCannotBeMadeOnlyMeansTrainingAgain() throws {
        let file = folder.appendingPathExtension("file")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let models = ModelFolder(folder: file.appendingPathComponent("models"))
        models.save(Data([1]), named: "intents-aaaa")
        #expect(models.model(named: "intents-aaaa") == nil)
    }
}
