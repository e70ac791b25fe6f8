import AsyncHTTPClient
public import Foundation
import NIOCore
public import NIOHTTP1
public import SalesforceSandbox
import Synchronization
import WebEncoding

/// A scripted browser for the sandbox's pages and API: it follows no redirect by itself, keeps one cookie jar
/// and posts forms as `application/x-www-form-urlencoded`.
///
/// It reaches the sandbox in-process (``init(sandbox:)``: the same routes, status codes, headers and bodies as
/// over HTTP, with no port) or over real HTTP (``withBrowser(overHTTP:_:)``), where it can also open other local
/// servers, such as the OAuth callback server.
public final class SandboxBrowser: Sendable {
    private enum Route: Sendable {
        case inProcess(Sandbox)
        case http(HTTPClient)
    }

    /// Where a relative URL is resolved.
    public let baseURL: String
    private let route: Route
    private let cookies = Mutex<[String: String]>([:])

    /// A browser that reaches `sandbox` in-process; a URL elsewhere fails.
    public init(sandbox: Sandbox) {
        baseURL = sandbox.baseURL
        route = .inProcess(sandbox)
    }

    private init(baseURL: String, client: HTTPClient) {
        self.baseURL = baseURL
        route = .http(client)
    }

    /// Runs `body` with a browser over real HTTP, resolving relative URLs against `baseURL`, and shuts its HTTP
    /// client down afterwards, on success and on error.
    public static func withBrowser<T>(overHTTP baseURL: String, _ body: (SandboxBrowser) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        // The connect timeout also bounds the wait for a pooled connection: many requests at once on a loaded two-core
        // machine can queue for more than a few seconds. A port nobody listens on is refused at once all the same.
        configuration.timeout = .init(connect: .seconds(30), read: .seconds(30))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(SandboxBrowser(baseURL: baseURL, client: client))
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The sandbox's session cookie, once signed in.
    public var sessionCookie: String? { cookies.withLock { $0["sid"] } }

    /// Forgets every cookie, as a new private window would.
    public func forgetCookies() {
        cookies.withLock { $0.removeAll() }
    }

    /// Sends a request; a relative `url` is resolved against ``baseURL``. Cookies set by earlier responses go
    /// along unless `sendCookies` is `false`.
    public func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, sendCookies: Bool = true
    ) async throws -> BrowserPage {
        var headers = headers
        if sendCookies {
            let jar = cookies.withLock { $0 }
            if !jar.isEmpty {
                headers.append(("Cookie", jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
            }
        }
        let page = try await exchange(method, url.hasPrefix("http") ? url : baseURL + url, headers: headers, body: body)
        for header in page.headers["Set-Cookie"] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies.withLock { $0[String(pair[0])] = String(pair[1]) } }
        }
        return page
    }

    /// A GET, with a bearer token when given.
    public func get(_ url: String, bearer: String? = nil) async throws -> BrowserPage {
        try await send(.GET, url, headers: bearer.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }

    /// Posts an `application/x-www-form-urlencoded` form.
    public func post(_ url: String, form: [(String, String)], headers: [(String, String)] = []) async throws -> BrowserPage {
        try await send(
            .POST, url, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
            body: Array(FormEncoding.encode(form).utf8))
    }

    private func exchange(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: [UInt8]?) async throws
        -> BrowserPage
    {
        switch route {
        case .inProcess(let sandbox):
            let response = try await sandbox.respond(
                to: InProcessRequest(method: method.rawValue, url: url, headers: headers, body: Data(body ?? [])))
            return BrowserPage(
                status: response.status, headers: HTTPHeaders(response.headers.map { ($0.name, $0.value) }),
                text: String(decoding: response.body, as: UTF8.self))
        case .http(let client):
            var request = HTTPClientRequest(url: url)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
            let response = try await client.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
            return BrowserPage(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
        }
    }
}
