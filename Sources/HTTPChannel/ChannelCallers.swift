import Crypto
public import Foundation
import WebEncoding

/// The programs allowed to use the API, each with a name and a secret.
///
/// A request proves who sends it with `Authorization: Bearer <secret>`, or with an HMAC-SHA256 of its body:
/// `X-Parley-Caller: <name>`, `X-Parley-Timestamp: <unix seconds>` and
/// `X-Parley-Signature: sha256=<hex of HMAC(secret, timestamp + "." + body)>`, within five minutes of the server's
/// clock. The users a caller names live in its own namespace: two callers' `alice` are two people.
public struct ChannelCallers: Sendable {
    /// The variable `parley serve` reads callers from: `name=secret[,name=secret…]`.
    public static let environmentVariable = "PARLEY_SERVE_CALLERS"
    /// How far a signed request's timestamp may be from the server's clock.
    public static let signatureWindow: TimeInterval = 300
    static let minimumSecretLength = 16

    struct Caller: Sendable {
        var name: String
        /// SHA-256 of the secret, compared against a bearer token's.
        var digest: SHA256.Digest
        var key: SymmetricKey
    }

    private let callers: [Caller]

    /// The callers' names, for messages (never their secrets).
    public var names: [String] { callers.map(\.name) }

    /// Reads `name=secret[,name=secret…]`.
    ///
    /// - Throws: ``ChannelConfigurationError`` naming the entry that is wrong (by position and name, never by
    ///   its secret).
    public init(parsing text: String) throws(ChannelConfigurationError) {
        var callers: [Caller] = []
        let entries = text.split(separator: ",", omittingEmptySubsequences: true)
        for (index, entry) in entries.enumerated() {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw ChannelConfigurationError(
                    "\(Self.environmentVariable): entry \(index + 1) has no '='; write name=secret")
            }
            let name = String(trimmed[..<equals])
            let secret = String(trimmed[trimmed.index(after: equals)...])
            guard UserName.isValid(name, maximumLength: 32) else {
                throw ChannelConfigurationError(
                    "\(Self.environmentVariable): entry \(index + 1) has the caller name '\(name)'; use 1 to 32 letters, digits, '.', '_', '-' or '@'"
                )
            }
            guard secret.count >= Self.minimumSecretLength else {
                throw ChannelConfigurationError(
                    "\(Self.environmentVariable): the secret of caller '\(name)' is shorter than \(Self.minimumSecretLength) characters")
            }
            guard !callers.contains(where: { $0.name == name }) else {
                throw ChannelConfigurationError("\(Self.environmentVariable): caller '\(name)' is named twice")
            }
            callers.append(
                Caller(name: name, digest: SHA256.hash(data: Data(secret.utf8)), key: SymmetricKey(data: Data(secret.utf8))))
        }
        guard !callers.isEmpty else {
            throw ChannelConfigurationError(
                "no callers are configured, so no request could be accepted; set \(Self.environmentVariable)=name=secret")
        }
        self.callers = callers
    }

    /// The caller a request comes from, or `nil` when it proves none.
    ///
    /// - Parameter header: the request's header with this name (case-insensitive), if any.
    func authenticate(header: (String) -> String?, body: [UInt8], now: Date) -> String? {
        if let authorization = header("Authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            let presented = SHA256.hash(data: Data(parts[1].utf8))
            // Every caller is compared, with swift-crypto's constant-time digest equality, so the time taken says
            // nothing about which secret came close.
            var found: String?
            for caller in callers where presented == caller.digest { found = caller.name }
            return found
        }
        guard let name = header("X-Parley-Caller"), let timestampText = header("X-Parley-Timestamp"),
            let signature = header("X-Parley-Signature"), let caller = callers.first(where: { $0.name == name }),
            let timestamp = TimeInterval(timestampText), abs(now.timeIntervalSince1970 - timestamp) <= Self.signatureWindow,
            signature.hasPrefix("sha256="), let presented = Hexadecimal.decode(signature.dropFirst("sha256=".count))
        else { return nil }
        var signed = Array(timestampText.utf8)
        signed.append(UInt8(ascii: "."))
        signed += body
        // A constant-time comparison.
        return HMAC<SHA256>.isValidAuthenticationCode(presented, authenticating: signed, using: caller.key) ? caller.name : nil
    }

    /// The signature headers for a body, as a caller computes them (tests and the load generator use it).
    public static func signatureHeaders(caller: String, secret: String, body: [UInt8], now: Date) -> [(String, String)] {
        let timestamp = String(Int(now.timeIntervalSince1970))
        var signed = Array(timestamp.utf8)
        signed.append(UInt8(ascii: "."))
        signed += body
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return [
            ("X-Parley-Caller", caller), ("X-Parley-Timestamp", timestamp),
            ("X-Parley-Signature", "sha256=" + Hexadecimal.encode(code)),
        ]
    }
}

/// The server's configuration is wrong (callers, limits); the message says what to change.
public struct ChannelConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A user's or caller's name as the API takes it: letters, digits and `.`, `_`, `-`, `@`, not dots alone.
enum UserName {
    static func isValid(_ name: String, maximumLength: Int = 64) -> Bool {
        // "." and ".." read as path steps in a URL, and a proxy may resolve them; no name is made of dots alone.
        guard !name.isEmpty, name.utf8.count <= maximumLength, name.contains(where: { $0 != "." }) else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "@"):
                true
            default: false
            }
        }
    }
}
