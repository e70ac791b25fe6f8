public import Foundation
import GRDB

extension IntegrationStore {
    /// Where a user stands with the action for a conversation, in one statement: the token, a token waiting for its
    /// code, and the conversation's live link are read at one moment, so a turn never mixes the state before an
    /// authorization with the state after it, and a turn that needs the action reads the file once instead of three
    /// times.
    ///
    /// - Throws: `VaultError` when the key cannot open the token.
    public func standing(action: String, user: String, conversation: String, now: Date) throws -> AuthorizationStanding {
        let bot = self.bot
        let row = try read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: Self.standingQuery),
                arguments: ["bot": bot, "action": action, "user": user, "conversation": conversation, "now": now.timeIntervalSince1970])
        }
        guard let row else { return .unauthorized }
        switch row["rank"] as Int {
        case 1:
            let credentials = try vault.openCredentials(row["sealed"], bot: bot, action: action, user: user)
            return .authorized(
                StoredAuthorization(
                    user: user, credentials: credentials, username: row["username"],
                    authorizedAt: Date(timeIntervalSince1970: row["moment"])))
        case 2:
            return .awaitingCode
        default:
            return .linkSent(
                LiveLink(
                    id: row["id"], state: row["state"], authorizeURL: row["authorizeURL"],
                    expiresAt: Date(timeIntervalSince1970: row["moment"])))
        }
    }

    /// The token, the code confirmation and the newest live link as rows ranked in that order, the first of them kept.
    private static let standingQuery = """
        SELECT 1 AS rank, sealed, username, authorizedAt AS moment, NULL AS id, NULL AS state, NULL AS authorizeURL
        FROM token WHERE bot = :bot AND action = :action AND user = :user
        UNION ALL
        SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL FROM codeConfirmation
        WHERE bot = :bot AND action = :action AND user = :user AND expiresAt >= :now
        UNION ALL
        SELECT * FROM (
            SELECT 3, NULL, NULL, p.expiresAt, l.id, p.state, l.authorizeURL FROM pendingAuthorization p
            JOIN authorizationLink l ON l.state = p.state
            WHERE p.bot = :bot AND p.action = :action AND p.user = :user AND p.conversation = :conversation
            AND p.usedAt IS NULL AND p.expiresAt >= :now
            ORDER BY p.createdAt DESC LIMIT 1)
        ORDER BY rank LIMIT 1
        """
}
