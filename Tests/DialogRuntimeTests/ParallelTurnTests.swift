import DialogRuntime
import Foundation
import ParleyJSON
import Synchronization
import Testing

/// Turns of different users run at once, spread over the runtime's shards; each user's still run one at a time.
@Suite struct ParallelTurnTests {
    static let ping = """
        dialog: Ping
        intent: { name: Ping, utterances: [ping] }
        nodes:
          - id: pingService
            service: { method: GET, url: "http://localhost:9/ping/{{context.session.UserContext.id}}" }
          - id: pong
            message: "Pong."
        """

    /// Counts the service calls under way, per user (the last part of the path) and in all.
    final class Overlap: Sendable {
        private struct Counts {
            var running: [String: Int] = [:]
            var mostPerUser = 0
            var mostInAll = 0
            var calls = 0
        }

        private let counts = Mutex(Counts())

        var mostPerUser: Int { counts.withLock { $0.mostPerUser } }
        var mostInAll: Int { counts.withLock { $0.mostInAll } }
        var calls: Int { counts.withLock { $0.calls } }

        var service: HTTPService {
            HTTPService { request throws(ServiceCallError) in
                let user = String(request.url.split(separator: "/").last ?? "")
                self.counts.withLock { counts in
                    counts.calls += 1
                    counts.running[user, default: 0] += 1
                    counts.mostPerUser = max(counts.mostPerUser, counts.running[user] ?? 0)
                    counts.mostInAll = max(counts.mostInAll, counts.running.values.reduce(0, +))
                }
                // Long enough for other turns to arrive meanwhile.
                try? await Task.sleep(for: .milliseconds(5))
                self.counts.withLock { $0.running[user, default: 1] -= 1 }
                return ServiceResponse(statusCode: 200)
            }
        }
    }

    /// Many users each sending several turns at once: every turn is answered, no user's turns overlap, and different
    /// users' turns do.
    @Test func eachUsersTurnsRunOneAtATimeWhileOthersRunAtOnce() async throws {
        let overlap = Overlap()
        let bot = try Harness(["ping.yaml": Self.ping], http: overlap.service, shards: 4)
        let users = (0..<16).map { UserID("user-\($0)") }
        for user in users {
            try await bot.runtime.setUserContext(["id": .string(user.rawValue)], for: user)
        }
        let replies = await withTaskGroup(of: String.self) { group in
            for user in users {
                for _ in 0..<4 {
                    group.addTask { await bot.say("ping", as: user) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(replies.count == 64)
        #expect(replies.allSatisfy { $0 == "Pong." })
        #expect(overlap.calls == 64)
        #expect(overlap.mostPerUser == 1)
        #expect(overlap.mostInAll > 1)
    }

    /// A user's turns keep the order they were asked in, whichever shard the user is on.
    @Test func aUsersTurnsStayInOrderOnEveryShard() async throws {
        let bot = try Harness(["lead.yaml": EntityNodeTests.lead], shards: 3)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                let user = UserID("user-\(index)")
                group.addTask {
                    #expect(await bot.say("create a lead", as: user) == "What is the lead's last name?")
                    #expect(await bot.say("Doe", as: user) == "Which company is Doe with?")
                    #expect(await bot.say("Acme \(index)", as: user) == "Lead Doe at Acme \(index).")
                }
            }
        }
    }
}
