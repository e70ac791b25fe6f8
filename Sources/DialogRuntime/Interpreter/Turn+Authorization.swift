import DialogModel
import Foundation

extension Turn {
    // MARK: - Authorization outcomes, told between turns

    /// Whether the running task waits for the user to authorize this integration.
    private func waitingNode(for integration: String) -> NodeID? {
        guard let frame = state.current, case .authorization(let request) = frame.waiting,
            request.integration == integration
        else { return nil }
        return frame.node
    }

    /// Says who the user connected as, then resumes the task waiting for this integration: its service node runs
    /// again.
    nonisolated(nonsending) mutating func resumeAfterAuthorization(integration: String, account: String?) async {
        guard let nodeID = waitingNode(for: integration) else { return }
        state.current?.waiting = nil
        state.current?.authorizationFailures = nil
        if let account {
            say(
                standard(
                    responses.authorizationConnected,
                    ["integration": displayName(ofIntegration: integration), "account": account]))
        }
        trace(nodeID, "authorized \(integration); resuming")
        record(nodeID, "resume")
        await run(from: nodeID)
        // Asked meanwhile whether to hold the task for another, and the task has now ended: nothing is left to hold,
        // so the other task starts as asked.
        if !state.isInTask, case .holdOrDiscard(let newTask, let original)? = state.question, let task = compiled.task(newTask) {
            state.question = nil
            await startTask(task, utterance: original)
        }
    }

    /// Tells the user why the authorization did not connect. The task keeps waiting ("retry" sends a new link,
    /// "cancel" ends it) until it has had as many denied or failed attempts as `bot.yaml` allows; then it ends.
    nonisolated(nonsending) mutating func authorizationFailed(integration: String, failure: AuthorizationFailure) async {
        guard let nodeID = waitingNode(for: integration), let frame = state.current else { return }
        let task = state.stack.first?.task ?? frame.task
        let values = [
            "integration": displayName(ofIntegration: integration), "task": displayName(ofTask: task),
            "doTask": Turn.verbPhrase(ofTask: displayName(ofTask: task)),
        ]
        trace(nodeID, "authorization of \(integration) did not connect: \(failure)")
        output.authorizationFailure = failure
        if failure.countsAsAttempt {
            let failures = (frame.authorizationFailures ?? 0) + 1
            state.current?.authorizationFailures = failures
            if failures >= bot.settings.authorization.attempts {
                say(standard(responses.authorizationAttemptsExceeded, values.merging(["attempts": "\(failures)"]) { $1 }))
                record(nodeID, "authorizationFailed")
                await continueAfterFailure()
                return
            }
        }
        switch failure {
        case .denied:
            say(standard(responses.authorizationDenied, values), kind: .prompt, choices: ["retry", "cancel"])
        case .expired:
            say(standard(responses.authorizationLinkExpired, values), kind: .prompt, choices: ["retry", "cancel"])
        case .alreadyUsed:
            say(standard(responses.authorizationLinkUsed, values), kind: .prompt, choices: ["retry", "cancel"])
        case .failed(let reason):
            say(
                standard(responses.authorizationFailed, values.merging(["reason": reason]) { $1 }), kind: .prompt,
                choices: ["retry", "cancel"])
        case .wrongCode:
            say(standard(responses.authorizationCodeWrong, values), kind: .prompt, choices: ["retry", "cancel"])
        case .codeExpired:
            say(standard(responses.authorizationCodeExpired, values), kind: .prompt, choices: ["retry", "cancel"])
        }
    }

    /// The browser came back in confirm-with-code mode: the task waits for the code the page shows, and the user
    /// is asked for it.
    mutating func awaitAuthorizationCode(integration: String) {
        guard let nodeID = waitingNode(for: integration) else { return }
        let request = AuthorizationRequest.code(for: integration)
        state.current?.waiting = .authorization(request)
        trace(nodeID, "\(integration) waits for the code the browser shows")
        sayAuthorizationNeeded(request)
    }

    /// Checks the code the user typed: a match resumes the task as an authorization does; a wrong or late code
    /// keeps nothing and counts as a failed attempt. Without a code pending, the service node asks again.
    nonisolated(nonsending) mutating func confirmAuthorization(code: String, integration name: String) async {
        // The code is a credential for a moment: kept out of history files, recordings and traces.
        output.sensitive.insert(code)
        output.userTextIsSensitive = true
        output.userTextIsAuthorizationCode = true
        guard let integration = environment.integrations[name], let nodeID = waitingNode(for: name) else { return }
        switch await integration.confirmAuthorization(code: code, for: user) {
        case .connected(let account):
            await resumeAfterAuthorization(integration: name, account: account)
        case .rejected(let failure):
            await authorizationFailed(integration: name, failure: failure)
        case .nothingPending:
            state.current?.waiting = nil
            await run(from: nodeID)
        }
    }

    /// Six digits, as typed: "482913", "482 913" or "482-913".
    static func authorizationCode(in text: String) -> String? {
        let digits = text.trimmingCharacters(in: .whitespaces).filter { $0 != " " && $0 != "-" }
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }

    private nonisolated(nonsending) mutating func continueAfterFailure() async {
        if case .node(let id) = failTask() { await run(from: id) }
    }

    /// A task's name as what the bot would do: "Create Lead" → "create the lead".
    static func verbPhrase(ofTask name: String) -> String {
        let words = name.split(separator: " ").map { $0.lowercased() }
        guard words.count > 1 else { return words.first ?? name }
        return words[0] + " the " + words.dropFirst().joined(separator: " ")
    }
}
