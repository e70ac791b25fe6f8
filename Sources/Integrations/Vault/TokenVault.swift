import Crypto
public import Foundation

/// Encrypts tokens and client secrets at rest with AES-GCM.
///
/// Each sealed value is bound to what it belongs to (bot, action, end user, kind) as authenticated data,
/// so a value copied to another row does not decrypt. A wrong key is reported as `VaultError` mismatch,
/// never as garbage.
public struct TokenVault: Sendable {
    public let key: VaultKey

    public init(key: VaultKey) {
        self.key = key
    }

    /// What a sealed value belongs to; part of the authenticated data.
    public struct Binding: Sendable, Hashable {
        public var bot: String
        public var action: String
        /// Empty for the bot's own (pre-authorized) token and for settings that are not per user.
        public var user: String
        /// What the value is (`token`, `client-secret`, `pkce-verifier`, `vault-check`).
        public var kind: String

        public init(bot: String, action: String, user: String = "", kind: String) {
            self.bot = bot
            self.action = action
            self.user = user
            self.kind = kind
        }

        var authenticatedData: Data {
            // Lengths first, so no two different bindings produce the same bytes.
            let parts = [bot, action, user, kind]
            return Data(parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "|").utf8)
        }
    }

    /// The value encrypted with a fresh nonce: nonce, ciphertext and tag in one blob.
    public func seal(_ plaintext: Data, for binding: Binding) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: key.key, authenticating: binding.authenticatedData)
        // `combined` is present for the standard 12-byte nonce that `seal` picks.
        guard let combined = box.combined else { throw VaultError.corruptEntry(what: binding.kind) }
        return combined
    }

    /// Text encrypted as UTF-8.
    public func seal(_ text: String, for binding: Binding) throws -> Data {
        try seal(Data(text.utf8), for: binding)
    }

    /// The plaintext of a sealed blob.
    ///
    /// - Throws: `VaultError` mismatch when the key is not the one the blob was sealed with.
    public func open(_ sealed: Data, for binding: Binding) throws -> Data {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(combined: sealed)
        } catch {
            throw VaultError.corruptEntry(what: binding.kind)
        }
        do {
            return try AES.GCM.open(box, using: key.key, authenticating: binding.authenticatedData)
        } catch {
            throw VaultError.keyMismatch(keyLocation: key.location)
        }
    }

    /// The plaintext of a sealed blob, as UTF-8 text.
    public func openText(_ sealed: Data, for binding: Binding) throws -> String {
        String(decoding: try open(sealed, for: binding), as: UTF8.self)
    }

    /// The binding of the check value every vault database holds, to tell a wrong key before anything else.
    static let checkBinding = Binding(bot: "", action: "", kind: "vault-check")
    static let checkPlaintext = Data("parley-vault".utf8)
}
