import Foundation
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceAPI

struct OAuthClientTests {
    /// The S256 challenge is base64url(SHA-256(verifier)) encoded once, as in RFC 7636's example.
    @Test func pkceChallengeMatchesRFC7636() throws {
        let pkce = try #require(PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    /// Generated verifiers are 43 unreserved characters and differ each time; bad ones are refused.
    @Test func generatedVerifiersAreValidAndFresh() {
        let first = PKCE()
        let second = PKCE()
        #expect(first.verifier.count == 43)
        #expect(PKCE(verifier: first.verifier) != nil)
        #expect(first.verifier != second.verifier)
        #expect(PKCE(verifier: "short") == nil)
        #expect(PKCE(verifier: String(repeating: "a", count: 42) + "!") == nil)
        #expect(!first.description.contains(first.verifier))
    }

    /// Endpoints derive from a login URL, a My Domain or the sandbox, with or without a trailing slash.
    @Test func endpointsDeriveFromLoginURL() throws {
        let endpoints = try OAuthEndpoints(loginURL: "https://acme.my.salesforce.com/")
        #expect(endpoints.authorizationURL.absoluteString == "https://acme.my.salesforce.com/services/oauth2/authorize")
        #expect(endpoints.tokenURL.absoluteString == "https://acme.my.salesforce.com/services/oauth2/token")
        #expect(endpoints.refreshURL == endpoints.tokenURL)
        #expect(endpoints.revokeURL.absoluteString == "https://acme.my.salesforce.com/services/oauth2/revoke")
        #expect(endpoints.userInfoURL.absoluteString == "https://acme.my.salesforce.com/services/oauth2/userinfo")
        let local = try OAuthEndpoints(loginURL: "http://127.0.0.1:8443")
        #expect(local.tokenURL.absoluteString == "http://127.0.0.1:8443/services/oauth2/token")
    }

    /// Login and profile URLs that are not absolute http(s) URLs are refused, naming the URL.
    @Test func malformedEndpointURLsAreRefused() {
        #expect(throws: SalesforceError.self) { try OAuthEndpoints(loginURL: "login.salesforce.com") }
        #expect(throws: SalesforceError.self) { try OAuthEndpoints(loginURL: "ftp://login.salesforce.com") }
        do {
            _ = try OAuthEndpoints(authorizationURL: "https://idp.example/authorize", tokenURL: "not a url")
            Issue.record("a malformed token URL was accepted")
        } catch let error as SalesforceError {
            #expect(error.kind == .invalidArgument)
            #expect(error.description.contains("token URL"))
        } catch { Issue.record("unexpected \(error)") }
    }

    /// The authorization URL carries the code flow's parameters, a PKCE challenge and a random state.
    @Test func authorizationURLCarriesFlowParameters() throws {
        let oauth = OAuthClient(
            endpoints: try OAuthEndpoints(loginURL: "https://login.salesforce.com"),
            transport: ClosureTransport { _, _ in RawResponse(status: 500) })
        let request = oauth.authorizationURL(
            clientID: "3MVG9 client", redirectURI: "http://127.0.0.1:8080/oauth/callback", prompt: "login consent",
            loginHint: "demo@parley.dev")
        let components = try #require(URLComponents(url: request.url, resolvingAgainstBaseURL: false))
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(components.path == "/services/oauth2/authorize")
        #expect(items["response_type"] == "code")
        #expect(items["client_id"] == "3MVG9 client")
        #expect(items["redirect_uri"] == "http://127.0.0.1:8080/oauth/callback")
        #expect(items["scope"] == "api refresh_token")
        #expect(items["state"] == request.state)
        #expect(items["code_challenge"] == request.pkce.challenge)
        #expect(items["code_challenge_method"] == "S256")
        #expect(items["prompt"] == "login consent")
        #expect(items["login_hint"] == "demo@parley.dev")
        #expect(request.state.count >= 32)
        #expect(oauth.authorizationURL(clientID: "c", redirectURI: "r").state != request.state)
        #expect(oauth.authorizationURL(clientID: "c", redirectURI: "r", state: "given").state == "given")
    }

    /// A custom authorization URL that already has a query keeps it and gets the flow's parameters appended.
    @Test func customAuthorizationURLKeepsItsQuery() throws {
        let endpoints = try OAuthEndpoints(
            authorizationURL: "https://idp.example/authorize?tenant=acme", tokenURL: "https://idp.example/token",
            refreshURL: "https://idp.example/refresh")
        #expect(endpoints.refreshURL.absoluteString == "https://idp.example/refresh")
        let oauth = OAuthClient(endpoints: endpoints, transport: ClosureTransport { _, _ in RawResponse(status: 500) })
        let url = oauth.authorizationURL(clientID: "c", redirectURI: "https://bot.example/cb").url.absoluteString
        #expect(url.hasPrefix("https://idp.example/authorize?tenant=acme&response_type=code"))
    }

    /// The code exchange posts the grant, code, client, redirect URI and verifier, and checks the signature.
    @Test func exchangePostsFormAndVerifiesSignature() async throws {
        let log = RequestLog()
        let oauth = OAuthClient(
            endpoints: try OAuthEndpoints(loginURL: "https://login.salesforce.com"),
            transport: transport(log: log) { _ in
                RawResponse(status: 200, json: tokenJSON(access: "00D!a", refresh: "5Aep", secret: "s3cret"))
            })
        let token = try await oauth.exchange(
            code: "aPrx+code==", verifier: "v".padding(toLength: 43, withPad: "v", startingAt: 0),
            redirectURI: "http://127.0.0.1/cb", clientID: "client", clientSecret: "s3cret")
        #expect(token.accessToken == "00D!a")
        #expect(token.refreshToken == "5Aep")
        let sent = try #require(await log.requests.first)
        #expect(sent.method == .post)
        #expect(sent.url.absoluteString == "https://login.salesforce.com/services/oauth2/token")
        #expect(sent.header("content-type") == "application/x-www-form-urlencoded")
        let form = formFields(sent)
        #expect(form["grant_type"] == "authorization_code")
        #expect(form["code"] == "aPrx+code==")
        #expect(form["client_id"] == "client")
        #expect(form["client_secret"] == "s3cret")
        #expect(form["redirect_uri"] == "http://127.0.0.1/cb")
        #expect(form["code_verifier"]?.count == 43)
    }

    /// A token response signed with another secret is refused; without a secret there is nothing to check.
    @Test func signatureMismatchIsAnError() async throws {
        let oauth = OAuthClient(
            endpoints: try OAuthEndpoints(loginURL: "https://login.salesforce.com"),
            transport: ClosureTransport { _, _ in
                RawResponse(status: 200, json: tokenJSON(access: "00D!a", refresh: nil, secret: "other"))
            })
        await #expect(throws: SalesforceError.signatureMismatch) {
            _ = try await oauth.exchange(code: "c", verifier: nil, redirectURI: "r", clientID: "id", clientSecret: "s3cret")
        }
        let token = try await oauth.refresh(refreshToken: "r", clientID: "id", clientSecret: nil)
        #expect(token.refreshToken == nil)
    }

