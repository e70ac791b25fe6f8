import Foundation
import GRDB

extension IntegrationStore {
    /// Saves a new profile, its client secret sealed.
    ///
    /// - Throws: `IntegrationInputError` when a field is invalid or the name is taken.
    public func createProfile(_ profile: AuthProfile) throws {
        try profile.validate()
        let bot = self.bot
        let sealed = try vault.seal(profile.clientSecret, for: Self.secretBinding(bot: bot, profile: profile.name))
        try write { db in
            let taken =
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM authProfile WHERE bot = ? AND name = ?)"),
                    arguments: [bot, profile.name]) ?? false
            if taken {
                throw IntegrationInputError(field: "--name", "an authorization profile named '\(profile.name)' already exists")
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO authProfile (bot, name, identityProvider, clientID, clientSecret, authorizationURL,
                    tokenURL, scope, refreshURL, callbackURL, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                bot, profile.name, profile.identityProvider, profile.clientID, sealed, profile.authorizationURL,
                profile.tokenURL, profile.scope, profile.refreshURL, profile.callbackURL,
                profile.createdAt.timeIntervalSince1970,
            ])
        }
    }

    /// The profile with this name (compared without regard to case), its secret decrypted; `nil` if there is none.
    public func profile(named name: String) throws -> AuthProfile? {
        let bot = self.bot
        guard
            let row = try read({ db in
                try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM authProfile WHERE bot = ? AND name = ?"), arguments: [bot, name])
            })
        else { return nil }
        return try profile(from: row)
    }

    /// Every profile, by name.
    public func profiles() throws -> [AuthProfile] {
        let bot = self.bot
        let rows = try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM authProfile WHERE bot = ? ORDER BY name"), arguments: [bot])
        }
        return try rows.map(profile(from:))
    }

    /// Deletes a profile that no action uses.
    ///
    /// - Throws: `IntegrationInputError` when it does not exist or an enabled action uses it.
    public func deleteProfile(named name: String) throws {
        let bot = self.bot
        try write { db in
            let users = try String.fetchAll(
                db.cachedStatement(sql: "SELECT action FROM actionConfiguration WHERE bot = ? AND profile = ? COLLATE NOCASE"),
                arguments: [bot, name])
            if !users.isEmpty {
                throw IntegrationInputError(
                    "the authorization profile '\(name)' is used by the \(users.joined(separator: ", ")) action; "
                        + "disable it or enable it with another profile first")
            }
            try db.cachedStatement(sql: "DELETE FROM authProfile WHERE bot = ? AND name = ?").execute(arguments: [bot, name])
            if db.changesCount == 0 {
                throw IntegrationInputError("no authorization profile named '\(name)'")
            }
        }
    }

    private func profile(from row: Row) throws -> AuthProfile {
        let name: String = row["name"]
        let secret = try vault.openText(row["clientSecret"], for: Self.secretBinding(bot: bot, profile: name))
        return AuthProfile(
            name: name, identityProvider: row["identityProvider"], clientID: row["clientID"], clientSecret: secret,
            authorizationURL: row["authorizationURL"], tokenURL: row["tokenURL"], scope: row["scope"],
            refreshURL: row["refreshURL"], callbackURL: row["callbackURL"],
            createdAt: Date(timeIntervalSince1970: row["createdAt"]))
    }

    static func secretBinding(bot: String, profile: String) -> TokenVault.Binding {
        // Profile names compare without case, so the binding does too.
        TokenVault.Binding(bot: bot, action: "profile:" + profile.lowercased(), kind: "client-secret")
    }
}
