public import Foundation

/// Where to send the user to authorize, and what to keep until the callback arrives.
public struct AuthorizationRequest: Sendable, Hashable, CustomStringConvertible {
    /// The authorize URL with `response_type=code`, client id, redirect URI, scope, state and the PKCE challenge.
    public var url: URL
    /// The callback must return exactly this `state`; check it before exchanging the code.
    public var state: String
    /// Pass `pkce.verifier` to `OAuthClient.exchange(code:verifier:...)`.
    public var pkce: PKCE

    public init(url: URL, state: String, pkce: PKCE) {
        self.url = url
        self.state = state
        self.pkce = pkce
    }

    public var description: String { "AuthorizationRequest(url: \(url.absoluteString))" }
}
