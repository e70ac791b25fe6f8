import Foundation

/// Fields of an `application/x-www-form-urlencoded` body or a query string.
///
/// Parsed here rather than with the router's query helper because OAuth clients encode
/// spaces as `+`, which that helper leaves alone.
struct HTTPForm: Sendable {
    private(set) var fields: [(name: String, value: String)] = []

    /// Why a form could not be read.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    init(fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    /// Parses `a=1&b=two+words`; fails on percent escapes that are not valid UTF-8.
    init(encoded text: Substring) throws {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            fields.append((name, value))
        }
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

    private static func decode(_ text: Substring) throws -> String {
        guard let bytes = PercentEncoding.decodedBytes(text), let decoded = String(validating: bytes, as: UTF8.self) else {
            throw Malformed(description: "bad percent escape in '\(text.prefix(40))'")
        }
        return decoded
    }

    /// Encodes fields for a URL query, escaping everything but unreserved characters.
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(PercentEncoding.escaped($0.0))=\(PercentEncoding.escaped($0.1))" }.joined(separator: "&")
    }
}
