import Foundation

/// A dialog task an action ships ready to install, like the platform's "Explore Templates":
/// one file for the bot's folder, and the files it needs besides (a shared subdialog, bot functions).
public struct ActionTemplate: Sendable, Hashable {
    /// What people call it: "Create a Lead".
    public var name: String
    /// The task's name in the file: `CreateLead`.
    public var task: String
    /// The HTTP method of its main request.
    public var method: String
    /// What it does, in one line.
    public var summary: String
    /// The file it installs.
    public var file: TemplateFile
    /// Files it needs that several templates share.
    public var needs: [TemplateFile]

    /// Whether `text` names this template: its name, its task or its file's name, without regard to case.
    public func isNamed(_ text: String) -> Bool {
        let folded = text.lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" }
        let names = [name, task, String(file.name.prefix { $0 != "." })]
        return names.contains { $0.lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" } == folded }
            || folded == name.lowercased().replacingOccurrences(of: " a ", with: " ").filter { !$0.isWhitespace }
    }
}

/// A file a template writes into a bot's folder.
public struct TemplateFile: Sendable, Hashable {
    public var name: String
    public var contents: String

    init(name: String, bytes: [UInt8]) {
        self.name = name
        self.contents = String(decoding: bytes, as: UTF8.self)
    }
}
