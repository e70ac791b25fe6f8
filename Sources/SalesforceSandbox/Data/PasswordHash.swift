import Crypto
import Foundation
import WebEncoding

/// A salted SHA-256 password hash, stored as hex so the database never holds a password.
struct PasswordHash: Sendable, Hashable {
    var salt: String
    var digest: String

    /// Hashes `password` with a fresh random salt.
    init(password: String) {
        salt = Hexadecimal.encode(SecureRandom.bytes(16))
        digest = PasswordHash.digest(password: password, salt: salt)
    }

    init(salt: String, digest: String) {
        self.salt = salt
        self.digest = digest
    }

    /// Whether `password` is the one this hash was made from; compares in constant time.
    func matches(_ password: String) -> Bool {
        let candidate = Array(PasswordHash.digest(password: password, salt: salt).utf8)
        let expected = Array(digest.utf8)
        guard candidate.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in candidate.indices { difference |= candidate[index] ^ expected[index] }
        return difference == 0
    }

    private static func digest(password: String, salt: String) -> String {
        Hexadecimal.encode(SHA256.hash(data: Data((salt + ":" + password).utf8)))
    }
}
