import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyJSON

/// A headless Chromium driven over WebDriver (W3C, JSON over HTTP) through `chromedriver`: just what a test of a
/// sign-in needs (open a page, fill a field, click, read the page).
struct WebDriver {
    /// Debian's `chromium` and `chromium-driver` (`make deps` installs them).
    static let browserPath = "/usr/bin/chromium"
    static let driverPath = "/usr/bin/chromedriver"

    /// Why a browser test cannot run here, or `nil` when it can.
    static var unavailableReason: String? {
        let missing = [browserPath, driverPath].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard !missing.isEmpty else { return nil }
        return "needs \(missing.joined(separator: " and ")) (Debian's chromium and chromium-driver; `make deps` installs them)"
    }

    /// How long one WebDriver command may take: starting Chromium on a busy two-core machine takes seconds.
    static let commandTimeout = 120

    /// The W3C key under which an element reference travels.
    private static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    let base: String
    let session: String

    /// Starts `chromedriver` on a free port and a headless Chromium session, runs `body`, then ends the session
    /// (which quits Chromium) and `chromedriver`, on success and on error.
    static func withBrowser<T>(_ body: (WebDriver) async throws -> T) async throws -> T {
        let driver = try ChildProcess.start(driverPath, ["--port=0"])
        var base: String?
        do {
            let started = try await driver.waitFor("started successfully on port ", timeout: .seconds(60))
            guard let match = started.firstMatch(of: /started successfully on port (\d+)/) else {
                throw WebDriverError("chromedriver did not say its port:\n\(started)")
            }
            base = "http://127.0.0.1:\(match.output.1)"
            let browser = try await startSession(at: "http://127.0.0.1:\(match.output.1)")
            let result: T
            do {
                result = try await body(browser)
            } catch {
                try? await browser.quit()
                throw error
            }
            try await browser.quit()
            await driver.stop()
            return result
        } catch {
            // Quits any browser left (a session whose answer was lost) before chromedriver goes.
            if let base { _ = try? await command("GET", base + "/shutdown", nil) }
            await driver.stop()
            throw error
        }
    }

    private static func startSession(at base: String) async throws -> WebDriver {
        let capabilities: JSONValue = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": .string(browserPath),
                        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                    ],
                ]
            ]
        ]
        let created = try await command("POST", base + "/session", capabilities)
        guard let session = created["sessionId"]?.stringValue else {
            throw WebDriverError("chromedriver started no session: \(created)")
        }
        let browser = WebDriver(base: base, session: session)
        // Finding an element waits up to a minute for it: after a click, the next page loads in its own time.
        _ = try await browser.command("POST", "/timeouts", ["implicit": 60_000, "pageLoad": 120_000])
        return browser
    }

    /// Opens a URL and waits until the page (after its redirects) has loaded.
    func navigate(to url: String) async throws {
        _ = try await command("POST", "/url", ["url": .string(url)])
    }

    /// The first element the CSS selector matches, waiting up to the implicit wait for it to appear.
    func element(_ selector: String) async throws -> Element {
        let found = try await command("POST", "/element", ["using": "css selector", "value": .string(selector)])
        guard let id = found[Self.elementKey]?.stringValue else {
            throw WebDriverError("no element reference for \(selector): \(found)")
        }
        return Element(id: id)
    }

    /// Types text into an element.
    func type(_ text: String, into selector: String) async throws {
        let element = try await element(selector)
        _ = try await command("POST", "/element/\(element.id)/value", ["text": .string(text)])
    }

    /// Clicks an element; a click that submits a form waits for the next page to load.
    func click(_ selector: String) async throws {
        let element = try await element(selector)
        _ = try await command("POST", "/element/\(element.id)/click", [:])
    }

    /// The page's HTML as the browser has it now.
    func pageSource() async throws -> String {
        try await command("GET", "/source").stringValue ?? ""
    }

    /// The text a person sees in an element.
    func text(of selector: String) async throws -> String {
        let element = try await element(selector)
        return try await command("GET", "/element/\(element.id)/text").stringValue ?? ""
    }

    /// The text a person sees on the page.
    func visibleText() async throws -> String {
        let body = try await element("body")
        return try await command("GET", "/element/\(body.id)/text").stringValue ?? ""
    }

    /// The address of the page shown now.
    func currentURL() async throws -> String {
        try await command("GET", "/url").stringValue ?? ""
    }

    /// Waits until the page's visible text contains `text`, and returns that text.
    @discardableResult
    func waitForText(_ text: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var shown = ""
        while ContinuousClock.now < deadline {
            shown = (try? await visibleText()) ?? shown
            if shown.contains(text) { return shown }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriverError("the page never showed \"\(text)\"; it shows:\n\(shown)\nat \((try? await currentURL()) ?? "?")")
    }

    /// The handles of the open windows and tabs.
    func windowHandles() async throws -> [String] {
        (try await command("GET", "/window/handles").arrayValue ?? []).compactMap(\.stringValue)
    }

    /// The handle of the window commands go to now.
    func currentWindow() async throws -> String {
        try await command("GET", "/window").stringValue ?? ""
    }

    /// Sends the next commands to another window or tab (one a link opened, say).
    func switchToWindow(_ handle: String) async throws {
        _ = try await command("POST", "/window", ["handle": .string(handle)])
    }

    /// Ends the session, which quits Chromium.
    private func quit() async throws {
        _ = try await Self.command("DELETE", base + "/session/\(session)", nil)
    }

    struct Element {
        var id: String
    }

    private func command(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await Self.command(method, base + "/session/\(session)" + path, body)
    }

    /// Sends one WebDriver command and returns its `value`; an error answer throws with its message.
    ///
    /// Through AsyncHTTPClient: FoundationNetworking fails on chromedriver's answers ("Failed writing header").
    private static func command(_ method: String, _ url: String, _ body: JSONValue?) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: body.jsonData))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(commandTimeout)))
        let data = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let status = Int(response.status.code)
        guard let reply = try? JSONValue(parsing: Data(data.readableBytesView)) else {
            throw WebDriverError("\(method) \(url) answered \(status) with no JSON: \(String(buffer: data))")
        }
        let value = reply["value"] ?? .null
        guard status == 200 else {
            let error = value["error"]?.stringValue ?? "status \(status)"
            let message = value["message"]?.stringValue ?? "\(value)"
            throw WebDriverError("\(method) \(url) failed: \(error): \(message)")
        }
        return value
    }
}

struct WebDriverError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
