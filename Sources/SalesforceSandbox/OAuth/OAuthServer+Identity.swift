import Foundation
import Hummingbird
import ParleyJSON
import SalesforceWire

/// `GET /services/oauth2/userinfo` and the identity URL `GET /id/<orgId>/<userId>`.
///
/// Like Salesforce's identity service, these answer a bad token with `403 Bad_OAuth_Token` in plain
/// text, not with the REST API's JSON error array.
extension OAuthServer {
    /// The profile photo links both identity shapes carry.
    private func photos(_ base: String) -> JSONValue {
        ["picture": .string("\(base)/profilephoto/005/F"), "thumbnail": .string("\(base)/profilephoto/005/T")]
    }

    /// The current user in OpenID Connect's shape.
    func userInfo(_ request: Request) async throws -> Response {
        guard let user = try identityCaller(request) else {
            return SandboxResponse.text("Bad_OAuth_Token", status: .forbidden)
        }
        let base = address.baseURL
        let body: JSONValue = [
            "sub": .string(identityURL(of: user)),
            "user_id": .string(user.id),
            "organization_id": .string(user.organizationID),
            "preferred_username": .string(user.username),
            "nickname": .string(Self.nickname(user)),
            "name": .string(user.name),
            "email": .string(user.email),
            "email_verified": true,
            "given_name": .string(user.firstName),
            "family_name": .string(user.lastName),
            "zoneinfo": "America/Los_Angeles",
            "photos": photos(base),
            "profile": .string("\(base)/\(user.id)"),
            "picture": .string("\(base)/profilephoto/005/F"),
            "address": [:],
            "urls": urls(for: user),
            "active": true,
            "user_type": "STANDARD",
            "language": "en_US",
            "locale": "en_US",
            "utcOffset": -28_800_000,
            "is_app_installed": true,
        ]
        return SandboxResponse.json(body)
    }

    /// The identity service's description of a user of the caller's org.
    func identity(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let caller = try identityCaller(request) else {
            return SandboxResponse.text("Bad_OAuth_Token", status: .forbidden)
        }
        let organizationID = context.parameters.get("organizationID") ?? ""
        let userID = context.parameters.get("userID") ?? ""
        guard let org = RecordID(organizationID), org.value == RecordID(caller.organizationID)?.value else {
            return SandboxResponse.text("Wrong_Org", status: .forbidden)
        }
        guard let id = RecordID(userID), let user = try users.user(id: id.value) else {
            return SandboxResponse.text("Bad_Id", status: .notFound)
        }
        let base = address.baseURL
        let body: JSONValue = [
            "id": .string(identityURL(of: user)),
            "asserted_user": .bool(user.id == caller.id),
            "user_id": .string(user.id),
            "organization_id": .string(user.organizationID),
            "username": .string(user.username),
            "nick_name": .string(Self.nickname(user)),
            "display_name": .string(user.name),
            "email": .string(user.email),
            "email_verified": true,
            "first_name": .string(user.firstName),
            "last_name": .string(user.lastName),
            "timezone": "America/Los_Angeles",
            "photos": photos(base),
            "addr_street": nil, "addr_city": nil, "addr_state": nil, "addr_country": nil, "addr_zip": nil,
            "mobile_phone": nil, "mobile_phone_verified": false,
            "is_lightning_login_user": false,
            "status": ["created_date": nil, "body": nil],
            "urls": urls(for: user),
            "active": true,
            "user_type": "STANDARD",
            "language": "en_US",
            "locale": "en_US",
            "utcOffset": -28_800_000,
            "is_app_installed": true,
        ]
        return SandboxResponse.json(body)
    }

    /// The caller behind a bearer token (or `oauth_token` in the query), `nil` when the token is not live.
    private func identityCaller(_ request: Request) throws -> SandboxUser? {
        var token: String?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, ["bearer", "oauth"].contains(parts[0].lowercased()) {
                token = parts[1].trimmingCharacters(in: .whitespaces)
            }
        } else {
            token = (try? HTTPForm(encoded: request.uri.query ?? ""))?.nonEmpty("oauth_token")
        }
        guard let token, let grant = try store.useAccessToken(token) else { return nil }
        return try users.user(id: grant.userID)
    }

    private func urls(for user: SandboxUser) -> JSONValue {
        let data = "\(address.baseURL)/services/data/v{version}/"
        return [
            "enterprise": .string("\(address.baseURL)/services/Soap/c/{version}/\(user.organizationID.prefix(15))"),
            "metadata": .string("\(address.baseURL)/services/Soap/m/{version}/\(user.organizationID.prefix(15))"),
            "partner": .string("\(address.baseURL)/services/Soap/u/{version}/\(user.organizationID.prefix(15))"),
            "rest": .string(data),
            "sobjects": .string(data + "sobjects/"),
            "search": .string(data + "search/"),
            "query": .string(data + "query/"),
            "recent": .string(data + "recent/"),
            "profile": .string("\(address.baseURL)/\(user.id)"),
            "feeds": .string(data + "chatter/feeds"),
            "groups": .string(data + "chatter/groups"),
            "users": .string(data + "chatter/users"),
            "feed_items": .string(data + "chatter/feed-items"),
            "custom_domain": .string(address.baseURL),
        ]
    }

    private static func nickname(_ user: SandboxUser) -> String {
        String(user.username.prefix { $0 != "@" })
    }
}
