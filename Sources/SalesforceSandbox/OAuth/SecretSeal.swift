import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Encrypts connected apps' client secrets in the sandbox's database (AES-GCM), with the key kept apart:
/// in a key file next to the data file (mode 0600), or in memory for an in-memory org.
///
/// The sandbox needs the secrets themselves, not only a hash: the token response's `signature` is an HMAC
/// keyed with the client secret, and `parley sandbox apps list` shows the system app's.
struct SecretSeal: Sendable {
    private let key: SymmetricKey
    /// Where the key lives, for error messages.
    let location: String

    /// What a sealed secret starts with in the database; anything else is a secret stored before sealing.
    static let prefix = "sealed:"

    /// A fresh key that lives as long as the process, for in-memory orgs.
    static func ephemeral() -> SecretSeal {
        SecretSeal(key: SymmetricKey(size: .bits256), location: "this process's memory")
    }

    /// The key file beside a data file: `sandbox.key` for `sandbox.sqlite`.
    static func keyPath(forDataFile path: String) -> String {
        (path as NSString).deletingPathExtension + ".key"
    }

    /// The key for a data file, from its key file, which is created (0600) on first use.
    ///
    /// Two processes opening a new data file at once agree on one key: the file is written under a temporary
    /// name and linked into place, so the one that loses the race reads the winner's key.
    /// - Throws: `SandboxStorageError` when the key file cannot be read or written.
    static func forDataFile(_ path: String) throws -> SecretSeal {
        let keyPath = keyPath(forDataFile: path)
        if let key = try read(keyPath) { return SecretSeal(key: key, location: keyPath) }
        let encoded = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let temporary = keyPath + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SandboxStorageError(path: keyPath, reason: String(cString: strerror(errno))) }
        let bytes = Array(encoded.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        defer { unlink(temporary) }
        guard written == bytes.count, synced == 0 else {
            throw SandboxStorageError(path: keyPath, reason: "writing the key failed")
        }
        if link(temporary, keyPath) != 0 {
            let failure = errno
            if failure == EEXIST, let key = try read(keyPath) { return SecretSeal(key: key, location: keyPath) }
            throw SandboxStorageError(path: keyPath, reason: String(cString: strerror(failure)))
        }
        guard let key = try read(keyPath) else { throw SandboxStorageError(path: keyPath, reason: "the key file vanished") }
        return SecretSeal(key: key, location: keyPath)
    }

    private static func read(_ path: String) throws -> SymmetricKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SandboxStorageError(path: path, reason: "the key file cannot be read (check its permissions)")
        }
        guard let bytes = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
            bytes.count == 32
        else { throw SandboxStorageError(path: path, reason: "the key file does not hold a base64 256-bit key") }
        return SymmetricKey(data: bytes)
    }

    /// The stored form of a secret: `sealed:` and the base64 AES-GCM box, bound to the app's client id.
    func seal(_ secret: String, clientID: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(clientID.utf8))
        guard let combined = box.combined else { throw SandboxStorageError(path: location, reason: "AES-GCM gave no sealed box") }
        return Self.prefix + combined.base64EncodedString()
    }

    /// The secret from its stored form.
    ///
    /// - Throws: `SandboxStorageError` when it was sealed with another key or for another app.
    func open(_ stored: String, clientID: String) throws -> String {
        guard stored.hasPrefix(Self.prefix), let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))) else {
            throw SandboxStorageError(path: location, reason: "the client secret of '\(clientID)' is not sealed")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return String(decoding: try AES.GCM.open(box, using: key, authenticating: Data(clientID.utf8)), as: UTF8.self)
        } catch {
            throw SandboxStorageError(
                path: location, reason: "the client secret of '\(clientID)' cannot be opened with this key; is it the data file's key?")
        }
    }
}

/// The sandbox's data or key file cannot be used: a problem with the files, not with a request.
public struct SandboxStorageError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
