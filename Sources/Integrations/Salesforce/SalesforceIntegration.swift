public import DialogRuntime
import Foundation
import Logging
import ParleyJSON
public import SalesforceAPI
import Synchronization

/// The Salesforce action as the runtime's `Integration`: placeholders for service nodes, and requests signed
/// with the right token.
///
/// Pre-authorized, every user's requests carry the bot's token; in user mode each end user's, and a user
/// without one gets an authorization link. Requests go through the Salesforce client's raw send, which
/// refreshes once on 401 `INVALID_SESSION_ID` (the refreshed token is written back to the vault), applies the
/// node's timeout and retries only idempotent methods. Requests on one token share one session, so however
/// many turns meet an expired token at once, it is refreshed once; a token found dead is removed from the
/// vault only if the vault still holds it.
public struct SalesforceIntegration: Integration {
    public let name = SalesforceAuthorizer.action
    public let authorizer: SalesforceAuthorizer
    let retry: RetryPolicy
    private let sessions = SessionPool()

    public init(authorizer: SalesforceAuthorizer, retry: RetryPolicy = .standard) {
        self.authorizer = authorizer
        self.retry = retry
    }

    public func access(for user: UserID) async -> IntegrationAccess {
        let (store, authorizations) = (authorizer.store, authorizer.authorizations)
        do {
            guard let configuration = try store.configuration(of: name) else {
                return .unavailable(
                    "the Salesforce action is not enabled for this bot; run `parley actions enable salesforce`")
            }
            switch configuration.authorization {
            case .preauthorized:
                if let stored = try await authorizations.authorization(action: name, user: Self.tokenUser(user, configuration)) {
                    return try ready(stored, configuration)
                }
                let reason = try await authorizations.problem(of: name).map(Self.describe) ?? Self.botNotAuthorized
                authorizer.logger.warning(
                    "a task needs Salesforce, but the bot's own connection is unusable", metadata: ["reason": "\(reason)"])
                return .needsAttention(reason)
            case .user:
                let now = authorizer.clock()
                let standing = try await authorizations.standing(
                    action: name, user: user.rawValue, conversation: user.rawValue, now: now)
                switch standing {
                case .authorized(let stored): return try ready(stored, configuration)
                case .awaitingCode: return .authorizationRequired(.code(for: name))
                case .linkSent, .unauthorized: break
                }
                // The link the conversation was sent again while it lives, so a reminder repeats it.
                let link: AuthorizationLink
                if case .linkSent(let live) = standing, let again = authorizer.link(to: live) {
                    link = again
                } else {
                    link = try await authorizer.beginAnew(
                        user: user.rawValue, conversation: user.rawValue, configuration: configuration, now: now)
                }
                return .authorizationRequired(
                    DialogRuntime.AuthorizationRequest(integration: name, url: link.url.absoluteString))
            }
        } catch {
            return .unavailable("Salesforce cannot be used: \(error)")
        }
    }

    /// The values service nodes use with the user's (or the bot's) token.
    private func ready(_ stored: StoredAuthorization, _ configuration: ActionConfiguration) throws -> IntegrationAccess {
        let app = try authorizer.app(for: configuration)
        return .ready([
            "instanceUrl": .string(app.instanceOverride ?? stored.credentials.instanceURL),
            "apiVersion": .string(configuration.apiVersion),
        ])
    }

    public func confirmAuthorization(code: String, for user: UserID) async -> AuthorizationConfirmation {
        await authorizer.confirm(code: code, user: user.rawValue)
    }

