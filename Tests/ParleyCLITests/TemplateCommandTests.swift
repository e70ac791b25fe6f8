import Foundation
import Testing

@Suite("parley templates and parley graph")
struct TemplateCommandTests {
    /// `templates list` names all twelve with their method and whether the bot has them.
    @Test func listShowsEveryTemplateAndWhetherItIsInstalled() async throws {
        let bot = try Self.emptyBot()
        defer { try? FileManager.default.removeItem(at: bot) }
        let shipped = try await runParley(["templates", "list", "--bot", "Dialogs"], in: Build.packageRoot)
        #expect(shipped.status == 0, "\(shipped.output)")
        let rows = shipped.output.split(separator: "\n").filter { $0.hasPrefix("  ") }
        #expect(rows.count == 12)
        #expect(rows.allSatisfy { $0.contains(" installed ") && !$0.contains("not installed") }, "\(shipped.output)")
        #expect(shipped.output.contains("Delete an Opportunity  DELETE"))

        let empty = try await runParley(["templates", "list", "--bot", bot.path])
        #expect(empty.output.split(separator: "\n").filter { $0.contains("not installed") }.count == 12, "\(empty.output)")
    }

    /// Installing writes lintable files; again, nothing changes; an edited file is kept and shown as a diff
    /// until --force replaces it.
    @Test func installIsRepeatableAndKeepsEdits() async throws {
        let bot = try Self.emptyBot()
        defer { try? FileManager.default.removeItem(at: bot) }
        let installed = try await runParley(["templates", "install", "salesforce", "--bot", bot.path])
        #expect(installed.status == 0, "\(installed.output)")
        #expect(installed.output.contains("wrote"))
        let files = try FileManager.default.contentsOfDirectory(atPath: bot.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count == 14)  // bot.yaml, twelve tasks and the shared FindRecord

        let lint = try await runParley(["lint", bot.path])
        #expect(lint.status == 0, "\(lint.output)")
        #expect(lint.output.hasSuffix("no problems found\n"))

        let again = try await runParley(["templates", "install", "salesforce", "--bot", bot.path])
        #expect(again.status == 0)
        #expect(!again.output.contains("wrote"), "\(again.output)")

        let file = bot.appendingPathComponent("create-lead.yaml")
        let original = try String(contentsOf: file, encoding: .utf8)
        try original.replacingOccurrences(of: "What is the lead's first name?", with: "First name?")
            .write(to: file, atomically: true, encoding: .utf8)
        let kept = try await runParley(["templates", "install", "salesforce", "create-lead", "--bot", bot.path])
        #expect(kept.output.contains("kept"), "\(kept.output)")
        #expect(kept.output.contains("-      prompt: \"First name?\""), "\(kept.output)")
        #expect(kept.output.contains("+      prompt: \"What is the lead's first name?\""), "\(kept.output)")
        #expect(try String(contentsOf: file, encoding: .utf8) != original)

        let forced = try await runParley(["templates", "install", "salesforce", "create-lead", "--force", "--bot", bot.path])
        #expect(forced.status == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == original)
    }

    /// An unknown template is refused with the names there are.
    @Test func anUnknownTemplateIsNamed() async throws {
        let bot = try Self.emptyBot()
        defer { try? FileManager.default.removeItem(at: bot) }
        let result = try await runParley(["templates", "install", "salesforce", "close-lead", "--bot", bot.path])
        #expect(result.status != 0)
        #expect(result.output.contains("No template 'close-lead'"))
        #expect(result.output.contains("Delete a Lead"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: bot.path) == ["bot.yaml"])
    }

    /// Enabling Salesforce says which templates there are and how to install them.
    @Test func enablingSalesforceOffersTheTemplates() async throws {
        let state = try Build.temporaryFolder()
        let bot = try Self.emptyBot()
        defer {
            try? FileManager.default.removeItem(at: state)
            try? FileManager.default.removeItem(at: bot)
        }
        let result = try await runParley([
            "actions", "enable", "salesforce", "--authorization", "user", "--app", "system", "--state", state.path, "--bot", bot.path,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Create an Opportunity"))
        #expect(result.output.contains("parley templates install salesforce"))
    }

    /// A task drawn as Mermaid and DOT shows its nodes and transitions; SVG says plainly when Graphviz is missing.
    @Test func graphDrawsATask() async throws {
        let mermaid = try await runParley(["graph", "DeleteLead", "--bot", "Dialogs"], in: Build.packageRoot)
        #expect(mermaid.status == 0, "\(mermaid.output)")
        #expect(mermaid.output.hasPrefix("flowchart TD\n"))
        #expect(mermaid.output.contains("n_confirm -- \"yes\" --> n_deleteLead"))
        #expect(mermaid.output.contains("n_confirm -- \"no\" --> n_kept"))

        let dot = try await runParley(["graph", "DeleteLead", "--bot", "Dialogs", "--format", "dot"], in: Build.packageRoot)
        #expect(dot.output.hasPrefix("digraph \"DeleteLead\" {"))
        #expect(dot.output.contains("\"confirm\" -> \"deleteLead\""), "\(dot.output)")

        let noGraphviz = try await runParley(
            ["graph", "DeleteLead", "--bot", "Dialogs", "--format", "svg"], in: Build.packageRoot,
            environment: ["PATH": "/nonexistent"])
        #expect(noGraphviz.status != 0)
        #expect(noGraphviz.output.contains("Graphviz"))

        let unknown = try await runParley(["graph", "DeleteLeads", "--bot", "Dialogs"], in: Build.packageRoot)
        #expect(unknown.status != 0)
        #expect(unknown.output.contains("No task 'DeleteLeads'"))
    }

    static func emptyBot() throws -> URL {
        let bot = try Build.temporaryFolder()
        try "name: Templates test\n".write(to: bot.appendingPathComponent("bot.yaml"), atomically: true, encoding: .utf8)
        return bot
    }
}
