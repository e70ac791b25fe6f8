/// One entry of the error array Salesforce's REST API answers with:
/// `[{"message": "...", "errorCode": "...", "fields": [...]}]`.
public struct APIErrorItem: Codable, Sendable, Hashable {
    public var message: String
    public var errorCode: String
    /// Absent on some errors; the sandbox sends it where Salesforce does.
    public var fields: [String]?

    public init(message: String, errorCode: String, fields: [String]? = nil) {
        self.message = message
        self.errorCode = errorCode
        self.fields = fields
    }
}

/// A failed REST call as it travels on the wire: an HTTP status and the error array.
///
/// The sandbox throws it to answer; the client decodes it from responses.
public struct APIFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var errors: [APIErrorItem]

    public init(status: Int, errors: [APIErrorItem]) {
        self.status = status
        self.errors = errors
    }

    public init(status: Int, code: ErrorCode, message: String, fields: [String]? = nil) {
        self.init(status: status, errors: [APIErrorItem(message: message, errorCode: code.rawValue, fields: fields)])
    }

    /// The first error's code.
    public var code: ErrorCode { ErrorCode(rawValue: errors.first?.errorCode ?? "UNKNOWN_EXCEPTION") }

    public var description: String {
        errors.map { "\($0.errorCode): \($0.message)" }.joined(separator: "; ")
    }
}

/// Salesforce's REST `errorCode` values. A struct, not an enum: the set grows and
/// unknown codes from a real org must still decode.
public struct ErrorCode: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let invalidSessionID = ErrorCode(rawValue: "INVALID_SESSION_ID")
    public static let invalidAuthHeader = ErrorCode(rawValue: "INVALID_AUTH_HEADER")
    public static let notFound = ErrorCode(rawValue: "NOT_FOUND")
    public static let entityIsDeleted = ErrorCode(rawValue: "ENTITY_IS_DELETED")
    public static let requiredFieldMissing = ErrorCode(rawValue: "REQUIRED_FIELD_MISSING")
    public static let invalidField = ErrorCode(rawValue: "INVALID_FIELD")
    public static let malformedID = ErrorCode(rawValue: "MALFORMED_ID")
    public static let invalidType = ErrorCode(rawValue: "INVALID_TYPE")
    public static let malformedQuery = ErrorCode(rawValue: "MALFORMED_QUERY")
    public static let malformedSearch = ErrorCode(rawValue: "MALFORMED_SEARCH")
    public static let invalidOrNullForRestrictedPicklist = ErrorCode(
        rawValue: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
    public static let stringTooLong = ErrorCode(rawValue: "STRING_TOO_LONG")
    public static let invalidEmailAddress = ErrorCode(rawValue: "INVALID_EMAIL_ADDRESS")
    public static let jsonParserError = ErrorCode(rawValue: "JSON_PARSER_ERROR")
    public static let requestLimitExceeded = ErrorCode(rawValue: "REQUEST_LIMIT_EXCEEDED")
    public static let serverUnavailable = ErrorCode(rawValue: "SERVER_UNAVAILABLE")
    public static let invalidFieldForInsertUpdate = ErrorCode(rawValue: "INVALID_FIELD_FOR_INSERT_UPDATE")
    public static let invalidTypeOnFieldInRecord = ErrorCode(rawValue: "INVALID_TYPE_ON_FIELD_IN_RECORD")
    public static let methodNotAllowed = ErrorCode(rawValue: "METHOD_NOT_ALLOWED")
    public static let requestEntityTooLarge = ErrorCode(rawValue: "REQUEST_ENTITY_TOO_LARGE")
    public static let unsupportedMediaType = ErrorCode(rawValue: "UNSUPPORTED_MEDIA_TYPE")
    public static let unknownException = ErrorCode(rawValue: "UNKNOWN_EXCEPTION")
}
