/// Bytes from the system's cryptographic random source, for secrets, tokens, verifiers and salts.
public enum SecureRandom {
    /// `count` random bytes, eight from each draw, where drawing each byte alone (`UInt8.random`) asks the kernel once
    /// a byte.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}
