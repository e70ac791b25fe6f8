import Foundation
import Synchronization

/// Browser state of the authorize flow, kept in memory: who is logged in (by cookie) and
/// which authorization requests are waiting for a login or a consent.
///
/// Pending requests live here, addressed by an opaque id, so the pages' hidden fields never
/// carry a client id or redirect URI the server would have to trust.
final class AuthorizationSessions: Sendable {
    /// A logged-in browser.
    struct Session: Sendable {
        var userID: String
        /// Every form posted within this session must carry it.
        var csrfToken: String
        var lastUsed: Date
    }

    /// An authorize request waiting for the user.
    struct Pending: Sendable {
        var clientID: String
        var redirectURI: String
        var state: String?
        var scopes: [String]
        var codeChallenge: String?
        var forceConsent: Bool
        /// Carried by the login form, before there is a session.
        var loginCSRFToken: String
        /// Set once the user has logged in.
        var userID: String?
        var created: Date
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var pending: [String: Pending] = [:]
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Date
    private let sessionTimeout: TimeInterval

    /// How long a user has to finish logging in and allowing.
    static let pendingLifetime: TimeInterval = 10 * 60
    /// Bounds memory when something keeps opening authorize pages.
    static let maxPending = 10_000
    static let maxSessions = 10_000

    init(clock: @escaping @Sendable () -> Date, sessionTimeout: TimeInterval) {
        self.clock = clock
        self.sessionTimeout = sessionTimeout
    }

    /// The current time by the injected clock.
    var clockNow: Date { clock() }

    /// Starts a browser session for a user; returns its cookie value.
    func startSession(userID: String) -> String {
        let id = SecretMaker.opaqueID()
        let now = clock()
        state.withLock { state in
            if state.sessions.count >= Self.maxSessions {
                state.sessions = state.sessions.filter { now.timeIntervalSince($0.value.lastUsed) <= sessionTimeout }
                if state.sessions.count >= Self.maxSessions, let oldest = state.sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })
                {
                    state.sessions.removeValue(forKey: oldest.key)
                }
            }
            state.sessions[id] = Session(userID: userID, csrfToken: SecretMaker.opaqueID(), lastUsed: now)
        }
        return id
    }

    /// The live session behind a cookie value, counting this request as activity.
    func session(_ id: String?) -> Session? {
        guard let id else { return nil }
        let now = clock()
        return state.withLock { state in
            guard var session = state.sessions[id] else { return nil }
            guard now.timeIntervalSince(session.lastUsed) <= sessionTimeout else {
                state.sessions.removeValue(forKey: id)
                return nil
            }
            session.lastUsed = now
            state.sessions[id] = session
            return session
        }
    }

    func endSession(_ id: String) {
        _ = state.withLock { $0.sessions.removeValue(forKey: id) }
    }

    /// Keeps an authorize request until the user answers; returns its opaque id.
    func addPending(_ pending: Pending) -> String {
        let id = SecretMaker.opaqueID()
        let now = clock()
        state.withLock { state in
            if state.pending.count >= Self.maxPending {
                state.pending = state.pending.filter { now.timeIntervalSince($0.value.created) <= Self.pendingLifetime }
                if state.pending.count >= Self.maxPending, let oldest = state.pending.min(by: { $0.value.created < $1.value.created }) {
                    state.pending.removeValue(forKey: oldest.key)
                }
            }
            state.pending[id] = pending
        }
        return id
    }

    /// A pending request that has not expired.
    func pending(_ id: String?) -> Pending? {
        guard let id else { return nil }
        let now = clock()
        return state.withLock { state in
            guard let pending = state.pending[id] else { return nil }
            guard now.timeIntervalSince(pending.created) <= Self.pendingLifetime else {
                state.pending.removeValue(forKey: id)
                return nil
            }
            return pending
        }
    }

    func updatePending(_ id: String, _ change: (inout Pending) -> Void) {
        state.withLock { state in
            guard var pending = state.pending[id] else { return }
            change(&pending)
            state.pending[id] = pending
        }
    }

    /// Removes and returns a pending request, so each can be answered once.
    func takePending(_ id: String) -> Pending? {
        state.withLock { $0.pending.removeValue(forKey: id) }
    }
}
