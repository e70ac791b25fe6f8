/// Percent-encoding, byte by byte, the way URLs and `application/x-www-form-urlencoded` bodies use it.
///
/// One encoder with two sets of bytes left alone:
/// - ``component(_:)``: RFC 3986's unreserved characters (letters, digits, `-._~`), for a path segment or a value
///   in a URL's query. A space is `%20` and `+` is `%2B`, so Salesforce never reads a `+` as a space in
///   `CreatedDate > 2024-01-01T00:00:00+00:00`.
/// - ``FormEncoding``: the WHATWG URL standard's `application/x-www-form-urlencoded` serializer.
public enum PercentEncoding {
    /// `text` with every byte but RFC 3986's unreserved characters escaped as `%XX`.
    public static func component(_ text: String) -> String {
        escape(text, keeping: isUnreserved, spaceAsPlus: false)
    }

    /// `name=value&...` for a URL's query, each name and value escaped as a ``component(_:)``.
    public static func query(_ fields: [(String, String)]) -> String {
        fields.map { component($0.0) + "=" + component($0.1) }.joined(separator: "&")
    }

    /// The bytes `text` stands for, with `%XX` escapes resolved and, when `plusIsSpace`, `+` read as a space;
    /// `nil` when an escape is malformed (a `%` without two hex digits after it).
    public static func decodedBytes(_ text: Substring, plusIsSpace: Bool = true) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Hexadecimal.value(of:)), let low = iterator.next().flatMap(Hexadecimal.value(of:))
                else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return bytes
    }

    /// The text `text` stands for; `nil` when an escape is malformed or the bytes are not UTF-8.
    public static func decoded(_ text: Substring, plusIsSpace: Bool = true) -> String? {
        decodedBytes(text, plusIsSpace: plusIsSpace).flatMap { String(validating: $0, as: UTF8.self) }
    }

    static func escape(_ text: String, keeping keep: (UInt8) -> Bool, spaceAsPlus: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if keep(byte) {
                bytes.append(byte)
            } else if spaceAsPlus, byte == UInt8(ascii: " ") {
                bytes.append(UInt8(ascii: "+"))
            } else {
                bytes += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            false
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "~")
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
