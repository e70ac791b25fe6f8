import DialogModel
import Foundation
import Testing

/// Loading whole bot folders: problems between files, settings, and folders that cannot be read.
@Suite struct BotLoaderTests {
    /// A path to a fixture relative to the working directory, when the fixtures are under it.
    private func relativeFixture(_ name: String) -> String? {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let path = Fixtures.path(name)
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : nil
    }

    /// Every problem of the bad bot is reported, file by file in sorted order, each file top to bottom.
    @Test func badBotReportsEveryProblem() throws {
        let folder = Fixtures.path("BadBot")
        let lines = BotLoader.lint(directory: folder).map { $0.description.replacingOccurrences(of: folder + "/", with: "") }
        #expect(
            lines == [
                "bot.yaml:3:3: error: unknown key 'didNotUnderstnd' in 'responses'; did you mean 'didNotUnderstand'?",
                "CreateLead.yaml:4:13: error: unknown task 'LookupCompny'; did you mean 'LookupCompany'?",
                "CreateLead.yaml:5:43: error: task 'LookupCompany' has no entity 'compnyName'; did you mean 'companyName'?",
                "DuplicateLead.yml:1:9: error: duplicate task name 'createlead'; it is already used at CreateLead.yaml:1:9",
                "DuplicateLead.yml:6:5: warning: node 'message2' is never reached",
            ])
    }

    /// Loading a bot with errors throws them all, warnings included.
    @Test func loadThrowsEveryDiagnostic() {
        #expect {
            try BotLoader.load(directory: Fixtures.path("BadBot"))
        } throws: { error in
            guard let error = error as? BotLoadError else { return false }
            return error.errors.count == 4 && error.diagnostics.count == 5
        }
    }

    /// Relative folder paths stay relative in diagnostics.
    @Test func relativePathsStayRelative() throws {
        let folder = try #require(relativeFixture("BadBot"))
        let first = BotLoader.lint(directory: folder).first
        #expect(first?.location.file == folder + "/bot.yaml")
        #expect(first?.description.hasPrefix(folder + "/bot.yaml:3:3: error:") == true)
    }

    /// A folder without bot.yaml is an error; its tasks are still checked.
    @Test func missingSettingsFile() {
        let folder = Fixtures.path("NoSettings")
        #expect(
            BotLoader.lint(directory: folder).map(\.description) == [
                "\(folder):1:1: error: the bot folder has no bot.yaml; it needs one with at least the bot's 'name'"
            ])
    }

    /// A folder that cannot be read is a diagnostic for lint and an error for load.
    @Test func unreadableFolder() {
        let folder = Fixtures.path("NoSuchBot")
        #expect(
            BotLoader.lint(directory: folder).map(\.description) == [
                "\(folder):1:1: error: cannot read the bot folder '\(folder)'"
            ])
        #expect(throws: BotLoadError.self) { try BotLoader.load(directory: folder) }
    }

    /// bot.yaml needs a name, and its values have the right types.
    @Test func settingsProblems() {
        let (settings, problems) = BotLoader.parseSettings(
            yaml: "greeting: [Hi]\nintegrations: { salesforce: { apiVersion: 66.0 } }\n", file: "bot.yaml")
        #expect(settings == nil)
        #expect(
            problems.map(\.description) == [
                "bot.yaml:1:1: error: missing required key 'name' in bot.yaml (the bot's name)",
                "bot.yaml:1:11: error: expected text for 'greeting', found a list",
            ])
    }

    /// Standard responses not named in bot.yaml keep their defaults.
    @Test func settingsOverrideOnlyNamedResponses() throws {
        let (settings, problems) = BotLoader.parseSettings(
            yaml: "name: Bot\nresponses: { taskCancelled: \"Stopped {{task}}.\" }\n", file: "bot.yaml")
        #expect(problems.isEmpty)
        let responses = try #require(settings?.responses)
        #expect(responses.taskCancelled == "Stopped {{task}}.")
        #expect(responses.nothingToCancel == StandardResponses().nothingToCancel)
    }

    /// `authorization:` sets the link lifetime, the attempts a task allows and confirm-with-code mode; values out
    /// of range are errors.
    @Test func authorizationSettings() throws {
        let (settings, problems) = BotLoader.parseSettings(
            yaml: "name: Bot\nauthorization: { linkLifetime: 300, attempts: 5, confirmWithCode: true }\n", file: "bot.yaml")
        #expect(problems.isEmpty)
        #expect(settings?.authorization == AuthorizationSettings(linkLifetime: 300, attempts: 5, confirmWithCode: true))
        #expect(BotLoader.parseSettings(yaml: "name: Bot\n", file: "bot.yaml").0?.authorization == AuthorizationSettings())
        #expect(AuthorizationSettings().confirmWithCode == false)
        let (_, bad) = BotLoader.parseSettings(
            yaml: "name: Bot\nauthorization: { linkLifetime: 5, attempts: 0, tries: 2, confirmWithCode: sometimes }\n",
            file: "bot.yaml")
        #expect(bad.count == 4)
    }

    /// Only *.yaml and *.yml files besides bot.yaml are tasks, in sorted order.
    @Test func taskFilesAreSorted() throws {
        let loaded = try BotLoader.load(directory: Fixtures.path("GoodBot"))
        #expect(
            loaded.bot.tasks.map(\.location.file).map { ($0 as NSString).lastPathComponent } == [
                "CreateLead.yaml", "LookupCompany.yml",
            ])
    }
}
