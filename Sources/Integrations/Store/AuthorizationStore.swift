public import Foundation
public import SalesforceAPI

/// Where a running bot keeps what authorizing and calling an action change at runtime: users' tokens, the links sent to
/// them, the tokens waiting for a confirmation code, and why the bot's own connection stopped working.
///
/// The state folder's ``IntegrationStore`` is one (`parley chat`, `parley test`, one server); a database that several
/// servers share is another, so that a token one of them obtained, or a link one of them sent, works on all of them.
/// The action's configuration and authorization profiles are not here: each process reads them from its state folder.
/// Secrets are sealed by a ``TokenVault`` before they are stored, whatever the store.
public protocol AuthorizationStore: Sendable {
    /// Whose authorizations these are (see ``IntegrationStore/botID(forBotDirectory:)``).
    var bot: String { get }

    /// The stored authorization of a user (empty: the bot's own), or `nil` when there is none.
    func authorization(action: String, user: String) async throws -> StoredAuthorization?
    /// Stores (replacing) a user's authorization; a new one of the bot's own clears its recorded problem.
    func saveAuthorization(_ authorization: StoredAuthorization, action: String) async throws
    /// Replaces the credentials after a refresh; does nothing if the authorization was removed meanwhile.
    func updateCredentials(_ credentials: SalesforceCredentials, action: String, user: String) async throws
    /// Removes a user's authorization (sign-out); returns whether there was one.
    @discardableResult
    func removeAuthorization(action: String, user: String) async throws -> Bool
    /// Removes a user's authorization only if it still holds this access token; returns whether it was removed.
    @discardableResult
    func removeAuthorization(action: String, user: String, ifAccessToken accessToken: String) async throws -> Bool

    /// Records an authorization that was just started, and the short link that leads to its authorize URL.
    func savePending(_ pending: PendingAuthorization, link: (id: String, authorizeURL: String)?) async throws
    /// Takes the pending authorization for a callback's `state`, marking it used so it works only once, on any server.
    ///
    /// - Throws: `AuthorizationStateError` when the state is unknown, used or expired.
    func consumePending(state: String, now: Date) async throws -> PendingAuthorization
    /// The link a user was sent for a conversation and has not used yet, while it lives.
    func liveLink(action: String, user: String, conversation: String, now: Date) async throws -> LiveLink?
    /// Where a short link leads while it is live; `nil` for a link that is unknown, used or expired.
    func authorizeURL(ofLink id: String, now: Date) async throws -> String?
    /// Whose link a callback's `state` belongs to and whether it is still usable; `nil` for a state never issued.
    func pendingStatus(state: String) async throws -> PendingLinkStatus?
    /// How many authorization links of this bot wait for a browser now: not used and not expired.
    func liveLinkCount(now: Date) async throws -> Int
    /// Where a user stands with the action for a conversation: their token, else a token waiting for its code, else the
    /// conversation's live link. What a turn reads before it uses the action, in one read where the store can.
    func standing(action: String, user: String, conversation: String, now: Date) async throws -> AuthorizationStanding

    /// Keeps a token aside until its code is typed; replaces one the user had pending.
    func saveCodeConfirmation(_ confirmation: CodeConfirmation, action: String) async throws
    /// Takes the user's pending confirmation out of the store (one try, right or wrong); `nil` when none is pending.
    func takeCodeConfirmation(action: String, user: String) async throws -> CodeConfirmation?
    /// Whether the user has a token waiting for its code that can still be confirmed.
    func hasCodeConfirmation(action: String, user: String, now: Date) async throws -> Bool

    /// Records why the action's own connection stopped working, replacing an earlier problem.
    func recordProblem(action: String, reason: String, at date: Date) async throws
    /// Why the action's own connection stopped working, or `nil` when nothing is known to be wrong.
    func problem(of action: String) async throws -> ActionProblem?
}

extension IntegrationStore: AuthorizationStore {}

/// An authorization store that several processes share, each reading the action's configuration from a state folder of
/// its own: tokens granted under other settings go when a process starts with new ones, as they go from the state folder
/// when the action is enabled with them.
public protocol SharedAuthorizationStore: AuthorizationStore {
    /// Records the settings the action's tokens are granted under from now on; when tokens, links or codes were kept
    /// under settings that grant other tokens (another org, client or mode), removes them first and returns `true`.
    func adopt(_ configuration: ActionConfiguration) async throws -> Bool
}
