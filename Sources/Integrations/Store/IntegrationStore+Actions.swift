import Foundation
import GRDB

extension IntegrationStore {
    /// The action's configuration, or `nil` while it is Available (not enabled).
    public func configuration(of action: String) throws -> ActionConfiguration? {
        let bot = self.bot
        return try read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: Self.configurationQuery), arguments: [bot, action])
            else { return nil }
            return Self.configuration(from: row)
        }
    }

    /// Available or Configured.
    public func state(of action: String) throws -> ActionState {
        try configuration(of: action) == nil ? .available : .configured
    }

    /// Enables an action (or changes its settings), checking that a custom app's profile exists.
    ///
    /// Changing settings clears stored tokens and pending links, because they were granted under the old ones.
    /// - Throws: `IntegrationInputError` for a bad combination or an unknown profile.
    public func enable(_ configuration: ActionConfiguration) throws {
        try configuration.validate()
        let bot = self.bot
        try write { db in
            if let profile = configuration.profile {
                let exists =
                    try Bool.fetchOne(
                        db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM authProfile WHERE bot = ? AND name = ?)"),
                        arguments: [bot, profile]) ?? false
                guard exists else {
                    throw IntegrationInputError(
                        field: "--profile", "no authorization profile named '\(profile)'; create it with `parley auth-profiles create`")
                }
            }
            let previous = try Row.fetchOne(
                db.cachedStatement(sql: Self.configurationQuery), arguments: [bot, configuration.action]
            ).map(Self.configuration(from:))
            if let previous, !previous.grantsSameTokens(as: configuration) {
                try Self.clearAuthorizations(db, bot: bot, action: configuration.action)
            }
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO actionConfiguration
                    (bot, action, authorization, app, profile, loginURL, apiVersion, enabledAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                bot, configuration.action, configuration.authorization.rawValue, configuration.app.rawValue,
                configuration.profile, configuration.loginURL, configuration.apiVersion,
                configuration.enabledAt.timeIntervalSince1970,
            ])
        }
    }

    /// Disables an action: back to Available, with every token and pending link for it removed,
    /// so enabling it again requires authorizing again.
    ///
    /// - Returns: whether it was enabled.
    @discardableResult
    public func disable(_ action: String) throws -> Bool {
        let bot = self.bot
        return try write { db in
            try Self.clearAuthorizations(db, bot: bot, action: action)
            try db.cachedStatement(sql: "DELETE FROM actionConfiguration WHERE bot = ? AND action = ?").execute(arguments: [bot, action])
            return db.changesCount > 0
        }
    }

    static func clearAuthorizations(_ db: Database, bot: String, action: String) throws {
        try db.cachedStatement(sql: "DELETE FROM token WHERE bot = ? AND action = ?").execute(arguments: [bot, action])
        try db.cachedStatement(
            sql: "DELETE FROM authorizationLink WHERE state IN (SELECT state FROM pendingAuthorization WHERE bot = ? AND action = ?)"
        ).execute(arguments: [bot, action])
        try db.cachedStatement(sql: "DELETE FROM pendingAuthorization WHERE bot = ? AND action = ?").execute(arguments: [bot, action])
    }

    /// The columns ``configuration(from:)`` reads, in the order it reads them: by position, since every turn that
    /// uses the action reads its configuration, and finding each column by name compared names case-insensitively.
    private static let configurationQuery = """
        SELECT action, authorization, app, profile, loginURL, apiVersion, enabledAt FROM actionConfiguration
        WHERE bot = ? AND action = ?
        """

    private static func configuration(from row: Row) -> ActionConfiguration {
        ActionConfiguration(
            action: row[0],
            authorization: AuthorizationMode(rawValue: row[1]) ?? .preauthorized,
            app: AppChoice(rawValue: row[2]) ?? .system,
            profile: row[3], loginURL: row[4], apiVersion: row[5],
            enabledAt: Date(timeIntervalSince1970: row[6]))
    }
}

extension ActionConfiguration {
    /// Whether tokens granted under `self` stay valid under `other`: same org, same client, same mode.
    public func grantsSameTokens(as other: ActionConfiguration) -> Bool {
        authorization == other.authorization && app == other.app && profile == other.profile && loginURL == other.loginURL
    }
}
