/// Plain ASCII, the common case for what people type: readers answer it byte by byte, without breaking text into
/// characters or looking up Unicode properties.
extension StringProtocol {
    /// Whether every character is ASCII, so that each byte of the text is one character.
    var isASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }

    /// Whether the text holds an ASCII digit, the only digits dates, ids and amounts are read from.
    var holdsASCIIDigit: Bool { utf8.contains(where: \.isASCIIDigit) }
}

extension UInt8 {
    var isASCIILetter: Bool { isASCIIUppercase || isASCIILowercase }
    var isASCIIDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
    var isASCIIUppercase: Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) }
    var isASCIILowercase: Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) }
}
