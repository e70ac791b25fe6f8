import DialogModel
import DialogRuntime
import Foundation
import Integrations
import ParleyJSON
import SalesforceAPI
import SalesforceSandbox
import Synchronization

/// One transcript's Salesforce: its own in-process sandbox and integration store, a browser that signs in on
/// the sandbox's pages, and REST access for `@seed` and `@expect salesforce`.
///
/// Requests reach the sandbox in-process (``Sandbox/respond(to:)``): the same routes, status codes, headers and
/// bodies as over HTTP, without ports or a server to start for each transcript.
final class SalesforceWorld: Sendable {
    let sandbox: Sandbox
    let store: IntegrationStore
    let authorizer: SalesforceAuthorizer
    let apiVersion: String
    private let cookies = Mutex<[String: String]>([:])
    private let adminToken = Mutex<String?>(nil)

    /// Who the browser signs in as unless `@browser as` says otherwise.
    static let browserUsername = "demo@parley.dev"

    /// The sandbox's logins and their passwords, for `@browser as`.
    static let passwords = ["demo@parley.dev": "parley-demo", "admin@parley.dev": "parley-admin"]

    /// Who the browser signs in as now.
    private let account = Mutex(SalesforceWorld.browserUsername)

    /// Applies `@browser as LOGIN`: the browser signs in as this sandbox user from now on, in a fresh session.
    func signInAs(_ username: String) {
        account.withLock { $0 = username }
        cookies.withLock { $0 = [:] }
    }

    /// The callback URL the system app is registered with; the browser stops there instead of opening it.
    static let callbackURL = SandboxConfiguration.defaultSystemAppCallbacks[0]

    /// The callback server's origin, where short links point; the browser resolves them through the authorizer.
    static let linkBase = "http://127.0.0.1:\(OAuthCallbackServer.defaultPort)"

    /// The code the callback page shows in confirm-with-code mode: the same in every run, so a transcript replays.
    static let confirmationCode = "314159"

    /// Where the transcript's sandbox says it is: its login and instance URL, reachable only in-process.
    static let baseURL = "https://sandbox.parley.test"

    private init(sandbox: Sandbox, store: IntegrationStore, authorizer: SalesforceAuthorizer, apiVersion: String) {
        self.sandbox = sandbox
        self.store = store
        self.authorizer = authorizer
        self.apiVersion = apiVersion
    }

    /// A fresh sandbox and store, configured as the bot's `integrations: salesforce:` says; both live in memory
    /// and go with the world.
    convenience init(bot: Bot, settings transcriptSettings: TranscriptSettings, clock: TranscriptClock) throws {
        let settings = bot.settings.integrations["salesforce"]
        let apiVersion = settings?["apiVersion"]?.stringValue ?? ActionConfiguration.defaultAPIVersion
        let configuration = SandboxConfiguration(
            baseURL: Self.baseURL, seedDemoData: transcriptSettings.salesforceDemoData, clock: { clock.now }, random: { 0.5 })
        let sandbox = try Sandbox(configuration: configuration)
        let store = try IntegrationStore.inMemory(bot: "transcript", vault: TokenVault(key: .ephemeral()))
        let mode = settings?["authorization"]?.stringValue.flatMap(AuthorizationMode.init(rawValue:)) ?? .user
        try store.enable(
            ActionConfiguration(
                action: SalesforceAuthorizer.action, authorization: mode, app: .system, apiVersion: apiVersion, enabledAt: clock.now))
        let environment = SalesforceEnvironment(
            localSandbox: LocalSandbox(baseURL: sandbox.baseURL, systemClientSecret: try sandbox.systemApp().clientSecret),
            variables: [:], callbackURL: Self.callbackURL)
        let authorizer = SalesforceAuthorizer(
            store: store, environment: environment, transport: SandboxTransport(sandbox: sandbox), linkBase: Self.linkBase,
            linkLifetime: bot.settings.authorization.linkLifetime, confirmWithCode: bot.settings.authorization.confirmWithCode,
            clock: { clock.now }, makeCode: { Self.confirmationCode }, logger: Sandbox.quietLogger)
        self.init(sandbox: sandbox, store: store, authorizer: authorizer, apiVersion: apiVersion)
    }

