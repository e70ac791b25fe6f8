import Foundation
import Hummingbird
import Logging

/// The web server flow's browser side: `GET /services/oauth2/authorize`, the login form, the consent form.
extension OAuthServer {
    static let loginFailedMessage =
        "Please check your username and password. If you still can't log in, contact your Salesforce administrator."

    /// Checks the client and redirect URI, then shows the login page, the consent page, or
    /// (for a logged-in user who approved before) goes straight back to the client with a code.
    func authorize(_ request: Request) async throws -> Response {
        guard let query = try? HTTPForm(encoded: request.uri.query ?? "") else {
            return errorPage("invalid_request", "the request's query string is malformed")
        }
        // Errors about the client or its redirect URI must never be sent to that URI.
        guard let clientID = query.nonEmpty("client_id"), let app = try store.app(clientID: clientID) else {
            return errorPage("invalid_client_id", "client identifier invalid")
        }
        guard let redirectURI = query.nonEmpty("redirect_uri"), app.callbackURLs.contains(redirectURI) else {
            return errorPage("redirect_uri_mismatch", "redirect_uri must match configuration")
        }
        let state = query["state"]
        func fail(_ error: String, _ description: String) -> Response {
            redirectError(redirectURI, error, description, state: state)
        }
        guard query["response_type"] == "code" else {
            return fail("unsupported_response_type", "response type not supported")
        }
        if let method = query["code_challenge_method"], method != "S256" {
            return fail("invalid_request", "code challenge method not supported, use S256")
        }
        let challenge = query.nonEmpty("code_challenge")
        if let challenge, !Self.isValidChallenge(challenge) {
            return fail("invalid_request", "invalid code challenge")
        }
        let scopes = query.nonEmpty("scope").map(OAuthScope.parse) ?? app.scopes
        guard !scopes.isEmpty, scopes.allSatisfy(app.scopes.contains) else {
            return fail("invalid_scope", "the requested scope is not allowed")
        }
        let prompt = Set(OAuthScope.parse(query["prompt"] ?? ""))
        var pending = AuthorizationSessions.Pending(
            clientID: app.clientID, redirectURI: redirectURI, state: state, scopes: scopes, codeChallenge: challenge,
            forceConsent: prompt.contains("consent"), loginCSRFToken: SecretMaker.opaqueID(), userID: nil,
            created: sessions.clockNow)

        let session = prompt.contains("login") ? nil : sessions.session(request.cookies[Self.sessionCookie]?.value)
        if let session, let user = try users.user(id: session.userID) {
            if !pending.forceConsent, try store.hasConsent(userID: user.id, clientID: app.clientID, scopes: scopes) {
                pending.userID = user.id
                return try redirectWithCode(pending)
            }
            if prompt.contains("none") { return fail("consent_required", "user consent is required") }
            pending.userID = user.id
            let requestID = sessions.addPending(pending)
            return SandboxResponse.html(
                AuthorizePages.consent(
                    appName: app.name, username: user.username, scopes: scopes, requestID: requestID,
                    csrfToken: session.csrfToken))
        }
        if prompt.contains("none") { return fail("login_required", "user login is required") }
        let requestID = sessions.addPending(pending)
        return SandboxResponse.html(
            AuthorizePages.login(
                appName: app.name, requestID: requestID, csrfToken: pending.loginCSRFToken,
                username: query["login_hint"] ?? "", error: nil))
    }

