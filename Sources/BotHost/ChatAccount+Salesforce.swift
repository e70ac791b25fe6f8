import DialogRuntime
import Foundation
import Integrations

extension ChatAccount {
    /// `/whoami`, `/signout` and `/open` for the Salesforce action: each chat user's own token, or, pre-authorized,
    /// the bot's, which only `parley actions sign-out` disconnects.
    static func salesforce(_ authorizer: SalesforceAuthorizer) -> ChatAccount {
        @Sendable func isPreauthorized() -> Bool {
            (try? authorizer.configuration().authorization) == .preauthorized
        }
        return ChatAccount(
            whoami: { user in
                let preauthorized = isPreauthorized()
                do {
                    guard let identity = try await authorizer.identity(user: preauthorized ? "" : user.rawValue) else {
                        return preauthorized
                            ? "The bot is not connected to Salesforce; its developer runs `parley actions authorize salesforce`."
                            : "You are not connected to Salesforce; the bot sends you a link when a task needs it."
                    }
                    let who = identity.name.map { "\(identity.username) (\($0))" } ?? identity.username
                    let whose = preauthorized ? "The bot is connected to Salesforce as" : "You are connected to Salesforce as"
                    return "\(whose) \(who) at \(identity.instanceURL)"
                        + (identity.confirmed ? "." : " (as stored; Salesforce could not confirm it just now).")
                } catch {
                    return "Cannot tell who is connected: \(error)"
                }
            },
            signOut: { user in
                guard !isPreauthorized() else {
                    return "This bot uses its own Salesforce connection; `parley actions sign-out salesforce` disconnects it."
                }
                do {
                    return try await authorizer.signOut(user: user.rawValue)
                        ? "Signed out: your Salesforce token was revoked and deleted. The bot will send a new link when a task needs it."
                        : "You are not connected to Salesforce."
                } catch {
                    return "Could not sign you out: \(error)"
                }
            },
            openInBrowser: { link in URL(string: link).map(SystemBrowser.open) ?? false })
    }
}
