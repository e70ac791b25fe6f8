/// A Salesforce record id: 15 case-sensitive characters, or 18 with a case-insensitive checksum.
public struct RecordID: Sendable, Hashable, CustomStringConvertible {
    /// The 18-character form.
    public let value: String

    /// Accepts the 15- or the 18-character form; `nil` for anything else or a wrong checksum.
    public init?(_ text: String) {
        let characters = Array(text.utf8)
        guard characters.count == 15 || characters.count == 18,
            characters.allSatisfy({ RecordID.isIDCharacter($0) })
        else { return nil }
        let base = String(decoding: characters[0..<15], as: UTF8.self)
        let full = base + RecordID.checksum(of: base)
        if characters.count == 18 {
            // The suffix is case-insensitive on the wire.
            guard full.suffix(3).uppercased() == text.suffix(3).uppercased() else { return nil }
        }
        value = full
    }

    /// The 15-character, case-sensitive form.
    public var shortForm: String { String(value.prefix(15)) }
    /// The first three characters, naming the object (00Q Lead, 006 Opportunity, ...).
    public var keyPrefix: String { String(value.prefix(3)) }
    public var description: String { value }

    /// Makes the 18-character id for a 15-character base.
    public static func withChecksum(_ base15: String) -> String {
        base15 + checksum(of: base15)
    }

    /// The three checksum characters: for each 5-character chunk, bit j is set when
    /// character j is an uppercase letter; the 0...31 result maps through A-Z0-5.
    public static func checksum(of base15: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
        let characters = Array(base15.utf8)
        var suffix = ""
        for chunk in 0..<3 {
            var bits = 0
            for j in 0..<5 {
                let c = characters[chunk * 5 + j]
                if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { bits |= 1 << j }
            }
            suffix.append(alphabet[bits])
        }
        return suffix
    }

    private static func isIDCharacter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
            || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}

/// Key prefixes of the objects Parley works with.
public enum KeyPrefix {
    public static let account = "001"
    public static let contact = "003"
    public static let user = "005"
    public static let opportunity = "006"
    public static let lead = "00Q"
    public static let organization = "00D"
}
