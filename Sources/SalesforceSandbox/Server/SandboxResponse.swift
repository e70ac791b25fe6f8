import Foundation
import HTTPTypes
import Hummingbird
import ParleyJSON
import SalesforceWire

/// Responses in the shapes Salesforce answers with: JSON, error arrays, OAuth errors, HTML pages, redirects.
enum SandboxResponse {
    static let limitInfoHeader = HTTPField.Name(SalesforceHeader.limitInfo)!

    /// JSON from an `Encodable` value, slashes unescaped as Salesforce writes them.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json;charset=UTF-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// JSON from a `JSONValue`.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json;charset=UTF-8"],
            body: .init(byteBuffer: ByteBuffer(string: value.jsonText())))
    }

    /// Salesforce's REST error array.
    static func failure(_ failure: APIFailure) -> Response {
        var response = json(failure.errors, status: HTTPResponse.Status(code: failure.status))
        if failure.status == 401 {
            response.headers[.wwwAuthenticate] = "Token"
        }
        return response
    }

    /// An OAuth endpoint's error: `{"error": ..., "error_description": ...}`, 400 unless told otherwise.
    static func oauthError(_ error: OAuthErrorBody, status: HTTPResponse.Status = .badRequest) -> Response {
        var response = json(error, status: status)
        response.headers[.cacheControl] = "no-cache,must-revalidate,max-age=0,no-store,private"
        return response
    }

    /// Plain text, as the identity service answers its errors.
    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain;charset=UTF-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// An HTML page that must not be cached or framed (the consent page is a clickjacking target).
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html;charset=UTF-8",
                .cacheControl: "no-cache,must-revalidate,max-age=0,no-store,private",
                HTTPField.Name("X-Frame-Options")!: "DENY",
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// A 302 to `location`.
    static func redirect(to location: String) -> Response {
        Response(
            status: .found,
            headers: [.location: location, .cacheControl: "no-cache,must-revalidate,max-age=0,no-store,private"])
    }

    /// `uri` with query fields appended, respecting a query it may already have.
    static func url(_ uri: String, adding fields: [(String, String)]) -> String {
        guard !fields.isEmpty else { return uri }
        return uri + (uri.contains("?") ? "&" : "?") + HTTPForm.encode(fields)
    }
}
