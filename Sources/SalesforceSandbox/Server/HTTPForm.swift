import Foundation
import WebEncoding

/// Fields of an `application/x-www-form-urlencoded` body or a query string.
///
/// Parsed here rather than with the router's query helper because OAuth clients encode
/// spaces as `+`, which that helper leaves alone.
struct HTTPForm: Sendable {
    private(set) var fields: [(name: String, value: String)] = []

    /// Why a form could not be read.
    typealias Malformed = FormEncoding.Malformed

    init(fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    /// Parses `a=1&b=two+words`; fails on percent escapes that are not valid UTF-8.
    init(encoded text: Substring) throws {
        fields = try FormEncoding.decode(text)
    }

    init(encoded text: String) throws {
        try self.init(encoded: text[...])
    }

    /// Parses a body; bytes that are not UTF-8 make the form malformed.
    init(body: some Collection<UInt8>) throws {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Malformed(description: "the form body is not valid UTF-8")
        }
        try self.init(encoded: text)
    }

    /// Adds the fields of `other` this form does not have yet.
    mutating func merge(_ other: HTTPForm) {
        for field in other.fields where self[field.name] == nil {
            fields.append(field)
        }
    }

    /// The first value of a field, `nil` when absent.
    subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The first value of a field, `nil` when absent or empty.
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }

    /// Encodes fields for a URL query, escaping everything but unreserved characters.
    static func encode(_ fields: [(String, String)]) -> String {
        PercentEncoding.query(fields)
    }
}
