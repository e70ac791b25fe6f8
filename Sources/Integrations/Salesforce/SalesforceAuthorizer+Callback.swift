import DialogRuntime
import Foundation
import Logging
import SalesforceAPI

extension SalesforceAuthorizer {
    /// Answers the browser's return to the callback URL: completes the authorization its `state` started, or says
    /// why not, with the page to show.
    ///
    /// Only a `state` Parley issued can affect a chat: anything else gets an error page and changes nothing. Text
    /// from the browser (`error`, `error_description`) is reduced to plain text before it goes anywhere.
    public func answer(_ query: CallbackQuery) async -> CallbackResult {
        guard let state = query.state, !state.isEmpty else {
            return CallbackResult(
                outcome: .rejected("a callback without a state"), status: 400,
                page: CallbackPage.failed("This page needs the link the bot sent you. Ask the bot for a new one."))
        }
        let status: PendingLinkStatus
        do {
            guard let found = try await authorizations.pendingStatus(state: state) else {
                return rejected(AuthorizationStateError.unknown)
            }
            status = found
        } catch {
            logger.error("could not read an authorization link", metadata: ["error": "\(error)"])
            return CallbackResult(
                outcome: .rejected("the store could not be read"), status: 500,
                page: CallbackPage.failed("Parley could not check this link. Try again in a moment."))
        }
        func failed(_ failure: AuthorizationFailure, _ reason: String, status code: Int) -> CallbackResult {
            CallbackResult(
                outcome: .failed(
                    FailedAuthorization(
                        user: status.user, conversation: status.conversation, action: status.action, failure: failure)),
                status: code, page: CallbackPage.failed(reason))
        }
        if status.isUsed {
            return failed(.alreadyUsed, AuthorizationStateError.alreadyUsed.description, status: 400)
        }
        if !status.isLive(at: clock()) {
            return failed(.expired, AuthorizationStateError.expired.description, status: 400)
        }
        if let error = query.error {
            // The link is used up either way: a refused link cannot be replayed.
            do {
                _ = try await authorizations.consumePending(state: state, now: clock())
            } catch {
                return rejected(error)
            }
            let code = PlainText.sanitized(error, limit: 60)
            if code == "access_denied" || code == "access-denied" {
                return failed(.denied, "Access was not allowed, so Parley is not connected. The chat says how to try again.", status: 200)
            }
            let detail = query.errorDescription.map { PlainText.sanitized($0) }.flatMap { $0.isEmpty ? nil : $0 }
            let reason = "the authorization server answered \(code)" + (detail.map { ": \($0)" } ?? "")
            return failed(.failed(reason), "Authorization failed: \(reason).", status: 200)
        }
        guard let code = query.code, !code.isEmpty else {
            return CallbackResult(
                outcome: .rejected("a callback without a code"), status: 400,
                page: CallbackPage.failed("The callback is missing its code. Open the link the bot sent you again."))
        }
        do {
            let (completed, confirmationCode) = try await complete(state: state, code: code)
            if let confirmationCode {
                return CallbackResult(
                    outcome: .awaitingCode(completed), status: 200,
                    page: CallbackPage.awaitingCode(
                        confirmationCode, as: completed.username, user: completed.user, action: completed.action,
                        lifetime: linkLifetime),
                    code: confirmationCode)
            }
            return CallbackResult(
                outcome: .connected(completed), status: 200,
                page: CallbackPage.connected(as: completed.username, user: completed.user, action: completed.action))
        } catch let error as AuthorizationStateError {
            switch error {
            case .unknown: return rejected(error)
            case .alreadyUsed: return failed(.alreadyUsed, error.description, status: 400)
            case .expired: return failed(.expired, error.description, status: 400)
            }
        } catch {
            logger.notice("OAuth callback failed", metadata: ["error": "\(error)"])
            let reason = "the sign-in could not be completed: " + PlainText.sanitized("\(error)")
            return failed(.failed(reason), "Parley could not complete the authorization: \(PlainText.sanitized("\(error)"))", status: 502)
        }
    }

    private func rejected(_ error: any Error) -> CallbackResult {
        let reason = (error as? AuthorizationStateError)?.description ?? "Parley could not check this link."
        return CallbackResult(outcome: .rejected(reason), status: 400, page: CallbackPage.failed(reason))
    }
}
