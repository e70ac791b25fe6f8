import Crypto
import Foundation
public import SalesforceWire

/// Salesforce's token-response signature: Base64(HMAC-SHA256(key: client secret, message: id + issued_at)).
public enum TokenSignature {
    /// The signature Salesforce would send for this identity URL and issue time.
    public static func compute(id: String, issuedAt: String, clientSecret: String) -> String {
        let key = SymmetricKey(data: Data(clientSecret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data((id + issuedAt).utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// Whether the response's `signature` matches; compared in constant time.
    public static func isValid(_ token: TokenResponse, clientSecret: String) -> Bool {
        guard let received = Data(base64Encoded: token.signature) else { return false }
        let key = SymmetricKey(data: Data(clientSecret.utf8))
        return HMAC<SHA256>.isValidAuthenticationCode(
            received, authenticating: Data((token.id + token.issuedAt).utf8), using: key)
    }
}
