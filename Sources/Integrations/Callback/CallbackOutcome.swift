public import DialogRuntime

/// What the browser brought back to the callback URL.
public struct CallbackQuery: Sendable, Hashable {
    public var state: String?
    public var code: String?
    /// The authorization server's `error` (`access_denied`), as sent: not yet safe to show.
    public var error: String?
    public var errorDescription: String?

    public init(state: String? = nil, code: String? = nil, error: String? = nil, errorDescription: String? = nil) {
        self.state = state
        self.code = code
        self.error = error
        self.errorDescription = errorDescription
    }
}

/// How a return to the callback URL ended, and the page the browser is shown.
public struct CallbackResult: Sendable, Hashable {
    public var outcome: CallbackOutcome
    /// The HTTP status of the page.
    public var status: Int
    /// The page, HTML.
    public var page: String
    /// The six-digit code the page shows in confirm-with-code mode, which the user types in the chat.
    public var code: String?

    public init(outcome: CallbackOutcome, status: Int, page: String, code: String? = nil) {
        self.outcome = outcome
        self.status = status
        self.page = page
        self.code = code
    }
}

/// How a return to the callback URL ended.
public enum CallbackOutcome: Sendable, Hashable {
    /// A token was stored for the link's user.
    case connected(CompletedAuthorization)
    /// In confirm-with-code mode: a token was obtained and is kept once the link's user types the page's code.
    case awaitingCode(CompletedAuthorization)
    /// The link's authorization did not connect; the user whose link it was is told why.
    case failed(FailedAuthorization)
    /// The callback matches no link Parley issued: nothing changed, and no chat is told. The text says why.
    case rejected(String)
}

/// A link that was refused, expired, used twice or failed in the code exchange.
public struct FailedAuthorization: Sendable, Hashable, CustomStringConvertible {
    /// The end user, or empty for the bot's own authorization.
    public var user: String
    public var conversation: String
    /// The action's name (`salesforce`), as the runtime's integration is named.
    public var action: String
    public var failure: AuthorizationFailure

    public var description: String {
        switch failure {
        case .denied: "access was not allowed"
        case .expired: "the link had expired"
        case .alreadyUsed: "the link had already been used"
        case .failed(let reason): reason
        case .wrongCode: "the code typed was wrong"
        case .codeExpired: "the code had expired"
        }
    }
}

extension CallbackOutcome {
    /// Tells the runtime: a connection resumes the user's paused task, a failure is said in their chat at once.
    /// A rejected callback, and the bot's own authorization, tell no chat.
    ///
    /// - Returns: what the user was told, also sent to the runtime's delivery handler; `nil` when no chat was told.
    @discardableResult
    public func deliver(to runtime: BotRuntime) async -> TurnOutput? {
        switch self {
        case .connected(let completed) where !completed.user.isEmpty:
            return await runtime.authorizationCompleted(
                user: UserID(completed.user), integration: completed.action, account: completed.username)
        case .awaitingCode(let completed) where !completed.user.isEmpty:
            return await runtime.authorizationAwaitsCode(user: UserID(completed.user), integration: completed.action)
        case .failed(let failed) where !failed.user.isEmpty:
            return await runtime.authorizationFailed(
                user: UserID(failed.user), integration: failed.action, failure: failed.failure)
        default:
            return nil
        }
    }
}
