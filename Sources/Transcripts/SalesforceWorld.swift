import BotHost
import DialogModel
import DialogRuntime
import Foundation
import Integrations
import ParleyJSON
import SalesforceAPI
import SalesforceSandbox
import SalesforceSandboxTesting
import Synchronization

/// One transcript's Salesforce: the host's in-process sandbox, store and authorizer, the scripted browser that
/// signs in on the sandbox's pages, and REST access for `@seed` and `@expect salesforce`.
final class SalesforceWorld: Sendable {
    /// What the host runs the bot's Salesforce action on.
    let salesforce: InProcessSalesforce
    var sandbox: Sandbox { salesforce.sandbox }
    var store: IntegrationStore { salesforce.store }
    var authorizer: SalesforceAuthorizer { salesforce.authorizer }
    /// Signs in on the sandbox's pages, in-process.
    private let browser: SandboxBrowser
    /// `@seed` and `@expect salesforce`: records set up and checked through REST.
    private let fixtures: SandboxRecords

    /// Who the browser signs in as unless `@browser as` says otherwise.
    static let browserUsername = SandboxBrowser.demoUsername

    /// The sandbox's logins and their passwords, for `@browser as`.
    static let passwords = [SandboxBrowser.demoUsername: SandboxBrowser.demoPassword, "admin@parley.dev": "parley-admin"]

    /// The code the callback page shows in confirm-with-code mode: the same in every run, so a transcript replays.
    static let confirmationCode = "314159"

    /// Who the browser signs in as now.
    private let account = Mutex(SalesforceWorld.browserUsername)

    /// The callback URL the system app is registered with; the browser stops there instead of opening it.
    static let callbackURL = SandboxConfiguration.defaultSystemAppCallbacks[0]

    /// The callback server's origin, where short links point; the browser resolves them through the authorizer.
    static let linkBase = "http://127.0.0.1:\(OAuthCallbackServer.defaultPort)"

    /// Where the transcript's sandbox says it is: its login and instance URL, reachable only in-process.
    static let baseURL = "https://sandbox.parley.test"

    /// A fresh in-process Salesforce, configured as the bot's `integrations: salesforce:` says; it lives in memory
    /// and goes with the world.
    init(bot: Bot, settings: TranscriptSettings, clock: TestClock) throws {
        salesforce = try InProcessSalesforce(
            bot: bot,
            options: InProcessSalesforce.Options(
                baseURL: Self.baseURL, seedDemoData: settings.salesforceDemoData, callbackURL: Self.callbackURL,
                linkBase: Self.linkBase, confirmationCode: Self.confirmationCode, now: clock.function))
        browser = SandboxBrowser(sandbox: salesforce.sandbox)
        fixtures = SandboxRecords(sandbox: salesforce.sandbox, apiVersion: salesforce.apiVersion)
    }

    /// Applies `@salesforce outage=on|off`: every REST call answers 503 `SERVER_UNAVAILABLE` while on.
    func setOutage(_ on: Bool) {
        sandbox.faults.unavailableRate = on ? 1 : 0
    }

    /// Applies `@salesforce tokens=revoked|expired|signed-out`: revokes the user's refresh token (pre-authorized: the
    /// bot's) at Salesforce, as someone removing the app's access there would; expires every access token; or signs
    /// the user out as `/signout` does.
    func change(tokens change: SalesforceTokenChange, of user: UserID) async throws {
        switch change {
        case .expired:
            try sandbox.expireAllAccessTokens()
        case .signedOut:
            guard try await authorizer.signOut(user: user.rawValue) else {
                throw TranscriptRunError("tokens=signed-out needs \(user.rawValue) to be connected, and they are not")
            }
        case .revoked:
            let mode = try store.configuration(of: SalesforceAuthorizer.action)?.authorization
            let tokenUser = mode == .preauthorized ? "" : user.rawValue
            guard let stored = try store.authorization(action: SalesforceAuthorizer.action, user: tokenUser) else {
                let whose = tokenUser.isEmpty ? "the bot" : user.rawValue
                throw TranscriptRunError("tokens=revoked needs a token to revoke, but \(whose) has none")
            }
            let token = stored.credentials.refreshToken ?? stored.credentials.accessToken
            let response = try await browser.post("/services/oauth2/revoke", form: [("token", token)])
            guard response.status == 200 else {
                throw TranscriptRunError("the sandbox did not revoke the token (status \(response.status))")
            }
        }
    }

