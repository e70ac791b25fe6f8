import ArgumentParser
import Channels
import DialogModel
import DialogRuntime
import Foundation

extension Parley {
    /// `parley lint [DIR]`: checks a bot's files and reports every problem with its file, line and column.
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check a bot's dialog files and report every problem as file:line:col.",
            discussion: "Exits with status 1 when there are errors; warnings alone exit 0."
        )

        @Argument(help: "The bot's folder (default: the --bot option, ./Dialogs).")
        var directory: String?

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        func run() async throws {
            let folder = directory ?? options.bot
            let diagnostics = BotLoader.lint(directory: folder, scriptChecker: JavaScriptSyntaxChecker())
            let style = TerminalStyle(for: .standardError)
            for diagnostic in diagnostics {
                FileHandle.standardError.write(Data((style.diagnostic(diagnostic) + "\n").utf8))
            }
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.count - errors
            if errors == 0 && warnings == 0 {
                print("\(folder): no problems found")
            } else {
                FileHandle.standardError.write(
                    Data("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n".utf8))
            }
            if errors > 0 || (strict && warnings > 0) { throw ExitCode.failure }
        }
    }
}
