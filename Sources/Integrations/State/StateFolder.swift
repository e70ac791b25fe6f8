public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parley's state folder: conversations, tokens, history and the sandbox's data, readable by its owner only.
///
/// A folder Parley creates gets mode 0700; the files it keeps there get 0600 (SQLite gives a database's
/// `-wal` and `-shm` files the database's mode). An existing folder keeps its mode, since it may be one the
/// person chose for other things too, but Parley's files in it are made private all the same.
public enum StateFolder {
    /// Creates the folder and its missing parents with mode 0700.
    ///
    /// - Throws: `StateFolderError` naming the folder and why (a read-only file system, a file in the way).
    public static func prepare(_ path: String) throws(StateFolderError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw StateFolderError(path: path, reason: "the state folder is a file, not a folder") }
            guard access(path, W_OK | X_OK) == 0 else {
                throw StateFolderError(path: path, reason: "the state folder is not writable (\(String(cString: strerror(errno))))")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StateFolderError(path: path, reason: "the state folder cannot be created (\(Self.reason(error)))")
        }
    }

    /// Makes a file in the state folder private: creates it empty with mode 0600 when missing, and otherwise
    /// removes group and other permissions from it and from its SQLite companions (`-wal`, `-shm`).
    ///
    /// Call it before SQLite opens a database, so the database and the files SQLite creates next to it are
    /// private from the first byte.
    /// - Throws: `StateFolderError` when the file or its folder cannot be created or changed.
    public static func makePrivate(file path: String) throws(StateFolderError) {
        try prepare((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateFolderError(
                path: path, reason: "the file cannot be created in the state folder (\(String(cString: strerror(errno))))")
        }
        let changed = fchmod(descriptor, 0o600)
        let failure = errno
        close(descriptor)
        guard changed == 0 else {
            throw StateFolderError(
                path: path, reason: "the file's permissions cannot be made private (\(String(cString: strerror(failure))))")
        }
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            guard chmod(path + suffix, 0o600) == 0 else {
                throw StateFolderError(
                    path: path + suffix, reason: "the file's permissions cannot be made private (\(String(cString: strerror(errno))))")
            }
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return error.localizedDescription
    }
}

/// The state folder, or a file in it, cannot be used: a problem with the machine, not with the bot.
public struct StateFolderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