    /// Applies `@browser as LOGIN`: the browser signs in as this sandbox user from now on, in a fresh session.
    func signInAs(_ username: String) {
        account.withLock { $0 = username }
        browser.forgetCookies()
    }

    /// Applies `@salesforce authorization=… app=…`.
    func configure(authorization: String?, app: String?) async throws {
        guard var configuration = try store.configuration(of: SalesforceAuthorizer.action) else { return }
        if let authorization, let mode = AuthorizationMode(rawValue: authorization) { configuration.authorization = mode }
        if let app, app != "system" {
            throw TranscriptRunError("app=\(app) needs an authorization profile; transcripts run Salesforce with app=system")
        }
        try store.enable(configuration)
        if configuration.authorization == .preauthorized, try store.authorization(action: SalesforceAuthorizer.action, user: "") == nil {
            // The bot's developer authorized once, before any user chats: the token is issued as the token endpoint
            // would issue it after the demo user allowed the system app, without going through the pages again.
            let token = try sandbox.grantTokens(username: Self.browserUsername)
            try store.saveAuthorization(
                StoredAuthorization(
                    user: "", credentials: SalesforceCredentials(token), username: Self.browserUsername,
                    authorizedAt: sandbox.configuration.clock()),
                action: SalesforceAuthorizer.action)
        }
    }

    // MARK: - The browser

    /// What the browser ended with: the callback's `state` and `code`, or the error Salesforce sent back.
    struct Callback {
        var state: String?
        var code: String?
        var error: String?
    }

    /// Opens an authorization link, signs in as the demo user and answers the consent page.
    func openLink(_ url: String, allow: Bool) async throws -> Callback {
        var target = url
        if url.hasPrefix(Self.linkBase + OAuthCallbackServer.linkPath) {
            // The short link, as the callback server redirects it.
            let id = String(url.dropFirst(Self.linkBase.count + OAuthCallbackServer.linkPath.count))
            guard let destination = try await authorizer.destination(ofLink: id) else {
                throw TranscriptRunError("the link \(url) leads nowhere: it is unknown, used or expired")
            }
            target = destination.absoluteString
        }
        let redirect: BrowserPage
        do {
            let username = account.withLock { $0 }
            redirect = try await browser.signIn(at: target, allow: allow, username: username, password: Self.passwords[username] ?? "") {
                $0.hasPrefix(Self.callbackURL)
            }
        } catch let failure as SandboxBrowser.SignInFailure {
            throw TranscriptRunError("the sandbox's pages did not lead back to the callback (status \(failure.page.status))")
        }
        let query = redirect.locationQuery
        return Callback(state: query["state"], code: query["code"], error: query["error"])
    }

    // MARK: - Records

    /// Adds a record as the sandbox's client-credentials user and returns its id.
    func insert(type: String, fields: [String: JSONValue]) async throws -> String {
        try await fixtures.insert(type: type, fields: fields)
    }

    /// One record by id; `nil` when there is none.
    func record(type: String, id: String) async throws -> JSONValue? {
        try await fixtures.record(type: type, id: id)
    }

    /// Records of a type whose fields equal the given plain values, with the named fields.
    func records(type: String, fields: [String], where conditions: [(String, JSONValue)]) async throws -> [JSONValue] {
        try await fixtures.records(type: type, fields: fields, where: conditions)
    }
}
