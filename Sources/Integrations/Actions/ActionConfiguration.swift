public import Foundation

/// Whose token service nodes use.
public enum AuthorizationMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The bot's own token, authorized once by the bot developer.
    case preauthorized
    /// Each end user authorizes; the bot sends a link the first time a task needs the action.
    case user

    public var description: String {
        switch self {
        case .preauthorized: "pre-authorized (the bot's own token)"
        case .user: "users authorize (each end user's token)"
        }
    }
}

/// Which OAuth client the authorization goes through.
public enum AppChoice: String, Sendable, Hashable, CaseIterable {
    /// Parley's preconfigured app (`parley-system` on the sandbox).
    case system
    /// An OAuth v2 authorization profile.
    case custom
}

/// How an action is set up for a bot once enabled.
public struct ActionConfiguration: Sendable, Hashable {
    public var action: String
    public var authorization: AuthorizationMode
    public var app: AppChoice
    /// The authorization profile's name; set exactly when `app` is `custom`.
    public var profile: String?
    /// Salesforce's login URL; `nil` means the local sandbox Parley runs in-process.
    public var loginURL: String?
    public var apiVersion: String
    public var enabledAt: Date

    /// The API version used unless one is chosen.
    public static let defaultAPIVersion = "66.0"

    public init(
        action: String, authorization: AuthorizationMode, app: AppChoice, profile: String? = nil,
        loginURL: String? = nil, apiVersion: String = ActionConfiguration.defaultAPIVersion, enabledAt: Date = Date()
    ) {
        self.action = action
        self.authorization = authorization
        self.app = app
        self.profile = profile
        self.loginURL = loginURL
        self.apiVersion = apiVersion
        self.enabledAt = enabledAt
    }

    /// Whether the login URL is the local sandbox rather than a real org.
    public var usesLocalSandbox: Bool { loginURL == nil }

    /// Checks the combination of choices.
    ///
    /// - Throws: `IntegrationInputError` naming the option at fault.
    public func validate() throws {
        switch (app, profile) {
        case (.custom, nil):
            throw IntegrationInputError(
                field: "--profile", "the custom app needs an authorization profile (create one with `parley auth-profiles create`)")
        case (.system, .some):
            throw IntegrationInputError(field: "--profile", "a profile is only used with --app custom")
        default: break
        }
        let parts = apiVersion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            throw IntegrationInputError(field: "--api-version", "'\(apiVersion)' is not an API version such as 66.0")
        }
        if let loginURL { _ = try URLRules.check(loginURL, field: "--login-url") }
    }
}
