/// A bot that loaded, with the warnings its files produced.
public struct LoadedBot: Sendable {
    public var bot: Bot
    /// Problems that do not stop the bot from running, such as nodes that are never reached.
    public var warnings: [Diagnostic]

    public init(bot: Bot, warnings: [Diagnostic] = []) {
        self.bot = bot
        self.warnings = warnings
    }
}
