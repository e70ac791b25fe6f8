public import Foundation
import GRDB
public import SalesforceAPI

/// A token obtained in confirm-with-code mode, kept aside until the user types the code the callback page showed.
public struct CodeConfirmation: Sendable, Hashable, CustomStringConvertible {
    /// The end user the token is for.
    public var user: String
    public var conversation: String
    /// The six digits the callback page showed.
    public var code: String
    public var credentials: SalesforceCredentials
    /// The Salesforce username, when known.
    public var username: String?
    public var expiresAt: Date

    public init(
        user: String, conversation: String, code: String, credentials: SalesforceCredentials, username: String?, expiresAt: Date
    ) {
        self.user = user
        self.conversation = conversation
        self.code = code
        self.credentials = credentials
        self.username = username
        self.expiresAt = expiresAt
    }

    /// Never shows the code or the tokens.
    public var description: String {
        "CodeConfirmation(user: \(user), username: \(username ?? "unknown"), expiresAt: \(expiresAt))"
    }
}

extension IntegrationStore {
    /// Keeps a token aside until its code is typed, code and token sealed; replaces one the user had pending.
    public func saveCodeConfirmation(_ confirmation: CodeConfirmation, action: String) throws {
        let bot = self.bot
        let sealed = try vault.seal(confirmation, bot: bot, action: action)
        try write { db in
            // Tokens nobody confirmed in time are of no use to anyone: a day after they expired (a code typed that
            // late is long forgotten) they go when another is kept aside.
            try db.cachedStatement(sql: "DELETE FROM codeConfirmation WHERE bot = ? AND expiresAt < ?").execute(arguments: [
                bot, confirmation.expiresAt.timeIntervalSince1970 - 24 * 60 * 60,
            ])
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO codeConfirmation (bot, action, user, conversation, sealed, username, expiresAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                bot, action, confirmation.user, confirmation.conversation, sealed, confirmation.username,
                confirmation.expiresAt.timeIntervalSince1970,
            ])
        }
    }

    /// Takes the user's pending confirmation out of the store: a code gets one try, right or wrong.
    ///
    /// - Returns: `nil` when none is pending.
    /// - Throws: `VaultError` when the key cannot open it.
    public func takeCodeConfirmation(action: String, user: String) throws -> CodeConfirmation? {
        let bot = self.bot
        let row: Row? = try write { db in
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM codeConfirmation WHERE bot = ? AND action = ? AND user = ?"),
                arguments: [bot, action, user])
            if row != nil {
                try db.cachedStatement(sql: "DELETE FROM codeConfirmation WHERE bot = ? AND action = ? AND user = ?").execute(
                    arguments: [bot, action, user])
            }
            return row
        }
        guard let row else { return nil }
        let opened = try vault.openConfirmation(row["sealed"], bot: bot, action: action, user: user)
        return CodeConfirmation(
            user: user, conversation: row["conversation"], code: opened.code, credentials: opened.credentials,
            username: row["username"], expiresAt: Date(timeIntervalSince1970: row["expiresAt"]))
    }

    /// Whether the user has a token waiting for its code that can still be confirmed. (A code typed late is still
    /// found by ``takeCodeConfirmation(action:user:)``, and told as late.)
    public func hasCodeConfirmation(action: String, user: String, now: Date) throws -> Bool {
        let bot = self.bot
        return try read { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM codeConfirmation WHERE bot = ? AND action = ? AND user = ? AND expiresAt >= ?)"),
                arguments: [bot, action, user, now.timeIntervalSince1970]) ?? false
        }
    }
}
