import SalesforceWire

/// Salesforce's query error messages: the offending row, a caret under the column, the position, the reason.
enum SOQLMessages {
    static func located(_ source: String, at position: SourcePosition, _ message: String) -> String {
        let rows = source.split(separator: "\n", omittingEmptySubsequences: false)
        let rowText = position.row - 1 < rows.count ? String(rows[position.row - 1]) : ""
        let caret = String(repeating: " ", count: max(position.column - 1, 0)) + "^"
        return "\n\(rowText)\n\(caret)\nERROR at Row:\(position.row):Column:\(position.column)\n\(message)"
    }

    static func malformed(_ source: String, at position: SourcePosition, _ message: String) -> APIFailure {
        APIFailure(status: 400, code: .malformedQuery, message: located(source, at: position, message))
    }

    static func unexpected(_ source: String, _ token: SOQLToken) -> APIFailure {
        malformed(source, at: token.position, token.kind == .end ? "unexpected token: <EOF>" : "unexpected token: '\(token.text)'")
    }

    static func noSuchColumn(_ name: String, _ object: String) -> String {
        "No such column '\(name)' on entity '\(object)'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
    }

    static func invalidField(_ source: String, at position: SourcePosition, _ name: String, _ object: String) -> APIFailure {
        APIFailure(status: 400, code: .invalidField, message: located(source, at: position, noSuchColumn(name, object)))
    }

    static func invalidType(_ source: String, at position: SourcePosition, _ name: String) -> APIFailure {
        APIFailure(
            status: 400, code: .invalidType,
            message: located(
                source, at: position,
                "sObject type '\(name)' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
            ))
    }

    static func filter(_ source: String, at position: SourcePosition, _ message: String) -> APIFailure {
        APIFailure(
            status: 400, code: ErrorCode(rawValue: "INVALID_QUERY_FILTER_OPERATOR"),
            message: located(source, at: position, message))
    }

    static func malformedSearch(_ message: String) -> APIFailure {
        APIFailure(status: 400, code: .malformedSearch, message: message)
    }
}
