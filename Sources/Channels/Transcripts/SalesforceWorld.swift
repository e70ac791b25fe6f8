import AsyncHTTPClient
import DialogModel
import DialogRuntime
import Foundation
import Integrations
import NIOCore
import NIOHTTP1
import ParleyJSON
import SalesforceAPI
import SalesforceSandbox
import Synchronization

/// One transcript's Salesforce: its own in-process sandbox and integration store, a browser that signs in on
/// the sandbox's pages, and REST access for `@seed` and `@expect salesforce`.
final class SalesforceWorld: Sendable {
    let sandbox: Sandbox
    let store: IntegrationStore
    let authorizer: SalesforceAuthorizer
    let httpClient: HTTPClient
    let apiVersion: String
    private let cookies = Mutex<[String: String]>([:])
    private let adminToken = Mutex<String?>(nil)

    /// The callback URL the system app is registered with; the browser stops there instead of opening it.
    static let callbackURL = SandboxConfiguration.defaultSystemAppCallbacks[0]

    private init(sandbox: Sandbox, store: IntegrationStore, authorizer: SalesforceAuthorizer, httpClient: HTTPClient, apiVersion: String) {
        self.sandbox = sandbox
        self.store = store
        self.authorizer = authorizer
        self.httpClient = httpClient
        self.apiVersion = apiVersion
    }

    /// Runs `body` with a fresh sandbox and store, configured as the bot's `integrations: salesforce:` says.
    ///
    /// - Parameter httpClient: must not follow redirects, since the browser looks at each one.
    static func with<T: Sendable>(
        bot: Bot, settings transcriptSettings: TranscriptSettings, clock: TranscriptClock, httpClient: HTTPClient,
        _ body: (SalesforceWorld) async throws -> T
    ) async throws -> T {
        let folder = scratchFolder + "parley-transcript-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let settings = bot.settings.integrations["salesforce"]
        let apiVersion = settings?["apiVersion"]?.stringValue ?? ActionConfiguration.defaultAPIVersion
        let configuration = SandboxConfiguration(
            seedDemoData: transcriptSettings.salesforceDemoData, clock: { clock.now }, random: { 0.5 })
        return try await withSandbox(configuration: configuration) { sandbox in
            let store = try IntegrationStore(
                stateDirectory: folder, bot: "transcript", environment: [VaultKey.environmentVariable: VaultKey.generateEncoded()])
            let mode = settings?["authorization"]?.stringValue.flatMap(AuthorizationMode.init(rawValue:)) ?? .user
            try store.enable(
                ActionConfiguration(
                    action: SalesforceAuthorizer.action, authorization: mode, app: .system, apiVersion: apiVersion, enabledAt: clock.now))
            let environment = SalesforceEnvironment(
                localSandbox: LocalSandbox(baseURL: sandbox.baseURL, systemClientSecret: try sandbox.systemApp().clientSecret),
                variables: [:], callbackURL: callbackURL)
            let authorizer = SalesforceAuthorizer(
                store: store, environment: environment, httpClient: httpClient, clock: { clock.now }, logger: Sandbox.quietLogger)
            let world = SalesforceWorld(
                sandbox: sandbox, store: store, authorizer: authorizer, httpClient: httpClient, apiVersion: apiVersion)
            return try await body(world)
        }
    }

    /// Where each transcript's token store lives for the length of the replay: memory-backed when the system
    /// has it, since the store syncs every write to disk and a replay needs none of that durability.
    private static let scratchFolder: String = {
        let shared = "/dev/shm/"
        return FileManager.default.isWritableFile(atPath: shared) ? shared : NSTemporaryDirectory()
    }()

