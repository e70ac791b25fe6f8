import Foundation
import Integrations
import Testing

@Suite("Salesforce templates")
struct SalesforceTemplatesTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The shipped bot is exactly what installing every template writes, and nothing else but bot.yaml.
    @Test func shippedBotIsExactlyTheTemplates() throws {
        let dialogs = Self.packageRoot.appendingPathComponent("Dialogs").path
        let plan = try TemplateInstaller.plan(SalesforceTemplates.all, into: dialogs)
        for change in plan {
            #expect(change.kind == .unchanged, "Dialogs/\(change.file.name) differs from its template")
        }
        let shipped = try FileManager.default.contentsOfDirectory(atPath: dialogs).filter { $0 != "bot.yaml" }.sorted()
        #expect(shipped == plan.map(\.file.name).sorted())
    }

    /// Twelve templates, one per object and operation, with distinct task names and files.
    @Test func twelveTemplatesForLeadsAndOpportunities() {
        let templates = SalesforceTemplates.all
        #expect(templates.count == 12)
        #expect(Set(templates.map(\.task)).count == 12)
        #expect(Set(templates.map(\.file.name)).count == 12)
        for object in ["Lead", "Opportunit"] {
            for verb in ["Create", "Update", "View", "List", "Search", "Delete"] {
                #expect(templates.contains { $0.task.hasPrefix(verb) && $0.task.contains(object) }, "\(verb) \(object)")
            }
        }
        #expect(templates.filter { $0.method == "DELETE" }.map(\.task).sorted() == ["DeleteLead", "DeleteOpportunity"])
    }

    /// A template is found by its title, its task or its file, in any case.
    @Test func templatesAreFoundByAnyOfTheirNames() throws {
        let deleteLead = try #require(SalesforceTemplates.all.first { $0.task == "DeleteLead" })
        for name in ["Delete a Lead", "delete a lead", "DeleteLead", "delete-lead"] {
            #expect(deleteLead.isNamed(name), "\(name)")
        }
        #expect(!deleteLead.isNamed("delete"))
    }

    /// Installing writes each file once, and installing again changes nothing.
    @Test func installingTwiceIsHarmless() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let templates = SalesforceTemplates.all.filter { ["CreateLead", "DeleteLead"].contains($0.task) }
        let first = try TemplateInstaller.plan(templates, into: folder)
        #expect(first.map(\.file.name) == ["create-lead.yaml", "salesforce.js", "delete-lead.yaml", "find-record.yaml"])
        #expect(first.allSatisfy { $0.kind == .create })
        #expect(try TemplateInstaller.apply(first, force: false).count == 4)

        let second = try TemplateInstaller.plan(templates, into: folder)
        #expect(second.allSatisfy { $0.kind == .unchanged })
        #expect(try TemplateInstaller.apply(second, force: false).isEmpty)
        #expect(TemplateInstaller.presence(of: templates[0], in: folder) == .installed)
    }

    /// A file its author edited is kept, and shown as differing, unless forced.
    @Test func anEditedFileIsKeptUnlessForced() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let template = try #require(SalesforceTemplates.all.first { $0.task == "CreateLead" })
        try TemplateInstaller.apply(try TemplateInstaller.plan([template], into: folder), force: false)
        let path = (folder as NSString).appendingPathComponent(template.file.name)
        let edited = template.file.contents.replacingOccurrences(of: "first name", with: "given name")
        try edited.write(toFile: path, atomically: true, encoding: .utf8)

        let plan = try TemplateInstaller.plan([template], into: folder)
        #expect(plan.first?.kind == .differs(current: edited))
        #expect(TemplateInstaller.presence(of: template, in: folder) == .edited)
        #expect(try TemplateInstaller.apply(plan, force: false).isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == edited)

        #expect(try TemplateInstaller.apply(plan, force: true).map(\.file.name) == [template.file.name])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == template.file.contents)
    }

    /// A folder that is not there is an error that names it, and nothing is written.
    @Test func aMissingFolderIsNamed() {
        #expect(throws: IntegrationInputError.self) {
            try TemplateInstaller.plan(SalesforceTemplates.all, into: "/nonexistent/parley-bot")
        }
    }

    static func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.path
    }
}
