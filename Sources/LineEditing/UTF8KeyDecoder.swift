/// Turns the bytes read from the terminal into Unicode scalars, one key at a time.
///
/// A scalar split across reads waits for its remaining bytes; malformed bytes
/// become U+FFFD one byte at a time, so bad input never stalls the editor.
struct UTF8KeyDecoder {
    private var bytes: [UInt8] = []

    mutating func append(_ more: [UInt8]) {
        bytes += more
    }

    /// The next complete scalar, or nil when more bytes are needed.
    mutating func next() -> Unicode.Scalar? {
        guard let lead = bytes.first else { return nil }
        let length: Int
        switch lead {
        case 0x00...0x7F: length = 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return replaceOneByte()
        }
        let available = bytes.dropFirst().prefix(length - 1)
        guard available.allSatisfy({ $0 & 0xC0 == 0x80 }) else { return replaceOneByte() }
        guard available.count == length - 1 else { return nil }
        let scalar = String(decoding: bytes.prefix(length), as: UTF8.self).unicodeScalars.first
        guard let scalar, scalar != "\u{FFFD}" else { return replaceOneByte() }
        bytes.removeFirst(length)
        return scalar
    }

    private mutating func replaceOneByte() -> Unicode.Scalar {
        bytes.removeFirst()
        return "\u{FFFD}"
    }
}
