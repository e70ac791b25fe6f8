import SalesforceWire

/// Hands out credentials and refreshes them at most once at a time: requests that meet the same expired token
/// wait for one shared refresh rather than each spending the refresh token.
///
/// One client has one; requests through several clients on one token (an integration that makes a client per
/// request, a bot token serving every user) share one by passing it to ``SalesforceClient``.
public actor SessionCoordinator {
    private let store: any CredentialStore
    private let refresher: TokenRefresher?
    private var inFlight: Task<SalesforceCredentials, any Error>?

    /// - Parameters:
    ///   - store: asked for the token before each request, told after each refresh and rejection.
    ///   - refresher: the connected app to refresh with; without it an expired session needs a new authorization.
    public init(store: any CredentialStore, refresher: TokenRefresher?) {
        self.store = store
        self.refresher = refresher
    }

    /// The credentials to use now; throws `authorizationRequired` when there are none.
    func current() async throws -> SalesforceCredentials {
        if let task = inFlight { return try await task.value }
        guard let credentials = try await store.credentials() else {
            throw SalesforceError.authorizationRequired(reason: "nobody has authorized Salesforce yet")
        }
        return credentials
    }

    /// New credentials to replace `staleAccessToken`, which Salesforce just refused.
    ///
    /// If someone else already replaced it (another request here, or another process through the store),
    /// those credentials are returned without a second refresh; so are credentials that replaced it while a
    /// refresh was refused, since a refresh token spent or revoked by that change is why it was refused.
    /// When the token is dead for good the store is told to forget it, if it still holds it.
    public func refresh(replacing staleAccessToken: String) async throws -> SalesforceCredentials {
        if let task = inFlight { return try await task.value }
        let store = self.store
        let refresher = self.refresher
        let task = Task { () async throws -> SalesforceCredentials in
            guard let stored = try await store.credentials() else {
                throw SalesforceError.authorizationRequired(reason: "the Salesforce authorization was removed")
            }
            if stored.accessToken != staleAccessToken { return stored }
            guard let refreshToken = stored.refreshToken else {
                try await store.credentialsRejected(stored)
                throw SalesforceError.authorizationRequired(
                    reason: "the session expired and there is no refresh token")
            }
            guard let refresher else {
                try await store.credentialsRejected(stored)
                throw SalesforceError.authorizationRequired(
                    reason: "the session expired and no connected app is configured to refresh it")
            }
            let token: TokenResponse
            do {
                token = try await refresher.oauth.refresh(
                    refreshToken: refreshToken, clientID: refresher.clientID, clientSecret: refresher.clientSecret)
            } catch let error as SalesforceError where error.kind == .oauth {
                // Refused: if another request or process put new credentials in meanwhile, they are the answer.
                if let now = try await store.credentials(), now.accessToken != staleAccessToken { return now }
                try await store.credentialsRejected(stored)
                throw SalesforceError.authorizationRequired(
                    reason: "refreshing the session failed (\(error.oauthError?.description ?? "\(error)"))")
            }
            let renewed = stored.refreshed(by: token)
            try await store.credentialsRefreshed(renewed)
            return renewed
        }
        inFlight = task
        defer { inFlight = nil }
        return try await task.value
    }

    /// Tells the store that freshly refreshed credentials were refused too, so they are dead for good.
    func reject(_ credentials: SalesforceCredentials) async throws {
        try await store.credentialsRejected(credentials)
    }
}