    /// Checks the login form; on success starts a session and moves on to consent (or straight back with a code).
    func login(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let form = try? await formFields(request, context) else {
            return errorPage("invalid_request", "the login form is malformed")
        }
        guard let requestID = form["request"], let pending = sessions.pending(requestID),
            let app = try store.app(clientID: pending.clientID)
        else {
            return errorPage("invalid_request", "this login request is unknown or has expired; start again from the app")
        }
        guard let csrf = form["csrf"], SecretMaker.constantTimeEqual(csrf, pending.loginCSRFToken) else {
            return errorPage("invalid_request", "the login form was not sent by this page", status: .forbidden)
        }
        let username = form["username"] ?? ""
        guard let user = try users.verifyPassword(username: username, password: form["pw"] ?? "") else {
            logger.info("Sandbox login refused", metadata: ["client_id": .string(pending.clientID)])
            return SandboxResponse.html(
                AuthorizePages.login(
                    appName: app.name, requestID: requestID, csrfToken: pending.loginCSRFToken, username: username,
                    error: Self.loginFailedMessage))
        }
        let sessionID = sessions.startSession(userID: user.id)
        sessions.updatePending(requestID) { $0.userID = user.id }
        var response: Response
        if !pending.forceConsent, try store.hasConsent(userID: user.id, clientID: app.clientID, scopes: pending.scopes),
            var approved = sessions.takePending(requestID)
        {
            approved.userID = user.id
            response = try redirectWithCode(approved)
        } else {
            response = SandboxResponse.redirect(
                to: SandboxResponse.url("/services/oauth2/authorize/consent", adding: [("request", requestID)]))
        }
        response.setCookie(
            Cookie(name: Self.sessionCookie, value: sessionID, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    /// Shows the consent page for a pending request of the logged-in user (the login page if the session is gone).
    func showConsent(_ request: Request) async throws -> Response {
        let query = try? HTTPForm(encoded: request.uri.query ?? "")
        guard let requestID = query?["request"], let pending = sessions.pending(requestID),
            let app = try store.app(clientID: pending.clientID)
        else {
            return errorPage("invalid_request", "this authorization request is unknown or has expired; start again from the app")
        }
        guard let session = sessions.session(request.cookies[Self.sessionCookie]?.value),
            session.userID == pending.userID, let user = try users.user(id: session.userID)
        else {
            return SandboxResponse.html(
                AuthorizePages.login(
                    appName: app.name, requestID: requestID, csrfToken: pending.loginCSRFToken, username: "", error: nil))
        }
        return SandboxResponse.html(
            AuthorizePages.consent(
                appName: app.name, username: user.username, scopes: pending.scopes, requestID: requestID,
                csrfToken: session.csrfToken))
    }

    /// `Allow` sends the client a code, `Deny` sends it `error=access_denied`; both with `state` unchanged.
    func answerConsent(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let form = try? await formFields(request, context) else {
            return errorPage("invalid_request", "the consent form is malformed")
        }
        guard let session = sessions.session(request.cookies[Self.sessionCookie]?.value) else {
            return errorPage("invalid_request", "your session has expired; start again from the app", status: .forbidden)
        }
        guard let csrf = form["csrf"], SecretMaker.constantTimeEqual(csrf, session.csrfToken) else {
            return errorPage("invalid_request", "the consent form was not sent by this page", status: .forbidden)
        }
        guard let requestID = form["request"], let waiting = sessions.pending(requestID), waiting.userID == session.userID,
            let pending = sessions.takePending(requestID)
        else {
            return errorPage("invalid_request", "this authorization request is unknown or has expired; start again from the app")
        }
        if form["oadeny"] != nil {
            return redirectError(pending.redirectURI, "access_denied", "end-user denied authorization", state: pending.state)
        }
        guard form["oaapprove"] != nil else {
            return errorPage("invalid_request", "the consent form must answer Allow or Deny")
        }
        try store.recordConsent(userID: session.userID, clientID: pending.clientID, scopes: pending.scopes)
        return try redirectWithCode(pending)
    }

    /// Issues a code for an approved request and sends the browser back to the client.
    private func redirectWithCode(_ pending: AuthorizationSessions.Pending) throws -> Response {
        guard let userID = pending.userID else {
            return errorPage("invalid_request", "this authorization request has no user")
        }
        let code = try store.issueCode(
            OAuthStore.CodeGrant(
                clientID: pending.clientID, redirectURI: pending.redirectURI, userID: userID, scopes: pending.scopes,
                codeChallenge: pending.codeChallenge))
        var fields = [("code", code)]
        if let state = pending.state { fields.append(("state", state)) }
        return SandboxResponse.redirect(to: SandboxResponse.url(pending.redirectURI, adding: fields))
    }

    private func redirectError(_ redirectURI: String, _ error: String, _ description: String, state: String?) -> Response {
        var fields = [("error", error), ("error_description", description)]
        if let state { fields.append(("state", state)) }
        return SandboxResponse.redirect(to: SandboxResponse.url(redirectURI, adding: fields))
    }

    private func errorPage(
        _ code: String, _ description: String, status: HTTPResponse.Status = .badRequest
    ) -> Response {
        SandboxResponse.html(AuthorizePages.error(code: code, description: description), status: status)
    }

    /// RFC 7636: 43 to 128 characters of `[A-Za-z0-9-._~]`.
    private static func isValidChallenge(_ challenge: String) -> Bool {
        (43...128).contains(challenge.utf8.count)
            && challenge.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                    || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E
            }
    }
}
