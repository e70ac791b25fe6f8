import Foundation
import NIOHTTP1
import ParleyJSON
import Testing

extension ServeChannelTests {
    /// `/readyz` says whether the server can take turns: not while the store's database cannot be reached, and again once
    /// it can.
    @Suite struct Readiness {
        /// Asks `/readyz` until it answers `status`, for up to 30 seconds; returns the last answer.
        static func readiness(of server: ServeServer, becoming status: Int) async throws -> ServeServer.Reply {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                let reply = try await server.send(.GET, "/readyz", secret: nil)
                if reply.status == status || ContinuousClock.now > deadline { return reply }
                try await Task.sleep(for: .milliseconds(250))
            }
        }

        /// A PostgreSQL database that stops taking connections makes the server unready, quickly, and ready again once it
        /// takes them; health is not the database's business.
        @Test(.needsPostgres) func unreachablePostgresIsNotReady() async throws {
            try await PostgresTestDatabase.withFreshDatabase { url in
                let state = try Build.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: state) }
                try await ServeServer.with(state: state, arguments: ["--store", url]) { server in
                    #expect(try await server.send(.GET, "/readyz", secret: nil).json == ["status": "ready"])
                    try await PostgresTestDatabase.setReachable(false, fresh: url)
                    let start = ContinuousClock.now
                    let unready = try await Self.readiness(of: server, becoming: 503)
                    #expect(unready.status == 503)
                    #expect(unready.json == ["status": "unavailable"])
                    #expect(start.duration(to: .now) < .seconds(10))
                    #expect(try await server.send(.GET, "/healthz", secret: nil).status == 200)
                    _ = try await server.process.waitFor("Not ready: the store cannot be reached", timeout: .seconds(10))

                    try await PostgresTestDatabase.setReachable(true, fresh: url)
                    let ready = try await Self.readiness(of: server, becoming: 200)
                    #expect(ready.json == ["status": "ready"])
                }
            }
        }

        /// The state folder's database removed from under the server makes it unready, saying which file.
        @Test func removedSQLiteDatabaseIsNotReady() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state) { server in
                #expect(try await server.send(.GET, "/readyz", secret: nil).json == ["status": "ready"])
                let database = state.appendingPathComponent("parley.sqlite")
                try FileManager.default.removeItem(at: database)
                let unready = try await server.send(.GET, "/readyz", secret: nil)
                #expect(unready.status == 503)
                #expect(unready.json == ["status": "unavailable"])
                // The server's log reaches the test through a pipe, maybe after the answer does.
                let log = try await server.process.waitFor("the database file was removed while the server runs", timeout: .seconds(10))
                #expect(log.contains(database.path))
            }
        }
    }
}
