public import SalesforceWire

/// Everything that can go wrong talking to Salesforce, as a value callers can compare and switch on.
///
/// The set of kinds grows without breaking callers: compare `error.kind` with the static members
/// (`switch error.kind { case .api: ... case .authorizationRequired: ... default: ... }`), or read the
/// payload accessors (`apiFailure`, `apiCode`, `oauthError`). Descriptions never contain tokens or secrets.
public struct SalesforceError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case api(APIFailure)
        case oauth(status: Int, body: OAuthErrorBody)
        case authorizationRequired
        case timeout
        case connection(String)
        case invalidResponse(status: Int, snippet: String)
        case signatureMismatch
        case invalidArgument(String)
    }

    private let base: Base
    /// Why authorization is needed; kept out of equality so `error == .authorizationRequired` holds for every reason.
    public let reason: String?

    private init(_ base: Base, reason: String? = nil) {
        self.base = base
        self.reason = reason
    }

    public static func == (lhs: SalesforceError, rhs: SalesforceError) -> Bool { lhs.base == rhs.base }
    public func hash(into hasher: inout Hasher) { hasher.combine(base) }

    // MARK: Kinds

    /// Salesforce answered a REST call with its error array (`[{"errorCode": ..., "message": ..., "fields": [...]}]`).
    public static func api(_ failure: APIFailure) -> SalesforceError { .init(.api(failure)) }
    /// An OAuth endpoint answered `{"error": ..., "error_description": ...}`.
    public static func oauth(_ body: OAuthErrorBody, status: Int = 400) -> SalesforceError {
        .init(.oauth(status: status, body: body))
    }
    /// There is no token, or it expired and could not be refreshed: the user must authorize (again).
    public static let authorizationRequired = SalesforceError(.authorizationRequired)
    /// Like `authorizationRequired`, saying why (shown in the description, ignored by `==`).
    public static func authorizationRequired(reason: String) -> SalesforceError {
        .init(.authorizationRequired, reason: reason)
    }
    /// The request did not complete within its timeout.
    public static let timeout = SalesforceError(.timeout)
    /// The connection could not be made or broke before a response arrived.
    public static func connection(_ detail: String) -> SalesforceError { .init(.connection(detail)) }
    /// The server answered something that is not Salesforce's shape: its status and a short, redacted snippet.
    public static func invalidResponse(status: Int, snippet: String) -> SalesforceError {
        .init(.invalidResponse(status: status, snippet: snippet))
    }
    /// A token response's `signature` does not match HMAC-SHA256(id + issued_at) under the client secret.
    public static let signatureMismatch = SalesforceError(.signatureMismatch)
    /// The caller passed something unusable (a malformed URL, object name or API version): a bug on the calling side.
    public static func invalidArgument(_ detail: String) -> SalesforceError { .init(.invalidArgument(detail)) }

    /// What kind of error this is, for `switch` and comparison; payloads are dropped.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case api, oauth, authorizationRequired, timeout, connection, invalidResponse, signatureMismatch
            case invalidArgument
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        public static let api = Kind(.api)
        public static let oauth = Kind(.oauth)
        public static let authorizationRequired = Kind(.authorizationRequired)
        public static let timeout = Kind(.timeout)
        public static let connection = Kind(.connection)
        public static let invalidResponse = Kind(.invalidResponse)
        public static let signatureMismatch = Kind(.signatureMismatch)
        public static let invalidArgument = Kind(.invalidArgument)
    }

    public var kind: Kind {
        switch base {
        case .api: .api
        case .oauth: .oauth
        case .authorizationRequired: .authorizationRequired
        case .timeout: .timeout
        case .connection: .connection
        case .invalidResponse: .invalidResponse
        case .signatureMismatch: .signatureMismatch
        case .invalidArgument: .invalidArgument
        }
    }

    // MARK: Payloads

    /// The REST failure (status and error array) when `kind == .api`.
    public var apiFailure: APIFailure? {
        if case .api(let failure) = base { failure } else { nil }
    }
    /// The first REST error code when `kind == .api`: `error.apiCode == .requiredFieldMissing`.
    public var apiCode: ErrorCode? { apiFailure?.code }
    /// The OAuth error body when `kind == .oauth`: `error.oauthError?.error == "invalid_grant"`.
    public var oauthError: OAuthErrorBody? {
        if case .oauth(_, let body) = base { body } else { nil }
    }
    /// The HTTP status the server answered with, for `api`, `oauth` and `invalidResponse`.
    public var status: Int? {
        switch base {
        case .api(let failure): failure.status
        case .oauth(let status, _): status
        case .invalidResponse(let status, _): status
        default: nil
        }
    }

    public var description: String {
        switch base {
        case .api(let failure):
            let items = failure.errors.map { item in
                var text = "\(item.errorCode): \(item.message)"
                if let fields = item.fields, !fields.isEmpty { text += " (fields: \(fields.joined(separator: ", ")))" }
                return text
            }
            return "Salesforce answered \(failure.status) \(items.joined(separator: "; "))"
        case .oauth(let status, let body):
            return "the OAuth server answered \(status) \(body.description)"
        case .authorizationRequired:
            return "Salesforce authorization is required" + (reason.map { ": \($0)" } ?? "")
        case .timeout:
            return "the request to Salesforce timed out"
        case .connection(let detail):
            return "could not reach Salesforce: \(detail)"
        case .invalidResponse(let status, let snippet):
            return "the server answered \(status) with something that is not a Salesforce response: \(snippet)"
        case .signatureMismatch:
            return "the token response's signature does not match its id and issued_at under the client secret"
        case .invalidArgument(let detail):
            return "invalid Salesforce request: \(detail)"
        }
    }
}
