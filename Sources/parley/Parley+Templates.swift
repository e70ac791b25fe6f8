import ArgumentParser
import Channels
import Foundation
import Integrations

extension Parley {
    /// `parley templates`: the actions' dialog task templates, and installing them into a bot.
    struct Templates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "templates",
            abstract: "List and install the Salesforce action's dialog task templates.",
            subcommands: [List.self, Install.self],
            defaultSubcommand: List.self
        )

        /// The templates of an action.
        static func templates(of action: String) throws -> [ActionTemplate] {
            let descriptor = try ActionCatalog.action(named: action)
            guard descriptor == ActionCatalog.salesforce else { throw ValidationError("\(descriptor.displayName) has no templates") }
            return SalesforceTemplates.all
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show the templates, what each does, and whether the bot has it.")

            @OptionGroup var options: GlobalOptions

            func run() async throws {
                print("Salesforce CRM templates (bot: \(options.bot))")
                let templates = SalesforceTemplates.all
                let nameWidth = templates.map(\.name.count).max() ?? 0
                for template in templates {
                    let presence: String
                    switch TemplateInstaller.presence(of: template, in: options.bot) {
                    case .absent: presence = "not installed"
                    case .installed: presence = "installed"
                    case .edited: presence = "installed, edited"
                    }
                    let name = template.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                    let method = template.method.padding(toLength: 6, withPad: " ", startingAt: 0)
                    print("  \(name)  \(method)  \(presence.padding(toLength: 17, withPad: " ", startingAt: 0))  \(template.summary)")
                }
                print("Install them with: parley templates install salesforce [NAME...] [--bot DIR]")
            }
        }

        struct Install: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write templates into the bot's folder as dialog tasks.",
                discussion: """
                    Without names, every template of the action is installed. A name is a template's name \
                    ("Create a Lead"), its task (CreateLead) or its file (create-lead). Installing twice is \
                    harmless; a file that differs from the template (you edited it) is kept, and the \
                    difference is shown, unless --force is given.
                    """
            )

            @Argument(help: "The action whose templates to install (salesforce).")
            var action: String

            @Argument(help: "Which templates; all when none are named.")
            var names: [String] = []

            @Flag(help: "Overwrite files that differ from the templates.")
            var force = false

            @OptionGroup var options: GlobalOptions

            func run() async throws {
                let available = try Parley.Templates.templates(of: action)
                var chosen: [ActionTemplate] = []
                for name in names {
                    guard let template = available.first(where: { $0.isNamed(name) }) else {
                        throw ValidationError(
                            "No template '\(name)'. The templates are: \(available.map(\.name).joined(separator: ", ")).")
                    }
                    if !chosen.contains(template) { chosen.append(template) }
                }
                if chosen.isEmpty { chosen = available }
                let plan: [TemplateInstaller.Change]
                do {
                    plan = try TemplateInstaller.plan(chosen, into: options.bot)
                    try TemplateInstaller.apply(plan, force: force)
                } catch let error as IntegrationInputError {
                    throw ValidationError(error.description)
                }
                let style = TerminalStyle(for: .standardOutput)
                var kept = 0
                for change in plan {
                    switch change.kind {
                    case .create:
                        print("  wrote      \(change.path)")
                    case .unchanged:
                        print("  unchanged  \(change.path)")
                    case .differs where force:
                        print("  replaced   \(change.path)")
                    case .differs(let current):
                        kept += 1
                        print("  kept       \(change.path) (it differs from the template; --force replaces it)")
                        print(
                            UnifiedDiff.render(
                                expected: current.components(separatedBy: "\n"),
                                actual: change.file.contents.components(separatedBy: "\n"), style: style, indent: "    ",
                                names: (change.path, "template"), context: 2),
                            terminator: "")
                    }
                }
                let tasks = chosen.map(\.task).joined(separator: ", ")
                print(
                    kept == 0
                        ? "Installed \(tasks) in \(options.bot)."
                        : "Installed what was missing; \(kept) edited file\(kept == 1 ? " was" : "s were") kept.")
                print(
                    "Check the bot with: parley lint \(options.bot)   Draw a task with: parley graph \(chosen[0].task) --bot \(options.bot)"
                )
            }
        }
    }
}