    public func send(_ request: ServiceRequest, for user: UserID) async throws(ServiceCallError) -> ServiceResponse {
        let store = authorizer.store
        let configuration: ActionConfiguration
        let app: SalesforceApp
        do {
            guard let found = try store.configuration(of: name) else {
                throw IntegrationInputError("the Salesforce action is not enabled for this bot")
            }
            configuration = found
            app = try authorizer.app(for: found)
        } catch {
            throw .connection("Salesforce cannot be used: \(error)")
        }
        let tokenUser = Self.tokenUser(user, configuration)
        do {
            let session = sessions.session(for: SessionPool.Key(user: tokenUser, app: app)) {
                SessionCoordinator(
                    store: VaultCredentialStore(
                        store: authorizer.authorizations, action: name, user: tokenUser, instanceOverride: app.instanceOverride),
                    refresher: TokenRefresher(
                        oauth: authorizer.oauthClient(for: app), clientID: app.clientID, clientSecret: app.clientSecret))
            }
            let client = try SalesforceClient(
                apiVersion: configuration.apiVersion, transport: authorizer.transport, session: session,
                timeout: request.timeout, retry: retry, logger: authorizer.logger)
            var headers: [String: String] = [:]
            for header in request.headers { headers[header.name] = header.value }
            let response = try await client.send(
                method: RequestMethod(rawValue: request.method), path: request.url, headers: headers, body: request.body)
            return ServiceResponse(
                statusCode: response.status,
                headers: response.headers.map { ServiceRequest.Header($0.key, $0.value) }.sorted { $0.name < $1.name },
                body: response.body)
        } catch let error as SalesforceError {
            throw await serviceError(for: error, user: user, configuration: configuration)
        } catch {
            throw .connection("Salesforce request failed: \(error)")
        }
    }

    private func serviceError(
        for error: SalesforceError, user: UserID, configuration: ActionConfiguration
    ) async -> ServiceCallError {
        switch error.kind {
        case .timeout:
            return .timeout
        case .authorizationRequired:
            // The session already removed the dead token from the vault (unless a good one replaced it).
            guard configuration.authorization == .user else { return await botConnectionFailed(error) }
            do {
                let link = try await authorizer.begin(
                    user: user.rawValue, conversation: user.rawValue, configuration: configuration)
                return .authorizationRequired(
                    DialogRuntime.AuthorizationRequest(integration: name, url: link.url.absoluteString))
            } catch {
                return .connection("Salesforce needs authorizing again, but no link could be made: \(error)")
            }
        default:
            return .connection("\(error)")
        }
    }

    /// The bot's own token was refused for good: no user can fix that. The operator finds why in the log and in
    /// `parley actions show salesforce`; the user is told the connection needs attention.
    private func botConnectionFailed(_ error: SalesforceError) async -> ServiceCallError {
        let problem = ActionProblem(reason: "\(error)", occurredAt: authorizer.clock())
        authorizer.logger.error(
            "the bot's own Salesforce connection stopped working; run `parley actions authorize salesforce`",
            metadata: ["reason": "\(problem.reason)"])
        do {
            try await authorizer.authorizations.recordProblem(action: name, reason: problem.reason, at: problem.occurredAt)
        } catch {
            authorizer.logger.error("could not record why the Salesforce connection stopped", metadata: ["error": "\(error)"])
        }
        return .needsAttention(Self.describe(problem))
    }

    static func describe(_ problem: ActionProblem) -> String {
        "\(problem.reason); run `parley actions authorize salesforce`"
    }

    static func tokenUser(_ user: UserID, _ configuration: ActionConfiguration) -> String {
        configuration.authorization == .preauthorized ? "" : user.rawValue
    }

    static let botNotAuthorized =
        "Salesforce is not authorized for this bot; its developer must run `parley actions authorize salesforce`"
}

/// The sessions of an integration's tokens, one per token user and app, shared by the requests in flight.
///
/// The pool holds sessions weakly: a session lives as long as a request uses it, which is all the sharing a
/// refresh needs (a later request reads the refreshed token from the vault), so sessions of users who left do
/// not pile up, and a changed connected app is picked up by the next request.
final class SessionPool: Sendable {
    struct Key: Hashable {
        var user: String
        var clientID: String
        var tokenURL: String
        var instanceOverride: String?

        init(user: String, app: SalesforceApp) {
            self.user = user
            clientID = app.clientID
            tokenURL = app.endpoints.tokenURL.absoluteString
            instanceOverride = app.instanceOverride
        }
    }

    private struct Entry: Sendable {
        weak let session: SessionCoordinator?
    }

    private let sessions = Mutex<[Key: Entry]>([:])

    /// The session for `key`: the one requests in flight use, or a new one made by `make`.
    func session(for key: Key, make: () -> SessionCoordinator) -> SessionCoordinator {
        sessions.withLock { sessions in
            if let existing = sessions[key]?.session { return existing }
            sessions = sessions.filter { $0.value.session != nil }
            let session = make()
            sessions[key] = Entry(session: session)
            return session
        }
    }
}
