import Foundation
import ParleyJSON
import SalesforceWire
import WebEncoding

/// Turns responses into values or typed errors.
enum ResponseDecoding {
    /// Decodes a 2xx body, or throws the error the response carries.
    static func decode<T: Decodable>(_ type: T.Type, from response: RawResponse) throws -> T {
        guard response.isSuccess else { throw error(from: response) }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw SalesforceError.invalidResponse(status: response.status, snippet: describe(error, in: response))
        }
    }

    /// Parses a 2xx body as JSON, or throws the error the response carries.
    static func json(from response: RawResponse) throws -> JSONValue {
        guard response.isSuccess else { throw error(from: response) }
        do {
            return try JSONValue(parsing: response.body)
        } catch {
            throw SalesforceError.invalidResponse(status: response.status, snippet: snippet(of: response.body))
        }
    }

    /// Accepts any 2xx (update and delete answer 204 with no body), or throws the error the response carries.
    static func expectSuccess(_ response: RawResponse) throws {
        guard response.isSuccess else { throw error(from: response) }
    }

    /// The typed error for a failed response: Salesforce's error array, an OAuth error object, or neither.
    static func error(from response: RawResponse) -> SalesforceError {
        if let items = try? JSONDecoder().decode([APIErrorItem].self, from: response.body), !items.isEmpty {
            return .api(APIFailure(status: response.status, errors: items))
        }
        // Some endpoints answer a single error object rather than an array.
        if let item = try? JSONDecoder().decode(APIErrorItem.self, from: response.body) {
            return .api(APIFailure(status: response.status, errors: [item]))
        }
        if let body = try? JSONDecoder().decode(OAuthErrorBody.self, from: response.body) {
            return .oauth(body, status: response.status)
        }
        if let body = formEncodedOAuthError(response) {
            return .oauth(body, status: response.status)
        }
        return .invalidResponse(status: response.status, snippet: snippet(of: response.body))
    }

    /// `error=invalid_token&error_description=...`, which some OAuth endpoints answer instead of JSON.
    private static func formEncodedOAuthError(_ response: RawResponse) -> OAuthErrorBody? {
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("error="), !text.contains(" "), !text.contains("<") else { return nil }
        guard let fields = try? FormEncoding.decode(text[...]) else { return nil }
        let values = Dictionary(fields, uniquingKeysWith: { first, _ in first })
        guard let error = values["error"], !error.isEmpty else { return nil }
        return OAuthErrorBody(error: error, errorDescription: values["error_description"])
    }

    /// Whether the response says the access token is no longer valid, so a refresh may help.
    static func isExpiredSession(_ response: RawResponse) -> Bool {
        guard response.status == 401 || response.status == 403 else { return false }
        let failure = error(from: response)
        switch failure.kind {
        case .api:
            // A token without a REST scope gets the same code; a refresh would not add the scope.
            return response.status == 401 && failure.apiCode == .invalidSessionID
                && failure.apiFailure?.errors.first?.message.contains("not valid for use with the REST API") == false
        case .oauth:
            let code = failure.oauthError?.error ?? ""
            return code == "invalid_token" || code == "Bad_OAuth_Token"
        default:
            // userinfo answers a bare `Bad_OAuth_Token` text on a dead token.
            return response.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Bad_OAuth_Token"
        }
    }

    /// At most 200 characters of a body for an error message, with credential-looking values masked.
    static func snippet(of body: Data) -> String {
        if body.isEmpty { return "(empty body)" }
        var text: String
        if var json = try? JSONValue(parsing: body) {
            redact(&json)
            text = json.jsonText()
        } else {
            text = String(decoding: body.prefix(4096), as: UTF8.self)
            text = CredentialRedaction.redacting(text)
        }
        text = text.replacingOccurrences(of: "\n", with: " ")
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    private static func redact(_ value: inout JSONValue) {
        switch value {
        case .object(var members):
            for key in members.keys {
                if SensitiveFields.names.contains(key.lowercased()) {
                    members[key] = .string("[redacted]")
                } else if var member = members[key] {
                    redact(&member)
                    members[key] = member
                }
            }
            value = .object(members)
        case .array(var items):
            for index in items.indices { redact(&items[index]) }
            value = .array(items)
        default:
            break
        }
    }

    /// Says which field a decoding failure is about, without repeating values from the body.
    private static func describe(_ error: any Error, in response: RawResponse) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "missing field '\(path(context.codingPath + [key]))' in \(snippet(of: response.body))"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "unexpected value at '\(path(context.codingPath))' in \(snippet(of: response.body))"
        default:
            return snippet(of: response.body)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