    /// The integration service nodes go through; a failed call is not retried, so runs stay quick and exact.
    var integration: SalesforceIntegration {
        SalesforceIntegration(authorizer: authorizer, retry: .never)
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
                throw TranscriptRunError(
                    "tokens=revoked needs a token to revoke, but \(tokenUser.isEmpty ? "the bot" : user.rawValue) has none")
            }
            let token = stored.credentials.refreshToken ?? stored.credentials.accessToken
            let response = try await sandbox.respond(
                to: InProcessRequest(
                    method: "POST", url: sandbox.baseURL + "/services/oauth2/revoke",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data("token=\(Self.formEncode(token))".utf8)))
            guard response.status == 200 else {
                throw TranscriptRunError("the sandbox did not revoke the token (status \(response.status))")
            }
        }
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
            guard let destination = try authorizer.destination(ofLink: id) else {
                throw TranscriptRunError("the link \(url) leads nowhere: it is unknown, used or expired")
            }
            target = destination.absoluteString
        }
        var page = try await send("GET", target)
        if let request = page.formValue("request"), page.text.contains("name=\"pw\"") {
            let username = account.withLock { $0 }
            page = try await send(
                "POST", sandbox.baseURL + "/services/oauth2/authorize/login",
                form: [
                    ("request", request), ("csrf", page.formValue("csrf") ?? ""), ("username", username),
                    ("pw", Self.passwords[username] ?? ""), ("Login", "Login"),
                ])
        }
        var hops = 0
        while let location = page.location, !location.hasPrefix(Self.callbackURL), hops < 5 {
            page = try await send("GET", location.hasPrefix("http") ? location : sandbox.baseURL + location)
            hops += 1
        }
        if page.location == nil, let request = page.formValue("request"), page.text.contains("oaapprove") {
            let answer = allow ? ("oaapprove", "Allow") : ("oadeny", "Deny")
            page = try await send(
                "POST", sandbox.baseURL + "/services/oauth2/authorize/consent",
                form: [("request", request), ("csrf", page.formValue("csrf") ?? ""), answer])
        }
        guard let location = page.location, location.hasPrefix(Self.callbackURL),
            let items = URLComponents(string: location)?.queryItems
        else {
            throw TranscriptRunError("the sandbox's pages did not lead back to the callback (status \(page.status))")
        }
        func value(_ name: String) -> String? { items.first { $0.name == name }?.value }
        return Callback(state: value("state"), code: value("code"), error: value("error"))
    }

    struct Page {
        var status: Int
        var location: String?
        var text: String

        /// A hidden form field's value, as the sandbox's pages write them.
        func formValue(_ name: String) -> String? {
            // Searched as bytes: the pages are ASCII around the values, and Foundation's search is slow on Linux.
            let bytes = Array(text.utf8)
            let needle = Array("name=\"\(name)\" value=\"".utf8)
            guard needle.count <= bytes.count,
                let start = (0...(bytes.count - needle.count)).first(where: { bytes[$0..<$0 + needle.count].elementsEqual(needle) })
            else { return nil }
            let valueStart = start + needle.count
            guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            let value = String(decoding: bytes[valueStart..<end], as: UTF8.self)
            return value.contains("&") ? value.replacingOccurrences(of: "&amp;", with: "&") : value
        }
    }

    private func send(_ method: String, _ url: String, form: [(String, String)]? = nil) async throws -> Page {
        var request = InProcessRequest(method: method, url: url)
        let jar = cookies.withLock { $0 }
        if !jar.isEmpty {
            request.headers.append(("Cookie", jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
        }
        if let form {
            request.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            request.body = Data(form.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&").utf8)
        }
        let response = try await sandbox.respond(to: request)
        for header in response.headers where header.name.caseInsensitiveCompare("Set-Cookie") == .orderedSame {
            let pair = header.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies.withLock { $0[String(pair[0])] = String(pair[1]) } }
        }
        return Page(status: response.status, location: response.header("Location"), text: String(decoding: response.body, as: UTF8.self))
    }

    static func formEncode(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    // MARK: - Records

    /// Adds a record as the sandbox's client-credentials user and returns its id.
    func insert(type: String, fields: [String: JSONValue]) async throws -> String {
        let response = try await rest("POST", "/sobjects/\(type)/", body: .object(fields))
        guard response.status == 201, let id = response.body["id"]?.stringValue else {
            throw TranscriptRunError("the sandbox did not create the \(type) (status \(response.status)): \(response.body.jsonText())")
        }
        return id
    }

    /// One record by id, with the named fields; `nil` when there is none.
    func record(type: String, id: String) async throws -> JSONValue? {
        let response = try await rest("GET", "/sobjects/\(type)/\(Self.formEncode(id))")
        if response.status == 404 { return nil }
        guard response.status == 200 else {
            throw TranscriptRunError("the sandbox could not read \(type) \(id) (status \(response.status)): \(response.body.jsonText())")
        }
        return response.body
    }

    /// A date or date-time as SOQL writes it, compiled once (a regex literal is parsed at each use).
    nonisolated(unsafe) private static let dateLiteral = #/\d{4}-\d{2}-\d{2}(T[0-9:.]+Z)?/#

    /// Records of a type whose fields equal the given plain values, with the named fields.
    func records(type: String, fields: [String], where conditions: [(String, JSONValue)]) async throws -> [JSONValue] {
        var soql = "SELECT Id" + fields.filter { $0 != "Id" }.map { ", " + $0 }.joined() + " FROM \(type)"
        let clauses = conditions.map { field, value -> String in
            switch value {
            case .number, .bool: return "\(field) = \(value.jsonText())"
            // SOQL writes dates and date-times bare, never quoted.
            case .string(let text) where text.wholeMatch(of: Self.dateLiteral) != nil:
                return "\(field) = \(text)"
            default:
                return
                    "\(field) = '\(value.displayText.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'"
            }
        }
        if !clauses.isEmpty { soql += " WHERE " + clauses.joined(separator: " AND ") }
        soql += " ORDER BY CreatedDate DESC LIMIT 50"
        let response = try await rest("GET", "/query?q=" + Self.formEncode(soql))
        guard response.status == 200 else {
            throw TranscriptRunError("the sandbox could not query \(type) (status \(response.status)): \(response.body.jsonText())")
        }
        return response.body["records"]?.arrayValue ?? []
    }

    /// A call of the transcript's own, to set up or check records: it is never refused by a simulated outage,
    /// which stands for Salesforce failing the bot only.
    private func rest(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> (status: Int, body: JSONValue) {
        let faults = sandbox.faults
        sandbox.faults = FaultInjection()
        defer { sandbox.faults = faults }
        let token = try await clientCredentialsToken()
        var request = InProcessRequest(
            method: method, url: sandbox.baseURL + "/services/data/v\(apiVersion)" + path, headers: [("Authorization", "Bearer " + token)])
        if let body {
            request.headers.append(("Content-Type", "application/json"))
            request.body = Data(body.jsonText().utf8)
        }
        let response = try await sandbox.respond(to: request)
        let text = String(decoding: response.body, as: UTF8.self)
        return (response.status, (try? JSONValue(parsing: text)) ?? .string(text))
    }

    private func clientCredentialsToken() async throws -> String {
        if let token = adminToken.withLock({ $0 }) { return token }
        let app = try sandbox.systemApp()
        let form = [("grant_type", "client_credentials"), ("client_id", app.clientID), ("client_secret", app.clientSecret)]
        let response = try await sandbox.respond(
            to: InProcessRequest(
                method: "POST", url: sandbox.baseURL + "/services/oauth2/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data(form.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&").utf8)))
        guard response.status == 200,
            let token = (try? JSONValue(parsing: String(decoding: response.body, as: UTF8.self)))?["access_token"]?.stringValue
        else {
            // The body may hold secrets on success only; an error body is safe to describe by status.
            throw TranscriptRunError("the sandbox refused a client-credentials token (status \(response.status))")
        }
        adminToken.withLock { $0 = token }
        return token
    }
}

/// Something a transcript asked for that could not be done (not a mismatch): reported at the step's line.
struct TranscriptRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
