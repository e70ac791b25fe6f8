public import Foundation
import GRDB

/// Why an action's own connection (the bot's pre-authorized token) stopped working, for its operator.
public struct ActionProblem: Sendable, Hashable {
    /// What went wrong, plain text without secrets.
    public var reason: String
    public var occurredAt: Date

    public init(reason: String, occurredAt: Date) {
        self.reason = reason
        self.occurredAt = occurredAt
    }
}

extension IntegrationStore {
    /// Records why the action's own connection stopped working, replacing an earlier problem; authorizing the bot
    /// again clears it.
    public func recordProblem(action: String, reason: String, at date: Date) throws {
        let bot = self.bot
        try write { db in
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO actionProblem (bot, action, reason, occurredAt) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [bot, action, reason, date.timeIntervalSince1970])
        }
    }

    /// Why the action's own connection stopped working, or `nil` when nothing is known to be wrong.
    public func problem(of action: String) throws -> ActionProblem? {
        let bot = self.bot
        return try read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT reason, occurredAt FROM actionProblem WHERE bot = ? AND action = ?"),
                arguments: [bot, action]
            ).map { ActionProblem(reason: $0["reason"], occurredAt: Date(timeIntervalSince1970: $0["occurredAt"])) }
        }
    }
}
