import Foundation
import LocalServing
import ParleyJSON
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// End-user authorization as a demo shows it, in a real browser: `parley chat` runs in a terminal and sends a short
/// link, headless Chromium opens it, logs in to the sandbox and allows or denies access, and the chat tells the
/// outcome by itself.
@Suite(.serialized, .enabled(if: WebDriver.unavailableReason == nil, Comment(rawValue: WebDriver.unavailableReason ?? "")))
struct BrowserAuthorizationTests {
    /// Starting a chat trains nothing for the small bot, but a loaded two-core machine can still take its time.
    static let patience = Duration.seconds(120)
    /// No display, so nothing tries to open a browser of its own; no colour, so the screen reads as text.
    static let environment = ["NO_COLOR": "1", "TERM": "xterm-256color", "DISPLAY": "", "WAYLAND_DISPLAY": ""]

    /// Allowing access resumes the paused task without the user typing, and the lead it creates is in the sandbox.
    @Test func allowingAccessResumesTheChatAndCreatesTheLead() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        try await Self.withChat(user: "ada", state: state) { chat, sandbox in
            let link = try await Self.askToCreateLead(chat, user: "ada", firstName: "Ada", lastName: "Lovelace", company: "Engines")
            let page = try await WebDriver.withBrowser { browser in
                try await Self.logIn(browser, opening: link)
                try await browser.click("#oaapprove")
                return try await browser.waitForText("Connected demo@parley.dev to the chat of ada")
            }
            #expect(page.contains("You can close this window."))

            let screen = try await chat.waitFor("Lead Lovelace at Engines created with id ", timeout: Self.patience)
            #expect(screen.contains("Connected to Salesforce as demo@parley.dev."))
            let id = try #require(screen.firstMatch(of: /created with id ([A-Za-z0-9]{15,18})\./)?.output.1)
            let lead = try await Self.sandboxRecord("Lead", id: String(id), sandbox: sandbox, state: state)
            #expect(lead.status == 200)
            #expect(lead.json["FirstName"] == "Ada")
            #expect(lead.json["LastName"] == "Lovelace")
            #expect(lead.json["Company"] == "Engines")

            // Who the chat is connected as; signed out, the next task asks again with a fresh link.
            try await chat.waitForPrompt("ada>")
            try await chat.type("/whoami")
            try await chat.press("Enter")
            try await chat.waitFor("You are connected to Salesforce as demo@parley.dev (", timeout: Self.patience)
            try await chat.waitForPrompt("ada>")
            try await chat.type("/signout")
            try await chat.press("Enter")
            try await chat.waitFor("Signed out: your Salesforce token was revoked and deleted.", timeout: Self.patience)
            let again = try await Self.askToCreateLead(chat, user: "ada", firstName: "Ada", lastName: "Byron", company: "Engines")
            #expect(again != link)
            try await Self.quit(chat, user: "ada")
        }
    }

    /// Denying access is said in the chat at once; nothing is created, and "retry" sends a fresh link.
    @Test func denyingAccessIsSaidInTheChat() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        try await Self.withChat(user: "bea", state: state) { chat, sandbox in
            let link = try await Self.askToCreateLead(chat, user: "bea", firstName: "Bea", lastName: "Byron", company: "Looms")
            let page = try await WebDriver.withBrowser { browser in
                try await Self.logIn(browser, opening: link)
                try await browser.click("#oadeny")
                return try await browser.waitForText("Access was not allowed")
            }
            #expect(!page.contains("Connected"))

            try await chat.waitFor(
                "You didn't allow access, so I can't create the lead. Say 'retry' for a new link or 'cancel'.", timeout: Self.patience)
            try await chat.waitForPrompt("bea>")
            let leads = try await Self.sandboxQuery(
                "SELECT Id FROM Lead WHERE LastName = 'Byron'", sandbox: sandbox, state: state)
            #expect(leads.status == 200)
            #expect(leads.json["totalSize"] == 0)

            try await chat.type("retry")
            try await chat.press("Enter")
            let screen = try await chat.waitFor("Please authorize Salesforce before we continue: ", times: 2, timeout: Self.patience)
            let links = Self.links(in: screen)
            #expect(links.count == 2)
            #expect(Set(links).count == 2, "a used link is never sent again")
            try await Self.quit(chat, user: "bea")
        }
    }

    /// In confirm-with-code mode the page shows a code instead of connecting; typed in the chat, it connects, the
    /// task resumes and the lead is created.
    @Test func theCodeThePageShowsFinishesConnecting() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        try await Self.withChat(user: "cy", state: state, bot: Self.leadsWithCode) { chat, sandbox in
            let link = try await Self.askToCreateLead(chat, user: "cy", firstName: "Cy", lastName: "Young", company: "Mounds")
            let code = try await WebDriver.withBrowser { browser in
                try await Self.logIn(browser, opening: link)
                try await browser.click("#oaapprove")
                try await browser.waitForText("To connect demo@parley.dev to the chat of cy, type this code in that chat")
                return try await browser.text(of: "#code")
            }
            #expect(code.wholeMatch(of: /\d{6}/) != nil)
            try await chat.waitFor("To finish connecting Salesforce, type the six-digit code your browser shows.", timeout: Self.patience)
            #expect(
                try await Self.sandboxQuery("SELECT Id FROM Lead WHERE LastName = 'Young'", sandbox: sandbox, state: state)
                    .json["totalSize"] == 0)
            try await chat.waitForPrompt("cy>")
            try await chat.type(code)
            try await chat.press("Enter")
            let screen = try await chat.waitFor("Lead Young at Mounds created with id ", timeout: Self.patience)
            #expect(screen.contains("Connected to Salesforce as demo@parley.dev."))
            let leads = try await Self.sandboxQuery(
                "SELECT Id FROM Lead WHERE LastName = 'Young'", sandbox: sandbox, state: state)
            #expect(leads.json["totalSize"] == 1)
            try await Self.quit(chat, user: "cy")
            // The code was a credential for a moment: it is not in the line editor's history.
            let history = (try? String(contentsOf: state.appendingPathComponent("history"), encoding: .utf8)) ?? ""
            #expect(!history.contains(code))
        }
    }

    /// Pre-authorized: the developer authorizes the bot in the browser (`parley actions authorize`); once its token
    /// stops working (the sandbox forgets every token), a user is told the connection needs attention and gets no
    /// link, the log says why, and so does `parley actions show`.
    @Test func aBrokenBotConnectionIsTheOperatorsToFix() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let place = ["--bot", DurabilityTests.leadBot, "--state", state.path]
        let enabled = try await runParley(
            ["actions", "enable", "salesforce", "--authorization", "preauthorized", "--app", "system"] + place)
        #expect(enabled.status == 0)
        let authorize = try ChildProcess.start(
            Build.parley, ["actions", "authorize", "salesforce", "--no-browser", "--port", "\(try LocalServer.freeLoopbackPort())"] + place)
        do {
            let waiting = try await authorize.waitFor("Waiting for the browser", timeout: Self.patience)
            let link = try #require(Self.links(in: waiting).first, "no link in:\n\(waiting)")
            try await WebDriver.withBrowser { browser in
                try await Self.logIn(browser, opening: link)
                try await browser.click("#oaapprove")
                try await browser.waitForText("Connected demo@parley.dev to the bot's own connection")
            }
            try await authorize.waitFor("Connected to Salesforce as demo@parley.dev", timeout: Self.patience)
        } catch {
            await authorize.stop()
            throw WebDriverError("\(error)\n`parley actions authorize` printed:\n\(authorize.text)")
        }
        await authorize.stop()

        // The sandbox forgets every token, as when the bot's access is removed in Salesforce.
        let sandbox = try ChildProcess.start(Build.parley, ["sandbox", "--state", state.path, "--port", "0", "--reset"])
        let reset = try? await sandbox.waitFor("Press Ctrl-C to stop.", timeout: Self.patience)
        await sandbox.stop()
        try #require(reset != nil, "the sandbox did not start: \(sandbox.text)")

        let chat = try await runParley(
            ["chat", "--user", "ola"] + place, environment: ["DISPLAY": "", "WAYLAND_DISPLAY": ""],
            input: "create a lead for Doe at Acme\nJane\n/quit\n")
        #expect(chat.status == 0)
        #expect(
            chat.output.contains(
                "The Salesforce connection needs attention, so I can't create the lead right now. I've noted the problem for the bot's operator."
            ))
        #expect(!chat.output.contains("Please authorize"))
        #expect(chat.output.contains("the bot's own Salesforce connection stopped working"))
        let show = try await runParley(["actions", "show", "salesforce"] + place)
        #expect(show.output.contains("  Problem:        since "))
        #expect(show.output.contains("refreshing the session failed (invalid_grant"))
        #expect(show.output.contains("until you run `parley actions authorize salesforce`"))
    }

    // MARK: - The chat

    /// The small lead bot in confirm-with-code mode, as the transcripts use it.
    static let leadsWithCode = Build.packageRoot.appendingPathComponent("Tests/Transcripts/bots/LeadsWithCode").path

    /// A short authorization link; a function, since a `Regex` cannot be shared between tests.
    static func links(in screen: String) -> [String] {
        screen.matches(of: /http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]+/).map { String($0.output) }
    }

    /// Runs `parley chat` with the small lead bot in a wide terminal (links stay on one line) until `body` is done;
    /// `body` gets the terminal and the in-process sandbox's URL.
    static func withChat(
        user: String, state: URL, bot: String = DurabilityTests.leadBot, _ body: (TerminalSession, String) async throws -> Void
    ) async throws {
        let command = [Build.parley, "chat", "--bot", bot, "--state", state.path, "--user", user]
        try await TerminalSession.with(command, width: 220, height: 50, environment: environment) { chat in
            try await chat.waitForPrompt("\(user)>", timeout: patience)
            let screen = try await chat.screen()
            let sandbox = try #require(
                screen.firstMatch(of: /the local sandbox at (http:\/\/127\.0\.0\.1:\d+)/)?.output.1,
                "the chat did not say where its sandbox listens:\n\(screen)")
            try await body(chat, String(sandbox))
        }
    }

    /// Asks to create a lead and answers the questions; returns the authorization link the chat sends.
    static func askToCreateLead(
        _ chat: TerminalSession, user: String, firstName: String, lastName: String, company: String
    ) async throws -> String {
        // What an earlier task left on the screen is not this task's question or link.
        let earlier = try await chat.screen()
        func count(_ text: String) -> Int { earlier.components(separatedBy: text).count - 1 }
        let question = "What is the lead's first name?"
        let request = "Please authorize Salesforce before we continue: "
        try await chat.type("create a lead for \(lastName) at \(company)")
        try await chat.press("Enter")
        try await chat.waitFor(question, times: count(question) + 1, timeout: patience)
        try await chat.waitForPrompt("\(user)>")
        try await chat.type(firstName)
        try await chat.press("Enter")
        let screen = try await chat.waitFor(request, times: count(request) + 1, timeout: patience)
        try await chat.waitForPrompt("\(user)>")
        return try #require(links(in: screen).last, "no short link in:\n\(screen)")
    }

    static func quit(_ chat: TerminalSession, user: String) async throws {
        try await chat.waitForPrompt("\(user)>")
        try await chat.type("/quit")
        try await chat.press("Enter")
        try await chat.waitUntilEnded(timeout: patience)
    }

    // MARK: - The browser

    /// Opens the chat's link, which leads to the sandbox's login page, and logs in as the demo user.
    static func logIn(_ browser: WebDriver, opening link: String) async throws {
        try await browser.navigate(to: link)
        try await browser.type("demo@parley.dev", into: "#username")
        try await browser.type("parley-demo", into: "#password")
        try await browser.click("#Login")
        try await browser.waitForText("Allow Access?")
    }

    // MARK: - The sandbox's data, through its REST API

    /// Reads a record as the demo user, who created it.
    static func sandboxRecord(
        _ object: String, id: String, sandbox: String, state: URL
    ) async throws -> (status: Int, json: JSONValue) {
        let token = try await demoUserToken(sandbox: sandbox, state: state)
        return try await SharedStateTests.send("GET", sandbox + "/services/data/v66.0/sobjects/\(object)/\(id)", token: token)
    }

    static func sandboxQuery(_ soql: String, sandbox: String, state: URL) async throws -> (status: Int, json: JSONValue) {
        let token = try await demoUserToken(sandbox: sandbox, state: state)
        let query = try #require(soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        return try await SharedStateTests.send("GET", sandbox + "/services/data/v66.0/query?q=" + query, token: token)
    }

    /// A token for the demo user from the sandbox's password grant, through the system app.
    static func demoUserToken(sandbox: String, state: URL) async throws -> String {
        let apps = try await runParley(["sandbox", "apps", "list", "--state", state.path])
        let secret = try #require(
            apps.output.split(separator: "\n").first { $0.hasPrefix("client_secret: ") }?.dropFirst("client_secret: ".count))
        let granted = try await SharedStateTests.send(
            "POST", sandbox + "/services/oauth2/token",
            form: "grant_type=password&client_id=parley-system&client_secret=\(secret)&username=demo%40parley.dev&password=parley-demo")
        return try #require(granted.json["access_token"]?.stringValue, "the sandbox granted no token: \(granted.status)")
    }
}
