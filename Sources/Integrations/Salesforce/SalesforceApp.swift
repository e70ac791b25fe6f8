import Foundation
public import SalesforceAPI

/// The OAuth client an action authorizes and refreshes through, resolved from its configuration.
///
/// `description` never shows the client secret.
public struct SalesforceApp: Sendable, CustomStringConvertible {
    public var clientID: String
    public var clientSecret: String?
    public var endpoints: OAuthEndpoints
    public var scopes: [String]
    /// The callback URL registered with the app.
    public var redirectURI: String
    /// The instance URL to use instead of the token's, for the local sandbox whose port may change between runs.
    public var instanceOverride: String?

    public init(
        clientID: String, clientSecret: String?, endpoints: OAuthEndpoints, scopes: [String], redirectURI: String,
        instanceOverride: String? = nil
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.endpoints = endpoints
        self.scopes = scopes
        self.redirectURI = redirectURI
        self.instanceOverride = instanceOverride
    }

    /// The sandbox's pre-registered app.
    public static let systemClientID = "parley-system"
    public static let defaultScopes = ["api", "refresh_token"]

    public var description: String {
        "SalesforceApp(clientID: \(clientID), authorize: \(endpoints.authorizationURL.absoluteString), redirect: \(redirectURI))"
    }

    /// The app for a configuration: the system app (the local sandbox's, or a real org's from environment
    /// variables) or the custom app of an authorization profile.
    ///
    /// - Throws: `IntegrationInputError` when something it needs is missing (no sandbox running, unset
    ///   variables, a deleted profile, a bad URL).
    public static func resolve(
        _ configuration: ActionConfiguration, store: IntegrationStore, environment: SalesforceEnvironment
    ) throws -> SalesforceApp {
        switch configuration.app {
        case .custom:
            guard let name = configuration.profile, let profile = try store.profile(named: name) else {
                throw IntegrationInputError(
                    field: "--profile",
                    "the authorization profile '\(configuration.profile ?? "")' no longer exists; enable the action with another one")
            }
            let endpoints: OAuthEndpoints
            do {
                endpoints = try OAuthEndpoints(
                    authorizationURL: profile.authorizationURL, tokenURL: profile.tokenURL, refreshURL: profile.refreshURL)
            } catch {
                throw IntegrationInputError(field: "profile \(profile.name)", "\(error)")
            }
            return SalesforceApp(
                clientID: profile.clientID, clientSecret: profile.clientSecret, endpoints: endpoints,
                scopes: profile.scopes, redirectURI: profile.callbackURL)
        case .system:
            if let loginURL = configuration.loginURL {
                let variables = environment.variables
                guard let clientID = variables[SalesforceEnvironment.clientIDVariable], !clientID.isEmpty,
                    let secret = variables[SalesforceEnvironment.clientSecretVariable], !secret.isEmpty
                else {
                    throw IntegrationInputError(
                        "the system app needs \(SalesforceEnvironment.clientIDVariable) and "
                            + "\(SalesforceEnvironment.clientSecretVariable) set to a connected app's consumer key and "
                            + "secret to reach \(loginURL); or use --app custom with an authorization profile")
                }
                return SalesforceApp(
                    clientID: clientID, clientSecret: secret, endpoints: try endpoints(loginURL: loginURL),
                    scopes: defaultScopes, redirectURI: environment.callbackURL)
            }
            guard let sandbox = environment.localSandbox else {
                throw IntegrationInputError(
                    "the Salesforce action uses the local sandbox, which is not running here; start it "
                        + "(parley chat does), or enable the action with --login-url for a real org")
            }
            return SalesforceApp(
                clientID: systemClientID, clientSecret: sandbox.systemClientSecret,
                endpoints: try endpoints(loginURL: sandbox.baseURL), scopes: defaultScopes,
                redirectURI: environment.callbackURL, instanceOverride: sandbox.baseURL)
        }
    }

    private static func endpoints(loginURL: String) throws -> OAuthEndpoints {
        do {
            return try OAuthEndpoints(loginURL: loginURL)
        } catch {
            throw IntegrationInputError(field: "--login-url", "\(error)")
        }
    }
}
