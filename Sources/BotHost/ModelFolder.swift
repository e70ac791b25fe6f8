public import DialogRuntime
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps a bot's trained understanding in a folder of the state folder, one file per model: loading the bot
/// again reads its model back when its utterances have not changed.
///
/// A file is written whole under another name and then renamed, so a reader never sees half of one; when a
/// model is saved, the bot's earlier ones of the same kind (`intents-…`) go.
public struct ModelFolder: SavedModels {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// The folder for one bot's models in a state folder.
    public init(stateFolder: String, bot: String) {
        self.init(folder: URL(fileURLWithPath: stateFolder).appendingPathComponent("models").appendingPathComponent(bot))
    }

    public func model(named name: String) -> Data? {
        guard let url = file(named: name) else { return nil }
        return try? Data(contentsOf: url)
    }

    public func save(_ model: Data, named name: String) {
        guard let url = file(named: name) else { return }
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let partial = folder.appendingPathComponent(".\(name).\(ProcessInfo.processInfo.processIdentifier).partial")
            try model.write(to: partial)
            // Private like everything in the state folder.
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: partial.path)
            guard rename(partial.path, url.path) == 0 else {
                try? manager.removeItem(at: partial)
                return
            }
            // Models of this kind trained on earlier versions of the bot are never read again.
            let kind = name.split(separator: "-").first.map { "\($0)-" } ?? name
            for other in try manager.contentsOfDirectory(atPath: folder.path)
            where other.hasPrefix(kind) && other.hasSuffix(".model") && other != url.lastPathComponent {
                try? manager.removeItem(at: folder.appendingPathComponent(other))
            }
        } catch {
            // Only an optimization: the next load trains again.
        }
    }

    /// The file of a model; names are the runtime's own (`intents-` and a fingerprint), never a path.
    private func file(named name: String) -> URL? {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
        return folder.appendingPathComponent(name + ".model")
    }
}
