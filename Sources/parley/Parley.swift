import ArgumentParser

/// The `parley` command: chat with a bot, check its files, run the local Salesforce, connect actions.
@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Run task-oriented chat bots: chat, lint, test, and connect Salesforce.",
        subcommands: [
            ChatCommand.self, LintCommand.self, SandboxCommand.self,
        ]
    )
}

/// Where the bot's files and Parley's own state live; every subcommand takes these.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The bot's folder: bot.yaml and one YAML file per dialog task.")
    var bot = "Dialogs"

    @Option(help: "The folder for Parley's state: history, conversations, tokens, the sandbox's data.")
    var state = ".parley"
}
