import Foundation

/// Writes a saved model: little-endian integers, floats by their bits, strings as a length and UTF-8.
struct SavedModelWriter {
    private(set) var data = Data()

    mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func write(count: Int) {
        write(UInt32(count))
    }

    mutating func write(_ value: Float) {
        write(value.bitPattern)
    }

    mutating func write(_ text: String) {
        write(count: text.utf8.count)
        data.append(contentsOf: text.utf8)
    }

    mutating func write(_ texts: [String]) {
        write(count: texts.count)
        for text in texts { write(text) }
    }
}

/// Reads what ``SavedModelWriter`` wrote, trusting nothing: every count is checked against the bytes left,
/// so a damaged file is an error, never a crash or a huge allocation.
struct SavedModelReader {
    struct Damaged: Error {}

    private let bytes: [UInt8]
    private var position = 0

    init(_ data: Data) {
        bytes = [UInt8](data)
    }

    var isAtEnd: Bool { position == bytes.count }

    mutating func readUInt32() throws -> UInt32 {
        guard bytes.count - position >= 4 else { throw Damaged() }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[position + offset]) << (8 * offset) }
        position += 4
        return value
    }

    mutating func readUInt64() throws -> UInt64 {
        let low = try readUInt32()
        let high = try readUInt32()
        return UInt64(high) << 32 | UInt64(low)
    }

    /// A count of things that each take at least `size` bytes of what is left.
    mutating func readCount(eachAtLeast size: Int) throws -> Int {
        let count = Int(try readUInt32())
        guard count <= (bytes.count - position) / max(size, 1) else { throw Damaged() }
        return count
    }

    mutating func readFloat() throws -> Float {
        Float(bitPattern: try readUInt32())
    }

    mutating func readFloats() throws -> [Float] {
        let count = try readCount(eachAtLeast: 4)
        return try (0..<count).map { _ in try readFloat() }
    }

    mutating func readString() throws -> String {
        let length = try readCount(eachAtLeast: 1)
        defer { position += length }
        return String(decoding: bytes[position..<position + length], as: UTF8.self)
    }

    mutating func readStrings() throws -> [String] {
        let count = try readCount(eachAtLeast: 4)
        return try (0..<count).map { _ in try readString() }
    }
}

/// The 64-bit FNV-1a hash of text, as sixteen hexadecimal digits: names a saved model by what it was trained on.
func fingerprintHash(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
