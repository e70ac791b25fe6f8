public import Foundation
public import SalesforceAPI

/// How each kind of secret a store keeps is sealed, one way for every store (SQLite, PostgreSQL): what is bound to it
/// and what the sealed JSON holds.
extension TokenVault {
    /// A user's (empty: the bot's) tokens for an action.
    public func seal(_ credentials: SalesforceCredentials, bot: String, action: String, user: String) throws -> Data {
        try seal(JSONEncoder().encode(SealedCredentials(credentials)), for: Self.tokenBinding(bot: bot, action: action, user: user))
    }

    /// The tokens sealed by ``seal(_:bot:action:user:)``.
    ///
    /// - Throws: `VaultError` when the key cannot open them or they are not what the vault wrote.
    public func openCredentials(_ sealed: Data, bot: String, action: String, user: String) throws -> SalesforceCredentials {
        let plaintext = try open(sealed, for: Self.tokenBinding(bot: bot, action: action, user: user))
        guard let decoded = try? JSONDecoder().decode(SealedCredentials.self, from: plaintext) else {
            throw VaultError.corruptEntry(what: "token")
        }
        return decoded.credentials
    }

    /// The PKCE verifier of an authorization that was started.
    public func sealVerifier(of pending: PendingAuthorization) throws -> Data {
        try seal(pending.verifier, for: Self.verifierBinding(pending))
    }

    /// The verifier sealed by ``sealVerifier(of:)``, for the same pending authorization (its verifier not needed).
    public func openVerifier(_ sealed: Data, of pending: PendingAuthorization) throws -> String {
        try openText(sealed, for: Self.verifierBinding(pending))
    }

    /// A confirm-with-code token and its code, together.
    public func seal(_ confirmation: CodeConfirmation, bot: String, action: String) throws -> Data {
        let plaintext = try JSONEncoder().encode(
            SealedConfirmation(code: confirmation.code, credentials: SealedCredentials(confirmation.credentials)))
        return try seal(plaintext, for: Self.confirmationBinding(bot: bot, action: action, user: confirmation.user))
    }

    /// The code and tokens sealed by ``seal(_:bot:action:)``.
    public func openConfirmation(
        _ sealed: Data, bot: String, action: String, user: String
    ) throws -> (code: String, credentials: SalesforceCredentials) {
        let plaintext = try open(sealed, for: Self.confirmationBinding(bot: bot, action: action, user: user))
        guard let decoded = try? JSONDecoder().decode(SealedConfirmation.self, from: plaintext) else {
            throw VaultError.corruptEntry(what: "code confirmation")
        }
        return (decoded.code, decoded.credentials.credentials)
    }

    /// The check value a store keeps beside what it seals, so that a wrong key is told at once, before any token.
    public func sealCheckValue() throws -> Data {
        try seal(Self.checkPlaintext, for: Self.checkBinding)
    }

    /// Whether this key sealed a store's check value.
    ///
    /// - Throws: `VaultError` mismatch when another key sealed it.
    public func verifyCheckValue(_ sealed: Data) throws {
        guard try open(sealed, for: Self.checkBinding) == Self.checkPlaintext else {
            throw VaultError.keyMismatch(keyLocation: key.location)
        }
    }

    static func tokenBinding(bot: String, action: String, user: String) -> Binding {
        Binding(bot: bot, action: action, user: user, kind: "token")
    }

    static func verifierBinding(_ pending: PendingAuthorization) -> Binding {
        Binding(bot: pending.bot, action: pending.action, user: pending.user, kind: "pkce-verifier:" + pending.state)
    }

    static func confirmationBinding(bot: String, action: String, user: String) -> Binding {
        Binding(bot: bot, action: action, user: user, kind: "code-confirmation")
    }
}

/// The sealed form of a confirmation: only the vault sees this JSON.
private struct SealedConfirmation: Codable {
    var code: String
    var credentials: SealedCredentials
}
