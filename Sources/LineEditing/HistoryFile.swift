import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The history file on disk: UTF-8 text, one entry per line, oldest first.
///
/// Entries are appended as they are entered, so a crash loses nothing; when the
/// file holds twice the limit it is rewritten with the newest `limit` entries.
/// The file is created with mode 0600 (it may hold what the user typed, names
/// included) and its folders with 0700.
struct HistoryFile: Sendable {
    let url: URL
    let limit: Int
    private(set) var linesOnDisk = 0

    /// Opens the history at `url`, creating its folders, and returns the stored entries.
    init(url: URL, limit: Int) throws(LineEditorError) {
        self.url = url
        self.limit = limit
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .historyFileUnusable(path: folder.path, reason: "cannot create its folder (\(error.localizedDescription))")
        }
    }

    /// Reads the stored entries, newest last, at most `limit` of them.
    mutating func load() throws(LineEditorError) -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .historyFileUnusable(path: url.path, reason: "cannot read it (\(error.localizedDescription))")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        linesOnDisk = lines.count
        var entries: [String] = []
        for line in lines where entries.last != String(line) {
            entries.append(String(line))
        }
        return Array(entries.suffix(limit))
    }

    /// Appends one entry; `allEntries` (newest last) is written out instead when the file has grown too long.
    ///
    /// History is a convenience: a write that fails leaves the session working, so errors are ignored.
    mutating func append(_ entry: String, allEntries: [String]) {
        if linesOnDisk + 1 > limit * 2 {
            rewrite(with: allEntries)
            return
        }
        if write(Array((entry + "\n").utf8), flags: O_WRONLY | O_APPEND | O_CREAT) {
            linesOnDisk += 1
        }
    }

    /// Replaces the file with `entries` through a temporary file, so a crash never leaves it half written.
    private mutating func rewrite(with entries: [String]) {
        let kept = entries.suffix(limit)
        let text = kept.map { $0 + "\n" }.joined()
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard write(Array(text.utf8), to: temporary.path, flags: O_WRONLY | O_CREAT | O_TRUNC) else { return }
        if rename(temporary.path, url.path) == 0 {
            linesOnDisk = kept.count
        } else {
            unlink(temporary.path)
        }
    }

    private func write(_ bytes: [UInt8], flags: Int32) -> Bool {
        write(bytes, to: url.path, flags: flags)
    }

    private func write(_ bytes: [UInt8], to path: String, flags: Int32) -> Bool {
        let descriptor = open(path, flags | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        return FileDescriptorIO.writeAll(bytes, to: descriptor)
    }
}