    /// The signature is Base64 HMAC-SHA256 of id + issued_at keyed by the client secret.
    @Test func signatureIsHMACOfIdAndIssuedAt() {
        // Computed independently: printf '%s' 'https://x/id/1/21700000000000' | openssl dgst -sha256 -hmac key -binary | base64
        #expect(
            TokenSignature.compute(id: "https://x/id/1/2", issuedAt: "1700000000000", clientSecret: "key")
                == "thDyr+XCx7SoA/sF8CEzxska8CsYp06wyDKAphlT/24=")
    }

    /// Refresh posts the refresh grant; an `invalid_grant` answer is an `.oauth` error with the server's words.
    @Test func refreshFailureIsTypedOAuthError() async throws {
        let log = RequestLog()
        let oauth = OAuthClient(
            endpoints: try OAuthEndpoints(loginURL: "https://login.salesforce.com"),
            transport: transport(log: log) { _ in
                RawResponse(status: 400, json: ["error": "invalid_grant", "error_description": "expired access/refresh token"])
            })
        do {
            _ = try await oauth.refresh(refreshToken: "5Aep", clientID: "id", clientSecret: "s")
            Issue.record("refresh succeeded")
        } catch let error as SalesforceError {
            #expect(error.oauthError == .expiredToken)
            #expect(!error.description.contains("5Aep"))
        }
        let form = formFields(try #require(await log.requests.first))
        #expect(form["grant_type"] == "refresh_token")
        #expect(form["refresh_token"] == "5Aep")
        #expect(await log.count == 1)
    }

    /// Revoke posts the token as a form field and reports a refusal as `.oauth`.
    @Test func revokePostsTokenForm() async throws {
        let log = RequestLog()
        let oauth = OAuthClient(
            endpoints: try OAuthEndpoints(loginURL: "https://login.salesforce.com"),
            transport: transport(log: log) { request in
                formFields(request)["token"] == "good"
                    ? RawResponse(status: 200)
                    : RawResponse(status: 400, json: ["error": "invalid_token", "error_description": "invalid token"])
            })
        try await oauth.revoke(token: "good")
        await #expect(throws: SalesforceError.oauth(.init(error: "invalid_token", errorDescription: "invalid token"))) {
            try await oauth.revoke(token: "bad")
        }
        #expect(await log.requests.first?.url.path == "/services/oauth2/revoke")
    }
}
