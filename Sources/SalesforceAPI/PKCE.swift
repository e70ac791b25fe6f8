import Crypto
import Foundation

/// A PKCE pair (RFC 7636): the secret verifier the token request proves, and its S256 challenge.
public struct PKCE: Sendable, Hashable, CustomStringConvertible {
    /// 43 characters of base64url from 32 random bytes; keep it until the code exchange.
    public let verifier: String

    /// A fresh verifier from the system's cryptographic random source.
    public init() {
        var generator = SystemRandomNumberGenerator()
        verifier = Base64URL.encode(Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    /// A known verifier: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`; `nil` otherwise.
    public init?(verifier: String) {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        guard (43...128).contains(verifier.count), verifier.allSatisfy({ allowed.contains($0) }) else { return nil }
        self.verifier = verifier
    }

    /// `base64url(SHA-256(verifier))`, encoded once, without padding.
    public var challenge: String {
        Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Always S256: Salesforce verifies with it whether or not the method is sent.
    public static let challengeMethod = "S256"

    public var description: String { "PKCE(verifier: [redacted])" }
}

/// Base64url without padding (RFC 4648 §5).
public enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A random token of `byteCount` bytes, base64url-encoded; for `state` values.
    public static func randomToken(byteCount: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode(Data((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }
}
