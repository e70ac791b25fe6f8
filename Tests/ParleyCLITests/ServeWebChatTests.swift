import Foundation
import NIOHTTP1
import ParleyJSON
import Testing

extension ServeChannelTests {
    /// The web chat page `parley serve` serves, in headless Chromium: the whole end-user authorization demo in a browser.
    @Suite(.enabled(if: WebDriver.unavailableReason == nil, Comment(rawValue: WebDriver.unavailableReason ?? "")))
    struct WebChat {
        /// Typing in the page gets the bot's questions; the authorization link opens a tab where the user logs in and
        /// allows access, and the resumed task's messages arrive in the chat by themselves and are acknowledged.
        @Test func chattingThroughThePageFinishesATaskAfterAuthorizing() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state) { server in
                try await WebDriver.withBrowser { browser in
                    try await browser.navigate(to: server.baseURL + "/chat#token=\(ServeServer.webSecret)&user=wanda")
                    try await browser.waitForText("connected")
                    try await browser.type("create a lead for Maximoff at Westview", into: "#text")
                    try await browser.click("#send")
                    try await browser.waitForText("What is the lead's first name?")
                    try await browser.type("Wanda", into: "#text")
                    try await browser.click("#send")
                    try await browser.waitForText("Please authorize Salesforce before we continue:")
                    // The secret went no further than the page: the address no longer shows it.
                    #expect(!(try await browser.currentURL()).contains(ServeServer.webSecret))

                    let chat = try await browser.currentWindow()
                    try await browser.click("a.authorization")
                    let tab = try #require(try await Self.newWindow(besides: chat, in: browser))
                    try await browser.switchToWindow(tab)
                    try await browser.type("demo@parley.dev", into: "#username")
                    try await browser.type("parley-demo", into: "#password")
                    try await browser.click("#Login")
                    try await browser.waitForText("Allow Access?")
                    try await browser.click("#oaapprove")
                    try await browser.waitForText("Connected demo@parley.dev to the chat of web/wanda")

                    try await browser.switchToWindow(chat)
                    let shown = try await browser.waitForText("Lead Maximoff at Westview created with id", timeout: .seconds(120))
                    #expect(shown.contains("Connected to Salesforce as demo@parley.dev."))
                }
                // The page acknowledged what it showed.
                let deadline = ContinuousClock.now + .seconds(30)
                var events: JSONValue = .null
                while ContinuousClock.now < deadline {
                    events = try await server.send(.GET, "/v1/users/wanda/events").json["events"] ?? .null
                    if events == [] { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(events == [])
            }
        }

        /// The window a click opened, once it is there.
        static func newWindow(besides known: String, in browser: WebDriver) async throws -> String? {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if let other = try await browser.windowHandles().first(where: { $0 != known }) { return other }
                try await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }
    }
}
