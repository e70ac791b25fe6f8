import Foundation

/// Writes templates into a bot's folder without ever losing what its author changed.
///
/// A file that is not there is written. A file equal to the template is left as it is. A file that
/// differs (its author edited it, or it comes from an older Parley) is kept unless `force` is set;
/// the plan says what would change.
public enum TemplateInstaller {
    /// What installing does, or would do, to one file.
    public struct Change: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// The file is not there yet.
            case create
            /// The file is there, exactly as the template has it.
            case unchanged
            /// The file is there and differs; `current` is what it holds.
            case differs(current: String)
        }

        public var file: TemplateFile
        public var kind: Kind
        /// The file's path in the bot's folder.
        public var path: String
    }

    /// What installing the templates into `folder` would do to each of their files, each file once.
    ///
    /// - Throws: `IntegrationInputError` when the folder does not exist or a file cannot be read.
    public static func plan(_ templates: [ActionTemplate], into folder: String) throws -> [Change] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IntegrationInputError("the bot folder '\(folder)' does not exist")
        }
        var files: [TemplateFile] = []
        for template in templates {
            for file in [template.file] + template.needs where !files.contains(file) { files.append(file) }
        }
        return try files.map { file in
            let path = (folder as NSString).appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: path) else { return Change(file: file, kind: .create, path: path) }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw IntegrationInputError("cannot read \(path)")
            }
            let current = String(decoding: data, as: UTF8.self)
            return Change(file: file, kind: current == file.contents ? .unchanged : .differs(current: current), path: path)
        }
    }

    /// Carries out a plan: writes new files, and differing ones only when `force` is set.
    ///
    /// - Returns: The changes that were written.
    /// - Throws: `IntegrationInputError` when a file cannot be written; files written before stay.
    @discardableResult
    public static func apply(_ plan: [Change], force: Bool) throws -> [Change] {
        var written: [Change] = []
        for change in plan {
            switch change.kind {
            case .unchanged: continue
            case .differs where !force: continue
            case .create, .differs: break
            }
            do {
                try Data(change.file.contents.utf8).write(to: URL(fileURLWithPath: change.path), options: .atomic)
            } catch {
                throw IntegrationInputError("cannot write \(change.path): \(error.localizedDescription)")
            }
            written.append(change)
        }
        return written
    }

    /// Whether a template is in the folder: its file is there, exactly as shipped or edited.
    public enum Presence: Sendable, Hashable {
        case absent, installed, edited
    }

    public static func presence(of template: ActionTemplate, in folder: String) -> Presence {
        let path = (folder as NSString).appendingPathComponent(template.file.name)
        guard let data = FileManager.default.contents(atPath: path) else { return .absent }
        return String(decoding: data, as: UTF8.self) == template.file.contents ? .installed : .edited
    }
}
