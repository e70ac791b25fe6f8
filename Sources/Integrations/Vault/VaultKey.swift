public import Crypto
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The 256-bit key the vault encrypts with, and where it came from.
public struct VaultKey: Sendable {
    /// The environment variable that, when set, holds the key (base64 of 32 bytes).
    public static let environmentVariable = "PARLEY_VAULT_KEY"
    /// The key file's name inside the state folder.
    public static let fileName = "vault.key"

    let key: SymmetricKey
    /// Where a person restores the key from; named in the mismatch error.
    public let location: String

    public init(key: SymmetricKey, location: String) {
        self.key = key
        self.location = location
    }

    /// The key from `PARLEY_VAULT_KEY`, or else from `<state>/vault.key`, creating that file (mode 0600) on first use.
    ///
    /// Two processes starting at once agree on one key: the file is written under a temporary name and linked
    /// into place, so the loser of the race reads the winner's key.
    public static func load(stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> VaultKey
    {
        if let text = environment[environmentVariable], !text.isEmpty {
            return VaultKey(key: try decode(text, source: environmentVariable), location: "the \(environmentVariable) value")
        }
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        if let existing = try readKeyFile(path) { return VaultKey(key: existing, location: path) }
        return VaultKey(key: try createKeyFile(path, stateDirectory: stateDirectory), location: path)
    }

    /// A fresh random key kept only in memory, for stores that do not outlive the process.
    public static func ephemeral() -> VaultKey {
        VaultKey(key: SymmetricKey(size: .bits256), location: "this process's memory")
    }

    /// A fresh random key, base64-encoded, for `PARLEY_VAULT_KEY`.
    public static func generateEncoded() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    static func decode(_ text: String, source: String) throws -> SymmetricKey {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw VaultError.invalidKey(source: source, reason: "it is not base64")
        }
        guard data.count == 32 else {
            throw VaultError.invalidKey(source: source, reason: "it decodes to \(data.count) bytes, not 32")
        }
        return SymmetricKey(data: data)
    }

    private static func readKeyFile(_ path: String) throws -> SymmetricKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VaultError.keyFileUnusable(path: path, reason: "it cannot be read (check its permissions)")
        }
        return try decode(String(decoding: data, as: UTF8.self), source: path)
    }

    private static func createKeyFile(_ path: String, stateDirectory: String) throws -> SymmetricKey {
        do {
            try StateFolder.prepare(stateDirectory)
        } catch {
            throw VaultError.keyFileUnusable(path: path, reason: error.reason)
        }
        let encoded = generateEncoded()
        let temporary = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw VaultError.keyFileUnusable(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array((encoded + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        defer { unlink(temporary) }
        guard written == bytes.count, synced == 0 else {
            throw VaultError.keyFileUnusable(path: path, reason: "writing it failed")
        }
        // link() refuses to replace an existing file, so a key another process just created wins.
        if link(temporary, path) != 0 {
            let failure = errno
            if failure == EEXIST, let existing = try readKeyFile(path) { return existing }
            throw VaultError.keyFileUnusable(path: path, reason: String(cString: strerror(failure)))
        }
        return try decode(encoded, source: path)
    }
}
