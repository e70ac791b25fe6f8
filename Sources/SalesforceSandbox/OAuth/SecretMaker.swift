import Crypto
import Foundation
import WebEncoding

/// Makes the random and hashed values of the OAuth server: tokens, codes, secrets, ids.
enum SecretMaker {
    private static let tokenAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._")
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// Random characters drawn evenly from `alphabet` (at most 256 characters).
    static func randomString(length: Int, alphabet: [Character]) -> String {
        // Bytes at or above the largest multiple of the alphabet's size are dropped, so no character is likelier.
        let limit = 256 - 256 % alphabet.count
        var characters: [Character] = []
        characters.reserveCapacity(length)
        while characters.count < length {
            for byte in SecureRandom.bytes(length - characters.count + 8) where Int(byte) < limit && characters.count < length {
                characters.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(characters)
    }

    /// An access token shaped like Salesforce's: the org id, `!AR`, then a long random tail.
    static func accessToken(organizationID: String) -> String {
        String(organizationID.prefix(15)) + "!AR" + randomString(length: 96, alphabet: tokenAlphabet)
    }

    /// A refresh token shaped like Salesforce's `5Aep861…`.
    static func refreshToken() -> String {
        "5Aep861" + randomString(length: 80, alphabet: tokenAlphabet)
    }

    /// An authorization code shaped like Salesforce's `aPrx…==`, which needs URL-encoding.
    static func authorizationCode() -> String {
        "aPrx" + Data(SecureRandom.bytes(42)).base64EncodedString() + "=="
    }

    /// A consumer key shaped like Salesforce's `3MVG9…`.
    static func consumerKey() -> String {
        "3MVG9" + randomString(length: 80, alphabet: tokenAlphabet)
    }

    /// A consumer secret: 64 uppercase hex digits, as Salesforce issues them.
    static func consumerSecret() -> String {
        SecureRandom.bytes(32).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// An opaque, URL- and cookie-safe identifier for sessions, pending authorizations and CSRF tokens.
    static func opaqueID() -> String {
        randomString(length: 43, alphabet: alphanumerics)
    }

    /// The stored form of a bearer secret: tokens are random enough that an unsalted hash suffices.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// Base64 HMAC-SHA256 of `id + issued_at` keyed by the client secret: the token response's `signature`.
    static func signature(id: String, issuedAt: String, clientSecret: String) -> String {
        let key = SymmetricKey(data: Data(clientSecret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data((id + issuedAt).utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// The PKCE S256 challenge of a verifier: base64url SHA-256, no padding.
    static func pkceChallenge(verifier: String) -> String {
        let digest = Data(SHA256.hash(data: Data(verifier.utf8)))
        return digest.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares secrets in time independent of where they first differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