    /// The integration service nodes go through; a failed call is not retried, so runs stay quick and exact.
    var integration: SalesforceIntegration {
        SalesforceIntegration(authorizer: authorizer, retry: .never)
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
            // The bot's developer authorized once, before any user chats.
            let link = try authorizer.begin(user: "", conversation: "")
            let callback = try await openLink(link.url.absoluteString, allow: true)
            guard let state = callback.state, let code = callback.code else {
                throw TranscriptRunError("the sandbox did not authorize the bot's own token: \(callback.error ?? "no code")")
            }
            _ = try await authorizer.complete(state: state, code: code)
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
        var page = try await send(.GET, url)
        if let request = page.formValue("request"), page.text.contains("name=\"pw\"") {
            page = try await send(
                .POST, sandbox.baseURL + "/services/oauth2/authorize/login",
                form: [
                    ("request", request), ("csrf", page.formValue("csrf") ?? ""), ("username", "demo@parley.dev"),
                    ("pw", "parley-demo"), ("Login", "Login"),
                ])
        }
        var hops = 0
        while let location = page.location, !location.hasPrefix(Self.callbackURL), hops < 5 {
            page = try await send(.GET, location.hasPrefix("http") ? location : sandbox.baseURL + location)
            hops += 1
        }
        if page.location == nil, let request = page.formValue("request"), page.text.contains("oaapprove") {
            let answer = allow ? ("oaapprove", "Allow") : ("oadeny", "Deny")
            page = try await send(
                .POST, sandbox.baseURL + "/services/oauth2/authorize/consent",
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
        var headers: HTTPHeaders
        var text: String

        var location: String? { headers.first(name: "Location") }

        /// A hidden form field's value, as the sandbox's pages write them.
        func formValue(_ name: String) -> String? {
            guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
            let rest = text[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    private func send(_ method: HTTPMethod, _ url: String, form: [(String, String)]? = nil) async throws -> Page {
        var request = HTTPClientRequest(url: url)
        request.method = method
        let jar = cookies.withLock { $0 }
        if !jar.isEmpty {
            request.headers.add(
                name: "Cookie", value: jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(
                ByteBuffer(string: form.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")))
        }
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        for header in response.headers["Set-Cookie"] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies.withLock { $0[String(pair[0])] = String(pair[1]) } }
        }
        return Page(status: Int(response.status.code), headers: response.headers, text: String(buffer: body))
    }

    static func formEncode(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    // MARK: - Records

    /// Adds a record as the sandbox's client-credentials user and returns its id.
    func insert(type: String, fields: [String: JSONValue]) async throws -> String {
        let response = try await rest(.POST, "/sobjects/\(type)/", body: .object(fields))
        guard response.status == 201, let id = response.body["id"]?.stringValue else {
            throw TranscriptRunError("the sandbox did not create the \(type) (status \(response.status)): \(response.body.jsonText())")
        }
        return id
    }

    /// One record by id, with the named fields; `nil` when there is none.
    func record(type: String, id: String) async throws -> JSONValue? {
        let response = try await rest(.GET, "/sobjects/\(type)/\(Self.formEncode(id))")
        if response.status == 404 { return nil }
        guard response.status == 200 else {
            throw TranscriptRunError("the sandbox could not read \(type) \(id) (status \(response.status)): \(response.body.jsonText())")
        }
        return response.body
    }

    /// Records of a type whose fields equal the given plain values, with the named fields.
    func records(type: String, fields: [String], where conditions: [(String, JSONValue)]) async throws -> [JSONValue] {
        var soql = "SELECT Id" + fields.filter { $0 != "Id" }.map { ", " + $0 }.joined() + " FROM \(type)"
        let clauses = conditions.map { field, value -> String in
            switch value {
            case .number, .bool: return "\(field) = \(value.jsonText())"
            default:
                return
                    "\(field) = '\(value.displayText.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'"
            }
        }
        if !clauses.isEmpty { soql += " WHERE " + clauses.joined(separator: " AND ") }
        soql += " ORDER BY CreatedDate DESC LIMIT 50"
        let response = try await rest(.GET, "/query?q=" + Self.formEncode(soql))
        guard response.status == 200 else {
            throw TranscriptRunError("the sandbox could not query \(type) (status \(response.status)): \(response.body.jsonText())")
        }
        return response.body["records"]?.arrayValue ?? []
    }

    private func rest(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> (status: Int, body: JSONValue) {
        let token = try await clientCredentialsToken()
        var request = HTTPClientRequest(url: sandbox.baseURL + "/services/data/v\(apiVersion)" + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.jsonText()))
        }
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 16 * 1024 * 1024)
        let text = String(buffer: data)
        return (Int(response.status.code), (try? JSONValue(parsing: text)) ?? .string(text))
    }

    private func clientCredentialsToken() async throws -> String {
        if let token = adminToken.withLock({ $0 }) { return token }
        let app = try sandbox.systemApp()
        var request = HTTPClientRequest(url: sandbox.baseURL + "/services/oauth2/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form = [("grant_type", "client_credentials"), ("client_id", app.clientID), ("client_secret", app.clientSecret)]
        request.body = .bytes(ByteBuffer(string: form.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")))
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1024 * 1024)
        guard response.status == .ok, let token = (try? JSONValue(parsing: String(buffer: body)))?["access_token"]?.stringValue else {
            // The body may hold secrets on success only; an error body is safe to describe by status.
            throw TranscriptRunError("the sandbox refused a client-credentials token (status \(response.status.code))")
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
