import Foundation
import GRDB
public import SalesforceAPI

extension IntegrationStore {
    /// The stored authorization of a user (empty: the bot's own), or `nil` when there is none.
    ///
    /// - Throws: `VaultError` when the key cannot open it.
    public func authorization(action: String, user: String) throws -> StoredAuthorization? {
        let bot = self.bot
        guard
            let row = try read({ db in
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM token WHERE bot = ? AND action = ? AND user = ?"),
                    arguments: [bot, action, user])
            })
        else { return nil }
        let credentials = try vault.openCredentials(row["sealed"], bot: bot, action: action, user: user)
        return StoredAuthorization(
            user: user, credentials: credentials, username: row["username"],
            authorizedAt: Date(timeIntervalSince1970: row["authorizedAt"]))
    }

    /// Stores (replacing) a user's authorization, its tokens sealed.
    public func saveAuthorization(_ authorization: StoredAuthorization, action: String) throws {
        let bot = self.bot
        let sealed = try vault.seal(authorization.credentials, bot: bot, action: action, user: authorization.user)
        try write { db in
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO token (bot, action, user, sealed, username, authorizedAt) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [
                bot, action, authorization.user, sealed, authorization.username,
                authorization.authorizedAt.timeIntervalSince1970,
            ])
            // A new token of the bot's own is the fix for whatever made the last one unusable.
            if authorization.user.isEmpty {
                try db.cachedStatement(sql: "DELETE FROM actionProblem WHERE bot = ? AND action = ?").execute(arguments: [bot, action])
            }
        }
    }

    /// Replaces the credentials after a refresh, keeping who authorized and when; does nothing if the
    /// authorization was removed meanwhile (a disable must not be undone by a late refresh).
    public func updateCredentials(_ credentials: SalesforceCredentials, action: String, user: String) throws {
        let bot = self.bot
        let sealed = try vault.seal(credentials, bot: bot, action: action, user: user)
        try write { db in
            try db.cachedStatement(sql: "UPDATE token SET sealed = ? WHERE bot = ? AND action = ? AND user = ?").execute(arguments: [
                sealed, bot, action, user,
            ])
        }
    }

    /// Removes a user's authorization (sign-out); returns whether there was one.
    @discardableResult
    public func removeAuthorization(action: String, user: String) throws -> Bool {
        let bot = self.bot
        return try write { db in
            try db.cachedStatement(sql: "DELETE FROM token WHERE bot = ? AND action = ? AND user = ?").execute(arguments: [
                bot, action, user,
            ])
            return db.changesCount > 0
        }
    }

    /// Removes a user's authorization only if it still holds this access token: a token found dead must not take
    /// with it one that a refresh or a new authorization put in meanwhile. Returns whether it was removed.
    @discardableResult
    public func removeAuthorization(action: String, user: String, ifAccessToken accessToken: String) throws -> Bool {
        let bot = self.bot
        let vault = self.vault
        return try write { db in
            guard
                let sealed = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT sealed FROM token WHERE bot = ? AND action = ? AND user = ?"),
                    arguments: [bot, action, user])
            else { return false }
            let stored = try vault.openCredentials(sealed, bot: bot, action: action, user: user)
            guard stored.accessToken == accessToken else { return false }
            try db.cachedStatement(sql: "DELETE FROM token WHERE bot = ? AND action = ? AND user = ?").execute(arguments: [
                bot, action, user,
            ])
            return true
        }
    }

}

extension IntegrationStore {
    /// How many end users hold a token for the action (the bot's own token not counted).
    public func authorizedUserCount(action: String) throws -> Int {
        let bot = self.bot
        return try read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM token WHERE bot = ? AND action = ? AND user != ''"), arguments: [bot, action]
            ) ?? 0
        }
    }
}
