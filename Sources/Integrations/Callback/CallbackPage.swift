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

    /// Confirm-with-code mode: the code to type in the chat, named for whose chat it is, so a person who opened
    /// someone else's link sees that it is not theirs to finish.
    static func awaitingCode(_ code: String, as username: String?, user: String, action: String, lifetime: Double) -> String {
        let account = username.map(HTMLEscaping.escape) ?? "your \(HTMLEscaping.escape(displayName(action))) account"
        let minutes = max(1, Int((lifetime / 60).rounded()))
        return page(
            title: "One more step",
            message: """
                To connect \(account) to the chat of \(HTMLEscaping.escape(user)), type this code in that chat:</p>
                <p style="font-size: 2em; letter-spacing: .2em"><strong id="code">\(HTMLEscaping.escape(code))</strong></p>
                <p>It works once, within \(minutes) minute\(minutes == 1 ? "" : "s"). If you did not start this, close this window: \
                nothing is connected without the code.
                """)
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
