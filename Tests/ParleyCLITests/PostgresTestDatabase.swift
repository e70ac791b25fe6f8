import Foundation
import Logging
import PostgresNIO
import Testing

@testable import HTTPChannel

/// The PostgreSQL server the PostgreSQL tests use, named by `PARLEY_TEST_POSTGRES_URL`; `.ci/with-postgres` starts one
/// on loopback and sets it (CI runs every test that way). Each test works in a database of its own, dropped afterwards.
enum PostgresTestDatabase {
    static let variable = "PARLEY_TEST_POSTGRES_URL"

    static var url: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    static let whySkipped: Comment =
        "PARLEY_TEST_POSTGRES_URL is not set: run `.ci/with-postgres swift test …` (or set it to a PostgreSQL database) to run the PostgreSQL tests"

    static let logger = Logger(label: "parley.tests.postgres")

    /// Runs `body` with the URL of a new, empty database on the test server, and drops the database afterwards.
    static func withFreshDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let server = try #require(url, whySkipped)
        let name = "parley_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await administer(server, "CREATE DATABASE \(name)")
        let base = server.prefix { $0 != "?" }
        let query = server.dropFirst(base.count)
        let fresh = base[...base.lastIndex(of: "/")!] + name + query
        do {
            let result = try await body(String(fresh))
            try await administer(server, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await administer(server, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// Runs `body` with the stores of a fresh database, as one process would have them.
    static func withFreshStores<T>(_ body: (PostgresStoreDatabase) async throws -> T) async throws -> T {
        try await withFreshDatabase { url in
            try await PostgresStoreDatabase.with(try PostgresURL(parsing: url), logger: logger) { database in
                try await body(database)
            }
        }
    }

    /// Makes a fresh database refuse new connections and ends the ones it has, as a database that went away does; or
    /// lets it take connections again.
    static func setReachable(_ reachable: Bool, fresh url: String) async throws {
        let server = try #require(Self.url, whySkipped)
        let name = try #require(url.firstMatch(of: /\/(parley_test_[0-9a-f]+)/)?.output.1, "not a fresh database: \(url)")
        try await administer(server, "ALTER DATABASE \(name) ALLOW_CONNECTIONS \(reachable)")
        if !reachable {
            try await administer(server, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
        }
    }

    /// Runs one statement outside a transaction (CREATE and DROP DATABASE refuse to run in one).
    private static func administer(_ url: String, _ statement: String) async throws {
        try await PostgresStoreDatabase.with(try PostgresURL(parsing: url), logger: logger) { database in
            _ = try await database.queries.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where a PostgreSQL server is given; elsewhere it is reported as skipped, saying how to run it.
    static var needsPostgres: Self {
        .enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.whySkipped)
    }
}

/// Where the PostgreSQL tests did not run, said as a failure where it matters: CI must run them.
@Suite struct PostgresAvailability {
    /// CI (`CI` set) runs with `PARLEY_TEST_POSTGRES_URL` set, so the PostgreSQL tests never go quietly unrun there.
    @Test func ciRunsThePostgresTests() {
        let inCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false
        #expect(
            !inCI || PostgresTestDatabase.url != nil, "CI must run the PostgreSQL tests: .ci/run starts PostgreSQL with .ci/with-postgres")
    }
}
