import DialogRuntime
import Foundation
import Integrations
import SalesforceSandboxTesting
import Testing

@Suite("Confirm-with-code mode: the token is kept only once the user types the code the callback page shows")
struct CodeConfirmationTests {
    /// Authorizes alice through the browser; returns the code the callback page shows.
    static func authorizeAndReadCode(_ fixture: SalesforceFixture, user: String = "alice") async throws -> String {
        let page = try await fixture.authorize(user: user, conversation: user)
        #expect(page.text.contains("To connect demo@parley.dev to the chat of \(user), type this code in that chat"))
        let code = try #require(page.text.firstMatch(of: /id="code">(\d{6})</)?.output.1, "no code on the page:\n\(page.text)")
        return String(code)
    }

    /// After the browser comes back nothing is kept yet: the user is asked for the code, not sent a new link, and the
    /// code appears in no log.
    @Test func theCallbackKeepsNothingUntilTheCodeIsTyped() async throws {
        try await SalesforceFixture.run(authorization: .user, confirmWithCode: true) { fixture in
            let code = try await Self.authorizeAndReadCode(fixture)
            guard case .awaitingCode(let completed)? = fixture.outcomes.last else {
                Issue.record("the callback's outcome is \(String(describing: fixture.outcomes.last)), not awaiting a code")
                return
            }
            #expect(completed.user == "alice")
            #expect(try fixture.store.authorization(action: "salesforce", user: "alice") == nil)
            guard case .authorizationRequired(let request) = await fixture.integration().access(for: "alice") else {
                Issue.record("alice has access before typing the code")
                return
            }
            #expect(request.awaitingCode)
            #expect(request.url.isEmpty)
            #expect(!fixture.logs.text.contains(code))
        }
    }

    /// The right code keeps the token: alice is connected, as the page said.
    @Test func theRightCodeConnects() async throws {
        try await SalesforceFixture.run(authorization: .user, confirmWithCode: true) { fixture in
            let code = try await Self.authorizeAndReadCode(fixture)
            #expect(await fixture.authorizer.confirm(code: code, user: "alice") == .connected(account: "demo@parley.dev"))
            let stored = try #require(try fixture.store.authorization(action: "salesforce", user: "alice"))
            #expect(stored.username == "demo@parley.dev")
            guard case .ready = await fixture.integration().access(for: "alice") else {
                Issue.record("alice is not connected after the right code")
                return
            }
            let response = try await fixture.integration().send(fixture.leadQuery(), for: "alice")
            #expect(response.statusCode == 200)
            #expect(!fixture.logs.text.contains(code))
        }
    }

    /// A wrong code keeps nothing, revokes the token at Salesforce, and uses the code up: the right one typed after
    /// it finds nothing pending.
    @Test func aWrongCodeKeepsNothing() async throws {
        try await SalesforceFixture.run(authorization: .user, confirmWithCode: true) { fixture in
            let code = try await Self.authorizeAndReadCode(fixture)
            let wrong = code == "000000" ? "000001" : "000000"
            #expect(await fixture.authorizer.confirm(code: wrong, user: "alice") == .rejected(.wrongCode))
            #expect(try fixture.store.authorization(action: "salesforce", user: "alice") == nil)
            #expect(await fixture.authorizer.confirm(code: code, user: "alice") == .nothingPending)
            #expect(try fixture.store.authorization(action: "salesforce", user: "alice") == nil)
            // Asked again, alice gets a fresh link, not the code prompt.
            guard case .authorizationRequired(let request) = await fixture.integration().access(for: "alice") else {
                Issue.record("alice has access after a wrong code")
                return
            }
            #expect(!request.awaitingCode)
            #expect(request.url.contains("/a/"))
            #expect(fixture.logs.text.contains("a wrong authorization code was typed"))
        }
    }

    /// A code typed after it expired keeps nothing, even when it is the right one.
    @Test func aLateCodeKeepsNothing() async throws {
        try await SalesforceFixture.run(authorization: .user, confirmWithCode: true) { fixture in
            let code = try await Self.authorizeAndReadCode(fixture)
            fixture.clock.advance(by: fixture.authorizer.linkLifetime + 1)
            // A task that asks now gets a fresh link, not a prompt for a code that can no longer work.
            guard case .authorizationRequired(let request) = await fixture.integration().access(for: "alice") else {
                Issue.record("alice has access with an unconfirmed, expired code")
                return
            }
            #expect(!request.awaitingCode)
            #expect(await fixture.authorizer.confirm(code: code, user: "alice") == .rejected(.codeExpired))
            #expect(try fixture.store.authorization(action: "salesforce", user: "alice") == nil)
        }
    }

    /// Bob cannot finish alice's authorization with her code: codes belong to the chat the link was sent to.
    @Test func aCodeBelongsToItsUser() async throws {
        try await SalesforceFixture.run(authorization: .user, confirmWithCode: true) { fixture in
            let code = try await Self.authorizeAndReadCode(fixture)
            #expect(await fixture.authorizer.confirm(code: code, user: "bob") == .nothingPending)
            #expect(try fixture.store.authorization(action: "salesforce", user: "bob") == nil)
            #expect(await fixture.authorizer.confirm(code: code, user: "alice") == .connected(account: "demo@parley.dev"))
        }
    }

    /// The bot's own authorization (`parley actions authorize`, in its developer's terminal) asks for no code.
    @Test func theBotsOwnAuthorizationNeedsNoCode() async throws {
        try await SalesforceFixture.run(authorization: .preauthorized, confirmWithCode: true) { fixture in
            let page = try await fixture.authorize(user: "")
            #expect(page.text.contains("Connected demo@parley.dev to the bot's own connection"))
            #expect(try fixture.store.authorization(action: "salesforce", user: "") != nil)
        }
    }
}
