import Foundation
import SalesforceAPI

/// The vault as the Salesforce client's credential source for one user (empty: the bot).
///
/// For the local sandbox the instance URL is the running sandbox's, since its port may differ from the one
/// the token was issued on.
struct VaultCredentialStore: CredentialStore {
    let store: any AuthorizationStore
    let action: String
    let user: String
    let instanceOverride: String?

    func credentials() async throws -> SalesforceCredentials? {
        guard var credentials = try await store.authorization(action: action, user: user)?.credentials else { return nil }
        if let instanceOverride { credentials.instanceURL = instanceOverride }
        return credentials
    }

    func credentialsRefreshed(_ credentials: SalesforceCredentials) async throws {
        try await store.updateCredentials(credentials, action: action, user: user)
    }

    /// A token that is dead for good is forgotten, unless the vault holds another one by now.
    func credentialsRejected(_ credentials: SalesforceCredentials) async throws {
        try await store.removeAuthorization(action: action, user: user, ifAccessToken: credentials.accessToken)
    }
}
