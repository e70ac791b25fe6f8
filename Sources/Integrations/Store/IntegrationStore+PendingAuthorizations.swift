public import Foundation
import GRDB

extension IntegrationStore {
    /// Records an authorization that was just started, its PKCE verifier sealed.
    public func savePending(_ pending: PendingAuthorization) throws {
        let sealed = try vault.seal(pending.verifier, for: Self.verifierBinding(pending))
        try write { db in
            // Expired links are of no use to anyone; dropping them here keeps the table small.
            try db.cachedStatement(sql: "DELETE FROM pendingAuthorization WHERE expiresAt < ?").execute(arguments: [
                pending.createdAt.timeIntervalSince1970 - PendingAuthorization.lifetime
            ])
            try db.cachedStatement(
                sql: """
                    INSERT INTO pendingAuthorization
                    (state, bot, action, user, conversation, verifier, redirectURI, createdAt, expiresAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                pending.state, pending.bot, pending.action, pending.user, pending.conversation, sealed,
                pending.redirectURI, pending.createdAt.timeIntervalSince1970, pending.expiresAt.timeIntervalSince1970,
            ])
        }
    }

    /// Takes the pending authorization for a callback's `state`, marking it used so it works only once.
    ///
    /// - Throws: `AuthorizationStateError` when the state is unknown, used or expired.
    public func consumePending(state: String, now: Date = Date()) throws -> PendingAuthorization {
        let bot = self.bot
        let row: Row = try write { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM pendingAuthorization WHERE state = ? AND bot = ?"), arguments: [state, bot])
            else { throw AuthorizationStateError.unknown }
            if row["usedAt"] as Double? != nil { throw AuthorizationStateError.alreadyUsed }
            try db.cachedStatement(sql: "UPDATE pendingAuthorization SET usedAt = ? WHERE state = ?").execute(arguments: [
                now.timeIntervalSince1970, state,
            ])
            return row
        }
        if now.timeIntervalSince1970 > row["expiresAt"] { throw AuthorizationStateError.expired }
        var pending = PendingAuthorization(
            state: row["state"], bot: row["bot"], action: row["action"], user: row["user"],
            conversation: row["conversation"], verifier: "", redirectURI: row["redirectURI"],
            createdAt: Date(timeIntervalSince1970: row["createdAt"]), expiresAt: Date(timeIntervalSince1970: row["expiresAt"]))
        pending.verifier = try vault.openText(row["verifier"], for: Self.verifierBinding(pending))
        return pending
    }

    private static func verifierBinding(_ pending: PendingAuthorization) -> TokenVault.Binding {
        TokenVault.Binding(bot: pending.bot, action: pending.action, user: pending.user, kind: "pkce-verifier:" + pending.state)
    }
}
