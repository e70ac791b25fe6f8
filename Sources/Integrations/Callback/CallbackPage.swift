import WebEncoding

/// The plain HTML pages the OAuth callback answers a browser with.
enum CallbackPage {
    /// Names both sides, so a person who opened someone else's link sees whose chat they connected.
    static func connected(as username: String?, user: String, action: String) -> String {
        let account = username.map(HTMLEscaping.escape) ?? "your \(HTMLEscaping.escape(displayName(action))) account"
        let chat = user.isEmpty ? "the bot's own connection" : "the chat of \(HTMLEscaping.escape(user))"
        return page(
            title: "Connected to \(HTMLEscaping.escape(displayName(action)))",
            message: "Connected \(account) to \(chat). You can close this window.")
    }

    static func failed(_ reason: String) -> String {
        page(title: "Authorization failed", message: HTMLEscaping.escape(reason))
    }

    static func displayName(_ action: String) -> String {
        ActionCatalog.all.first { $0.name == action }?.displayName ?? action
    }

    private static func page(title: String, message: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>\(title) · Parley</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family: sans-serif; max-width: 36em; margin: 4em auto; line-height: 1.5">
        <h1>\(title)</h1>
        <p>\(message)</p>
        </body>
        </html>
        """
    }
}
