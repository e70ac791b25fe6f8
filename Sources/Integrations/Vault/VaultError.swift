/// Why the token vault cannot encrypt or decrypt.
///
/// A key that does not match the stored data is reported as such, never as garbage tokens.
public struct VaultError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case keyMismatch(keyLocation: String)
        case invalidKey(source: String, reason: String)
        case keyFileUnusable(path: String, reason: String)
        case corruptEntry(what: String)
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// The key cannot open what was stored with another key.
    static func keyMismatch(keyLocation: String) -> VaultError { .init(.keyMismatch(keyLocation: keyLocation)) }
    /// `PARLEY_VAULT_KEY` or the key file does not hold 32 base64-encoded bytes.
    static func invalidKey(source: String, reason: String) -> VaultError {
        .init(.invalidKey(source: source, reason: reason))
    }
    /// The key file cannot be created or read.
    static func keyFileUnusable(path: String, reason: String) -> VaultError {
        .init(.keyFileUnusable(path: path, reason: reason))
    }
    /// A stored entry is not something the vault wrote (truncated or edited by hand).
    static func corruptEntry(what: String) -> VaultError { .init(.corruptEntry(what: what)) }

    /// Whether the key is the wrong one for the stored data.
    public var isKeyMismatch: Bool {
        if case .keyMismatch = base { true } else { false }
    }

    public var description: String {
        switch base {
        case .keyMismatch(let location):
            "the vault key does not match the one the tokens were stored with; restore \(location) or set PARLEY_VAULT_KEY"
        case .invalidKey(let source, let reason):
            "the vault key in \(source) is unusable: \(reason); it must be 32 random bytes, base64-encoded"
        case .keyFileUnusable(let path, let reason):
            "cannot use the vault key file \(path): \(reason)"
        case .corruptEntry(let what):
            "the stored \(what) is damaged and cannot be decrypted; authorize again to replace it"
        }
    }
}
