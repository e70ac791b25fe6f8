public import Foundation

/// The URLs of an OAuth 2.0 server: Salesforce's login host, a My Domain, the sandbox, or a custom profile's.
public struct OAuthEndpoints: Sendable, Hashable {
    public var authorizationURL: URL
    public var tokenURL: URL
    /// Where refresh requests go; Salesforce uses the token URL.
    public var refreshURL: URL
    public var revokeURL: URL
    public var userInfoURL: URL

    public init(authorizationURL: URL, tokenURL: URL, refreshURL: URL? = nil, revokeURL: URL, userInfoURL: URL) {
        self.authorizationURL = authorizationURL
        self.tokenURL = tokenURL
        self.refreshURL = refreshURL ?? tokenURL
        self.revokeURL = revokeURL
        self.userInfoURL = userInfoURL
    }

    /// Salesforce's endpoints under a login URL: `/services/oauth2/authorize`, `/token`, `/revoke`, `/userinfo`.
    ///
    /// - Parameter loginURL: `https://login.salesforce.com`, `https://test.salesforce.com`, a My Domain, or the
    ///   sandbox's base URL; a trailing slash is fine.
    /// - Throws: `SalesforceError.invalidArgument` when it is not an absolute http(s) URL without query.
    public init(loginURL: String) throws {
        let base = try Self.validatedBase(loginURL, what: "login URL")
        func endpoint(_ name: String) -> URL {
            // `validatedBase` guarantees a parseable absolute URL, so appending a fixed path stays valid.
            URL(string: base + "/services/oauth2/" + name) ?? URL(fileURLWithPath: "/")
        }
        self.init(
            authorizationURL: endpoint("authorize"), tokenURL: endpoint("token"), revokeURL: endpoint("revoke"),
            userInfoURL: endpoint("userinfo"))
    }

    /// Custom endpoints, as an authorization profile gives them; revoke and userinfo derive from the token URL's host.
    ///
    /// - Throws: `SalesforceError.invalidArgument` naming the URL that is not an absolute http(s) URL.
    public init(authorizationURL: String, tokenURL: String, refreshURL: String? = nil) throws {
        let authorization = try Self.validatedURL(authorizationURL, what: "authorization URL")
        let token = try Self.validatedURL(tokenURL, what: "token URL")
        let refresh = try refreshURL.map { try Self.validatedURL($0, what: "refresh token URL") }
        let origin = Self.origin(of: token)
        guard let revoke = URL(string: origin + "/services/oauth2/revoke"),
            let userInfo = URL(string: origin + "/services/oauth2/userinfo")
        else { throw SalesforceError.invalidArgument("cannot derive endpoints from the token URL '\(tokenURL)'") }
        self.init(
            authorizationURL: authorization, tokenURL: token, refreshURL: refresh, revokeURL: revoke, userInfoURL: userInfo)
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? "https"
        let host = url.host ?? ""
        return url.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    /// An absolute http(s) URL with a host.
    static func validatedURL(_ text: String, what: String) throws -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty
        else {
            throw SalesforceError.invalidArgument(
                "the \(what) '\(text)' is not an absolute http(s) URL (for example https://login.salesforce.com)")
        }
        return url
    }

    /// A base URL with no trailing slash, query or fragment.
    static func validatedBase(_ text: String, what: String) throws -> String {
        let url = try validatedURL(text, what: what)
        guard url.query == nil, url.fragment == nil else {
            throw SalesforceError.invalidArgument("the \(what) '\(text)' must not have a query or fragment")
        }
        var base = url.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
