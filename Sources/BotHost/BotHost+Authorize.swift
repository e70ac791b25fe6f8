public import Foundation
public import Integrations

extension BotHost {
    /// What the bot's own authorization needs to tell the person running it while it waits.
    public struct AuthorizationPrompt: Sendable {
        /// The link to open in a browser.
        public var url: URL
        /// Where the browser comes back to.
        public var callbackURL: String
    }

    /// Why the bot's own authorization did not connect.
    public struct AuthorizationFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Authorizes the bot's own token (pre-authorized mode) through a browser: serves the OAuth callback on
    /// `port`, hands the link to `prompt`, opens it in the system browser when asked, and waits for the
    /// browser to come back.
    ///
    /// Only the link this call sent can end it: a callback for any other state changes nothing.
    ///
    /// - Throws: `IntegrationInputError` when the action's configuration cannot make a link;
    ///   ``AuthorizationFailure`` when the authorization failed or no browser came back within `timeout`.
    public static func authorizeBot(
        options: HostOptions, store: IntegrationStore, configuration: ActionConfiguration, port: Int, timeout: Duration,
        openBrowser: Bool, prompt: (AuthorizationPrompt) -> Void
    ) async throws -> CompletedAuthorization {
        let callbackURL = "http://127.0.0.1:\(port)\(OAuthCallbackServer.path)"
        let (outcomes, continuation) = AsyncStream<Result<CompletedAuthorization, AuthorizationFailure>>.makeStream()
        return try await withSalesforceEnvironment(options: options, configuration: configuration, callbackURL: callbackURL) {
            environment, httpClient in
            let authorizer = SalesforceAuthorizer(
                store: store, environment: environment, httpClient: httpClient, linkBase: "http://127.0.0.1:\(port)")
            let handlers = OAuthCallbackServer.Handlers.salesforce(authorizer) { outcome in
                switch outcome {
                case .connected(let completed): continuation.yield(.success(completed))
                case .failed(let failed): continuation.yield(.failure(AuthorizationFailure(description: "\(failed)")))
                // The bot's own authorization asks for no code.
                case .rejected, .awaitingCode: break
                }
            }
            return try await OAuthCallbackServer.withCallbackServer(port: port, handlers: handlers) { _ in
                let link = try await authorizer.begin(user: "", conversation: "parley actions authorize")
                prompt(AuthorizationPrompt(url: link.url, callbackURL: callbackURL))
                if openBrowser { SystemBrowser.open(link.url) }
                switch await firstOutcome(outcomes, timeout: timeout) {
                case .success(let completed)?:
                    return completed
                case .failure(let failure)?:
                    throw failure
                case nil:
                    throw AuthorizationFailure(
                        description: "no browser came back within \(timeout.components.seconds) seconds; run the command again")
                }
            }
        }
    }

    /// Revokes the bot's own token at Salesforce and removes it from the vault; `false` when the bot was not
    /// signed in. For the local sandbox, the sandbox runs in-process meanwhile.
    public static func signOutBot(
        options: HostOptions, store: IntegrationStore, configuration: ActionConfiguration
    ) async throws -> Bool {
        try await withSalesforceEnvironment(
            options: options, configuration: configuration, callbackURL: AuthProfile.defaultCallbackURL
        ) { environment, httpClient in
            try await SalesforceAuthorizer(store: store, environment: environment, httpClient: httpClient).signOut(user: "")
        }
    }

    private static func firstOutcome<T: Sendable>(_ stream: AsyncStream<T>, timeout: Duration) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
