import Foundation
import LocalServing
import NIOHTTP1
import ParleyJSON
import SalesforceSandboxTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ServeChannelTests {
    /// `parley serve` killed without warning, and started again on the same state folder and port.
    @Suite struct Crash {
        static let conversations = 15

        /// Conversations waiting for their users to authorize survive a SIGKILL: after a restart the links they were
        /// sent still work, every task finishes, and the sandbox holds one lead per conversation.
        @Test func killedWhileUsersAuthorizeEveryConversationCompletesOnce() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            // Both ports stay the same across the restart, so the links sent before it still lead through the sandbox.
            let port = try LocalServer.freeLoopbackPort()
            let sandboxPort = try LocalServer.freeLoopbackPort()
            let sandboxArguments = ["--sandbox-port", String(sandboxPort)]
            let first = try await ServeServer.start(state: state, port: port, arguments: sandboxArguments)
            let links: [Int: String]
            do {
                links = try await withThrowingTaskGroup(of: (Int, String).self, returning: [Int: String].self) { group in
                    for index in 0..<Self.conversations {
                        group.addTask {
                            let user = "crash-\(index)"
                            _ = try await first.say("create a lead for Crash\(index) at Crashco", as: user, key: "\(user)-1")
                            return (index, try ServeServer.link(in: try await first.say("Cy\(index)", as: user, key: "\(user)-2")))
                        }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                }
            } catch {
                await first.process.stop()
                throw error
            }
            kill(first.process.pid, SIGKILL)
            await first.process.stop()

            try await ServeServer.with(state: state, port: port, arguments: sandboxArguments) { second in
                #expect(second.baseURL == first.baseURL)
                #expect(second.sandboxURL == first.sandboxURL)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<Self.conversations {
                        group.addTask {
                            let user = "crash-\(index)"
                            // The client does not know its last turn was answered: it retries it, and gets the same link.
                            let retried = try await second.say("Cy\(index)", as: user, key: "\(user)-2")
                            #expect(try ServeServer.link(in: retried) == links[index])
                            let link = try #require(links[index])
                            _ = try await SandboxBrowser.withBrowser(overHTTP: second.sandboxURL) { browser in
                                try await second.authorize(link, browser: browser)
                            }
                            _ = try await second.waitForEvent(
                                containing: "Lead Crash\(index) at Crashco created with id", user: user)
                        }
                    }
                    try await group.waitForAll()
                }
                let leads = try await BrowserAuthorizationTests.sandboxQuery(
                    "SELECT Id, LastName FROM Lead WHERE Company = 'Crashco'", sandbox: second.sandboxURL, state: state)
                #expect(leads.json["totalSize"] == .number(Double(Self.conversations)))
            }
        }
    }
}
