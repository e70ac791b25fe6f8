import WebEncoding

/// The parameters of a URL query string, decoded as browsers and HTTP clients encode them (`+` is a space).
struct QueryString: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ raw: String?) {
        guard let raw else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((name, value))
        }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The first value of `name`, ignoring the name's case.
    func value(caseInsensitive name: String) -> String? {
        let lowered = name.lowercased()
        return pairs.first { $0.name.lowercased() == lowered }?.value
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// `+` as a space, then `%XX` escapes; text with a malformed escape or escapes that are not UTF-8 comes
    /// back with only `+` replaced, as `removingPercentEncoding` leaves it.
    private static func decode(_ text: Substring) -> String {
        let plus = UInt8(ascii: "+")
        let percent = UInt8(ascii: "%")
        guard text.utf8.contains(where: { $0 == plus || $0 == percent }) else { return String(text) }
        if let bytes = PercentEncoding.decodedBytes(text), let decoded = String(validating: bytes, as: UTF8.self) {
            return decoded
        }
        return String(decoding: text.utf8.map { $0 == plus ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}
