/// `application/x-www-form-urlencoded` as the WHATWG URL standard defines it: the body of an HTML form post and
/// of an OAuth 2.0 token request.
///
/// Serializing keeps ASCII letters, digits and `*-._`, writes a space as `+` and escapes every other byte as
/// `%XX`; parsing reads `+` as a space and resolves `%XX`.
public enum FormEncoding {
    /// One name or value, serialized.
    public static func encode(_ text: String) -> String {
        PercentEncoding.escape(text, keeping: isKept, spaceAsPlus: true)
    }

    /// `name=value&...`, in the order given.
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// Why a form could not be read.
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// The fields of `a=1&b=two+words`, in order; fails on percent escapes that are malformed or not UTF-8.
    public static func decode(_ text: Substring) throws(Malformed) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decodeOne(parts[0])
            let value = parts.count > 1 ? try decodeOne(parts[1]) : ""
            fields.append((name, value))
        }
        return fields
    }

    private static func decodeOne(_ text: Substring) throws(Malformed) -> String {
        guard let decoded = PercentEncoding.decoded(text) else {
            throw Malformed(description: "bad percent escape in '\(text.prefix(40))'")
        }
        return decoded
    }

    private static func isKept(_ byte: UInt8) -> Bool {
        PercentEncoding.isAlphanumeric(byte) || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }
}
