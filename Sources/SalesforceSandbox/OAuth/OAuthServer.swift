import Foundation
import Hummingbird
import Logging
import SalesforceWire

/// The sandbox's OAuth 2.0 authorization server: authorize pages, token, revoke, userinfo and
/// identity endpoints, and the bearer-token check every REST call goes through.
struct OAuthServer: Sendable {
    let store: OAuthStore
    let sessions: AuthorizationSessions
    let users: any SandboxUserDirectory
    let address: SandboxAddress
    /// The user the client-credentials grant runs as.
    let clientCredentialsUsername: String
    let logger: Logger

    /// The browser session cookie, named as Salesforce names its own.
    static let sessionCookie = "sid"

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/services/oauth2/authorize") { request, _ in try await authorize(request) }
        router.post("/services/oauth2/authorize/login") { request, context in try await login(request, context) }
        router.get("/services/oauth2/authorize/consent") { request, _ in try await showConsent(request) }
        router.post("/services/oauth2/authorize/consent") { request, context in try await answerConsent(request, context) }
        router.post("/services/oauth2/token") { request, context in try await token(request, context) }
        router.post("/services/oauth2/revoke") { request, context in try await revoke(request, context) }
        router.get("/services/oauth2/revoke") { request, context in try await revoke(request, context) }
        router.get("/services/oauth2/userinfo") { request, _ in try await userInfo(request) }
        router.post("/services/oauth2/userinfo") { request, _ in try await userInfo(request) }
        router.get("/id/{organizationID}/{userID}") { request, context in try await identity(request, context) }
        router.post("/id/{organizationID}/{userID}") { request, context in try await identity(request, context) }
    }

    /// The identity URL of a user, which the token response calls `id`.
    func identityURL(of user: SandboxUser) -> String {
        "\(address.baseURL)/id/\(user.organizationID)/\(user.id)"
    }

    /// The user behind a REST call's bearer token; throws Salesforce's 401 when there is none.
    func authenticate(_ request: Request) async throws -> SandboxUser {
        guard let header = request.headers[.authorization] else { throw Self.invalidSession }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let scheme = parts.first?.lowercased(), scheme == "bearer" || scheme == "oauth" else {
            throw APIFailure(status: 401, code: .invalidAuthHeader, message: "INVALID_HEADER_TYPE")
        }
        guard parts.count == 2 else { throw Self.invalidSession }
        // The token is one word; surrounding blanks are tolerated (cheaper than Foundation's trimming on this hot path).
        let words = parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 1 else { throw Self.invalidSession }
        guard let grant = try store.useAccessToken(String(words[0])) else { throw Self.invalidSession }
        guard !OAuthScope.restScopes.isDisjoint(with: grant.scopes) else {
            throw APIFailure(
                status: 401, code: .invalidSessionID, message: "This session is not valid for use with the REST API")
        }
        guard let user = try users.user(id: grant.userID) else { throw Self.invalidSession }
        return user
    }

    static let invalidSession = APIFailure(status: 401, code: .invalidSessionID, message: "Session expired or invalid")

    /// The fields of a form body, plus those of the query string when the body lacks them.
    func formFields(_ request: Request, _ context: BasicRequestContext) async throws -> HTTPForm {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        var form = try HTTPForm(body: buffer.readableBytesView)
        form.merge(try HTTPForm(encoded: request.uri.query ?? ""))
        return form
    }
}
