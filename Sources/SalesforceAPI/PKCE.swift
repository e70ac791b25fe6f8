import Crypto
import Foundation
import WebEncoding

/// A PKCE pair (RFC 7636): the secret verifier the token request proves, and its S256 challenge.
public struct PKCE: Sendable, Hashable, CustomStringConvertible {
    /// 43 characters of base64url from 32 random bytes; keep it until the code exchange.
    public let verifier: String

    /// A fresh verifier from the system's cryptographic random source.
    public init() {
        verifier = Base64URL.encode(SecureRandom.bytes(32))
    }

    /// A known verifier: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`; `nil` otherwise.
    public init?(verifier: String) {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        guard (43...128).contains(verifier.count), verifier.allSatisfy({ allowed.contains($0) }) else { return nil }
        self.verifier = verifier
    }

    /// `base64url(SHA-256(verifier))`, encoded once, without padding.
    public var challenge: String {
        Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))
    }

    /// Always S256: Salesforce verifies with it whether or not the method is sent.
    public static let challengeMethod = "S256"

    public var description: String { "PKCE(verifier: [redacted])" }
}

/// Base64url without padding (RFC 4648 §5).
public enum Base64URL {
    /// The 64 digits, `-` and `_` where standard base64 has `+` and `/`.
    private static let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes the bytes straight into the URL-safe alphabet: every authorization link makes three of these, and
    /// Foundation's base64 with three passes of `replacingOccurrences` cost a tenth of such a turn.
    static func encode(_ data: some Sequence<UInt8>) -> String {
        let bytes = Array(data)
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            // Up to three bytes as one 24-bit group, missing bytes zero; each byte present gives one digit more.
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for digit in 0...count { text.append(digits[Int(group >> UInt32(18 - 6 * digit) & 0x3F)]) }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A random token of `byteCount` bytes, base64url-encoded; for `state` values.
    public static func randomToken(byteCount: Int = 24) -> String {
        encode(SecureRandom.bytes(byteCount))
    }
}
