public import Foundation
import GRDB

extension IntegrationStore {
    /// Records an authorization that was just started, its PKCE verifier sealed, and the short link that leads to
    /// the identity provider's authorize URL.
    ///
    /// The turn that sends the link waits for it to be committed, in one transaction with the other writes of turns
    /// that end meanwhile (conversation saves, other links), rather than in one of its own.
    public func savePending(_ pending: PendingAuthorization, link: (id: String, authorizeURL: String)? = nil) async throws {
        let sealed = try vault.sealVerifier(of: pending)
        do {
            try await turnWrites.write { db in
                // Expired links are of no use to anyone; dropping them here keeps the tables small. Both deletes find
                // their rows through the expiry index, so a link costs the same however many others are live.
                let expired = pending.createdAt.timeIntervalSince1970 - PendingAuthorization.lifetime
                try db.cachedStatement(
                    sql: "DELETE FROM authorizationLink WHERE state IN (SELECT state FROM pendingAuthorization WHERE expiresAt < ?)"
                ).execute(arguments: [expired])
                try db.cachedStatement(sql: "DELETE FROM pendingAuthorization WHERE expiresAt < ?").execute(arguments: [expired])
                if let link {
                    try db.cachedStatement(sql: "INSERT INTO authorizationLink (id, state, authorizeURL) VALUES (?, ?, ?)")
                        .execute(arguments: [link.id, pending.state, link.authorizeURL])
                }
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
        } catch let error as DatabaseError {
            throw IntegrationStoreError(path: path, detail: error.message ?? "\(error.resultCode)")
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
        pending.verifier = try vault.openVerifier(row["verifier"], of: pending)
        return pending
    }

    /// The link a user was sent for a conversation and has not used yet, while it lives: a reminder repeats it.
    public func liveLink(action: String, user: String, conversation: String, now: Date) throws -> LiveLink? {
        let bot = self.bot
        return try read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT l.id, p.state, l.authorizeURL, p.expiresAt FROM pendingAuthorization p
                        JOIN authorizationLink l ON l.state = p.state
                        WHERE p.bot = ? AND p.action = ? AND p.user = ? AND p.conversation = ?
                        AND p.usedAt IS NULL AND p.expiresAt >= ?
                        ORDER BY p.createdAt DESC LIMIT 1
                        """),
                arguments: [bot, action, user, conversation, now.timeIntervalSince1970]
            ).map { row in
                LiveLink(
                    id: row["id"], state: row["state"], authorizeURL: row["authorizeURL"],
                    expiresAt: Date(timeIntervalSince1970: row["expiresAt"]))
            }
        }
    }

    /// Where a short link leads (the identity provider's authorize URL) while it is live; `nil` for a link that is
    /// unknown, used or expired.
    public func authorizeURL(ofLink id: String, now: Date) throws -> String? {
        let bot = self.bot
        return try read { db in
            try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT l.authorizeURL FROM authorizationLink l JOIN pendingAuthorization p ON l.state = p.state
                        WHERE l.id = ? AND p.bot = ? AND p.usedAt IS NULL AND p.expiresAt >= ?
                        """),
                arguments: [id, bot, now.timeIntervalSince1970])
        }
    }

    /// Whose link a callback's `state` belongs to and whether it is still usable; `nil` for a state Parley never
    /// issued (for this bot).
    public func pendingStatus(state: String) throws -> PendingLinkStatus? {
        let bot = self.bot
        return try read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT user, conversation, action, expiresAt, usedAt FROM pendingAuthorization WHERE state = ? AND bot = ?"),
                arguments: [state, bot]
            ).map { row in
                PendingLinkStatus(
                    user: row["user"], conversation: row["conversation"], action: row["action"],
                    expiresAt: Date(timeIntervalSince1970: row["expiresAt"]), isUsed: row["usedAt"] as Double? != nil)
            }
        }
    }

    /// How many authorization links of this bot wait for a browser now: not used and not expired.
    public func liveLinkCount(now: Date) throws -> Int {
        let bot = self.bot
        return try read { db in
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT COUNT(*) FROM pendingAuthorization WHERE bot = ? AND usedAt IS NULL AND expiresAt >= ?"),
                arguments: [bot, now.timeIntervalSince1970]) ?? 0
        }
    }
}
