public import Foundation
public import Integrations
public import ParleyJSON

/// What a host needs to know to run a bot: where its files and Parley's state are, and what the command line
/// overrides.
public struct HostOptions: Sendable {
    /// The bot's folder: bot.yaml and one YAML file per dialog task.
    public var botFolder: String
    /// The folder for Parley's state: history, conversations, tokens, the sandbox's data.
    public var stateFolder: String
    /// Bot variables that replace bot.yaml's `env:` values.
    public var variableOverrides: [String: JSONValue]

    public init(botFolder: String, stateFolder: String, variableOverrides: [String: JSONValue] = [:]) {
        self.botFolder = botFolder
        self.stateFolder = stateFolder
        self.variableOverrides = variableOverrides
    }

    /// The bot's integration store in the state folder: its actions, authorization profiles and tokens.
    public func integrationStore() throws -> IntegrationStore {
        try IntegrationStore(stateDirectory: stateFolder, bot: IntegrationStore.botID(forBotDirectory: botFolder))
    }

    /// The local sandbox's data file, shared by `parley sandbox`, `parley chat` and `parley actions`.
    public var sandboxDataPath: String {
        URL(fileURLWithPath: stateFolder).appendingPathComponent("sandbox.sqlite").path
    }

    /// The line editor's history file.
    public var historyFile: URL {
        URL(fileURLWithPath: stateFolder).appendingPathComponent("history")
    }
}
