import Foundation
import GRDB
import Testing

@testable import SalesforceSandbox

/// Connected apps' client secrets are sealed in the data file, with the key in a private file beside it.
@Suite struct SecretStorageTests {
    static func scratchDataFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)/sandbox.sqlite").path
    }

    static func storedSecrets(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT secret FROM oauth_app") }
    }

    /// Neither the database nor its files hold a secret in the clear; the key file is 0600.
    @Test func secretsAreSealedAtRest() throws {
        let path = Self.scratchDataFile()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let sandbox = try Sandbox(configuration: SandboxConfiguration(dataPath: path))
        let custom = try sandbox.registerApp(name: "Reports", callbackURLs: ["https://reports.test/cb"])
        let secrets = [try sandbox.systemApp().clientSecret, custom.clientSecret]

        let stored = try Self.storedSecrets(path)
        #expect(stored.count == 2)
        #expect(stored.allSatisfy { $0.hasPrefix("sealed:") })
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            for secret in secrets { #expect(!bytes.contains(secret)) }
        }
        let key = SecretSeal.keyPath(forDataFile: path)
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try sandbox.apps().map(\.clientSecret) == secrets)
    }

    /// A data file from before sealing is sealed when opened, and its secrets keep working.
    @Test func secretsStoredInTheClearAreSealedOnOpen() throws {
        let path = Self.scratchDataFile()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        _ = try Sandbox(configuration: SandboxConfiguration(dataPath: path))
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE oauth_app SET secret = 'C0FFEE' WHERE client_id = 'parley-system'")
        }
        let reopened = try Sandbox(configuration: SandboxConfiguration(dataPath: path))
        #expect(try reopened.systemApp().clientSecret == "C0FFEE")
        #expect(try Self.storedSecrets(path).allSatisfy { $0.hasPrefix("sealed:") })
    }

    /// A key file that is not the one the secrets were sealed with is refused, saying where the key lives.
    @Test func aWrongKeyIsRefusedClearly() throws {
        let path = Self.scratchDataFile()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        _ = try Sandbox(configuration: SandboxConfiguration(dataPath: path))
        let key = SecretSeal.keyPath(forDataFile: path)
        try (Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() + "\n")
            .write(toFile: key, atomically: true, encoding: .utf8)
        let reopened = try Sandbox(configuration: SandboxConfiguration(dataPath: path))
        #expect {
            _ = try reopened.systemApp()
        } throws: { error in
            (error as? SandboxStorageError)?.description.contains(key) == true
        }
    }
}
