import WebEncoding

/// The HTML of the authorize flow: plain forms that work without JavaScript, every value escaped.
enum AuthorizePages {
    /// The login page: fields `username` and `pw` and a `Login` button, as on Salesforce's own page.
    static func login(appName: String, requestID: String, csrfToken: String, username: String, error: String?) -> String {
        var body = """
            <h1>Log in to Salesforce</h1>
            <p><strong>\(HTMLEscaping.escape(appName))</strong> wants to connect to your account.</p>

            """
        if let error {
            body += "<p class=\"error\" role=\"alert\" id=\"error\">\(HTMLEscaping.escape(error))</p>\n"
        }
        body += """
            <form method="post" action="/services/oauth2/authorize/login">
            <input type="hidden" name="request" value="\(HTMLEscaping.escape(requestID))">
            <input type="hidden" name="csrf" value="\(HTMLEscaping.escape(csrfToken))">
            <p><label for="username">Username</label><br>
            <input type="email" id="username" name="username" value="\(HTMLEscaping.escape(username))" autocomplete="username" required autofocus></p>
            <p><label for="password">Password</label><br>
            <input type="password" id="password" name="pw" autocomplete="current-password" required></p>
            <p><button type="submit" id="Login" name="Login" value="Login">Log In</button></p>
            </form>
            """
        return document(title: "Login | Salesforce", body: body)
    }

    /// The consent page naming the app and the scopes, with `Allow` (`oaapprove`) and `Deny` (`oadeny`).
    static func consent(appName: String, username: String, scopes: [String], requestID: String, csrfToken: String) -> String {
        var lines: [String] = []
        var seen = Set<String>()
        for scope in scopes {
            let text = OAuthScope.descriptions[scope] ?? scope
            if seen.insert(text).inserted { lines.append(text) }
        }
        let items = lines.map { "<li>\(HTMLEscaping.escape($0))</li>" }.joined(separator: "\n")
        let body = """
            <h1>Allow Access?</h1>
            <p><strong>\(HTMLEscaping.escape(appName))</strong> is asking to:</p>
            <ul id="scopes">
            \(items)
            </ul>
            <p>You are logged in as <strong>\(HTMLEscaping.escape(username))</strong>.</p>
            <p>Do you want to allow access for <strong>\(HTMLEscaping.escape(username))</strong>?</p>
            <form method="post" action="/services/oauth2/authorize/consent">
            <input type="hidden" name="request" value="\(HTMLEscaping.escape(requestID))">
            <input type="hidden" name="csrf" value="\(HTMLEscaping.escape(csrfToken))">
            <p><button type="submit" id="oaapprove" name="oaapprove" value="Allow">Allow</button>
            <button type="submit" id="oadeny" name="oadeny" value="Deny">Deny</button></p>
            </form>
            """
        return document(title: "Allow Access? | Salesforce", body: body)
    }

    /// A page for errors that must not go back to the client by redirect (an unknown app or redirect URI).
    static func error(code: String, description: String) -> String {
        let body = """
            <h1>OAuth Error</h1>
            <p role="alert">We can't authorize you because of an OAuth error.</p>
            <dl>
            <dt>error</dt><dd id="error">\(HTMLEscaping.escape(code))</dd>
            <dt>error_description</dt><dd id="error_description">\(HTMLEscaping.escape(description))</dd>
            </dl>
            """
        return document(title: "Error | Salesforce", body: body)
    }

    private static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLEscaping.escape(title))</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #181818; }
        input { font-size: 1rem; padding: .5rem; width: 100%; box-sizing: border-box; }
        button { font-size: 1rem; padding: .5rem 1.25rem; margin-right: .5rem; }
        .error { color: #b00020; font-weight: bold; }
        </style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }
}
