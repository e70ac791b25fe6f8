import Foundation

/// Percent-encoding for query strings and `application/x-www-form-urlencoded` bodies.
///
/// Everything but RFC 3986's unreserved characters is encoded, `+` included: Salesforce reads `+` in a query
/// as a space, which would corrupt SOQL such as `CreatedDate > 2024-01-01T00:00:00+00:00`.
enum FormEncoding {
    private static let unreserved: Set<UInt8> = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    static func encode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                result.append(Character(UnicodeScalar(byte)))
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    /// `name=value&...`, in the order given.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// One path segment (a record id, an object name) with `/`, `?` and `#` encoded.
    static func pathSegment(_ text: String) -> String { encode(text) }
}
