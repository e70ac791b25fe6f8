extension StandardResponses {
    /// The names `bot.yaml` uses under `responses:`, one per field.
    public static let names = [
        "didNotUnderstand", "taskCancelled", "nothingToCancel", "whichTask", "holdOrDiscard", "resumingTask",
        "taskOnHoldDiscarded", "helpPrompt", "retriesExceeded", "serviceFailed", "serviceTimedOut", "scriptFailed",
        "outputCut", "authorizationNeeded", "whichValue", "correctionApplied", "greeting", "conversationUnavailable",
        "conversationNotSaved", "authorizationConnected", "authorizationDenied", "authorizationLinkExpired",
        "authorizationLinkUsed", "authorizationFailed", "authorizationAttemptsExceeded", "authorizationCodeNeeded",
        "authorizationCodeWrong", "authorizationCodeExpired", "integrationNeedsAttention", "help", "thanks", "goodbye",
    ]

    /// The response with this name, or `nil` for a name not in ``names``.
    public func response(named name: String) -> String? {
        switch name {
        case "didNotUnderstand": didNotUnderstand
        case "taskCancelled": taskCancelled
        case "nothingToCancel": nothingToCancel
        case "whichTask": whichTask
        case "holdOrDiscard": holdOrDiscard
        case "resumingTask": resumingTask
        case "taskOnHoldDiscarded": taskOnHoldDiscarded
        case "helpPrompt": helpPrompt
        case "retriesExceeded": retriesExceeded
        case "serviceFailed": serviceFailed
        case "serviceTimedOut": serviceTimedOut
        case "scriptFailed": scriptFailed
        case "outputCut": outputCut
        case "authorizationNeeded": authorizationNeeded
        case "whichValue": whichValue
        case "correctionApplied": correctionApplied
        case "greeting": greeting
        case "conversationUnavailable": conversationUnavailable
        case "conversationNotSaved": conversationNotSaved
        case "authorizationConnected": authorizationConnected
        case "authorizationDenied": authorizationDenied
        case "authorizationLinkExpired": authorizationLinkExpired
        case "authorizationLinkUsed": authorizationLinkUsed
        case "authorizationFailed": authorizationFailed
        case "authorizationAttemptsExceeded": authorizationAttemptsExceeded
        case "authorizationCodeNeeded": authorizationCodeNeeded
        case "authorizationCodeWrong": authorizationCodeWrong
        case "authorizationCodeExpired": authorizationCodeExpired
        case "integrationNeedsAttention": integrationNeedsAttention
        case "help": help
        case "thanks": thanks
        case "goodbye": goodbye
        default: nil
        }
    }

    /// Replaces the response with this name; returns `false` for a name not in ``names``.
    @discardableResult
    public mutating func setResponse(named name: String, to text: String) -> Bool {
        switch name {
        case "didNotUnderstand": didNotUnderstand = text
        case "taskCancelled": taskCancelled = text
        case "nothingToCancel": nothingToCancel = text
        case "whichTask": whichTask = text
        case "holdOrDiscard": holdOrDiscard = text
        case "resumingTask": resumingTask = text
        case "taskOnHoldDiscarded": taskOnHoldDiscarded = text
        case "helpPrompt": helpPrompt = text
        case "retriesExceeded": retriesExceeded = text
        case "serviceFailed": serviceFailed = text
        case "serviceTimedOut": serviceTimedOut = text
        case "scriptFailed": scriptFailed = text
        case "outputCut": outputCut = text
        case "authorizationNeeded": authorizationNeeded = text
        case "whichValue": whichValue = text
        case "correctionApplied": correctionApplied = text
        case "greeting": greeting = text
        case "conversationUnavailable": conversationUnavailable = text
        case "conversationNotSaved": conversationNotSaved = text
        case "authorizationConnected": authorizationConnected = text
        case "authorizationDenied": authorizationDenied = text
        case "authorizationLinkExpired": authorizationLinkExpired = text
        case "authorizationLinkUsed": authorizationLinkUsed = text
        case "authorizationFailed": authorizationFailed = text
        case "authorizationAttemptsExceeded": authorizationAttemptsExceeded = text
        case "authorizationCodeNeeded": authorizationCodeNeeded = text
        case "authorizationCodeWrong": authorizationCodeWrong = text
        case "authorizationCodeExpired": authorizationCodeExpired = text
        case "integrationNeedsAttention": integrationNeedsAttention = text
        case "help": help = text
        case "thanks": thanks = text
        case "goodbye": goodbye = text
        default: return false
        }
        return true
    }
}
