public import NIOHTTP1

extension SandboxBrowser {
    /// The user the sandbox seeds, who every sign-in uses unless told otherwise.
    public static let demoUsername = "demo@parley.dev"
    /// The demo user's password.
    public static let demoPassword = "parley-demo"

    /// Answers a login page with a username and password; returns the reply to the login form.
    public func logIn(
        _ page: BrowserPage, username: String = SandboxBrowser.demoUsername, password: String = SandboxBrowser.demoPassword
    ) async throws -> BrowserPage {
        try await post(
            "/services/oauth2/authorize/login",
            form: [
                ("request", page.formValue("request") ?? ""), ("csrf", page.formValue("csrf") ?? ""), ("username", username),
                ("pw", password), ("Login", "Login"),
            ])
    }

    /// Answers a consent page with Allow or Deny.
    public func answerConsent(_ page: BrowserPage, allow: Bool) async throws -> BrowserPage {
        try await post(
            "/services/oauth2/authorize/consent",
            form: [
                ("request", page.formValue("request") ?? ""), ("csrf", page.formValue("csrf") ?? ""),
                allow ? ("oaapprove", "Allow") : ("oadeny", "Deny"),
            ])
    }

    /// Why the pages did not lead back to the callback.
    public struct SignInFailure: Error, CustomStringConvertible {
        public var page: BrowserPage
        public var description: String {
            "the sandbox's pages did not lead back to the callback (status \(page.status)): \(page.text.prefix(300))"
        }
    }

    /// Opens an authorization URL and goes through the pages as a person would: follows redirects (a short link's
    /// included), logs in when asked, and answers the consent page. Stops at the redirect to the callback, which
    /// it does not open; returns that redirect, whose ``BrowserPage/location`` is the callback URL with its query.
    ///
    /// - Parameter isCallback: whether a redirect's target is the callback.
    public func signIn(
        at url: String, allow: Bool = true, username: String = SandboxBrowser.demoUsername,
        password: String = SandboxBrowser.demoPassword, isCallback: (String) -> Bool = { $0.contains("/oauth/callback") }
    ) async throws -> BrowserPage {
        var page = try await send(.GET, url)
        var hops = 0
        while hops < 8 {
            if let location = page.location {
                if isCallback(location) { return page }
                page = try await send(.GET, location)
            } else if page.status == 200, page.text.contains("name=\"pw\"") {
                page = try await logIn(page, username: username, password: password)
            } else if page.status == 200, page.text.contains("name=\"oaapprove\"") {
                page = try await answerConsent(page, allow: allow)
            } else {
                break
            }
            hops += 1
        }
        throw SignInFailure(page: page)
    }
}
