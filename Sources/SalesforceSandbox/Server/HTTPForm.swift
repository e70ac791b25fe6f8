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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw Malformed(description: "bad percent escape in '\(text.prefix(40))'")
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw Malformed(description: "bad percent escape in '\(text.prefix(40))'")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Encodes fields for a URL query, escaping everything but unreserved characters.
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Percent-escapes all but RFC 3986's unreserved characters.
    static func escape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
